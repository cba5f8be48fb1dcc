"""Hostile text planted in the files of a library and of the config folder (issue 12).

``test_ui_hostile`` feeds hostile releases through ingest; this module skips
ingest.  A library folder and a config folder may be handed over in an archive,
so their files are written here as someone else's program (or editor) would
write them: escape sequences, an OSC 52 clipboard write, 8-bit CSI, bidi
overrides, BEL, NUL, a lone surrogate where the file can hold one, and
Rich/Textual markup, in

- the catalog (``catalog.sqlite3``: an article's title, source, address,
  language, tags, paragraphs, theme ids, and a file's path and reason),
- the Whoosh index's stored fields (what the list shows),
- the state store (``state.sqlite3``: a note, a saved search, search history),
- a feed's saved state (``feeds/.state.json``: ``last_status``, ``checked_at``),
- the config folder: ``themes.toml`` (labels, descriptions), ``settings.toml``
  (values and keys), ``feeds.toml`` (names: markup only, as its loader refuses
  control characters).

Then every command runs against them, and the reader is driven through each of
its screens: no byte of output and no cell of any screen holds a control
character raw (the text shows it escaped), markup shows as typed, and
``--json`` carries the characters only as ``\\u`` escapes.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from conftest import PYTHON, subprocess_env
from pressreader._whoosh import index as whoosh_index
from pressreader.library import Library
from pressreader.library.catalog import article_to_json
from pressreader.library.library import INDEX_NAME
from pressreader.library.schema import document
from pressreader.model import Article, Paragraph, ThemeHit
from pressreader.themes import load_lexicon
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.screens.help import HelpScreen
from pressreader.ui.screens.note import NoteScreen
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.screens.saved import SavedSearchesScreen
from pressreader.ui.screens.settings import SettingsScreen
from pressreader.ui.widgets.search_box import SearchBox
from test_ui import URANIUM_RELEASE, WATER_RELEASE, detail, reader, results, search, started, until
from test_ui_hostile import FORBIDDEN_OUTPUT, check_screen, screen_lines, squeezed

#: What is planted: a screen clear, an OSC 52 clipboard write, an OSC title, 8-bit CSI,
#: a right-to-left override, BEL, NUL, DEL and markup; ``{word}`` names the field.
PLANT = (
    "{word} \x1b[2J\x1b[H \x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;pwned\x1b\\ \x9b31m red \u202eevil\u202c"
    " bell\x07 nul\x00 del\x7f [bold red]loud[/] [link=https://evil.example]click[/link]"
)
#: A lone surrogate: JSON (the catalog's article data, the feed state) and pickles
#: (the index's stored fields) can hold one; SQLite text and TOML cannot.
SURROGATE = " lone\ud800"
#: The markup that must be seen as typed.
LITERALS = ("[bold red]loud[/]", "[link=https://evil.example]click[/link]")
#: The controls planted, none of which may reach the terminal raw.
RAW = re.compile("[\x00\x07\x1b\x7f\x9b\u202e\u202c\ud800]")


def plant(word: str, *, surrogate: bool = False) -> str:
    return PLANT.format(word=word) + (SURROGATE if surrogate else "")


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text``, every control character as a ``\\u`` escape."""
    return (
        '"'
        + "".join(
            f"\\u{ord(ch):04x}" if ch < " " or "\x7f" <= ch <= "\x9f" or ch in '"\\' else ch for ch in text
        )
        + '"'
    )


@dataclass(frozen=True)
class Planted:
    root: Path
    library: Path
    config: Path
    #: the article ids of the library, the first one holding every planted field
    ids: tuple[str, ...]


def _poisoned(article: Article) -> Article:
    word = article.source.split()[0].lower()
    first = article.paragraphs[0]
    return replace(
        article,
        title=plant(f"{word}title", surrogate=True) + " uranium",
        source=plant(f"{word}source", surrogate=True),
        url="https://example.org/" + plant("url", surrogate=True),
        lang="en\x1b[2J",
        tags=(plant("tag"),),
        paragraphs=(
            Paragraph(
                first.text + " " + plant("uraniumbody", surrogate=True),
                (*first.themes, ThemeHit("evil\x1b[2J\u202e", 0.5, ("x",))),
            ),
            Paragraph(plant("secondline") + "\n" + plant("thirdline", surrogate=True)),
            Paragraph("\t" + plant("tabbed")),
            *article.paragraphs[1:],
        ),
    )


