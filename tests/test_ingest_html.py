"""HTML import: trafilatura finds the article; menus, banners, share buttons,
related news and footers stay out; hostile pages are rejected with a reason,
and nothing is fetched."""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import pressreader.ingest
from conftest import finishes
from pressreader.ingest import RejectedInput
from pressreader.ingest import html as html_format
from pressreader.ingest.html import parse, sniff
from pressreader.ingest.normalise import Draft, normalise

HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"
REGISTERED = "html" in [getattr(module, "NAME", "") for module in pressreader.ingest.FORMATS]
needs_registration = pytest.mark.skipif(
    not REGISTERED, reason="the html format is not yet in pressreader.ingest.FORMATS"
)

MINISTRY_PARAGRAPHS = [
    "On 14 March 2024, Foreign Minister of the Republic of Veloria Anna Kessel held talks in Velor "
    "with the Minister of Foreign Affairs of the Kingdom of Norland, Lars Eriksen, who is in Veloria "
    "on an official visit.",
    "The ministers discussed the current state and prospects of bilateral cooperation in the political, "
    "trade, economic and cultural spheres. They noted the steady growth of trade between the two "
    "countries, which increased by 18 percent in 2023, and agreed to convene the intergovernmental "
    "commission on economic cooperation in Norvik in the autumn.",
    "Particular attention was paid to transport and logistics. The sides welcomed the launch of a regular "
    "container train service between the ports of Velor and Norvik and agreed to simplify border procedures "
    "for freight carriers.",
    "The ministers also exchanged views on regional security and on cooperation within international "
    "organisations, including the United Nations and the Organization for Security and Co-operation "
    "in Europe.",
    "Following the talks, the ministers signed a Memorandum of Understanding on consultations between "
    "the two foreign ministries for 2024–2026.",
]
#: Text of the ministry page that is not the release: menu, cookie banner,
#: breadcrumbs, share buttons, related news, footer, script.
MINISTRY_BOILERPLATE = [
    "cookies",
    "Accept all",
    "About the Ministry",
    "Foreign Policy Priorities",
    "Consular Services",
    "Search the site",
    "Home",
    "Press Centre",
    "Share",
    "Facebook",
    "Tweet",
    "Send by e-mail",
    "Print version",
    "Related news",
    "Consultations with Astoria",
    "Presents Credentials",
    "Humanitarian Aid",
    "12.03.2024",
    "Embassy Square",
    "Tel.",
    "Site map",
    "Accessibility",
    "©",
    "All rights reserved",
    "dataLayer",
    "Bilateral relations",
]
# Sentences long enough for trafilatura to take a synthetic page as an article.
LEAD = (
    "The Ministry of Foreign Affairs announced on Monday that the two governments had agreed on a new "
    "programme of cooperation in trade, transport and energy for the coming three years."
)
SECOND = (
    "Experts from both ministries will meet in the spring to prepare the documents, and the agreement is "
    "expected to be signed during the next session of the intergovernmental commission."
)


def _fixture(name: str) -> str:
    return (HTML_FIXTURES / name).read_text(encoding="utf-8")


def _one(text: str) -> Draft:
    drafts = parse(text)
    assert len(drafts) == 1
    return drafts[0]


def _page(body: str, head: str = "<title>Cooperation agreed</title>", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}</body></html>"
    )


def _all_text(draft: Draft) -> str:
    return "\n".join([draft.title, *draft.paragraphs])


# ------------------------------------------------------------- real-looking pages
def test_ministry_release_keeps_the_article_in_order() -> None:
    draft = _one(_fixture("ministry_press_release.html"))
    assert draft.paragraphs == MINISTRY_PARAGRAPHS


def test_ministry_release_drops_menu_banner_share_related_and_footer() -> None:
    draft = _one(_fixture("ministry_press_release.html"))
    text = _all_text(draft)
    leaked = [phrase for phrase in MINISTRY_BOILERPLATE if phrase in text]
    assert leaked == []


