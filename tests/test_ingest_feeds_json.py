"""Feeds (RSS, Atom) and JSON / JSON Lines: one article per record, unusable records reported by number.

The modules are tested directly; the tests through :func:`pressreader.ingest.load_text`
skip until the formats are registered in ``pressreader.ingest.FORMATS``.
"""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

import pressreader.ingest
from conftest import FIXTURES, finishes
from pressreader.ingest import feed, records
from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.feed import html_to_paragraphs, iso_date, language_code, web_url
from pressreader.ingest.normalise import Draft, normalise

FEEDS = FIXTURES / "feeds"
JSONS = FIXTURES / "json"


def _registered(name: str) -> bool:
    return name in [getattr(module, "NAME", "") for module in pressreader.ingest.FORMATS]


needs_feed = pytest.mark.skipif(not _registered("feed"), reason="feed format not in ingest.FORMATS yet")
needs_records = pytest.mark.skipif(
    not _registered("records"), reason="records format not in ingest.FORMATS yet"
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _drafts(parsed: list[Draft | RecordProblem]) -> list[Draft]:
    return [item for item in parsed if isinstance(item, Draft)]


def _problems(parsed: list[Draft | RecordProblem]) -> dict[int, str]:
    return {item.record: item.reason for item in parsed if isinstance(item, RecordProblem)}


def _all_text(draft: Draft) -> str:
    return "\n".join(
        [draft.title, draft.date, draft.source, draft.url, draft.lang, *draft.tags, *draft.paragraphs]
    )


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a connection or resolve a name is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError("a test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


# ======================================================================= feeds
# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>',
        '<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        '<?xml version="1.0"?><!-- a comment --><?xml-stylesheet href="s.xsl"?>\n'
        '<!DOCTYPE rdf:RDF [<!ENTITY x "y">]>\n<rdf:RDF xmlns:rdf="r"></rdf:RDF>',
        "\n\n  <rss>",
        "<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'/>",
    ],
)
def test_feed_sniffs_feeds_by_content(text: str) -> None:
    assert feed.sniff(text, "")


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><rss></rss></body></html>",
        "# A Markdown release\n\nWith <rss> in the text.",
        "---\ntitle: x\n---\n<feed>",
        "Plain text that mentions <feed> later.",
        '{"title": "<rss>"}',
        "<?xml version='1.0'?><sitemap/>",
        "<!-- never closed <rss>",
        "",
    ],
)
def test_feed_does_not_claim_other_documents(text: str) -> None:
    assert not feed.sniff(text, ".md")
    assert not feed.sniff(text, "")


@pytest.mark.parametrize("suffix", [".rss", ".atom", ".xml", ".rdf"])
def test_feed_sniffs_its_suffixes(suffix: str) -> None:
    assert feed.sniff("anything", suffix)


# ------------------------------------------------------------------- RSS


@pytest.fixture(scope="module")
def ministry_rss() -> list[Draft | RecordProblem]:
    return feed.parse(_read(FEEDS / "ministry.rss"))


def test_rss_one_draft_per_entry_numbered(ministry_rss: list[Draft | RecordProblem]) -> None:
    assert [draft.record for draft in _drafts(ministry_rss)] == [1, 2, 3, 5]
    assert _problems(ministry_rss) == {4: "no text (the entry has neither content nor a summary)"}


def test_rss_full_content_wins_over_the_description(ministry_rss: list[Draft | RecordProblem]) -> None:
    corridor = _drafts(ministry_rss)[0]
    assert corridor.title == "New rail freight corridor to the Caspian ports opens"
    assert corridor.paragraphs == [
        "The Minister of Transport and Communications opened the new rail freight corridor "
        "to the Caspian ports on Monday.",
        "The corridor cuts transit time for containers by a third & doubles capacity to "
        "2 million tonnes a year.",
        "• Aktau port: two new berths\n• Kuryk port: a ferry terminal",
        "Work on the second stage starts in 2025.",
    ]
    assert "Read more" not in _all_text(corridor)
    assert "trackPageView" not in _all_text(corridor) and "display" not in _all_text(corridor)
    assert corridor.url == "https://mtc.example.gov/en/press/2024/06/rail-corridor"
    assert corridor.source == "Ministry of Transport and Communications — Press Service"
    assert corridor.lang == "en"
    assert corridor.tags == ["Transport", "Logistics"]


