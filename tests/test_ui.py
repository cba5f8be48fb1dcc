"""The Textual reader, driven with Pilot over a small temporary library.

Each test presses keys as a user would and asserts on widget state: what the
list holds, which pane shows, how a paragraph is styled, what the notice says.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Static

from pressreader.library import Library
from pressreader.model import Hit, Paragraph
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.screens.help import KEYS, HelpScreen
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.screens.saved import SavedSearchesScreen
from pressreader.ui.widgets import rendering
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.notice import Notice
from pressreader.ui.widgets.result_list import ResultList

#: The seed release (plain-text seed format), as the repository ships it.
SEED = Path(__file__).resolve().parents[1] / "sample_data" / "000_5e8c0fbe594480b4.txt"
WIDE = (120, 35)
NARROW = (80, 24)

URANIUM_RELEASE = """\
---
title: "Saryarka Uranium ships concentrate by the Trans-Caspian route"
date: 2022-12-14
source: Saryarka Uranium Company
url: https://saryarka.example.kz/news/shipment
---

Saryarka Uranium Company completed its first shipment of natural uranium concentrate \
by rail to the port of Aktau and by vessel across the Caspian Sea.

The company expects to produce about 3,100 tonnes of uranium this year for nuclear \
power plants in Europe and Asia.
"""

WATER_RELEASE = """\
---
title: Aral Sea basin council approves water programme
date: 2023-06-08
source: Caspian Regional Water Council
---

The council approved a programme to restore the northern Aral Sea, with new dams, \
irrigation canals and climate monitoring stations.
"""

EVIL_RELEASE = (
    "---\n"
    "title: '[bold red]x[/'\n"
    "date: 2024-03-05\n"
    "source: Evil Press [red]Office[/red]\n"
    "url: https://evil.example/[b]x\n"
    "---\n\n"
    "The ministry reported \x1b]0;pwned\x07 a new export record for wheat and grain.\n\n"
    "Read more: [link=https://evil.example]click[/link] and [/] and [bold]loud[/bold].\n"
)


# -- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """Four releases: the seed (plain text), two Markdown ones, one hostile one."""
    root = tmp_path_factory.mktemp("ui")
    sources = root / "releases"
    sources.mkdir()
    shutil.copy(SEED, sources / SEED.name)
    (sources / "uranium.md").write_text(URANIUM_RELEASE, encoding="utf-8")
    (sources / "water.md").write_text(WATER_RELEASE, encoding="utf-8")
    (sources / "evil.md").write_text(EVIL_RELEASE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(root / "config"))
        lib = Library.open(root / "lib")
        report = lib.import_paths([sources])
    assert report.count("rejected") == 0, report.rejected
    yield lib
    lib.close()


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "empty")
    yield lib
    lib.close()


# -- helpers -----------------------------------------------------------------


#: How long :func:`until` waits for a state before it gives up: a guard against a state that
#: never comes, far above what any wait takes even on a busy machine (never a speed claim).
WAIT = 60.0


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = WAIT) -> None:
    """Let the app run until ``condition()`` holds (searches and loads are asynchronous)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def palette_offers(app: PressReaderApp, title: str) -> bool:
    """The command palette lists ``title`` first and highlighted: Enter runs it."""
    from textual.command import CommandList, CommandPalette

    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return False
    commands = screen.query_one(CommandList)
    if commands.highlighted is None or commands.option_count == 0:
        return False
    return title.casefold() in str(commands.get_option_at_index(commands.highlighted).prompt).casefold()


