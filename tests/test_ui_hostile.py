"""A hostile corpus through the real app and the real command line (issue 5).

Every hostile string below goes into the title, the source, the URL and the
body of one release in each of nine input encodings (Markdown with raw and with
escaped YAML front matter, plain text, the seed format, HTML with raw text and
with character references, an RSS feed, JSON with ``\\u`` escapes and JSON Lines
with the characters as they are), as far as the format has such a field; one
more release holds them all at once.  The library they make is then read with
Pilot at 80x24 and 160x48 (and 200x50, where list rows are one line), and with
``pressreader search`` / ``show`` / ``import``:

- no escape sequence, C0/C1 control, bidi override, isolate or mark, and none of
  the invisible characters ingest removes, reaches any cell of the screen or the
  CLI's text output (JSON may carry characters only ``\\u``-escaped);
- markup-looking brackets are shown as typed, never read as Rich or Textual markup;
- every screen line is exactly as wide as the terminal, list rows keep their
  height, the panes keep the sizes they have over a benign library, the
  10,000-character word folds inside the article pane and the 2,000-character
  title is cut in its row.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from conftest import PYTHON, subprocess_env
from pressreader.ingest import read_text
from pressreader.library import Library
from pressreader.model import Article, ImportReport
from pressreader.printable import printable
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.rendering import BAR
from pressreader.ui.widgets.result_list import ResultList
from test_ui import URANIUM_RELEASE, WATER_RELEASE, detail, reader, results, search, started, until

SIZES = [(80, 24), (160, 48)]

#: 10,000 characters without a space (letters, so that it is also a searchable word).
LONG_WORD = "abcdefghij" * 1000
#: 2,000 characters of title: ingest keeps the first 300, the list row must cut it again.
LONG_TITLE = " ".join(["Ministerial communiqué on grain corridors"] * 48)[:2000]

#: The hostile strings, by a plain word that names them (a word that search can find).
HOSTILE: dict[str, str] = {
    "csiclear": "\x1b[2J\x1b[3J\x1b[H",
    "csicolour": "\x1b[31mred\x1b[0m \x1b[38;2;255;0;0mtrue\x1b[m",
    "csiprivate": "\x1b[?1049h\x1b[?25l\x1b[?1000h",
    "osctitle": "\x1b]0;pwned\x07",
    "osctitlest": "\x1b]2;pwned\x1b\\",
    "oschyperlink": "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
    "oscclipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "dcs": "\x1bP1$qm\x1b\\ \x1b_apc\x1b\\",
    "bareescape": "\x1bc \x1b7 \x1b(0 lone\x1b",
    "conecontrols": "\x9b31m \x9d0;pwned\x9c \x85 \x84 \x8d \x90q\x9c \x9f",
    "czerocontrols": "bell\x07 back\x08 vt\x0b ff\x0c nul\x00 del\x7f cr\rEVIL",
    "bidioverride": "\u202eevil\u202c \u202dlro\u202c \u202arle\u202c \u202brle\u202c",
    "bidiisolate": "\u2066lri\u2069 \u2067rli\u2069 \u2068fsi\u2069",
    "bidimark": "\u200elrm \u200frlm \u061calm",
    "markupbold": "[bold]loud[/bold]",
    "markuplink": "[link=https://x]click[/link]",
    "markupclose": "[/ and [/] and [bold red]x[/",
    "markupaction": "[@click=app.quit]quit[/]",
    "markupvariable": "[$accent]v[/] [on red]bg[/] :warning: [i]",
    "longword": LONG_WORD,
    "zerowidth": "zero\u200bwidth\u200djoin\ufeffbom\u2060wj\u00adshy",
    "emoji": "👍 👨‍👩‍👧‍👦 🇰🇿🇺🇳 👋🏽 1️⃣ ❤️ 🏳️‍🌈",
    "combining": "e\u0301 Z̴̡̢͇a̷l̵g̶o a" + "\u0301" * 40 + " ok",
    "widechars": "日本語のプレスリリース 한국어 ｆｕｌｌ ＷＩＤＴＨ",
    "separators": "line\u2028sep\u2029para\ttab",
    "longtitle": LONG_TITLE,
}
#: A file name with escape sequences, bidi controls and markup in it.
NAME = "release \x1b]0;pwned\x07\x1b[2J \u202etxt.exe\u202c \u2066iso\u2069 \u061calm \x9b31m [bold]x[i]"
#: What must be seen, as typed, wherever a markup-looking item is shown.
LITERAL = {
    "markupbold": "[bold]loud[/bold]",
    "markuplink": "[link=https://x]click[/link]",
    "markupclose": "[bold red]x[/",
    "markupaction": "[@click=app.quit]quit[/]",
    "markupvariable": "[$accent]v[/]",
}
FIELDS = ("title", "source", "url", "body")
#: Where each encoding puts a release's hostile string (plain text has no source or URL,
#: the seed format no title or URL); the body holds it twice, in a sentence and alone.
ENCODINGS: dict[str, tuple[str, ...]] = {
    "md": FIELDS,  # Markdown, YAML front matter in single quotes, the characters as they are
    "mdesc": FIELDS,  # the same with "\u001b" escapes in YAML, character references in the body
    "txt": ("title", "body"),
    "seed": ("source", "body"),
    "html": FIELDS,  # <title>, og:site_name, canonical link, <p>
    "htmlref": FIELDS,  # the same with &#x1b; references
    "rss": FIELDS,  # one feed, &#x..; references
    "json": FIELDS,  # one file, \u escapes
    "jsonl": FIELDS,  # one file, the characters as they are (but C0 controls: JSON escapes them)
}
#: One release for each hostile string in each encoding, and one that holds them all.
RELEASES = len(HOSTILE) * len(ENCODINGS) + 1
#: Hostile inputs tried: each string in each field of each encoding, the release of
#: everything (all strings but the two long ones, in its four fields), and a file name.
HOSTILE_INPUTS = (
    len(HOSTILE) * sum(len(fields) for fields in ENCODINGS.values()) + (len(HOSTILE) - 2) * len(FIELDS) + 1
)

#: What must never reach a screen cell or the CLI's text: C0 (tab and newline
#: included: a cell holds neither) and C1 controls, DEL, bidi embeddings,
#: overrides, isolates and marks, and the invisible characters ingest removes.
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
#: In text output a line break is allowed, nothing else of the above.
FORBIDDEN_OUTPUT = re.compile(FORBIDDEN.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f"))
LEAD = (
    "The Ministry of Foreign Affairs announced on Monday that the two governments had agreed on a new "
    "programme of cooperation in trade, transport and energy for the coming three years."
)


# -- the corpus --------------------------------------------------------------


def _references(text: str) -> str:
    """``text`` for HTML or XML with everything beyond printable ASCII as a character reference."""
    escaped = html_lib.escape(text, quote=True)
    return "".join(ch if " " <= ch <= "~" else f"&#x{ord(ch):x};" for ch in escaped)


def _yaml_escaped(text: str) -> str:
    """A YAML double-quoted scalar with every control and format character as a ``\\u`` escape."""
    return re.sub(
        "[\x80-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]",
        lambda m: f"\\u{ord(m.group()):04x}",
        json.dumps(text, ensure_ascii=False),
    )


def _yaml_single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Release:
    title: str
    source: str
    url: str
    paragraphs: list[str]


def _release(key: str, payload: str, encoding: str) -> Release:
    return Release(
        title=f"{key} {payload} wheat",
        source=f"Agency {key} {payload}",
        url=f"https://{encoding}.example/{key}/{payload}",
        paragraphs=[
            f"The {key} ministry reported ({encoding}) {payload} a record harvest of wheat and barley.",
            payload,
            f"{LEAD} Closing words on {key} in {encoding}.",
        ],
    )


def _markdown(release: Release, *, escaped: bool) -> str:
    quote = _yaml_escaped if escaped else _yaml_single
    body = [_references(p) if escaped else p for p in release.paragraphs]
    return (
        f"---\ntitle: {quote(release.title)}\ndate: 2024-03-05\nsource: {quote(release.source)}\n"
        f"url: {quote(release.url)}\nlang: en\n---\n\n" + "\n\n".join(body) + "\n"
    )


def _html(release: Release, *, references: bool) -> str:
    encode = _references if references else html_lib.escape
    title, source, url = encode(release.title), encode(release.source), encode(release.url)
    body = "".join(f"<p>{encode(p)}</p>\n" for p in release.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta property="og:site_name" content="{source}">\n'
        f'<link rel="canonical" href="{url}">\n'
        f"</head><body><article><h1>{title}</h1>\n{body}<p>{LEAD}</p>\n</article></body></html>\n"
    )


def _rss(releases: list[Release]) -> str:
    items = [
        "<item>"
        f"<title>{_references(release.title)}</title>"
        f"<link>{_references(release.url)}</link>"
        f'<source url="https://rss.example/">{_references(release.source)}</source>'
        f"<description>{_references(''.join(f'<p>{html_lib.escape(p)}</p>' for p in release.paragraphs))}"
        "</description><pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate></item>"
        for release in releases
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Hostile feed</title><link>https://rss.example/</link><language>en</language>"
        + "\n".join(items)
        + "</channel></rss>\n"
    )


def _record(release: Release) -> dict[str, str]:
    return {
        "title": release.title,
        "source": release.source,
        "url": release.url,
        "date": "2024-03-05",
        "lang": "en",
        "text": "\n\n".join(release.paragraphs),
    }


def write_corpus(folder: Path) -> None:
    """One file per release of the one-document encodings, one file per multi-record one."""
    folder.mkdir(parents=True)
    feed: list[Release] = []
    records: dict[str, list[dict[str, str]]] = {"json": [], "jsonl": []}
    for key, payload in HOSTILE.items():
        for encoding in ENCODINGS:
            release = _release(key, payload, encoding)
            body = "\n\n".join(release.paragraphs) + "\n"
            name = f"{encoding}-{key}"
            if encoding in ("md", "mdesc"):
                text = _markdown(release, escaped=encoding == "mdesc")
                (folder / f"{name}.md").write_text(text, encoding="utf-8")
            elif encoding == "txt":
                (folder / f"{name}.txt").write_text(f"{release.title}\n\n{body}", encoding="utf-8")
            elif encoding == "seed":
                header = f"date 2024-03-05 Images | {release.source}"
                (folder / f"{name}.txt").write_text(f"{header}\n\n{body}", encoding="utf-8")
            elif encoding in ("html", "htmlref"):
                text = _html(release, references=encoding == "htmlref")
                (folder / f"{name}.html").write_text(text, encoding="utf-8")
            elif encoding == "rss":
                feed.append(release)
            else:
                records[encoding].append(_record(release))
    (folder / "feed.rss").write_text(_rss(feed), encoding="utf-8")
    (folder / "records.json").write_text(json.dumps(records["json"]), encoding="utf-8")
    lines = (json.dumps(record, ensure_ascii=False) for record in records["jsonl"])
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Everything at once: every hostile string but the long ones (they have releases of
    # their own, and would make this one long to page through) in the title, the source,
    # the URL, a paragraph of its own, and all of them in one paragraph.
    short = [payload for key, payload in HOSTILE.items() if key not in ("longword", "longtitle")]
    everything = " ".join(short)
    release = Release(
        title="everything " + everything,
        source="Agency everything " + everything,
        url="https://all.example/" + everything,
        paragraphs=[f"The everything ministry reported {everything} wheat.", *short, LEAD],
    )
    (folder / "everything.md").write_text(_markdown(release, escaped=False), encoding="utf-8")


# -- fixtures ----------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    library: Library
    path: Path
    #: every imported article, by id
    articles: dict[str, Article]
    report: ImportReport


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    root = tmp_path_factory.mktemp("hostile")
    write_corpus(root / "releases")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(root / "config"))
        library = Library.open(root / "lib")
        report = library.import_paths([root / "releases"])
    result = library.search("", limit=10 * RELEASES)
    articles = {hit.id: library.get(hit.id) for hit in result.hits}
    yield Corpus(library, root / "lib", articles, report)  # type: ignore[arg-type]
    library.close()


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("benign")
    (root / "releases").mkdir()
    (root / "releases" / "uranium.md").write_text(URANIUM_RELEASE, encoding="utf-8")
    (root / "releases" / "water.md").write_text(WATER_RELEASE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(root / "config"))
        library = Library.open(root / "lib")
        library.import_paths([root / "releases"])
    yield library
    library.close()


# -- what the screen shows ---------------------------------------------------


def reader_app(library: Library) -> PressReaderApp:
    """The reader with animations off (as ``TEXTUAL_ANIMATIONS=none`` has it): a page
    down jumps, and Pilot need not wait out a glide after every key."""
    app = make_app(library)
    app.animation_level = "none"
    return app


def screen_lines(app: PressReaderApp) -> list[Strip]:
    """Every line of the screen as the compositor hands it to the terminal."""
    return app.screen._compositor.render_strips()


def check_lines(strips: list[Strip], width: int, where: str) -> None:
    """No forbidden character, no control segment and no hyperlink in any cell, and each
    line exactly ``width`` cells, counted segment by segment and as a whole."""
    for y, strip in enumerate(strips):
        segments = list(strip)
        text = "".join(segment.text for segment in segments)
        assert not any(segment.control for segment in segments), f"{where}: line {y} holds control codes"
        bad = FORBIDDEN.findall(text)
        assert not bad, f"{where}: line {y} holds {bad!r}: {text!r}"
        links = {segment.style.link for segment in segments if segment.style and segment.style.link}
        assert not links, f"{where}: line {y} links to {links}: {text!r}"
        cells = sum(segment.cell_length for segment in segments)
        assert cells == width == cell_len(text), f"{where}: line {y} is {cells} cells: {text!r}"


def check_screen(app: PressReaderApp, where: str) -> None:
    """The whole screen (list, article, status line, notice, search box, footer): clean,
    and every line as wide as the terminal."""
    width, height = app.size
    lines = screen_lines(app)
    assert len(lines) == height, where
    check_lines(lines, width, where)


def pane_text(app: PressReaderApp, widget: Widget) -> str:
    """What the screen shows inside ``widget`` (its scroll bar left out), line by line."""
    region = widget.scrollable_content_region if isinstance(widget, ScrollView) else widget.region
    lines = screen_lines(app)[region.y : region.bottom]
    return "\n".join(strip.crop(region.x, region.right).text for strip in lines)


def squeezed(text: str) -> str:
    """``text`` without spaces, line breaks and theme bars: what stays when lines wrap elsewhere."""
    return "".join(text.replace(BAR, "").split())


def regions(app: PressReaderApp) -> dict[str, Region]:
    names = ("#search", "#status", "#panes", "#list-pane", "#results", "#detail", "SteadyFooter")
    return {name: app.screen.query_one(name, Widget).region for name in names}


def release_of(corpus: Corpus, key: str, encoding: str) -> Article:
    marker = f"The {key} ministry reported ({encoding})"
    return next(article for article in corpus.articles.values() if marker in article.body)


def everything_of(corpus: Corpus) -> Article:
    return next(article for article in corpus.articles.values() if article.title.startswith("everything"))


async def every_row_loaded(pilot: Pilot[None]) -> ResultList:
    """End and Home in the list, so that every page of rows has arrived."""
    items = results(pilot.app)  # type: ignore[arg-type]
    await pilot.press("end")
    await until(pilot, lambda: len(items.hits) == items.row_count)
    await pilot.press("home")
    return items


async def open_article(pilot: Pilot[None], article_id: str) -> ArticleView:
    """Put the list's cursor on the article's row and press Enter (from the list or from
    the article: Enter opens what the list highlights)."""
    app = pilot.app
    items = results(app)  # type: ignore[arg-type]
    items.cursor = next(index for index, hit in enumerate(items.hits) if hit.id == article_id)
    await pilot.press("enter")
    view = detail(app)  # type: ignore[arg-type]
    while view.article is None or view.article.id != article_id:  # (Enter waited for it, mostly)
        await pilot.pause(0.01)
    assert app.focused is view and view.display
    return view


async def read_to_the_end(pilot: Pilot[None], where: str) -> str:
    """Page through the open article with PgDn, checking every screen on the way, then
    Home and End; returns what the article pane showed."""
    app = pilot.app
    view = detail(app)  # type: ignore[arg-type]
    assert view.scroll_y == 0 and view.max_scroll_y > 0, f"{where}: nothing to page through"
    seen = []
    pages = 0
    while True:
        check_screen(app, f"{where}, page {pages}")  # type: ignore[arg-type]
        seen.append(pane_text(app, view))  # type: ignore[arg-type]
        if view.scroll_y >= view.max_scroll_y:
            break
        before = view.scroll_y
        await pilot.press("pagedown")
        assert view.scroll_y > before, f"{where}: PgDn did not move"
        pages += 1
    await pilot.press("home")
    assert view.scroll_y == 0
    await pilot.press("end")
    assert view.scroll_y == view.max_scroll_y
    check_screen(app, f"{where}, End")  # type: ignore[arg-type]
    return "\n".join(seen)


# -- the tests ---------------------------------------------------------------


def test_the_corpus_is_imported_whole_and_clean(hostile: Corpus) -> None:
    """Every release arrives, the plain words around each hostile string kept, nothing
    forbidden left in any field (what every front end then shows)."""
    report = hostile.report
    rejected = [(f.path, f.reason) for f in report.files if f.status == "rejected" or f.records_rejected]
    assert not rejected, rejected
    assert len(hostile.articles) == RELEASES
    keys = dict.fromkeys(HOSTILE, 0)
    for article in hostile.articles.values():
        for name, value in (("title", article.title), ("source", article.source), ("url", article.url)):
            assert not FORBIDDEN.search(value), (name, value)
        for paragraph in article.paragraphs:
            assert not FORBIDDEN_OUTPUT.search(paragraph.text), paragraph.text
        if article.title.startswith("everything"):
            continue
        key = next(k for k in HOSTILE if f"{k} ministry reported" in article.body)
        keys[key] += 1
        assert "record harvest of wheat" in article.body and f"Closing words on {key}" in article.body
        assert key in article.title + article.source
    assert keys == dict.fromkeys(HOSTILE, len(ENCODINGS))


@pytest.mark.parametrize("size", [*SIZES, (200, 50)])
async def test_every_hostile_release_is_drawn_as_plain_text(hostile: Corpus, size: tuple[int, int]) -> None:
    """Every row of the list and every line of every release in the article pane:
    clean, as wide as its pane, markup shown as typed, long titles cut in their row.
    (From 90 columns of list a row is one line, below it two: 200x50 has one-line rows.)"""
    app = reader_app(hostile.library)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        check_screen(app, "the first screen")
        items = await every_row_loaded(pilot)
        assert items.row_count == RELEASES
        await pilot.press("end")
        check_screen(app, "the end of the list")
        width, height = items.scrollable_content_region.width, items.row_height
        assert height == (1 if size == (200, 50) else 2)
        assert items.virtual_size.height == RELEASES * height  # each row as high as the others
        # The list never scrolls sideways: no horizontal scroll bar takes a line of it.
        assert not items.show_horizontal_scrollbar and items.max_scroll_x == 0
        assert items.scrollable_content_region.height == items.region.height
        for index, hit in enumerate(items.hits):
            where = f"row {index} {hit.title[:30]!r}"
            strips = items._render_row(index, width)
            assert len(strips) == height, where
            check_lines(strips, width, where)
            row = squeezed(items.row_text(index))
            for key, literal in LITERAL.items():
                if hit.title.startswith(key):  # as typed, or as far as the title column goes
                    assert squeezed(literal)[: None if "…" not in row else 8] in row, where
            if cell_len(hit.title) > width:
                assert "…" in row, where  # cut, and seen to be
        if size not in SIZES:
            return  # (one-line rows were the point of this size)
        # Each release laid out in the article pane, at the width the pane has.
        view = await open_article(pilot, everything_of(hostile).id)
        check_screen(app, "everything")
        pane = view.scrollable_content_region.width
        for article in hostile.articles.values():
            view.show_article(article, frozenset())
            where = f"article {article.title[:30]!r}"
            check_lines([view._strip(row) for row in range(len(view._rows))], pane, where)
            assert view.virtual_size.width == pane and view.max_scroll_x == 0, where


async def test_each_hostile_string_opens_and_reads_as_text(hostile: Corpus) -> None:
    """One release of each hostile string, each from another encoding, opened with Enter
    at 80x24 and read to its end with End: the screen stays clean, the title and the
    last paragraph are there to read, markup as typed."""
    app = reader_app(hostile.library)
    async with app.run_test(size=SIZES[0]) as pilot:
        await started(pilot)
        await every_row_loaded(pilot)
        for number, key in enumerate(HOSTILE):
            encoding = list(ENCODINGS)[number % len(ENCODINGS)]
            where = f"{key} ({encoding})"
            article = release_of(hostile, key, encoding)
            view = await open_article(pilot, article.id)
            check_screen(app, where)
            shown = squeezed(pane_text(app, view))
            assert squeezed(article.title[:60]) in shown, where
            if key in LITERAL:
                assert squeezed(LITERAL[key]) in shown, where
            if view.max_scroll_y:
                await pilot.press("end")
                assert view.scroll_y == view.max_scroll_y, where
                check_screen(app, f"{where}, End")
            assert squeezed(article.paragraphs[-1].text[-60:]) in squeezed(pane_text(app, view)), where


@pytest.mark.parametrize("size", SIZES)
async def test_reading_to_the_end_keeps_the_layout(
    hostile: Corpus, benign: Library, size: tuple[int, int]
) -> None:
    """All the hostile strings in one release, paged through with PgDn; the long word's
    and the long title's releases read with End: the panes keep the places they have
    over a benign library, and the long word folds inside the article pane."""
    calm = reader_app(benign)
    async with calm.run_test(size=size) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: detail(calm).article is not None)
        expected = regions(calm)
    app = reader_app(hostile.library)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        await every_row_loaded(pilot)
        view = await open_article(pilot, everything_of(hostile).id)
        assert regions(app) == expected
        seen = squeezed(await read_to_the_end(pilot, "everything"))
        for literal in LITERAL.values():
            assert squeezed(literal) in seen, literal
        for word in (
            "evil",
            "lro",
            "lri",
            "fsi",
            "zerowidth",
            "日本語のプレスリリース",
            "👨\u200d👩\u200d👧\u200d👦",
        ):
            assert word in seen, word
        assert squeezed(LEAD) in seen  # the last paragraph was reached
        for key in ("longword", "longtitle"):
            view = await open_article(pilot, release_of(hostile, key, "md").id)
            assert regions(app) == expected, key
            await pilot.press("end")
            assert view.scroll_y == view.max_scroll_y > 0, key
            check_screen(app, f"{key} at its end")
            assert regions(app) == expected, key
            assert view.virtual_size.width == view.scrollable_content_region.width
            assert view.max_scroll_x == 0
        # The long word folds into lines of the pane's width, every character kept.
        longword = release_of(hostile, "longword", "md")
        view = await open_article(pilot, longword.id)
        index = next(i for i, paragraph in enumerate(longword.paragraphs) if paragraph.text == LONG_WORD)
        lines = view.paragraph_lines(index)
        assert len(lines) >= len(LONG_WORD) // view.scrollable_content_region.width
        assert "".join(line.text[2:].strip() for line in lines).endswith(LONG_WORD)


async def test_searching_finds_words_from_hostile_titles(hostile: Corpus) -> None:
    """A word inside a bidi override, one inside an isolate: found in every encoding's
    release and in the one that holds everything; a search that finds nothing shows the
    notice, clean."""
    app = reader_app(hostile.library)
    async with app.run_test(size=SIZES[1]) as pilot:
        await started(pilot)
        for word, key in (("lro", "bidioverride"), ("fsi", "bidiisolate")):
            await search(pilot, word)
            result = reader(app).result
            assert result is not None and result.total == len(ENCODINGS) + 1, word
            assert sum(hit.title.startswith(key) for hit in results(app).hits) >= len(ENCODINGS) - 2
            check_screen(app, f"search {word}")
        await search(pilot, "zq")
        assert reader(app).result.total == 0  # type: ignore[union-attr]
        check_screen(app, "the notice")


# -- what the corpus found, one by one -------------------------------------------


def test_an_unterminated_control_string_never_swallows_the_next_field() -> None:
    """An APC introducer (U+009F) left open in a JSON Lines title once ran to the ST
    (U+009C) of an OSC in the source, taking the JSON between with it: the record
    lost its text and was rejected."""
    record = {"title": "Open \x9f title", "source": "Agency \x9d0;pwned\x9c", "text": "Body text."}
    [article] = read_text(json.dumps(record, ensure_ascii=False) + "\n", suffix=".jsonl")
    assert (article.title, article.source, article.body) == ("Open title", "Agency", "Body text.")
    # A terminal gives a string up at a C1 control: the words after it are text.
    [article] = read_text("Title\n\nOpen \x1b]0;never closed \x9b1m and body\x07 kept.\n")
    assert article.body == "Open ]0;never closed and body kept."


def test_the_arabic_letter_mark_goes_like_the_other_bidi_marks() -> None:
    [article] = read_text("Title \u061cmark\n\nBody \u200f\u061ctext.\n")
    assert (article.title, article.body) == ("Title mark", "Body text.")
    assert printable("name\u061c.txt") == "name\\u061c.txt"


# -- the command line --------------------------------------------------------


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_the_command_line_prints_no_control_characters(hostile: Corpus, tmp_path: Path) -> None:
    """``search`` and ``show`` as text, ``show --json`` and an ``import`` report on a
    file with a hostile name, run as a script would (stdout a pipe): the text carries
    none of the forbidden characters, markup is printed as typed, the name's controls
    as escapes; the JSON parses, and carries nothing forbidden even escaped."""
    everything = everything_of(hostile)
    # A file name is input too, and one ingest never cleans: the import report shows it escaped.
    names = tmp_path / "names"
    names.mkdir()
    (names / f"{NAME} .txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    commands = {
        "search": ["search", "wheat", "--limit", str(2 * RELEASES)],
        "show": ["show", everything.id],
        "show --json": ["show", everything.id, "--json"],
        "import": ["import", str(names), "--index", str(tmp_path / "names-library")],
    }
    running = {
        name: subprocess.Popen(
            [PYTHON, "-m", "pressreader", *args, "--index", str(hostile.path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=subprocess_env(tmp_path),
            cwd=tmp_path,
        )
        for name, args in commands.items()
    }
    outputs = {name: process.communicate(timeout=60) for name, process in running.items()}
    for name, (out, err) in outputs.items():
        assert running[name].returncode == (1 if name == "import" else 0), (name, err)
        assert b"\x1b" not in out + err, name
        for stream, text in (("stdout", out.decode("utf-8")), ("stderr", err.decode("utf-8"))):
            bad = FORBIDDEN_OUTPUT.findall(text)
            assert not bad, (name, stream, bad)
    search_out, search_err = (stream.decode("utf-8") for stream in outputs["search"])
    assert f"{RELEASES} match(es)" in search_err
    show_out = outputs["show"][0].decode("utf-8")
    for text in (search_out, show_out):
        for literal in LITERAL.values():
            assert squeezed(literal) in squeezed(text), literal
        assert ":warning:" in text and "日本語のプレスリリース" in text
    report = outputs["import"][0].decode("utf-8")
    assert "rejected" in report and "binary" in report and "[bold]" in report
    assert "\\x1b]0;pwned\\x07" in report and "\\u202e" in report and "\\u061c" in report
    payload = json.loads(outputs["show --json"][0])
    assert payload["title"] == everything.title and len(payload["paragraphs"]) == len(everything.paragraphs)
    for text in _strings(payload):
        assert not FORBIDDEN_OUTPUT.search(text), text