def test_ministry_release_metadata() -> None:
    draft = _one(_fixture("ministry_press_release.html"))
    # The <title>'s " | Ministry of ..." suffix is the site's name, not part of the title.
    assert draft.title == "Foreign Minister Holds Talks with the Foreign Minister of Norland"
    assert draft.date == "2024-03-14"  # from <span class="date">14.03.2024</span>, not the related news
    assert draft.source == "Ministry of Foreign Affairs of the Republic of Veloria"
    assert draft.url == "https://mfa.veloria.example/en/press/releases/2024/03/talks-with-norland"
    assert draft.lang == "en"


def test_company_news_og_metadata_and_time_element() -> None:
    draft = _one(_fixture("company_news.html"))
    assert draft.title == "Northwind Energy opens its first offshore wind service hub"
    assert draft.date == "2023-11-07"  # <time datetime="2023-11-07T09:00:00+00:00">
    assert draft.source == "Northwind Energy"  # og:site_name
    assert draft.url == "https://www.northwind-energy.example/news/2023/offshore-service-hub"
    assert draft.lang == "en"  # lang="en-GB": the primary subtag, as the index expects
    assert draft.paragraphs[0].startswith("Northwind Energy today opened its first dedicated offshore wind")
    assert "Investment in local skills" in draft.paragraphs  # a heading is a paragraph of its own
    assert (
        "• 140 permanent jobs at the hub\n• 30 apprenticeships a year\n• £45 million invested in the port"
        in draft.paragraphs
    )
    assert draft.paragraphs[-1].startswith("Northwind Energy develops, builds and operates")
    text = _all_text(draft)
    for phrase in (
        "Skip to content",
        "Our projects",
        "Press release",
        "Share this article",
        "LinkedIn",
        "Copy link",
        "newsletter",
        "Subscribe",
        "More news",
        "third-quarter results",
        "Marram Bank delivers",
        "Registered in England",
        "Privacy policy",
        "©",
    ):
        assert phrase not in text, phrase


def test_russian_ministry_page() -> None:
    draft = _one(_fixture("ru_ministry.html"))
    assert draft.lang == "ru"
    assert (
        draft.title == "О телефонном разговоре Министра иностранных дел с Министром иностранных дел Норландии"
    )
    assert draft.date == "2024-02-05"
    assert draft.source == "МИД Республики Велория"
    assert draft.url == "https://mfa.veloria.example/ru/press/news/2024/02/05/phone-call"
    # The page still declares windows-1251; the text was decoded already and stays intact.
    assert len(draft.paragraphs) == 3
    assert draft.paragraphs[0].startswith("5 февраля состоялся телефонный разговор Министра иностранных дел")
    assert draft.paragraphs[2].endswith("внешнеполитическими ведомствами двух стран.")
    text = _all_text(draft)
    for phrase in ("Пресс-центр", "Версия для слабовидящих", "Поделиться", "Другие новости", "брифинге", "©"):
        assert phrase not in text, phrase


# ------------------------------------------------------------------ paragraphs
def test_line_breaks_lists_and_headings() -> None:
    draft = _one(
        _page(
            "<article><h1>Cooperation agreed</h1>"
            f"<p>{LEAD}</p>"
            "<p>The minister said that the talks had been<br>constructive and useful for both sides.</p>"
            "<p>Press Office<br>Ministry of Foreign Affairs<br>Tel. +000 00 000</p>"
            "<h2>Next steps</h2>"
            "<ul><li>Expert meeting in April</li><li>Signing in <b>June</b></li></ul>"
            f"<p>{SECOND}</p></article>"
        )
    )
    assert draft.title == "Cooperation agreed"
    assert draft.paragraphs == [
        LEAD,
        "The minister said that the talks had been constructive and useful for both sides.",
        "Press Office",
        "Ministry of Foreign Affairs",
        "Tel. +000 00 000",
        "Next steps",
        "• Expert meeting in April\n• Signing in June",
        SECOND,
    ]


def test_source_formatting_newlines_are_spaces() -> None:
    draft = _one(_page(f"<article><p>{LEAD.replace(' ', chr(10) + '   ', 3)}</p><p>{SECOND}</p></article>"))
    assert draft.paragraphs == [LEAD, SECOND]