def test_rss_date_is_the_publishers_day_not_utc(ministry_rss: list[Draft | RecordProblem]) -> None:
    # "Mon, 10 Jun 2024 01:30:00 +0500" is 9 June in UTC; the release is dated the 10th.
    assert _drafts(ministry_rss)[0].date == "2024-06-10"
    assert [draft.date for draft in _drafts(ministry_rss)] == [
        "2024-06-10",
        "2024-06-07",
        "2024-06-05",  # dc:date
        "2024-06-04",
    ]


def test_rss_description_when_there_is_no_content(ministry_rss: list[Draft | RecordProblem]) -> None:
    meeting, timetable = _drafts(ministry_rss)[1:3]
    assert meeting.paragraphs == [
        "The parties discussed digital consignment notes.",
        "An agreement is expected by the end of the year.",
    ]
    assert timetable.paragraphs == [
        "Summer timetables take effect on 15 June.",
        "Passengers are advised to check their routes.",
    ]


def test_rss_guid_is_the_url_only_when_it_is_one(ministry_rss: list[Draft | RecordProblem]) -> None:
    meeting, timetable, briefing = _drafts(ministry_rss)[1:4]
    assert meeting.url == "https://mtc.example.gov/en/press/2024/06/iru-meeting"  # guid, no <link>
    assert timetable.url == ""  # guid "press-2024-117"
    assert briefing.url == "https://mtc.example.gov/en/press/2024/06/road-safety"  # relative link, resolved


def test_rss_original_link_wins_over_a_click_tracker() -> None:
    text = (
        '<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>'
        "<title>Press</title><item><title>T</title><description>Text.</description>"
        "<link>https://feeds.example.net/~r/press/~3/abc/</link>"
        "<feedburner:origLink>https://gov.example/press/42</feedburner:origLink></item></channel></rss>"
    )
    (draft,) = feed.parse(text)
    assert isinstance(draft, Draft)
    assert draft.url == "https://gov.example/press/42"


def test_rss_declared_encoding_does_not_garble_decoded_text() -> None:
    text = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Минздрав</title>'
        "<item><title>Приём граждан</title><description>Министр проведёт приём.</description></item>"
        "</channel></rss>"
    )
    (draft,) = feed.parse(text)
    assert isinstance(draft, Draft)
    assert (draft.title, draft.source, draft.paragraphs) == (
        "Приём граждан",
        "Минздрав",
        ["Министр проведёт приём."],
    )


# ------------------------------------------------------------------ Atom


def test_atom_entries() -> None:
    solar, ministers, tariffs = feed.parse(_read(FEEDS / "ministry.atom"))
    assert isinstance(solar, Draft) and isinstance(ministers, Draft) and isinstance(tariffs, Draft)
    assert solar.title == "Запущена новая солнечная электростанция"  # type="html" title: markup gone
    assert solar.paragraphs == [
        "В Туркестанской области запущена солнечная электростанция мощностью 50 МВт.",
        "Станция обеспечит электроэнергией 30 тысяч домохозяйств.",
    ]
    assert (solar.date, solar.lang, solar.tags) == ("2024-03-01", "ru", ["Энергетика", "ВИЭ"])
    assert solar.url == "https://energo.example.gov/ru/news/solar-plant"
    assert solar.source == "Министерство энергетики — новости"

    assert ministers.paragraphs == [
        "The ministers agreed on a common grid code.",
        "The next meeting is in Tashkent.",
    ]
    assert (ministers.source, ministers.lang, ministers.date) == (
        "Regional Energy Council",
        "en",
        "2024-02-27",
    )

    assert tariffs.paragraphs == ["Тарифы для населения сохранятся до конца года."]
    assert (tariffs.url, tariffs.record) == ("", 3)  # an urn:uuid id is not a URL


# --------------------------------------------------------------- hostile


@pytest.mark.parametrize("name", ["xxe.rss", "external_dtd.rss", "parameter_entity.rss"])
def test_external_entities_are_never_resolved_nor_fetched(name: str, no_network: list[object]) -> None:
    passwd = Path("/etc/passwd")
    secrets = [line for line in passwd.read_text().splitlines()[:3] if line] if passwd.exists() else []
    try:
        parsed = feed.parse(_read(FEEDS / name))
    except RejectedInput:
        parsed = []
    for draft in _drafts(parsed):
        text = _all_text(draft)
        assert "root:" not in text
        assert not any(secret in text for secret in secrets)
    assert no_network == []


