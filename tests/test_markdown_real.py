"""Markdown as real Jekyll and Hugo posts write it (issue 11): embedded HTML, template
tags, Kramdown attribute lists and stray emphasis come out as the text a reader sees,
and nothing of the markup is indexed or themed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from pressreader.ingest import markdown, read_file, read_text
from pressreader.library import Library

POSTS = FIXTURES / "markdown"
#: What no paragraph may hold: a tag, a template tag, an attribute list, bold markers, CSS.
MARKUP = re.compile(r"<[a-zA-Z/!]|\{%|%\}|\{\{|\}\}|\{:|\*\*|__|!important|[{;]\s*[a-z-]+\s*:\s*[^;{}]+;")


def _paragraphs(name: str) -> list[str]:
    (article,) = read_file(POSTS / name)
    return [paragraph.text for paragraph in article.paragraphs]


def _body(text: str) -> list[str]:
    return markdown.markdown_paragraphs(text)


# ------------------------------------------------------------- whole posts
def test_a_jekyll_embassy_post_reads_as_its_text() -> None:
    (article,) = read_file(POSTS / "jekyll_embassy_post.md")
    assert article.title == "Ambassador Visits the Almaty Tech Hub"
    assert article.date == "2024-05-14"
    assert [p.text for p in article.paragraphs] == [
        "Ambassador Jane Doe visited the Almaty Tech Hub on Tuesday to meet young software developers.",
        "The Ambassador with students at the Tech Hub",  # the include's caption
        "Students present their projects to the Ambassador.",  # the image itself leaves nothing
        "A coding workshop for secondary school pupils",  # the figure's caption
        "The programme trains 300 developers a year. The Ambassador said the partnership was a model "
        "for the region.",
        # the iframe leaves nothing; the tweet keeps its words and its attribution
        "Inspiring morning with the next generation of coders in Almaty! pic.twitter.com/xyz",
        "— Embassy of Ruritania (@RuritaniaEmb) May 14, 2024",
        "Programme · Participants",
        "Coding school · 300",
        "Start-up grants · 25",
        "For more information, see the embassy website.[1]",
        "[1] The programme is funded jointly by both governments.",
        "Issued by the Press Section of the Embassy.",
    ]


def test_a_hugo_post_loses_its_shortcodes_and_keeps_their_text() -> None:
    assert _paragraphs("hugo_ministry_post.md") == [
        "The Ministry of Water Resources signed an agreement on the joint management of the Syr Darya basin.",
        "The ministers at the signing ceremony",
        "The agreement enters into force on 1 January 2024.",
        'fmt.Println("not prose")',
        "Both sides agreed to share data on river flow every month.",
    ]


def test_liquid_and_kramdown_blocks() -> None:
    assert _paragraphs("jekyll_liquid_blocks.md") == [
        "The consular section will open on Saturdays from {in April} onwards, and visa appointments "
        "can be booked online.",
        "Please note: bring your passport and one photo.",  # a markdown="1" block is Markdown
        '"We want every applicant to be served within a week," the Consul said.',
        "Fees are listed below:",
        "Visa fee: 40 EUR",  # {% highlight %}: code, kept as written
        "Applicants with a file_name like 2 * 3 or 2 * 3 keep their text, and double marks go.",
    ]


@pytest.mark.parametrize("name", sorted(path.name for path in POSTS.glob("*.md")))
def test_no_paragraph_or_title_holds_markup(name: str) -> None:
    (article,) = read_file(POSTS / name)
    for text in [article.title, *(p.text for p in article.paragraphs)]:
        assert not MARKUP.search(text), text


def test_markup_is_neither_searchable_nor_themed(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    shutil.copytree(POSTS, folder)
    with Library.open(tmp_path / "library") as library:
        report = library.import_paths([folder])
        assert report.count("added") == 3 and not report.rejected
        assert library.search("students").total == 1  # the text is there
        for word in ("padding", "widgets", "important", "iframe", "baseurl", "figcaption", "endcomment",
                     "image-caption", "youtube", "notice", "style", "blockquote", "team_photo"):  # fmt: skip
            assert library.search(word).total == 0, word
        for path in sorted(folder.glob("*.md")):
            (read,) = read_file(path)
            article = library.get(read.id)
            assert article is not None and article.paragraphs
            terms = {term for p in article.paragraphs for hit in p.themes for term in hit.terms}
            assert not terms & {"import", "export"}, article.title  # CSS's !important made economy
            assert any(p.themes for p in article.paragraphs)  # the text itself is themed


# ------------------------------------------------------------- embedded HTML
def test_inline_html_keeps_its_text_in_the_flow_of_the_paragraph() -> None:
    text = 'Trade grew by 5%<sup>1</sup> in <a href="/x">the <b>first</b> quarter</a>,<br>the minister said.'
    assert _body(text) == ["Trade grew by 5%1 in the first quarter, the minister said."]


def test_html_blocks_lose_comments_styles_scripts_and_embeds() -> None:
    text = (
        "First.\n\n<!-- an editor's note -->\n\n"
        "<style>\np { color: red; }\n\n.x { padding: 0; }\n</style>\n\n"
        '<iframe src="https://www.youtube.com/embed/x" title="Visit video"></iframe>\n\n'
        '<script src="https://platform.twitter.com/widgets.js"></script>\n\nLast."'
    )
    assert _body(text) == ["First.", 'Last."']


def test_a_script_that_spans_blank_lines_inside_a_div_is_dropped_whole() -> None:
    text = "<div>\n<script>\nvar padding = 1;\n\nwidgets();\n</script>\n</div>\n\nAfter the script."
    assert _body(text) == ["After the script."]


def test_indented_html_inside_an_open_div_is_html_not_code() -> None:
    quote = '    <blockquote>"Well done," she said.</blockquote>'
    text = f'<div class="quote">\n\n{quote}\n\n</div>\n\n    real code'
    assert _body(text) == ['"Well done," she said.', "real code"]


def test_a_markdown_div_without_blank_lines_is_read_as_markdown() -> None:
    text = '<div class="note" markdown="1">\nSee **the** [list](https://example.org) of _centres_.\n</div>\n'
    assert _body(text) == ["See the list of centres."]


def test_emphasis_inside_plain_html_is_flattened_but_html_code_is_not() -> None:
    assert _body("<div>\nA **bold** and [linked](http://x) word.\n</div>") == ["A bold and linked word."]
    assert _body("<pre><code>x = a*b*c\n</code></pre>") == ["x = a*b*c"]


def test_html_inside_a_list_item_is_a_bullet_line() -> None:
    assert _body("- one <em>two</em>\n- <span>three</span>\n") == ["• one two\n• three"]


# ------------------------------------------------------------- template tags
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A {% if x %}B{% endif %} C", "A B C"),
        ("A {%- assign y = 1 -%} B {{ page.title | upcase }} C", "A  B  C"),
        ("{% raw %}Type {{ name }} here{% endraw %} then {{ gone }}", "Type {{ name }} here then "),
        ("A {% comment %}secret {{ x }}{% endcomment %}B", "A B"),
        ("A {::comment}hidden{:/comment}B {::options auto_ids='false' /}C", "A B C"),
        ("{{< tip >}}Kept inside{{< /tip >}} and {{% note %}}this{{% /note %}}", "Kept inside and this"),
        ("plain {in braces} and {{ unclosed", "plain {in braces} and {{ unclosed"),
        ("{% comment %} never closed", " never closed"),  # an unclosed block hides nothing
        ("{% raw %} never closed {{ x }}", " never closed "),
    ],
)
def test_template_tags(source: str, expected: str) -> None:
    assert markdown.strip_templates(source) == expected


def test_highlight_blocks_are_code_and_keep_their_text() -> None:
    assert _body("{% highlight python %}\ndef f(**kwargs): pass\n{% endhighlight %}") == [
        "def f(**kwargs): pass"
    ]


# ------------------------------------------------------------- leftover markup
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("** Spaced bold ** text", "Spaced bold text"),
        ("un__believ__able and __init", "unbelievable and init"),
        ("2 * 3 * 4 and 5**2 stay", "2 * 3 * 4 and 5**2 stay"),
        ("file_name and snake_case_name stay", "file_name and snake_case_name stay"),
        ("Sign here: ________", "Sign here: ________"),
        ("Price* applies; *conditions vary", "Price* applies; *conditions vary"),
        ('Caption {:.image-caption} and {: .a.b #id key="v"} gone', "Caption and gone"),
        ("Ruby {:a => 1} and {in braces} stay", "Ruby {:a => 1} and {in braces} stay"),
        ("A note[^n1] here", "A note[n1] here"),
    ],
)
def test_clean_markup(source: str, expected: str) -> None:
    assert " ".join(markdown.clean_markup(source).split()) == expected


def test_code_keeps_its_markers() -> None:
    assert _body("Call `f(**kwargs)` or `__init__`.\n\n    x = a * b ** 2") == [
        "Call f(**kwargs) or __init__.",
        "x = a * b ** 2",
    ]


def test_headings_breaks_and_the_excerpt_separator() -> None:
    text = "# Title\n\nIntro.\n\n<!--more-->\n\n## Details\n\n---\n\n***\n\nMore text.<!-- more -->"
    assert _body(text) == ["Title", "Intro.", "Details", "More text."]


def test_a_title_with_markup_reads_as_text() -> None:
    front = '---\ntitle: "{{ site.name }}: <b>New</b> **visa** rules"\n---\n\n'
    (article,) = read_text(front + "The ministry published the new visa rules today.\n", suffix=".md")
    assert article.title == ": New visa rules"


# ------------------------------------------------------------- hostile input
@pytest.mark.parametrize(
    "text",
    [
        "<div>\n\n" * 20_000,
        "<iframe>\n\n" * 20_000,
        "<svg>\n" * 10_000 + "\n" + "</iframe>\n" * 10_000,
        "<div>\n\n    <p>x</p>\n\n" * 5_000,
    ],
)
def test_many_html_blocks_are_extracted_in_a_few_passes(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded work: the HTML extraction sees each character of the input about once."""
    seen: list[int] = []
    real = markdown.html_to_paragraphs

    def counting(fragment: str) -> list[str]:
        seen.append(len(fragment))
        return real(fragment)

    monkeypatch.setattr(markdown, "html_to_paragraphs", counting)
    paragraphs = _body(text)
    assert len(seen) <= 3 and sum(seen) <= 2 * len(text)
    assert all(not MARKUP.search(p) for p in paragraphs)