def test_xhtml_with_an_encoding_declaration() -> None:
    page = (
        '<?xml version="1.0" encoding="windows-1251"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ru"><head><title>Сообщение</title></head>'
        "<body><p>Министерство иностранных дел сообщает о подписании соглашения о сотрудничестве.</p>"
        "</body></html>"
    )
    draft = _one(page)
    assert draft.lang == "ru"
    assert draft.paragraphs == [
        "Министерство иностранных дел сообщает о подписании соглашения о сотрудничестве."
    ]


def test_windows_1252_references_are_what_a_browser_shows() -> None:
    draft = _one(_page(f"<article><p>{LEAD} Plan for 2024&#150;2026, &#147;agreed&#148;.</p></article>"))
    assert draft.paragraphs[0].endswith("Plan for 2024–2026, “agreed”.")


# ------------------------------------------------------------------- metadata
@pytest.mark.parametrize(
    ("head", "h1", "title", "source"),
    [
        (
            "<title>Cooperation agreed | Ministry of Trade</title>",
            "Cooperation agreed",
            "Cooperation agreed",
            "Ministry of Trade",
        ),
        (
            "<title>Ministry of Trade – Cooperation agreed</title>",
            "Cooperation agreed",
            "Cooperation agreed",
            "Ministry of Trade",
        ),
        # A hyphen without spaces is part of the title; no site name is guessed.
        ("<title>Kazakhstan-Korea Forum opens</title>", "", "Kazakhstan-Korea Forum opens", ""),
        # og:site_name is the source, and is cut from og:title.
        (
            '<meta property="og:site_name" content="Ministry of Trade">'
            '<meta property="og:title" content="Cooperation agreed - Ministry of Trade">',
            "",
            "Cooperation agreed",
            "Ministry of Trade",
        ),
        # No site name anywhere: the canonical URL's host name, without "www.".
        (
            '<title>Cooperation agreed</title><link rel="canonical" href="https://www.trade.example/news/1">',
            "",
            "Cooperation agreed",
            "trade.example",
        ),
    ],
)
def test_title_and_source(head: str, h1: str, title: str, source: str) -> None:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    draft = _one(_page(f"<article>{heading}<p>{LEAD}</p><p>{SECOND}</p></article>", head=head))
    assert (draft.title, draft.source) == (title, source)
    assert draft.paragraphs == [LEAD, SECOND]  # the heading is the title, not repeated as text


def test_a_leading_date_line_is_not_a_paragraph() -> None:
    draft = _one(_page(f"<article><h1>Cooperation agreed</h1><p>10.11.2021</p><p>{LEAD}</p></article>"))
    assert draft.paragraphs == [LEAD]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en-GB", LEAD, "en"),
        (
            "ru-RU",
            "Министерство иностранных дел сообщает о подписании соглашения о сотрудничестве. " * 3,
            "ru",
        ),
        # A template's lang="en" on a Russian page: the script of the text wins.
        ("en", "Министерство иностранных дел сообщает о подписании соглашения о сотрудничестве. " * 3, "ru"),
        (
            "de",
            "Das Ministerium hat heute ein neues Abkommen über die Zusammenarbeit unterzeichnet. " * 3,
            "de",
        ),
    ],
)
def test_language(lang: str, text: str, expected: str) -> None:
    assert _one(_page(f"<article><p>{text}</p></article>", lang=lang)).lang == expected