def _without_surrogates(article: Article) -> Article:
    def clean(text: str) -> str:
        return text.replace("\ud800", "")

    paragraphs = tuple(replace(p, text=clean(p.text)) for p in article.paragraphs)
    return replace(article, title=clean(article.title), source=clean(article.source), paragraphs=paragraphs)


def plant_library(root: Path) -> Planted:
    """A library of two releases, imported as ever, then every file of it and of the
    config folder rewritten with hostile text the way a hand or another program would."""
    config = root / "config"
    config.mkdir(parents=True)
    sources = root / "releases"
    sources.mkdir()
    (sources / "uranium.md").write_text(URANIUM_RELEASE, encoding="utf-8")
    (sources / "water.md").write_text(WATER_RELEASE, encoding="utf-8")
    path = root / "lib"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(config))
        with Library.open(path) as library:
            assert not library.import_paths([sources]).rejected
            ids = tuple(hit.id for hit in library.search("", limit=10).hits)
            articles = [library.get(article_id) for article_id in ids]
            state = library.state
            for article_id in ids:
                state.set_note(article_id, plant("note") + "\n" + plant("noteline"))
            state.save_search(plant("savedname"), plant("savedquery"))
            state.add_history(plant("history"))
    poisoned = [_poisoned(article) for article in articles if article is not None]
    # The catalog: the article rows (their JSON may hold a lone surrogate as an escape),
    # and a file row of a file that is gone, with a hostile path and reason.
    with sqlite3.connect(path / "catalog.sqlite3") as db:
        for article in poisoned:
            data = json.dumps(json.loads(article_to_json(article)))
            db.execute(
                "UPDATE articles SET title = ?, source = ?, themes = ?, data = ? WHERE id = ?",
                (
                    article.title.replace("\ud800", ""),
                    article.source.replace("\ud800", ""),
                    " ".join(article.themes),
                    data,
                    article.id,
                ),
            )
        db.execute(
            "INSERT INTO files (path, mtime_ns, size, status, reason) VALUES (?, 0, 0, 'rejected', ?)",
            # (no NUL in the path: rebuild's path handling is another matter, see the report)
            (str(sources / plant("gone.txt").replace("\x00", "")), plant("reason")),
        )
    # The index's stored fields, which the list draws from.
    index = whoosh_index.open_dir(str(path / "whoosh"), indexname=INDEX_NAME)
    with index.writer() as writer:
        for article in poisoned:
            # Indexed terms are UTF-8 (no lone surrogate there); the stored fields hold one.
            fields = document(_without_surrogates(article))
            fields.update(title_text=article.title, source_name=article.source)
            writer.update_document(**fields)
    index.close()
    # The state store, behind its API's back.
    with sqlite3.connect(path / "state.sqlite3") as db:
        db.execute("UPDATE marks SET note = ?", (plant("rawnote") + "\n" + plant("rawnoteline"),))
        db.execute("INSERT INTO history (query, at) VALUES (?, 1e9)", (plant("rawhistory"),))
    # The config folder.
    lines = []
    for theme, word in (("energy", "energylabel"), ("transport", "transportlabel")):
        lines += [
            f"[themes.{theme}]",
            f"label = {toml_string(plant(word))}",
            f"description = {toml_string(plant(word + 'description'))}",
        ]
    (config / "themes.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # feeds.toml refuses control characters (its loader says which feed): markup only.
    feeds = [
        ("http://127.0.0.1:9/feed.xml", "feedname " + " ".join(LITERALS)),
        ("http://127.0.0.1:9/other.xml", ""),
    ]
    (config / "feeds.toml").write_text(
        "".join(f"[[feed]]\nurl = {toml_string(url)}\nname = {toml_string(name)}\n\n" for url, name in feeds),
        encoding="utf-8",
    )
    (config / "settings.toml").write_text(
        f"sort = {toml_string(plant('sort'))}\n[theme_colors]\nenergy = {toml_string(plant('colour'))}\n"
        f"{toml_string(plant('unknowntheme'))} = {toml_string(plant('colour'))}\n",
        encoding="utf-8",
    )
    feed_state = {
        url: {"last_status": plant("status", surrogate=True), "checked_at": plant("checked", surrogate=True)}
        for url, _name in feeds
    }
    (path / "feeds").mkdir()
    (path / "feeds" / ".state.json").write_text(json.dumps({"feeds": feed_state}), encoding="utf-8")
    return Planted(root, path, config, ids)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return plant_library(tmp_path_factory.mktemp("planted"))


# -- the command line --------------------------------------------------------

#: Every command, as a script would run it, against the planted library and config
#: folder (each with a copy of its own: fetch, import and rebuild write).  The first
#: argument of each is the exit code it must end with.
BAD_QUERY = 'uranium "' + plant("query").replace("\x00", "")  # an unclosed quote: not readable
COMMANDS: dict[str, tuple[int, list[str]]] = {
    "search": (0, ["search", "uranium"]),
    "search --json": (0, ["search", "uranium", "--json"]),
    "search, a bad query": (2, ["search", BAD_QUERY]),
    "search, nothing found": (0, ["search", "saryarkatitl"]),
    "show": (0, ["show", "{id}"]),
    "show --json": (0, ["show", "{id}", "--json"]),
    "export md": (0, ["export", "uranium"]),
    "export json": (0, ["export", "uranium", "--format", "json"]),
    "export csv": (0, ["export", "uranium", "--format", "csv"]),
    "classify": (0, ["classify", "{release}"]),
    "classify --json": (0, ["classify", "{release}", "--json"]),
    "themes": (0, ["themes"]),
    "themes --json": (0, ["themes", "--json"]),
    "stats": (0, ["stats"]),
    "stats --json": (0, ["stats", "--json"]),
    "feeds list": (0, ["feeds", "list"]),
    "feeds list --json": (0, ["feeds", "list", "--json"]),
    "feeds remove": (0, ["feeds", "remove", "feedname " + " ".join(LITERALS)]),
    "fetch": (1, ["fetch", "--timeout", "20"]),
    "fetch --json": (1, ["fetch", "--json", "--timeout", "20"]),
    "import": (0, ["import", "{release}"]),
    "import --json": (0, ["import", "{release}", "--json"]),
    "rebuild": (0, ["rebuild"]),
    "rebuild --json": (0, ["rebuild", "--json"]),
}
#: Text output that must show the planted text, escaped, and its markup as typed.
SHOWS_PLANTED = ("search", "show", "classify", "themes", "stats", "feeds list", "rebuild")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_every_command_prints_planted_text_escaped(planted: Planted, tmp_path: Path) -> None:
    """Each command over the planted library and config folder, stdout and stderr pipes:
    no byte of either is a C0 or C1 control (but the line feed), a bidi control or an
    invisible character, none is a lone surrogate (the output is valid UTF-8), nothing
    crashed; text shows the planted controls as escapes and the markup as typed; JSON
    parses, and gives back the stored text whole (lone surrogate included)."""
    running: dict[str, subprocess.Popen[bytes]] = {}
    outputs: dict[str, tuple[bytes, bytes]] = {}
    for name, (_status, args) in COMMANDS.items():
        if len(running) - len(outputs) >= 4:  # a few at a time: the machine is shared
            waiting = next(n for n in running if n not in outputs)
            outputs[waiting] = running[waiting].communicate(timeout=120)
        folder = tmp_path / re.sub(r"\W+", "-", name)
        shutil.copytree(planted.root, folder)
        release = folder / "releases" / "uranium.md"
        argv = [arg.format(id=planted.ids[1], release=release) for arg in args]
        env = subprocess_env(folder, PRESSREADER_CONFIG=str(folder / "config"))
        running[name] = subprocess.Popen(
            [PYTHON, "-m", "pressreader", *argv, "--index", str(folder / "lib")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=folder,
        )
    for name, process in running.items():
        if name not in outputs:
            outputs[name] = process.communicate(timeout=120)
    for name, (out, err) in outputs.items():
        where = f"{name}: {err[-600:]!r}"
        assert running[name].returncode == COMMANDS[name][0], where
        assert b"unexpected error" not in err, where
        for stream, data in (("stdout", out), ("stderr", err)):
            text = data.decode("utf-8")  # strict: a lone surrogate cannot have been written
            if name == "export csv":
                text = text.replace("\r\n", "\n")  # CSV's own line ends
            bad = FORBIDDEN_OUTPUT.findall(text)
            assert not bad, (name, stream, bad, text[:400])
    for name in SHOWS_PLANTED:
        text = outputs[name][0].decode("utf-8") + outputs[name][1].decode("utf-8")
        assert "\\x1b[2J" in text and "\\u202e" in text, name
        for literal in LITERALS if name != "rebuild" else LITERALS[:1]:  # (a path has no "//")
            assert literal in text, (name, literal)
    # An export removes controls (as ingest does) and escapes Markdown's brackets.
    assert "saryarkatitle red evil bell nul del \\[bold red\\]loud" in outputs["export md"][0].decode()
    for name in (n for n in COMMANDS if "json" in n):
        lines = outputs[name][0].decode("utf-8").splitlines()
        payloads = (
            [json.loads(line) for line in lines] if name != "export json" else [json.loads("".join(lines))]
        )
        assert payloads, name
        for payload in payloads:
            for text in _strings(payload):
                assert isinstance(text, str)
    [shown] = [json.loads(outputs["show --json"][0])]
    assert shown["title"] == plant("saryarkatitle", surrogate=True) + " uranium"
    assert shown["paragraphs"][1]["text"] == plant("secondline") + "\n" + plant("thirdline", surrogate=True)
    [listed] = [json.loads(outputs["feeds list --json"][0])]
    assert listed[0]["last_status"] == plant("status", surrogate=True)
    themes = {theme["id"]: theme for theme in json.loads(outputs["themes --json"][0])["themes"]}
    assert themes["energy"]["label"] == plant("energylabel")


# -- the reader --------------------------------------------------------------


def _screen_text(app: PressReaderApp) -> str:
    return "\n".join(strip.text for strip in screen_lines(app))


async def _shows(pilot: Pilot[None], screen: type, where: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, screen))
    check_screen(pilot.app, where)  # type: ignore[arg-type]


async def test_the_reader_draws_a_planted_library_as_plain_text(
    planted: Planted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader opened with ``-q`` (an unreadable query) over the planted library and
    config folder, then walked through: the notice, the list, the article (note, legend,
    labels, paragraphs), the search history, the facets, saved searches, the note
    editor, settings and help, each screen checked cell by cell."""
    monkeypatch.setenv("PRESSREADER_CONFIG", str(planted.config))
    lexicon = load_lexicon(planted.config / "themes.toml")
    with Library.open(planted.library, lexicon=lexicon) as library:
        app = make_app(library, query=BAD_QUERY, message=plant("startup"))
        app.animation_level = "none"
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot)
            assert reader(app).result.error  # type: ignore[union-attr]
            check_screen(app, "the query can't be read")
            shown = squeezed(_screen_text(app))
            assert "\\x1b]52;c;" in shown and squeezed("[bold red]loud[/]") in shown  # box and notice
            await search(pilot, "")
            check_screen(app, "the list")
            assert "\\x1b[2J" in _screen_text(app)  # in the rows (cut before the markup)
            items = results(app)
            items.focus()
            items.cursor = next(i for i, hit in enumerate(items.hits) if hit.id == planted.ids[1])
            await pilot.press("enter")
            await until(pilot, lambda: (a := detail(app).article) is not None and a.id == planted.ids[1])
            check_screen(app, "the article")
            pages = [_screen_text(app)]
            view = detail(app)
            while view.scroll_y < view.max_scroll_y:
                await pilot.press("pagedown")
                check_screen(app, f"the article at {view.scroll_y}")
                pages.append(_screen_text(app))
            seen = squeezed("\n".join(pages))
            for literal in LITERALS:
                assert squeezed(literal) in seen, literal
            for word in ("\\x1b[2J", "\\u202eevil", "rawnote", "secondline", "thirdline", "lone\\ud800"):
                assert word in seen, word
            await pilot.press("f")  # the facets
            await until(pilot, lambda: "Sources" in _screen_text(app))
            check_screen(app, "the facets")
            await pilot.press("f", "slash", "up")  # the newest search-history entry
            box = app.screen.query_one(SearchBox)
            await until(pilot, lambda: box.value and box.value != "")
            check_screen(app, "the search history")
            await pilot.press("escape", "B")
            await _shows(pilot, SavedSearchesScreen, "saved searches")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            view.focus()
            await pilot.press("e")
            await _shows(pilot, NoteScreen, "the note editor")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.press("comma")
            await _shows(pilot, SettingsScreen, "settings")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
            await pilot.press("question_mark")
            await _shows(pilot, HelpScreen, "help")