@pytest.mark.parametrize(
    "text",
    ["{% " * 50_000, "{{ " * 50_000, "{% raw %}" * 20_000, "{% comment %}" * 20_000, "{::comment}" * 50_000,
     "{: .a " * 50_000, "*a " * 50_000, "_a " * 50_000, "{%{{" * 50_000],
)  # fmt: skip
def test_hostile_template_and_marker_runs_are_read(text: str) -> None:
    """Each piece reads (it would hang on a regex that backtracks); the result keeps
    what is text and loses no more than the tags."""
    stripped = markdown.strip_templates(text)
    assert len(stripped) <= len(text)
    assert markdown.clean_markup(stripped) is not None
    assert isinstance(_body(text), list)


def test_an_attribute_list_cut_by_a_line_break_goes_whole() -> None:
    text = '![Cover](http://x.example/a.gif){:\n.icon width="70"}The book is out.\n'
    (draft,) = markdown.parse(text)
    assert draft.paragraphs == ["The book is out."]


# ------------------------------------------------------------------ dates
POST = "---\ntitle: A visit\n{date}---\nThe Ambassador met students of the Almaty Tech Hub on Tuesday.\n"


@pytest.mark.parametrize(
    ("front", "name", "expected"),
    [
        ("date: 2023.08.08\n", "visit.md", "2023-08-08"),  # a dotted date, as Korean and Hugo sites write
        ("date: 8 August 2023\n", "visit.md", "2023-08-08"),
        ("date: 2023-08-08 10:55:00 +0900\n", "visit.md", "2023-08-08"),
        ("", "2021-03-04-a-visit.md", "2021-03-04"),  # Jekyll's post name carries the date
        ("date: 2023-08-08\n", "2021-03-04-a-visit.md", "2023-08-08"),  # the front matter wins
        ("", "2021-13-04-a-visit.md", ""),  # no such month: no date rather than a wrong one
        ("", "20210304-a-visit.md", ""),
    ],
)
def test_a_post_is_dated_by_its_front_matter_else_its_file_name(
    tmp_path: Path, front: str, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(POST.format(date=front), encoding="utf-8")
    (article,) = read_file(path)
    assert article.date == expected


def test_a_file_of_many_undated_records_takes_no_date_from_its_name(tmp_path: Path) -> None:
    path = tmp_path / "2021-03-04-export.jsonl"
    path.write_text(
        '{"title": "One", "text": "The first release of the export, undated."}\n'
        '{"title": "Two", "text": "The second release of the export, undated too."}\n',
        encoding="utf-8",
    )
    assert [article.date for article in read_file(path)] == ["", ""]


def test_a_raw_block_shows_template_braces_as_the_site_does() -> None:
    # How a tutorial shows "{{ your password }}": the raw block's content is text.
    text = (
        "Replace the braces {% raw %}{{{% endraw %} your secure password }} with yours.\n\n"
        "```\nORACLE_PASSWORD={% raw %}{{{% endraw %} your secure password }}\n```\n\n"
        "{% raw %}{{ page.title }}{% endraw %} prints the title; {{ page.title }} is gone.\n"
    )
    assert _body(text) == [
        "Replace the braces {{ your secure password }} with yours.",
        "ORACLE_PASSWORD={{ your secure password }}",
        "{{ page.title }} prints the title; is gone.",
    ]