# ------------------------------------------------------------------- rejection
@pytest.mark.parametrize("name", ["empty_body.html", "nav_only.html"])
def test_page_without_article_text_is_rejected(name: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse(_fixture(name))
    assert caught.value.reason == "no article text found in the page"


@pytest.mark.parametrize("text", ["", "   \n  ", "<html></html>", "<!-- nothing -->"])
def test_empty_documents_are_rejected(text: str) -> None:
    with pytest.raises(RejectedInput, match="no article text"):
        parse(text)


def test_a_page_too_large_to_extract_is_rejected_at_once() -> None:
    page = _page(f"<p>{LEAD}</p>" * (html_format.MAX_CHARACTERS // len(LEAD)))
    with pytest.raises(RejectedInput, match=r"page too large for article extraction \(20 million characters"):
        finishes(lambda: parse(page))


def test_deeply_nested_page_is_rejected_with_the_reason_quickly() -> None:
    depth = 20_000
    page = f"<html><body>{'<div>' * depth}<p>{LEAD}</p><p>{SECOND}</p>{'</div>' * depth}</body></html>"
    with pytest.raises(RejectedInput, match="nested too deeply"):
        finishes(lambda: parse(page))


def test_article_before_a_deeply_nested_widget_is_kept() -> None:
    depth = 20_000
    page = _page(f"<article><h1>Talks</h1><p>{LEAD}</p><p>{SECOND}</p></article>{'<div>' * depth}x")
    assert finishes(lambda: _one(page)).paragraphs == [LEAD, SECOND]


def test_deeply_nested_inline_markup_does_not_crash() -> None:
    depth = 100_000
    page = _page(f"<p>{LEAD}</p><p>{'<span>' * depth}x{'</span>' * depth}</p>")
    try:
        draft = _one(page)
    except RejectedInput as error:
        assert error.reason
    else:
        assert LEAD in draft.paragraphs


@pytest.mark.parametrize(
    ("raised", "reason"),
    [
        (RecursionError("maximum recursion depth exceeded"), "the page is nested too deeply to be read"),
        (ValueError("lxml said no"), "the HTML could not be read (ValueError: lxml said no)"),
        (TypeError(), "the HTML could not be read (TypeError)"),
    ],
)
def test_whatever_trafilatura_raises_becomes_a_reason(
    monkeypatch: pytest.MonkeyPatch, raised: Exception, reason: str
) -> None:
    def bare_extraction(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(html_format, "_trafilatura", lambda: SimpleNamespace(bare_extraction=bare_extraction))
    with pytest.raises(RejectedInput) as caught:
        parse(_fixture("ministry_press_release.html"))
    assert caught.value.reason == reason


# ------------------------------------------------------------------ no network
@pytest.fixture
def listener() -> object:
    """A TCP port on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _address = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    page = _fixture("external_resources.html").replace("__PORT__", str(port))
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("parsing an HTML page tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    draft = _one(page)
    # A page that is only a URL: htmldate downloads a string like this; it is handed a tree.
    with contextlib.suppress(RejectedInput):
        parse(f"http://127.0.0.1:{port}/en/press/annual-consular-report")
    time.sleep(0.05)  # a connection libxml2 might have opened would be queued by now
    assert attempts == []
    assert _connections(listener) == 0
    assert draft.title == "Ministry Publishes Annual Report on Consular Assistance"
    assert draft.url == f"http://127.0.0.1:{port}/en/press/annual-consular-report"
    assert draft.paragraphs[0].startswith("The Ministry of Foreign Affairs published its annual report")
    assert "Injected by script" not in _all_text(draft)


# -------------------------------------------------------------------- safety
def test_markup_looking_text_stays_literal_and_escapes_go() -> None:
    draft = _one(_fixture("markup_and_escapes.html"))
    assert draft.title.startswith("[bold red]x[/")
    assert "[link=https://evil.example]markup[/link]" in draft.title
    assert "read [bold red]x[/ and nothing more" in draft.paragraphs[0]
    assert "<script>alert(1)</script>, and a literal [/] are plain text" in draft.paragraphs[2]
    article = normalise(draft)
    shown = [article.title, article.source, *(paragraph.text for paragraph in article.paragraphs)]
    assert not any(char in text for text in shown for char in "\x1b\x07\x9b")
    assert not any("pwned" in text or "[31m" in text for text in shown)  # the sequence goes whole
    assert article.source == "Press Office"
    assert "[bold red]x[/" in article.paragraphs[0].text


# ---------------------------------------------------------------- sniffing
@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("<!DOCTYPE html>\n<html><body><p>x</p></body></html>", ""),
        ("<!doctype HTML PUBLIC '-//W3C//DTD HTML 4.01//EN'><HTML>", ".txt"),
        ("\ufeff\n  <!-- saved from url=(0042)https://mfa.example/ -->\n<html lang='ru'>", ""),
        (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
            "",
        ),
        ('<div class="page">\n<header>x</header>\n<article><p>Text</p></article></div>', ""),
        ("<head><title>T</title></head>\n<body><p>Text</p></body>", ""),
        ("Anything at all: the name says it is a page.", ".htm"),
        ("", ".xhtml"),
    ],
)
def test_sniff_claims_pages(text: str, suffix: str) -> None:
    assert sniff(text, suffix)


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("# Web pages\n\nEvery page has an <html> element, a <head> and a <body>.\n", ".md"),
        ("---\ntitle: <html> in press releases\n---\nThe <body> and <article> tags.\n", ""),
        ("Press release\n\nThe ministry's new site uses <article> and <body> tags.\n", ".txt"),
        ("date 2024-11-24 Images | Kazakh MFA\n\n<html> is mentioned in the text.\n", ".txt"),
        ("<<< URGENT >>> The <body> of the statement follows.\n", ""),
        ("", ""),
    ],
)
def test_sniff_leaves_text_that_mentions_tags(text: str, suffix: str) -> None:
    assert not sniff(text, suffix)


# ---------------------------------------------------------------- quietness
def test_trafilatura_is_imported_only_when_a_page_is_parsed() -> None:
    code = (
        "import sys, pressreader.ingest, pressreader.ingest.html; "
        "print(sorted(name for name in ('trafilatura', 'htmldate', 'justext') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_nothing_reaches_the_terminal(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(RejectedInput):
        parse(_fixture("nav_only.html"))  # trafilatura logs "discarding data" at WARNING
    _one(_fixture("ru_ministry.html"))
    noisy = [record for record in caplog.records if record.name.split(".")[0] in ("trafilatura", "htmldate")]
    assert noisy == []
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


# ------------------------------------------------ through the ingest registry
@needs_registration
def test_load_text_picks_html_by_suffix_and_by_content() -> None:
    page = _fixture("ministry_press_release.html")
    for suffix in (".html", ".txt", ""):
        loaded = pressreader.ingest.load_text(page, suffix=suffix)
        assert loaded.format == "html"
        [article] = loaded.articles
        assert [paragraph.text for paragraph in article.paragraphs] == MINISTRY_PARAGRAPHS
        assert article.source == "Ministry of Foreign Affairs of the Republic of Veloria"
        assert article.date == "2024-03-14"


@needs_registration
def test_markdown_that_mentions_tags_is_not_html() -> None:
    loaded = pressreader.ingest.load_text("# Web pages\n\nThe <body> and <article> tags.\n", suffix=".md")
    assert loaded.format != "html"
    loaded = pressreader.ingest.load_text("Web pages\n\nThe <body> and <article> tags.\n", suffix=".txt")
    assert loaded.format != "html"


@needs_registration
def test_read_text_leaves_no_escape_in_the_article() -> None:
    [article] = pressreader.ingest.read_text(_fixture("markup_and_escapes.html"), suffix=".html")
    shown = [article.title, article.source, *(paragraph.text for paragraph in article.paragraphs)]
    assert not any("\x1b" in text or "\x07" in text for text in shown)
    assert "[bold red]x[/" in article.title
    assert "[bold red]x[/" in article.paragraphs[0].text


@needs_registration
def test_rejection_reason_reaches_load_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(_fixture("empty_body.html"), encoding="utf-8")
    with pytest.raises(RejectedInput, match="no article text found in the page"):
        pressreader.ingest.load_file(path)


@needs_registration
def test_a_cp1251_saved_page_reads_as_russian(tmp_path: Path) -> None:
    path = tmp_path / "news.htm"
    # As saved by a browser from a windows-1251 site (the Kazakh menu item has no cp1251 letters).
    path.write_bytes(_fixture("ru_ministry.html").replace("Қазақша", "Kazakh").encode("cp1251"))
    [article] = pressreader.ingest.read_file(path)
    assert article.lang == "ru"
    assert article.paragraphs[0].text.startswith("5 февраля состоялся телефонный разговор")


def test_a_combining_mark_after_a_tag_does_not_break_the_tag() -> None:
    # NFC before parsing would join U+0338 to the ">" of <p> ("≯") and lose the paragraph.
    page = _page(f"<p>\u0338{LEAD}</p><p>{SECOND}</p>")
    paragraphs = _one(page).paragraphs
    assert any(LEAD in paragraph for paragraph in paragraphs)
    assert SECOND in paragraphs