def reader(app: PressReaderApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def results(app: PressReaderApp) -> ResultList:
    return app.screen.query_one(ResultList)


def detail(app: PressReaderApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


def rendered(widget: Widget) -> str:
    """The text a widget draws on screen, line by line (borders and padding included)."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def list_text(app: PressReaderApp) -> str:
    items = results(app)
    return "\n".join(items.row_text(index) for index in range(len(items.hits)))


def notice_text(app: PressReaderApp) -> str:
    switcher = app.screen.query_one("#list-pane", ContentSwitcher)
    assert switcher.current == "notice", "the list pane should show a notice"
    return app.screen.query_one(Notice).content.plain  # type: ignore[union-attr]


def status_text(app: PressReaderApp) -> str:
    screen = app.screen
    count = screen.query_one("#count", Static).content
    mode = screen.query_one("#mode", Static).content
    return f"{count.plain}  {mode.plain}"  # type: ignore[union-attr]


async def started(pilot: Pilot[None]) -> None:
    """Wait for the first search (the whole library, newest first) to arrive."""
    await until(pilot, lambda: reader(pilot.app).result is not None)  # type: ignore[arg-type]


async def search(pilot: Pilot[None], query: str, *, typed: bool = False) -> None:
    """Put ``query`` in the search box (``typed``: key by key) and wait for its results.

    Set whole, the box changes once and searches after the same pause as typing
    does; key by key costs some 70 ms a key under Pilot, which most tests need not pay.
    """
    app = pilot.app
    await pilot.press("slash")
    search_box = app.screen.query_one("#search", Input)
    search_box.value = ""
    if typed:
        await pilot.press(*query)
    else:
        search_box.value = query
        search_box.cursor_position = len(query)
    await until(
        pilot,
        lambda: (result := reader(app).result) is not None and result.query == query,  # type: ignore[arg-type]
    )


async def open_hit(pilot: Pilot[None], source: str) -> None:
    """Move the list cursor to the first hit from ``source`` and press Enter."""
    app = pilot.app
    items = results(app)  # type: ignore[arg-type]
    items.focus()
    index = next(i for i, hit in enumerate(items.hits) if hit.source == source)
    await pilot.press("home", *["j"] * index, "enter")
    await until(pilot, lambda: (a := detail(app).article) is not None and a.source == source)  # type: ignore[arg-type]


def paragraph_with(app: PressReaderApp, word: str) -> tuple[Paragraph, list[Strip]]:
    """The first paragraph of the open article holding ``word``, and its lines as drawn."""
    article = detail(app).article
    assert article is not None
    index = next(i for i, paragraph in enumerate(article.paragraphs) if word in paragraph.text)
    return article.paragraphs[index], detail(app).paragraph_lines(index)


def article_text(app: PressReaderApp) -> str:
    return "\n".join(detail(app).text_lines())


def hex_colour(style: Style | None) -> str | None:
    return style.color.triplet.hex if style and style.color and style.color.triplet else None


def bars(lines: list[Strip]) -> list[tuple[str, str | None]]:
    """The first cell of each line, and its colour: the theme bar (or a blank)."""
    return [(line._segments[0].text, hex_colour(line._segments[0].style)) for line in lines]


def marked(lines: list[Strip], word: str) -> list[Style | None]:
    """The styles ``word`` is drawn in, wherever it stands alone in a segment."""
    return [seg.style for line in lines for seg in line if seg.text.strip() == word]


# -- start-up and search -----------------------------------------------------


async def test_start_lists_every_article_newest_first(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        hits = results(app).hits
        assert len(hits) == library.count() == 4
        assert [hit.date for hit in hits] == sorted((hit.date for hit in hits), reverse=True)
        assert "4 articles" in status_text(app)
        first = results(app).row_text(0)
        assert hits[0].date in first and hits[0].title[:10] in first


async def test_typing_searches_after_a_pause(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium", typed=True)
        sources = {hit.source for hit in results(app).hits}
        assert sources == {"Kazakh MFA", "Saryarka Uranium Company"}
        assert "2 matches for 'uranium'" in status_text(app)
        assert "Kazakh MFA" in list_text(app)
        # The search box keeps the focus while typing: the user may type on.
        assert isinstance(app.focused, Input)


async def test_rows_show_date_source_title_and_theme_chips(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(200, 60)) as pilot:
        await started(pilot)
        items = results(app)
        index = next(i for i, hit in enumerate(items.hits) if hit.source == "Kazakh MFA")
        hit = items.hits[index]
        row = items.row_text(index)
        assert hit.date in row and "Kazakh MFA" in row and hit.title[:15] in row
        first_theme = library.lexicon.themes[hit.themes[0]]
        assert first_theme.label[:6] in row
        # The chip is drawn on the theme's own colour.
        strips = items._render_row(index, items.scrollable_content_region.width)
        backgrounds = {
            seg.style.bgcolor.triplet.hex
            for seg in strips[0]
            if seg.style and seg.style.bgcolor and seg.style.bgcolor.triplet
        }
        assert first_theme.color.lower() in backgrounds


async def test_enter_in_search_box_goes_to_results(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"irrigation", "enter")
        await until(pilot, lambda: reader(app).result.query == "irrigation")  # type: ignore[union-attr]
        assert app.focused is results(app)
        assert [hit.source for hit in results(app).hits] == ["Caspian Regional Water Council"]


# -- the article -------------------------------------------------------------


async def test_open_article_marks_themes_and_query_terms(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium")
        await open_hit(pilot, "Kazakh MFA")
        view = detail(app)
        assert app.focused is view
        assert view.article is not None and view.article.source == "Kazakh MFA"
        text = article_text(app)
        for paragraph in view.article.paragraphs:  # every paragraph is there, in order
            assert paragraph.text.split()[0] in text

        energy = library.lexicon.themes["energy"]
        paragraph, lines = paragraph_with(app, "uranium")
        assert paragraph.primary == "energy"
        assert len(lines) > 2  # the label, and the text wrapped over lines
        # A bar in the theme's colour beside every line, the label first.
        assert bars(lines) == [(rendering.BAR, energy.color.lower())] * len(lines)
        assert lines[0].text.startswith(f"{rendering.BAR} {energy.label}")
        # The label is drawn in the theme's colour.
        label = next(seg for seg in lines[0] if seg.text.startswith(energy.label))
        assert hex_colour(label.style) == energy.color.lower()
        # "uranium" is emphasised where it occurs.
        styles = marked(lines, "uranium")
        assert styles and all(style and (style.bold or style.underline) for style in styles)
        assert not any(style and style.underline for style in marked(lines, "the"))
        # The legend explains the colours of the article's themes ("▌Energy", no space).
        assert f"{rendering.BAR}{energy.label}" in text
        # Header: title, date, source.
        header = "\n".join(view.text_lines()[:4])
        assert view.article.title[:20] in header
        assert "2024-11-24" in header and "Kazakh MFA" in header
        # What the screen shows is the article (drawn by the pane, not only held).
        assert view.shown_id == view.article.id
        assert view.article.title[:20] in rendered(view)


async def test_t_toggles_theme_highlighting(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium")
        await open_hit(pilot, "Kazakh MFA")
        energy = library.lexicon.themes["energy"]

        await pilot.press("t")
        _, lines = paragraph_with(app, "uranium")
        assert energy.label not in lines[0].text  # no label, no bar
        assert all(bar == " " for bar, _ in bars(lines))
        assert "themes: off" in status_text(app)
        assert "Theme highlighting is off" in article_text(app)
        # Query terms stay marked without the themes.
        styles = marked(lines, "uranium")
        assert styles and all(style and style.underline for style in styles)

        await pilot.press("t")
        _, lines = paragraph_with(app, "uranium")
        assert lines[0].text.startswith(f"{rendering.BAR} {energy.label}")
        assert bars(lines) == [(rendering.BAR, energy.color.lower())] * len(lines)
        assert "themes: on" in status_text(app)


async def test_j_and_k_move_in_the_list_and_scroll_the_article(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=NARROW) as pilot:
        await started(pilot)
        items = results(app)
        assert app.focused is items and items.cursor == 0
        await pilot.press("j", "j")
        assert items.cursor == 2
        await pilot.press("k")
        assert items.cursor == 1
        await pilot.press("down")
        assert items.cursor == 2
        await open_hit(pilot, "Kazakh MFA")
        view = detail(app)
        assert view.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        assert view.scroll_y > 0
        before = view.scroll_y
        await pilot.press("k")
        assert view.scroll_y < before


# -- keys --------------------------------------------------------------------


async def test_s_toggles_the_sort_and_searches_again(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium")
        assert reader(app).result.sort == "relevance"  # type: ignore[union-attr]
        assert "sort: relevance" in status_text(app)
        await open_hit(pilot, "Saryarka Uranium Company")
        await pilot.press("s")
        await until(pilot, lambda: reader(app).result.sort == "date")  # type: ignore[union-attr]
        assert "newest first" in status_text(app)
        # The article being read stays open and keeps the list cursor.
        assert results(app).highlighted_hit.source == "Saryarka Uranium Company"  # type: ignore[union-attr]
        assert detail(app).article.source == "Saryarka Uranium Company"  # type: ignore[union-attr]
        dates = [hit.date for hit in results(app).hits]
        assert dates == sorted(dates, reverse=True)
        assert app.screen.query_one("#search", Input).value == "uranium"
        await pilot.press("s")
        await until(pilot, lambda: reader(app).result.sort == "relevance")  # type: ignore[union-attr]


async def test_letters_type_into_the_search_box(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"qstjk?")
        assert app.screen.query_one("#search", Input).value == "qstjk?"
        assert reader(app).sort == "relevance" and reader(app).show_themes
        assert isinstance(app.screen, ReaderScreen) and app.is_running


async def test_q_quits_outside_the_search_box(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_escape_goes_back_to_the_list_and_keeps_the_query(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium")
        await pilot.press("escape")
        assert app.focused is results(app)
        assert app.screen.query_one("#search", Input).value == "uranium"
        await open_hit(pilot, "Kazakh MFA")
        assert app.focused is detail(app)
        await pilot.press("escape")
        assert app.focused is results(app)
        assert detail(app).article is not None  # still shown beside the list


async def test_tab_moves_between_panes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert app.focused is results(app)
        await pilot.press("tab")
        assert app.focused is detail(app)
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await pilot.press("tab")
        assert app.focused is results(app)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Input)
        await pilot.press("shift+tab")
        assert app.focused is detail(app)


async def test_ctrl_q_quits_even_from_the_search_box(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("slash", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


def _key_names(bindings: list[object]) -> set[str]:
    keys: set[str] = set()
    for binding in bindings:
        key = binding.key if hasattr(binding, "key") else binding[0]  # type: ignore[index,attr-defined]
        keys.update(part.strip() for part in key.split(","))
    return keys


def _key_tokens(keys: str) -> set[str]:
    """The keys a help row names: "↓ / j, ↑ / k" holds ↓, j, ↑ and k; ", (comma)" holds ",";
    "1-9" holds the digits 1 to 9."""
    tokens = {token if token in {",", "/"} else token.strip(",()") for token in keys.split()}
    for token in list(tokens):
        first, dash, last = token.partition("-")
        if dash and first.isdigit() and last.isdigit():
            tokens.update(str(digit) for digit in range(int(first), int(last) + 1))
    return tokens


async def test_help_lists_every_key(library: Library) -> None:
    display = {
        "slash": "/",
        "question_mark": "?",
        "asterisk": "*",
        "comma": ",",
        "escape": "Esc",
        "enter": "Enter",
        "down": "↓",
        "up": "↑",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "home": "Home",
        "end": "End",
        "space": "Space",
        "delete": "Delete",
    }
    app = make_app(library)
    async with app.run_test(size=(120, 50)) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = rendered(app.screen.query_one("#help-keys"))
        bindings = [
            *PressReaderApp.BINDINGS,
            *ReaderScreen.BINDINGS,
            *ResultList.BINDINGS,
            *ArticleView.BINDINGS,
            *SavedSearchesScreen.BINDINGS,
        ]
        for key in _key_names(bindings):
            shown = display.get(key, key)
            # As a key of its own in the keys column, not as a letter of another one.
            naming = [keys for _, rows in KEYS for keys, _ in rows if shown in _key_tokens(keys)]
            assert naming, key
            assert any(keys in text for keys in naming), key
        for needed in ("Tab", "Ctrl+P", "theme highlighting", "sort"):
            assert needed in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_command_palette_offers_the_actions(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Search", "Toggle sort", "Toggle theme highlighting", "Help", "Settings"} <= set(commands)
        # The actions of the reader's keys are there by name, each the action of a key.
        from pressreader.ui.app import ARTICLE_COMMANDS, READER_COMMANDS

        named = (*READER_COMMANDS, *ARTICLE_COMMANDS)
        for title, _, _action in named:
            assert title in commands and callable(commands[title].callback), title
        bindings = [b for b in (*ReaderScreen.BINDINGS, *ArticleView.BINDINGS) if isinstance(b, Binding)]
        assert {action for *_, action in named} <= {binding.action for binding in bindings}
        await pilot.press("ctrl+p", *"toggle sort")
        await until(pilot, lambda: palette_offers(app, "sort"))
        await pilot.press("enter")
        await until(pilot, lambda: reader(app).sort == "date")


# -- narrow and wide ---------------------------------------------------------


async def test_narrow_terminal_shows_one_pane_at_a_time(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=NARROW) as pilot:
        await started(pilot)
        list_pane = app.screen.query_one("#list-pane")
        assert list_pane.display and not detail(app).display
        await open_hit(pilot, "Kazakh MFA")
        assert detail(app).display and not list_pane.display
        assert detail(app).region.width == NARROW[0]
        await pilot.press("escape")
        assert list_pane.display and not detail(app).display
        assert app.focused is results(app)


async def test_wide_terminal_shows_list_and_article_side_by_side(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(200, 60)) as pilot:
        await started(pilot)
        # Moving the cursor previews the article beside the list.
        await pilot.press("j")
        expected = results(app).hits[1].id
        await until(pilot, lambda: (a := detail(app).article) is not None and a.id == expected)
        list_pane = app.screen.query_one("#list-pane")
        assert list_pane.display and detail(app).display
        assert list_pane.region.right <= detail(app).region.x


async def test_resizing_switches_between_layouts(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert detail(app).display
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert not detail(app).display
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert detail(app).display
        # Reading beside the list, then narrowing the terminal: the article stays.
        await open_hit(pilot, "Kazakh MFA")
        await pilot.resize_terminal(*NARROW)
        await pilot.pause()
        assert detail(app).display and app.focused is detail(app)
        assert not app.screen.query_one("#list-pane").display


# -- what the list pane says instead of a list -------------------------------


async def test_empty_library_explains_how_to_import(empty_library: Library) -> None:
    app = make_app(empty_library)
    async with app.run_test(size=NARROW) as pilot:
        await started(pilot)
        text = notice_text(app)
        assert "library is empty" in text
        assert "pressreader PATH" in text and "pressreader import PATH" in text
        assert "pressreader --sample" in text
        assert "0 articles" in status_text(app)


async def test_no_results_says_so_and_suggests_what_to_try(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "zanzibar")
        text = notice_text(app)
        assert "No matches" in text and "zanzibar" in text
        result = reader(app).result
        assert result is not None
        if result.suggestions:
            assert all(suggestion in text for suggestion in result.suggestions)
        else:
            assert "fewer words" in text and "spelling" in text and "theme:" in text
        assert results(app).hits == ()
        # Esc leaves the search box for the notice, where the reader's keys work.
        await pilot.press("escape")
        assert isinstance(app.focused, Notice)
        await pilot.press("t")
        assert not reader(app).show_themes
        assert app.screen.query_one("#search", Input).value == "zanzibar"
        # A misspelling of a library word gets a "did you mean", once typing pauses.
        await search(pilot, "uranum")
        await until(pilot, lambda: "uranium" in notice_text(app))
        assert reader(app).result.suggestions[:1] == ("uranium",)  # type: ignore[union-attr]
        # The list shows the results again once a query finds something.
        await search(pilot, "water")
        assert app.screen.query_one("#list-pane", ContentSwitcher).current == "results"


@pytest.mark.parametrize("query", ['"unclosed', "date:[2024 to"])
async def test_malformed_query_shows_the_error_not_a_traceback(library: Library, query: str) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, query)
        result = reader(app).result
        assert result is not None and app.is_running
        if result.error:
            text = notice_text(app)
            assert result.error in text and query in text
            assert "Traceback" not in text
            assert "query error" in status_text(app)


async def test_a_failed_search_is_reported_and_the_app_lives_on(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        notes: list[tuple[str, dict[str, object]]] = []
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((message, kw)))

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("index [bold]gone[/")

        monkeypatch.setattr(library, "search", broken)
        await pilot.press("slash", *"x")
        await until(pilot, lambda: notes)
        message, options = notes[0]
        assert options["severity"] == "error"
        # Shown as typed: Textual's markup parser would reject the trailing "[/"
        # even after escape(), so the message goes out with markup off.
        assert "index [bold]gone[/" in message and options["markup"] is False
        assert app.is_running


# -- untrusted text ----------------------------------------------------------


async def test_release_text_is_never_read_as_markup(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(200, 40)) as pilot:  # wide: no line of the release wraps
        await started(pilot)
        await search(pilot, "wheat")
        assert "[bold red]x[/" in list_text(app)
        await open_hit(pilot, "Evil Press [red]Office[/red]")
        view = detail(app)
        lines = view.text_lines()
        assert "[bold red]x[/" in lines[0]
        meta = "\n".join(lines[1:3])
        assert "Evil Press [red]Office[/red]" in meta and "https://evil.example/[b]x" in meta
        body = article_text(app)
        assert "[link=https://evil.example]click[/link]" in body
        assert "[bold]loud[/bold]" in body
        assert "[bold red]x[/" in rendered(view)
        everything = "\n".join(rendered(widget) for widget in app.screen.query("*"))
        assert "\x1b" not in everything and "\x07" not in everything


# -- themes and big lists ----------------------------------------------------


async def test_light_theme_restyles_list_and_article(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await search(pilot, "uranium")
        await open_hit(pilot, "Kazakh MFA")
        items = results(app)
        width = items.scrollable_content_region.width

        def cursor_background() -> object:
            strip = items._render_row(items.cursor, width)[0]
            return strip._segments[0].style.bgcolor  # type: ignore[union-attr]

        def match_styles() -> set[str]:
            _, lines = paragraph_with(app, "uranium")
            return {str(style) for style in marked(lines, "uranium")}

        dark, dark_matches = cursor_background(), match_styles()
        app.theme = "textual-light"
        await pilot.pause()
        assert cursor_background() != dark
        assert match_styles() and match_styles() != dark_matches  # marks follow the theme
        energy = library.lexicon.themes["energy"]
        _, lines = paragraph_with(app, "uranium")
        assert bars(lines) == [(rendering.BAR, energy.color.lower())] * len(lines)
        assert energy.label in lines[0].text


async def test_a_hundred_thousand_rows_cost_nothing_to_show(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=NARROW) as pilot:
        await started(pilot)
        items = results(app)
        themes = tuple(library.lexicon.themes)[:3]
        hits = [
            Hit(f"id{n}", f"Release number {n}", "2024-01-01", "Ministry", 1.0, themes, "")
            for n in range(100_000)
        ]
        items.set_hits(hits, library.lexicon.themes)
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert items.cursor == 99_999
        assert "Release number 99999" in rendered(items)
        for _ in range(20):
            await pilot.press("pageup")
        assert items.cursor < 99_999


# -- rendering helpers -------------------------------------------------------


def test_chip_layout_prefers_whole_labels() -> None:
    whole = rendering.CHIP_WIDTH
    assert whole >= len("Humanitarian")  # the longest default label fits uncut
    assert rendering.chip_layout(3 * (whole + 2) + 2) == (3, whole)
    assert rendering.chip_layout(2 * (whole + 2) + 1) == (2, whole)  # two whole beat three cut
    count, width = rendering.chip_layout(whole)  # not even one whole label: cut, but readable
    assert count >= 1 and width >= 8
    assert rendering.chip_layout(4) == (0, 0)


def test_chips_use_the_theme_colour_and_skip_unknown_themes(library: Library) -> None:
    themes = library.lexicon.themes
    text = rendering.chips(("energy", "no-such-theme", "diplomacy"), themes, count=3, width=6)
    assert text.plain == f" {themes['energy'].label[:6]:<6} " + " " + f" {themes['diplomacy'].label[:5]}… "
    assert text.spans[0].style.bgcolor.triplet.hex == themes["energy"].color.lower()  # type: ignore[union-attr]


async def test_the_status_line_says_newest_first_when_nothing_ranks(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert "sort: newest first" in status_text(app)  # blank query: the whole library by date
        await search(pilot, "uranium")
        assert "sort: relevance" in status_text(app)
        await search(pilot, "theme:energy")
        assert "sort: newest first" in status_text(app)  # filters only: nothing to rank by


async def test_i_imports_from_inside_the_app_and_the_list_refreshes(library: Library, tmp_path: Path) -> None:
    from pressreader.ui.screens.import_prompt import ImportPrompt

    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "new.md").write_text(
        "---\ntitle: Zanzibar port agreement\ndate: 2025-01-02\nsource: Test MFA\n---\n\n"
        "The port of Zanzibar.\n",
        encoding="utf-8",
    )
    (folder / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        before = len(results(app).hits)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportPrompt)
        app.screen.query_one(Input).value = "/no/such/folder"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportPrompt)  # a bad path is said, not imported
        assert "No such file" in str(app.screen.query_one("#import-error", Static).content)
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: len(results(app).hits) == before + 1)
        messages = [str(n.message) for n in app._notifications]
        assert any("Import finished" in m and "1 added" in m for m in messages)
        assert any("junk.txt" in m and "binary" in m for m in messages)