@pytest.mark.parametrize(
    "prolog",
    [
        '<!doctype rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',  # lower case: not XML, loose parser
        '<!DOCTYPE rss PUBLIC "-//x//EN" "http://127.0.0.1:9/x.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_doctype_variants_are_not_resolved_either(prolog: str, no_network: list[object]) -> None:
    text = (
        f'<?xml version="1.0"?>\n{prolog}\n<rss version="2.0"><channel><title>t</title>'
        "<item><title>A &xxe;</title><description>B &xxe;</description></item></channel></rss>"
    )
    for draft in _drafts(feed.parse(text)):
        assert "root:" not in _all_text(draft)
    assert no_network == []


def test_xxe_entry_still_imports_without_the_entity(no_network: list[object]) -> None:
    (draft,) = feed.parse(_read(FEEDS / "xxe.rss"))
    assert isinstance(draft, Draft)
    assert draft.url == "https://hostile.example/1"
    assert draft.paragraphs[0].startswith("Before the entity.")


def test_billion_laughs_is_not_expanded(no_network: list[object]) -> None:
    text = _read(FEEDS / "billion_laughs.rss")

    def parse() -> list[object]:
        try:
            return feed.parse(text)
        except RejectedInput:
            return []

    parsed = finishes(parse)
    for draft in _drafts(parsed):
        assert len(_all_text(draft)) < 1000
        assert "lollollol" not in _all_text(draft)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<?xml version='1.0'?><urlset><url><loc>https://x</loc></url></urlset>", "not an RSS or Atom feed"),
        ('<rss version="2.0"><channel><title>Empty</title></channel></rss>', "the feed has no entries"),
        ("\x00\x01binary junk \xff\xfe named .xml", "not an RSS or Atom feed"),
        ("", "not an RSS or Atom feed"),
    ],
)
def test_not_a_feed_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        feed.parse(text)
    assert caught.value.reason.startswith(reason)


def test_malformed_feed_still_yields_its_entries() -> None:
    text = (
        '<rss version="2.0"><channel><title>Broken & unescaped</title>'
        "<item><title>First</title><description>One <b>bold</description></item>"
        "<item><title>Second</title><description>Two</description>"
    )
    drafts = _drafts(feed.parse(text))
    assert [draft.title for draft in drafts] == ["First", "Second"]


# -------------------------------------------------------------- HTML text


