"""Export (issue 6, "Hand it on"): Markdown, JSON and CSV, to a file or standard output.

Through ``cli.main`` (the contract scripts use) and through
``pressreader.library.export`` (what the reader calls).  Release text is
untrusted: nothing it holds may reach the output as a terminal command, a
spreadsheet formula or Markdown structure of its own.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import SAMPLE_DATA, SampleLibrary
from pressreader import cli
from pressreader.library import Library
from pressreader.library.export import (
    CSV_HEADER,
    ExportError,
    ExportExists,
    article_json,
    csv_rows,
    export_article,
    export_articles,
    format_for,
    render_markdown,
    resolve_theme,
)
from pressreader.model import Article, Paragraph, Theme, ThemeHit

SAMPLE_ARTICLES = 43
THEMES = {
    "energy": Theme("energy", "Energy", "yellow"),
    "transport": Theme("transport", "Transport", "blue"),
}


@dataclass
class Outcome:
    code: int
    out: str
    err: str


Run = Callable[..., Outcome]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def call(*args: str | Path) -> Outcome:
        capsys.readouterr()
        try:
            code = cli.main([str(arg) for arg in args])
        except SystemExit as leaving:  # argparse: usage errors
            code = leaving.code if isinstance(leaving.code, int) else 2
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return call


@pytest.fixture
def sample(sample_library: SampleLibrary) -> str:
    """``--index`` of the shared sample library (read only)."""
    return str(sample_library.path)


def _all(library: Library) -> list[Article]:
    result = library.search("", limit=None, snippets=False)
    articles = [library.get(hit.id) for hit in result.hits]
    assert all(article is not None for article in articles)
    return [article for article in articles if article is not None]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------ formats
def test_csv_has_one_row_a_paragraph_with_the_right_columns(
    run: Run, sample: str, sample_library: SampleLibrary, tmp_path: Path
) -> None:
    target = tmp_path / "all.csv"
    done = run("export", "--index", sample, "-o", target)
    assert done.code == 0, done.err
    assert f"exported {SAMPLE_ARTICLES} articles to {target}" in done.err
    assert done.out == ""
    raw = target.read_bytes().decode("utf-8")
    assert raw.startswith(",".join(CSV_HEADER) + "\r\n")
    rows = _rows(raw)
    articles = {a.id: a for a in _all(sample_library.library)}
    assert len(articles) == SAMPLE_ARTICLES
    assert len(rows) == sum(len(a.paragraphs) for a in articles.values())
    assert {row["id"] for row in rows} == set(articles)
    for article in articles.values():
        mine = [row for row in rows if row["id"] == article.id]
        assert [int(row["paragraph"]) for row in mine] == list(range(1, len(article.paragraphs) + 1))
        for row, paragraph in zip(mine, article.paragraphs, strict=True):
            assert row["title"] == article.title
            assert row["date"] == article.date
            assert row["source"] == article.source
            assert row["url"] == article.url
            assert row["themes"] == ";".join(hit.theme for hit in paragraph.themes)
            assert row["text"] in (paragraph.text, "'" + paragraph.text)


def test_json_is_an_array_of_what_show_prints(run: Run, sample: str, tmp_path: Path) -> None:
    done = run("export", "uranium", "--index", sample, "-o", tmp_path / "uranium.json")
    assert done.code == 0, done.err
    exported = json.loads((tmp_path / "uranium.json").read_text(encoding="utf-8"))
    assert isinstance(exported, list) and exported
    searched = run("search", "uranium", "--index", sample, "--json", "--limit", "100")
    assert [obj["id"] for obj in exported] == [json.loads(line)["id"] for line in searched.out.splitlines()]
    for obj in exported[:3]:
        shown = run("show", obj["id"], "--index", sample, "--json")
        assert shown.code == 0
        assert json.loads(shown.out) == obj


def test_one_article_exported_is_show_json_itself(
    run: Run, sample: str, sample_library: SampleLibrary, tmp_path: Path
) -> None:
    article = _all(sample_library.library)[0]
    report = export_article(article, "json", tmp_path / "one.json", themes=THEMES)
    assert (report.count, report.path) == (1, tmp_path / "one.json")
    shown = run("show", article.id, "--index", sample, "--json")
    assert json.loads((tmp_path / "one.json").read_text(encoding="utf-8")) == json.loads(shown.out)
    assert article_json(article) == json.loads(shown.out)


def test_markdown_has_titles_metadata_and_theme_labels(
    run: Run, sample: str, sample_library: SampleLibrary
) -> None:
    done = run("export", "uranium", "--index", sample, "--limit", "3")
    assert done.code == 0, done.err
    text = done.out
    assert text.startswith("**Search:** uranium\n")
    first = _all(sample_library.library)
    result = sample_library.library.search("uranium", limit=3, snippets=False)
    articles = [a for a in first if a.id in {hit.id for hit in result.hits}]
    assert text.count("\n---\n") == 3  # after the query, then between articles
    for article in articles:
        assert f"# {article.title}" in text or f"# {article.title}".replace("_", "\\_") in text
        assert f"{article.date} · " in text and f"id {article.id}" in text
    assert "*[Energy" in text  # the labels, not the ids
    tokens = MarkdownIt("commonmark").parse(text)
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 3


def test_render_markdown_puts_labels_before_each_themed_paragraph() -> None:
    article = Article(
        id="a1",
        title="Grid",
        date="2024-05-01",
        source="Ministry",
        url="https://example.kz/a?b=1",
        paragraphs=(
            Paragraph("Power lines.", (ThemeHit("energy", 2.0), ThemeHit("transport", 1.0))),
            Paragraph("Contact us."),
        ),
    )
    text = render_markdown(article, THEMES)
    assert text == (
        "# Grid\n\n2024-05-01 · Ministry · <https://example.kz/a?b=1> · id a1\n\n"
        "*[Energy, Transport]*\nPower lines.\n\nContact us.\n"
    )


def test_a_query_matching_the_whole_library_exports_it_all(run: Run, sample: str) -> None:
    for fmt in ("json", "csv", "md"):
        done = run("export", "", "--index", sample, "--format", fmt)
        assert done.code == 0, done.err
        if fmt == "json":
            assert len(json.loads(done.out)) == SAMPLE_ARTICLES
        elif fmt == "csv":
            assert len({row["id"] for row in _rows(done.out)}) == SAMPLE_ARTICLES
        else:
            assert done.out.count("\n# ") == SAMPLE_ARTICLES
            assert "(all articles)" in done.out


def test_limit_and_sort(run: Run, sample: str) -> None:
    done = run("export", "", "--index", sample, "-f", "json", "--limit", "5", "--sort", "date")
    dates = [obj["date"] for obj in json.loads(done.out)]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)


def test_the_format_follows_the_suffix_unless_given(run: Run, sample: str, tmp_path: Path) -> None:
    assert (
        format_for(Path("x.CSV")) == "csv" and format_for(Path("x.txt")) == "md" and format_for(None) == "md"
    )
    assert run("export", "uranium", "--index", sample, "-o", tmp_path / "a.json").code == 0
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert run("export", "uranium", "--index", sample, "-o", tmp_path / "a.txt").code == 0
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("**Search:**")
    assert run("export", "uranium", "--index", sample, "-o", tmp_path / "b.json", "-f", "csv").code == 0
    assert (tmp_path / "b.json").read_text(encoding="utf-8").startswith("id,title,")


# ---------------------------------------------------------------- the file
def test_an_existing_file_is_kept_without_force(run: Run, sample: str, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious\n", encoding="utf-8")
    done = run("export", "uranium", "--index", sample, "-o", target)
    assert done.code == 1
    assert f"{target} exists; use --force to overwrite" in done.err
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert _leftovers(tmp_path) == []

    done = run("export", "uranium", "--index", sample, "-o", target, "--force")
    assert done.code == 0, done.err
    assert target.read_text(encoding="utf-8").startswith("id,title,")
    assert _leftovers(tmp_path) == []


def test_the_module_says_which_file_exists(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ExportExists) as caught:
        export_articles([], "md", target, themes=THEMES)
    assert caught.value.path == target and str(target) in str(caught.value)
    dangling = tmp_path / "link.md"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportExists):
        export_articles([], "md", dangling, themes=THEMES)
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_export_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    article = Article("a", "T", "", "", (Paragraph("x"),))

    def broken() -> Iterator[Article]:
        yield article
        raise RuntimeError("the library went away")

    with pytest.raises(RuntimeError):
        export_articles(broken(), "json", target, force=True, themes=THEMES)
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_a_file_made_while_exporting_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    article = Article("a", "T", "", "", (Paragraph("x"),))

    def meanwhile() -> Iterator[Article]:
        yield article
        target.write_text("someone else's", encoding="utf-8")

    with pytest.raises(ExportExists):
        export_articles(meanwhile(), "md", target, themes=THEMES)
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert _leftovers(tmp_path) == []


def test_a_folder_is_never_written_into(run: Run, sample: str, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link").symlink_to(folder)
    for target in (folder, folder / "link", f"{tmp_path}/new/", folder / "missing" / "x.csv"):
        for force in ([], ["--force"]):
            done = run("export", "uranium", "--index", sample, "-o", target, *force)
            assert done.code == 1, (target, done.err)
            assert "folder" in done.err
    assert sorted(p.name for p in folder.iterdir()) == ["link"]
    assert not (tmp_path / "new").exists()
    with pytest.raises(ExportError, match="is a folder"):
        export_articles([], "csv", folder, force=True, themes=THEMES)


def test_standard_output(run: Run, sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = run("export", "uranium", "--index", sample, "-f", "csv", "-o", "-")
    assert done.code == 0, done.err
    assert _rows(done.out) and "exported" not in done.err
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2_and_write_nothing(run: Run, sample: str, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    bad_query = run("export", "theme:(", "--index", sample, "-o", target)
    assert bad_query.code == 2 and "bad query" in bad_query.err
    assert run("export", "x", "--index", sample, "--format", "xml").code == 2
    unknown = run("export", "--index", sample, "--paragraphs-with", "nosuch", "-o", target)
    assert unknown.code == 2 and "nosuch" in unknown.err
    assert run("export", "--index", sample, "--limit", "0").code == 2
    assert not target.exists()


def test_no_matches_is_an_empty_export(run: Run, sample: str, tmp_path: Path) -> None:
    done = run("export", "zzzyyqqq", "--index", sample, "-o", tmp_path / "none.json")
    assert done.code == 0 and "No matches" in done.err
    assert json.loads((tmp_path / "none.json").read_text(encoding="utf-8")) == []


# ------------------------------------------------------------- paragraphs
def test_the_energy_paragraphs_of_the_library_to_csv(
    run: Run, sample: str, sample_library: SampleLibrary, tmp_path: Path
) -> None:
    target = tmp_path / "energy.csv"
    done = run("export", "--index", sample, "--paragraphs-with", "energy", "-o", target)
    assert done.code == 0, done.err
    rows = _rows(target.read_text(encoding="utf-8"))
    expected = [
        (article.id, number)
        for article in _all(sample_library.library)
        for number, paragraph in enumerate(article.paragraphs, start=1)
        if "energy" in {hit.theme for hit in paragraph.themes}
    ]
    assert expected, "the sample has energy paragraphs"
    assert sorted((row["id"], int(row["paragraph"])) for row in rows) == sorted(expected)
    assert all("energy" in row["themes"].split(";") for row in rows)
    assert f"exported {len({i for i, _ in expected})} articles" in done.err


def test_paragraphs_with_filters_every_format(run: Run, sample: str) -> None:
    # by label too, in any case
    as_json = run("export", "--index", sample, "--paragraphs-with", "ENERGY", "-f", "json")
    objects = json.loads(as_json.out)
    assert objects and all(obj["paragraphs"] for obj in objects)
    assert all(any(t["id"] == "energy" for t in p["themes"]) for obj in objects for p in obj["paragraphs"])
    as_md = run("export", "--index", sample, "--paragraphs-with", "energy")
    labels = [line for line in as_md.out.splitlines() if line.startswith("*[")]
    assert labels and all("Energy" in line for line in labels)
    assert "only paragraphs with Energy" in as_md.out
    assert resolve_theme("Energy", THEMES) == "energy" and resolve_theme("nope", THEMES) is None


# ------------------------------------------------------------ hostile text
HOSTILE = Article(
    id="h1",
    title="[bold red]x[/ \x1b[2J# not a heading",
    date="2024-01-02",
    source='=HYPERLINK("http://evil.example","Agency")',
    url="javascript:alert(1)",
    paragraphs=(
        Paragraph("=1+2", (ThemeHit("energy", 1.0),)),
        Paragraph("+SUM(A1)"),
        Paragraph("-2+3 and @cmd"),
        Paragraph("@SUM(1)"),
        Paragraph("Kazakhstan \x1b]0;pwned\x07exports \x1b[31mzirconium\x1b[0m \x9b2J\u202eevil"),
        Paragraph("# Fake title\n---\n> quoted\n*[Energy]*\n1. one\n<script>alert(1)</script>"),
        Paragraph("[click here](http://evil.example) ![x](http://tracker.example/p.png) `code` **b**"),
        Paragraph("&#x202E;&amp; ===\n    indented code"),
    ),
)


def test_csv_neutralises_formulas() -> None:
    rows = list(csv.reader(io.StringIO(_export_text([HOSTILE], "csv"), newline="")))
    assert rows[0] == list(CSV_HEADER)
    cells = [cell for row in rows[1:] for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    by_number = {row[5]: row[7] for row in rows[1:]}
    assert by_number["1"] == "'=1+2" and by_number["2"] == "'+SUM(A1)"
    assert by_number["3"] == "'-2+3 and @cmd" and by_number["4"] == "'@SUM(1)"
    assert rows[1][3].startswith("'=HYPERLINK(")
    assert csv_rows(HOSTILE)[0][7] == "'=1+2"


def _export_text(articles: list[Article], fmt: str, **options: object) -> str:
    out = io.StringIO(newline="")
    export_articles(articles, fmt, None, themes=THEMES, stream=out, **options)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_no_control_character_reaches_the_output(fmt: str) -> None:
    text = _export_text([HOSTILE], fmt, query="\x1b[31mred")
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in text, (fmt, bad)
    assert "pwned" not in text or fmt == "json"  # JSON keeps the stored text, escaped


def test_json_keeps_the_text_but_escapes_what_a_terminal_would_run() -> None:
    text = _export_text([HOSTILE], "json")
    assert json.loads(text) == [article_json(HOSTILE)]
    assert "\\u001b" in text and "\\u009b" in text and "\\u202e" in text


def test_markdown_gives_release_text_no_structure() -> None:
    text = render_markdown(HOSTILE, THEMES)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {t.type for t in tokens}
    assert sum(1 for t in tokens if t.type == "heading_open") == 1
    assert not kinds & {"hr", "blockquote_open", "bullet_list_open", "ordered_list_open", "table_open"}
    assert not kinds & {"html_block", "code_block", "fence"}
    inline = [child for t in tokens if t.children for child in t.children]
    link_kinds = {"link_open", "image", "html_inline", "code_inline", "strong_open"}
    assert not {c.type for c in inline} & link_kinds
    links = [c for c in inline if c.type == "link_open"]
    assert links == []
    # the one theme label is the real one, before paragraph 1
    assert [line for line in text.splitlines() if line.startswith("*[")] == ["*[Energy]*"]
    rendered = MarkdownIt("commonmark").render(text)
    assert "<script>" not in rendered and "\u202e" not in rendered and "&#x202E;" not in rendered
    assert "[bold red]x[/" in rendered  # markup-like text is kept, as text


def test_hostile_release_through_the_cli(run: Run, tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "hostile.md").write_text(
        '---\ntitle: "[bold red]x[/"\nsource: "[blink]Agency[/blink]"\ndate: 2024-01-02\n---\n\n'
        "Kazakhstan \x1b]0;pwned\x07exports \x1b[31mzirconium\x1b[0m to Korea [link=https://evil.example]x.\n\n"
        "=cmd|' /C calc'!A0\n",
        encoding="utf-8",
    )
    library = Library.open(tmp_path / "lib")
    library.import_paths([releases, SAMPLE_DATA / "2022-12-14-saryarka-uranium-trans-caspian-shipment.md"])
    library.close()
    for fmt in ("md", "json", "csv"):
        done = run("export", "zirconium", "--index", tmp_path / "lib", "-f", fmt)
        assert done.code == 0, done.err
        assert "\x1b" not in done.out and "\x07" not in done.out and "pwned" not in done.out
        assert "zirconium" in done.out
    rows = _rows(run("export", "zirconium", "--index", tmp_path / "lib", "-f", "csv").out)
    assert rows[0]["title"] == "[bold red]x[/" and rows[0]["source"] == "[blink]Agency[/blink]"
    assert rows[1]["text"].startswith("'=cmd")


# -------------------------------------------------------------- any input
ARGUMENTS = [
    "--format", "-f", "md", "json", "csv", "xml", "--force", "--limit", "0", "3", "--sort", "date",
    "--paragraphs-with", "energy", "Energy", "nosuch", "-o", "--output", "-", "out.csv", "out.json", ".",
    "dir/", "theme:energy", "uranium", "theme:(", "\x1b[2J", "[red]x[/red]", "--json", "",
]  # fmt: skip


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rest=st.lists(st.sampled_from(ARGUMENTS) | st.text(max_size=5), max_size=6))
def test_any_arguments_get_an_export_or_a_message(
    sample_library: SampleLibrary, tmp_path: Path, rest: list[str]
) -> None:
    """Like the fuzz test of the read-only commands, in a folder of its own (export may write)."""
    from contextlib import redirect_stderr, redirect_stdout

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(["export", *rest, "--index", str(sample_library.path)])
            except SystemExit as leaving:
                code = leaving.code if isinstance(leaving.code, int) else 2
    finally:
        os.chdir(here)
    assert code in (0, 1, 2), (rest, code, err.getvalue())
    for text in (out.getvalue(), err.getvalue()):
        assert "Traceback" not in text and "unexpected error" not in text, text
        assert "\x1b" not in text, repr(text)
    assert _leftovers(tmp_path) == []