@pytest.fixture(params=["lxml", "stdlib"])
def html_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with lxml's parser and with Python's own (the fallback)."""
    if request.param == "lxml" and not feed._have_lxml():
        pytest.skip("lxml is not installed")
    use_lxml = request.param == "lxml"
    monkeypatch.setattr(feed, "_have_lxml", lambda: use_lxml)
    return str(request.param)


@pytest.mark.parametrize(
    ("fragment", "paragraphs"),
    [
        (
            "<p>Hello <b>world</b> &amp; friends&#33;</p><div>Second</div>",
            ["Hello world & friends!", "Second"],
        ),
        ("First line<br>same paragraph<br><br>new paragraph", ["First line same paragraph", "new paragraph"]),
        (
            "<h2>Heading</h2>Text <script>alert('x')</script><style>p {}</style>after",
            ["Heading", "Text after"],
        ),
        (
            "<ul><li>one</li><li><p>two</p></li></ul><ol><li>a</li><li>b</li></ol>",
            ["• one\n• two", "1. a\n2. b"],
        ),
        (
            "<table><tr><td>Q1</td><td>12%</td></tr><tr><td>Q2</td><td>9%</td></tr></table>",
            ["Q1 12%", "Q2 9%"],
        ),
        ("<p>unclosed <i>inline <p>next</td></table>", ["unclosed inline", "next"]),
        ("<!-- comment --><p>kept</p><noscript>enable JS</noscript>", ["kept"]),
        ("a < b and c > d", ["a < b and c > d"]),
        ("<![if !supportLists]>·<![endif]>Word list item", ["·Word list item"]),
        ("   ", []),
        ("", []),
    ],
)
def test_html_to_paragraphs(html_parser: str, fragment: str, paragraphs: list[str]) -> None:
    assert html_to_paragraphs(fragment) == paragraphs


def test_html_deep_nesting_loses_nothing(html_parser: str) -> None:
    # libxml2 gives up past 2048 levels and drops the whole text: the fallback reads it.
    fragment = "<div>" * 5000 + "deep text" + "</div>" * 5000 + "<p>after</p>"
    assert html_to_paragraphs(fragment) == ["deep text", "after"]


def test_html_huge_fragment_is_read_whole(html_parser: str) -> None:
    fragment = "<p>A paragraph of a very long release, with <b>some</b> markup.</p>\n" * 20_000
    paragraphs = finishes(lambda: html_to_paragraphs(fragment))
    assert len(paragraphs) == 20_000
    assert paragraphs[0] == "A paragraph of a very long release, with some markup."


def test_html_unclosed_tag_soup_is_linear(html_parser: str) -> None:
    # Python's parser alone is quadratic on this (minutes for 100 KB).
    paragraphs = finishes(lambda: html_to_paragraphs('<a b="' * 20_000 + "end"))
    assert paragraphs == [] or paragraphs[-1].endswith("end")


# -------------------------------------------------------------- field helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-14", "2024-05-14"),
        ("2024-05-14T22:10:00+05:00", "2024-05-14"),
        ("2024-05-14T22:10:00Z", "2024-05-14"),
        ("2024-05-14 22:10", "2024-05-14"),
        ("Tue, 20 Feb 2024 23:30:00 +0600", "2024-02-20"),
        ("20 Feb 2024 10:00:00 GMT", "2024-02-20"),
        (1709251200, "2024-03-01"),
        (1709251200.5, "2024-03-01"),
        ("1709251200", "2024-03-01"),
        (1709251200000, "2024-03-01"),  # milliseconds
        (20240301, "2024-03-01"),
        ("03.11.2023", "2023-11-03"),  # day first with dots
        ("March 1, 2024", "2024-03-01"),
        ("Posted on 2024-03-01 by the press office", "2024-03-01"),
        ("Tuesday", ""),
        ("12:30", ""),
        ("2024-13-45", ""),
        ("", ""),
        (None, ""),
        (True, ""),
        (10**30, ""),
    ],
)
def test_iso_date(value: object, expected: str) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "code"), [("en-US", "en"), ("ru_RU", "ru"), ("KK", "kk"), ("English", ""), (None, "")]
)
def test_language_code(value: object, code: str) -> None:
    assert language_code(value) == code


@pytest.mark.parametrize(
    ("value", "base", "url"),
    [
        ("https://gov.example/a", "", "https://gov.example/a"),
        ("/press/1", "https://gov.example/en/", "https://gov.example/press/1"),
        ("/press/1", "", ""),
        ("javascript:alert(1)", "https://gov.example/", ""),
        ("urn:uuid:1234", "", ""),
        ("http://[broken", "", ""),
    ],
)
def test_web_url(value: str, base: str, url: str) -> None:
    assert web_url(value, base) == url


# ======================================================================= JSON


@pytest.mark.parametrize(
    ("text", "suffix", "claimed"),
    [
        ("anything", ".json", True),
        ("anything", ".jsonl", True),
        ("anything", ".ndjson", True),
        ('[{"title": "x"}]', "", True),
        ('  {"title": "x"}\n{"title": "y"}\n', "", True),
        ("[\n  {\n", "", False),  # cut off: does not close like JSON
        ("[Embargoed until 10:00] The minister said...", "", False),
        ("[bold] is not JSON]", "", False),
        ("{{template}} text }", "", False),
        ("# Title\n\n[link](https://x)", ".md", False),
        ("Plain text.", ".txt", False),
    ],
)
def test_records_sniff(text: str, suffix: str, claimed: bool) -> None:
    assert records.sniff(text, suffix) is claimed


def test_json_array_with_mixed_field_names() -> None:
    korea, japan, dubai, aid = feed_drafts = _drafts(records.parse(_read(JSONS / "releases.json")))
    assert [draft.record for draft in feed_drafts] == [1, 2, 3, 4]

    assert korea.title == "Foreign Minister holds talks with his Korean counterpart"
    assert len(korea.paragraphs) == 3  # split on blank lines
    assert (korea.date, korea.url, korea.source, korea.lang) == (
        "2024-05-14",
        "https://mfa.example.gov/en/press/korea-talks",
        "Ministry of Foreign Affairs",
        "en",
    )
    assert korea.tags == ["diplomacy", "Korea", "trade"]

    assert japan.title == "Grant for digital education in rural schools"  # "Title": case ignored
    assert japan.paragraphs == [  # HTML body: markup and script gone
        "The Government of Japan provides a grant of $1.2 million for digital education.",
        "Two hundred rural schools will receive computer classes by 2025.",
    ]
    assert (japan.date, japan.source, japan.tags) == (
        "2024-02-20",
        "MFA Press Service",
        ["education", "Japan", "grants"],
    )

    assert dubai.paragraphs == [  # a list of strings: one paragraph each
        "The consular office in Dubai opens on 1 March.",
        "It will serve citizens of the United Arab Emirates region.",
    ]
    assert (dubai.title, dubai.date, dubai.url) == (
        "Consular office opens in Dubai",
        "2024-03-01",  # epoch seconds
        "https://mfa.example.gov/en/press/dubai-consulate",
    )
    assert (dubai.source, dubai.tags) == ("mfa.example.gov", ["consular"])

    assert aid.paragraphs == [  # no blank line: split on single newlines
        "Twenty tonnes of humanitarian aid were delivered on Friday.",
        "The cargo includes medicine and food.",
    ]
    assert (aid.date, aid.source, aid.lang) == ("2023-11-03", "Kazinform", "ru")


def test_json_object_wrapper() -> None:
    solar, tariffs = _drafts(records.parse(_read(JSONS / "wrapper.json")))
    assert (solar.record, solar.title, solar.date, solar.url) == (
        1,
        "Solar plant opens in the south",
        "2024-03-01",
        "https://energo.example.gov/en/news/solar",
    )
    assert solar.source == "Ministry of Energy"  # from the wrapper
    assert len(solar.paragraphs) == 2
    assert (tariffs.record, tariffs.source, tariffs.date) == (2, "Energy Press Office", "2024-02-20")


def test_json_nested_wrapper_and_json_feed() -> None:
    nested = '{"status": "ok", "data": {"results": [{"title": "A", "text": "Body A."}, {"title": "B"}]}}'
    parsed = records.parse(nested)
    assert [draft.title for draft in _drafts(parsed)] == ["A"]
    assert _problems(parsed) == {2: records.NO_TEXT}

    json_feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Ministry of Health", "items": ['
        '{"id": "1", "url": "https://moh.example.gov/1", "title": "Vaccination week",'
        ' "content_html": "<p>The week starts on Monday.</p>", "date_published": "2024-04-22T08:00:00+05:00",'
        ' "tags": ["health"]}]}'
    )
    (draft,) = _drafts(records.parse(json_feed))
    assert (draft.title, draft.source, draft.date, draft.url, draft.tags) == (
        "Vaccination week",
        "Ministry of Health",
        "2024-04-22",
        "https://moh.example.gov/1",
        ["health"],
    )
    assert draft.paragraphs == ["The week starts on Monday."]


def test_json_lines_good_lines_import_and_bad_lines_are_numbered() -> None:
    parsed = records.parse(_read(JSONS / "broken.jsonl"))
    drafts = _drafts(parsed)
    assert [draft.record for draft in drafts] == [1, 2, 5, 8, 10]  # physical line numbers
    assert [draft.title for draft in drafts] == [
        "Rail corridor opens",
        "Minister meets IRU delegation",
        "Timetable changes",
        "Road safety briefing",
        "Port of Aktau expands",
    ]
    assert drafts[3].date == "2024-06-04"  # "time": epoch seconds
    problems = _problems(parsed)
    assert sorted(problems) == [4, 6, 7]
    assert problems[4].startswith("not valid JSON (") and "column" in problems[4]
    assert problems[6] == "not an object"
    assert problems[7] == "no text (expected a text, body or content field)"


def test_json_single_object() -> None:
    (draft,) = records.parse('{"headline": "One release", "body": "Its only paragraph."}')
    assert isinstance(draft, Draft)
    assert (draft.title, draft.paragraphs, draft.record) == ("One release", ["Its only paragraph."], 0)
    with pytest.raises(RejectedInput, match=r"^no text \(expected a text, body or content field\)$"):
        records.parse('{"title": "Only a title"}')


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{this is not json}\n{and neither is this}\n", "not valid JSON ("),
        ("[1, 2,", "not valid JSON ("),
        ("[]", "no records (an empty list)"),
        ('{"items": []}', "no records (the items list is empty)"),
        ("42", "JSON holds a number, not records"),
        ('"a string"', "JSON holds a string, not records"),
        ("[" * 100_000 + "]" * 100_000, "not usable JSON (nested too deeply)"),
        ("1" * 5000, "not valid JSON ("),  # an integer past Python's 4300-digit limit
    ],
)
def test_not_json_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        records.parse(text)
    assert caught.value.reason.startswith(reason)


def test_json_lines_deeply_nested_line_is_a_record_problem() -> None:
    text = '{"title": "ok", "text": "fine"}\n' + "[" * 100_000 + "]" * 100_000 + "\n"
    parsed = records.parse(text)
    assert [draft.record for draft in _drafts(parsed)] == [1]
    assert _problems(parsed) == {2: "not usable JSON (nested too deeply)"}


def test_json_field_shapes() -> None:
    text = (
        '[{"title": {"rendered": "Caf&eacute; &amp; <em>press</em>"},'
        ' "content": {"rendered": "<p>WordPress body</p>"},'
        ' "date": "2024-01-05T10:00:00", "link": "javascript:alert(1)", "source": ["not", "a", "string"],'
        ' "tags": "a; b, a", "language": "English"},'
        ' {"title": 2024, "text": "\\ud800 lone surrogate \\udfff", "date": {"$date": "2024-02-01"}}]'
    )
    wordpress, odd = _drafts(records.parse(text))
    assert (wordpress.title, wordpress.paragraphs) == ("Café & press", ["WordPress body"])
    assert (wordpress.date, wordpress.url, wordpress.source, wordpress.lang) == ("2024-01-05", "", "", "")
    assert wordpress.tags == ["a", "b"]
    assert odd.title == "2024"
    assert odd.date == "2024-02-01"
    article = normalise(odd)
    "\n".join(p.text for p in article.paragraphs).encode("utf-8")  # no lone surrogate left
    assert article.paragraphs[0].text == "\ufffd lone surrogate \ufffd"


def _assert_terminal_safe(texts: list[str]) -> None:
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, repr(text)


def test_json_markup_and_escape_sequences_are_inert_after_normalise() -> None:
    (draft,) = records.parse(_read(JSONS / "hostile.json"))
    assert isinstance(draft, Draft)
    article = normalise(draft)
    _assert_terminal_safe(
        [article.title, article.source, article.url, *article.tags, *(p.text for p in article.paragraphs)]
    )
    assert article.title == "[bold red]x[/ title"
    assert article.paragraphs[0].text.startswith("Before after. [link=https://evil.example]click[/link] red")
    assert "[/] alone." in article.paragraphs[0].text


# ============================================================ through the core


@needs_records
def test_load_text_json_markup_is_literal_and_escapes_are_gone() -> None:
    loaded = pressreader.ingest.load_text(_read(JSONS / "hostile.json"), suffix=".json")
    (article,) = loaded.articles
    _assert_terminal_safe(
        [article.title, article.source, article.url, *article.tags, *(p.text for p in article.paragraphs)]
    )
    assert article.title == "[bold red]x[/ title"
    assert "[link=https://evil.example]click[/link]" in article.paragraphs[0].text


@needs_records
def test_load_text_json_lines_reports_bad_lines() -> None:
    loaded = pressreader.ingest.load_text(_read(JSONS / "broken.jsonl"), suffix=".jsonl", path="broken.jsonl")
    assert loaded.format == "records"
    assert len(loaded.articles) == 5
    assert [problem.record for problem in loaded.problems] == [4, 6, 7]


@needs_records
@pytest.mark.parametrize("name", ["releases.json", "wrapper.json", "broken.jsonl"])
def test_load_text_finds_json_by_content(name: str) -> None:
    assert pressreader.ingest.load_text(_read(JSONS / name), suffix="").format == "records"


@needs_feed
def test_load_text_feed() -> None:
    loaded = pressreader.ingest.load_text(_read(FEEDS / "ministry.rss"), suffix=".rss")
    assert loaded.format == "feed"
    assert [article.date for article in loaded.articles] == [
        "2024-06-10",
        "2024-06-07",
        "2024-06-05",
        "2024-06-04",
    ]
    assert [problem.record for problem in loaded.problems] == [4]


@needs_feed
@pytest.mark.parametrize("name", ["ministry.rss", "ministry.atom"])
def test_load_text_finds_feeds_by_content(name: str) -> None:
    assert pressreader.ingest.load_text(_read(FEEDS / name), suffix="").format == "feed"


@needs_feed
def test_load_text_hostile_feeds(no_network: list[object]) -> None:
    for name in ("xxe.rss", "external_dtd.rss", "parameter_entity.rss", "billion_laughs.rss"):
        try:
            loaded = pressreader.ingest.load_text(_read(FEEDS / name), suffix=".rss")
        except RejectedInput:
            continue
        for article in loaded.articles:
            assert "root:" not in " ".join(p.text for p in article.paragraphs) + article.title
    assert no_network == []
