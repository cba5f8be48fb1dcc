"""Read, starred, notes, search history and saved searches in the reader (issue 6),
driven with Pilot; each survives quitting and launching again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TextArea

from conftest import SAMPLE_DATA
from pressreader.library import Library
from pressreader.library.state import StateError
from pressreader.model import Article
from pressreader.ui.app import make_app
from pressreader.ui.screens.note import NoteScreen
from pressreader.ui.screens.saved import NamePrompt, SavedSearchesScreen
from test_ui import WIDE, detail, open_hit, reader, results, search, started, until

URANIUM = "Saryarka Uranium Company"


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "lib"
    with Library.open(path) as library:
        library.import_paths([SAMPLE_DATA])
    return path


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(notification.message) for notification in app._notifications]


def _ids(index: Path, query: str) -> list[str]:
    with Library.open(index) as library:
        return [hit.id for hit in library.search(query, limit=None).hits]


async def _open_uranium(pilot) -> Article:  # type: ignore[no-untyped-def]
    """Search "uranium", open the shipment release; the article shown."""
    await started(pilot)
    await search(pilot, "uranium")
    await open_hit(pilot, URANIUM)
    article = detail(pilot.app).article
    assert article is not None
    return article


async def _saved_searches(pilot) -> SavedSearchesScreen:  # type: ignore[no-untyped-def]
    """Open the saved searches (B) from the list."""
    await started(pilot)
    results(pilot.app).focus()
    await pilot.press("B")
    await until(pilot, lambda: isinstance(pilot.app.screen, SavedSearchesScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SavedSearchesScreen)
    return screen


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_star_survives_quitting_and_is_found_with_is_starred(index: Path) -> None:
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await search(pilot, "uranium")
        results(app).focus()
        await pilot.press("home", "j")
        starred = results(app).highlighted_hit
        assert starred is not None
        await pilot.press("asterisk")
        await until(pilot, lambda: "Starred" in _messages(app))
        assert results(app).row_text(1).lstrip().startswith("★")
        await pilot.press("q")
    library.close()
    # Launched again: the star is still there, and is:starred finds it.
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await search(pilot, "is:starred")
        assert [hit.id for hit in results(app).hits] == [starred.id]
        assert results(app).row_text(0).lstrip().startswith("★")
        # * again takes the star away.
        results(app).focus()
        await pilot.press("asterisk")
        await until(pilot, lambda: "Star removed" in _messages(app))
    library.close()
    assert _ids(index, "is:starred") == []


async def test_opening_marks_read_and_u_toggles_it(index: Path) -> None:
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        opened = await _open_uranium(pilot)
        await _settle(pilot)
        assert opened.id in _ids(index, "is:read")
        await pilot.press("u")  # the article has the focus: it is the one meant
        await until(pilot, lambda: "Marked unread" in _messages(app))
        assert opened.id not in _ids(index, "is:read")
        await pilot.press("u")
        await until(pilot, lambda: "Marked read" in _messages(app))
    library.close()
    assert opened.id in _ids(index, "is:read")


async def test_e_edits_a_note_that_is_found_with_note_and_has_note(index: Path) -> None:
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        opened = await _open_uranium(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press(*"Ask the Aktau desk")
        await pilot.press("escape")  # Esc leaves the note as it was: none
        await until(pilot, lambda: not isinstance(app.screen, NoteScreen))
        await _settle(pilot)
        assert _ids(index, "has:note") == []
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press(*"Ask the Aktau desk [bold]now[/]")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Note kept" in _messages(app))
        await search(pilot, "note:aktau")
        assert [hit.id for hit in results(app).hits] == [opened.id]
        # The editor opens on the note as it was kept.
        results(app).focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert app.screen.query_one(TextArea).text == "Ask the Aktau desk [bold]now[/]"
        await pilot.press("escape")
    library.close()
    assert _ids(index, "has:note") == [opened.id]


async def test_up_and_down_walk_the_search_history_across_launches(index: Path) -> None:
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        for query in ("uranium", "grain exports"):
            await search(pilot, query)
            await pilot.press("enter")  # Enter in the box: searched on purpose, remembered
        await _settle(pilot)
    library.close()
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await _settle(pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#search", Input)
        await pilot.press(*"half typed")
        await pilot.press("up")
        assert box.value == "grain exports"
        await pilot.press("up")
        assert box.value == "uranium"
        await pilot.press("up")  # nothing older
        assert box.value == "uranium"
        await pilot.press("down", "down")
        assert box.value == "half typed"  # what was being typed comes back
    library.close()


async def test_a_saved_search_shows_what_is_new_since_it_was_opened(index: Path, tmp_path: Path) -> None:
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await search(pilot, "uranium")
        results(app).focus()
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, NamePrompt))
        app.screen.query_one(Input).value = "Uranium watch"
        await pilot.press("enter")
        await until(pilot, lambda: any("Saved as Uranium watch" in m for m in _messages(app)))
    library.close()
    # New releases arrive.
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "second.md").write_text(
        "---\ntitle: Second uranium shipment leaves Aktau\ndate: 2025-11-20\nsource: Test Ministry\n---\n\n"
        "A second shipment of uranium concentrate left the port of Aktau for Baku.\n",
        encoding="utf-8",
    )
    with Library.open(index) as writer:
        assert writer.import_paths([incoming]).count("added") == 1
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        screen = await _saved_searches(pilot)
        await until(pilot, lambda: "Uranium watch" in screen.figures)
        assert screen.figures["Uranium watch"][:2] == (10, 1)  # 10 matches, 1 new
        await pilot.press("1")
        await until(pilot, lambda: reader(app).result is not None and reader(app).result.query == "uranium")
        assert len(results(app).hits) == 10
        await _settle(pilot)
    library.close()
    with Library.open(index) as again:
        assert again.new_matches("uranium", again.state.saved_search("Uranium watch").seen_marker) == 0


async def test_o_opens_the_web_address_and_y_copies_title_and_address(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        await started(pilot)
        await search(pilot, "uranium")
        await open_hit(pilot, URANIUM)
        article = detail(app).article
        assert article is not None and article.url.startswith("https://")
        await pilot.press("o")
        await until(pilot, lambda: opened == [article.url])
        await pilot.press("y")
        assert copied == [f"{article.title}\n{article.url}"]
    library.close()


async def test_x_exports_the_list_or_the_article_and_asks_before_overwriting(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import json

    from textual.widgets import RadioButton, Select

    from pressreader.ui.screens.export_prompt import ExportPrompt

    monkeypatch.chdir(tmp_path)
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        article = await _open_uranium(pilot)
        # The whole list, as CSV, only its energy paragraphs.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        app.screen.query_one("#scope-list", RadioButton).value = True
        app.screen.query_one("#export-format", Select).value = "csv"
        app.screen.query_one("#export-theme", Select).value = "energy"
        await pilot.pause()
        path_box = app.screen.query_one("#export-path", Input)
        assert path_box.value == "pressreader-export.csv"  # the suffix follows the format
        path_box.focus()
        await pilot.press("enter")
        await until(pilot, lambda: any("Exported 9 articles" in m for m in _messages(app)))
        with open(tmp_path / "pressreader-export.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and all("energy" in row["themes"].split(";") for row in rows)
        assert len({row["id"] for row in rows}) == 9
        # The open article, as JSON, to the same name: asked first, then overwritten.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        app.screen.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        path_box = app.screen.query_one("#export-path", Input)
        assert path_box.value == "pressreader-export.json"
        (tmp_path / "pressreader-export.json").write_text("kept until asked", encoding="utf-8")
        path_box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportPrompt)  # not yet: the file exists
        assert "exists" in str(app.screen.query_one("#export-error").render())
        assert (tmp_path / "pressreader-export.json").read_text(encoding="utf-8") == "kept until asked"
        await pilot.press("enter")
        await until(pilot, lambda: any("Exported 1 article " in m for m in _messages(app)))
        exported = json.loads((tmp_path / "pressreader-export.json").read_text(encoding="utf-8"))
        assert exported["id"] == article.id and exported["title"] == article.title
    library.close()


async def test_the_export_format_follows_a_typed_suffix_and_theme_labels_are_not_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    from pressreader.themes import load_lexicon
    from pressreader.ui.screens.export_prompt import ExportPrompt

    themes = tmp_path / "themes.toml"
    themes.write_text('[themes.energy]\nlabel = "En[/x"\n', encoding="utf-8")
    library = Library.open(tmp_path / "lib", lexicon=load_lexicon(themes))
    library.import_paths([SAMPLE_DATA])
    monkeypatch.chdir(tmp_path)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await _open_uranium(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        # The lexicon's label, as written, in the list of themes (not read as markup).
        theme_select = app.screen.query_one("#export-theme", Select)
        theme_select.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert theme_select.expanded
        overlay = theme_select.query_one(SelectOverlay)
        assert "only En[/x paragraphs" in [str(option.prompt) for option in overlay.options]
        await pilot.press("escape")
        # Markdown is chosen; out.csv typed: CSV is written.
        formats = app.screen.query_one("#export-format", Select)
        assert formats.value == "md"
        path_box = app.screen.query_one("#export-path", Input)
        path_box.focus()
        path_box.value = ""
        await pilot.press(*"out.csv")
        await pilot.pause()
        assert formats.value == "csv"
        assert path_box.value == "out.csv"
        await pilot.press("enter")
        await until(pilot, lambda: any("Exported 1 article " in m for m in _messages(app)))
        assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("id,title,")
        # .markdown is Markdown's too, and is kept as typed.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        path_box = app.screen.query_one("#export-path", Input)
        path_box.value = "notes.json"
        await pilot.pause()
        assert app.screen.query_one("#export-format", Select).value == "json"
        path_box.value = "notes.markdown"
        await pilot.pause()
        assert app.screen.query_one("#export-format", Select).value == "md"
        assert path_box.value == "notes.markdown"
        await pilot.press("escape")
    library.close()


async def test_a_file_made_while_exporting_is_not_overwritten_and_said_in_the_apps_words(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressreader.library import export
    from pressreader.ui.screens.export_prompt import ExportPrompt

    export_article = export.export_article

    def raced(article, fmt, path, **options):  # type: ignore[no-untyped-def]
        path.write_text("another program's", encoding="utf-8")  # after the prompt looked
        return export_article(article, fmt, path, **options)

    monkeypatch.setattr(export, "export_article", raced)
    monkeypatch.chdir(tmp_path)
    library = Library.open(index)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await _open_uranium(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportPrompt))
        await pilot.press("enter")
        target = tmp_path / "pressreader-export.md"
        await until(pilot, lambda: any("exists" in m for m in _messages(app)))
        assert f"{target} exists: export again to overwrite it." in _messages(app)
        assert not any("--force" in m for m in _messages(app))
        assert target.read_text(encoding="utf-8") == "another program's"
    library.close()


async def test_saved_searches_are_renamed_and_deleted_from_their_list(index: Path) -> None:
    library = Library.open(index)
    library.state.save_search("Uranium", "uranium")
    library.state.save_search("Grain", "grain")
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        listed = await _saved_searches(pilot)
        assert [search.name for search in listed.searches] == ["Uranium", "Grain"]
        await pilot.press("r")  # the first is highlighted
        await until(pilot, lambda: isinstance(app.screen, NamePrompt))
        app.screen.query_one(Input).value = "Uranium watch"
        await pilot.press("enter")
        await until(pilot, lambda: [s.name for s in listed.searches] == ["Uranium watch", "Grain"])
        await pilot.press("down", "d")
        await until(pilot, lambda: [s.name for s in listed.searches] == ["Uranium watch"])
        await pilot.press("escape")
    assert [search.name for search in library.state.saved_searches()] == ["Uranium watch"]
    library.close()


# -- a state store that cannot be written -------------------------------------


def _refusing(calls: list[bool] | None = None):  # type: ignore[no-untyped-def]
    """A state method that fails as a full disk does (its message holds an escape
    sequence, as a folder's name may); ``calls`` notes whether each ran on the UI thread."""

    def refuse(*_args: object, **_options: object) -> None:
        if calls is not None:
            calls.append(threading.current_thread() is threading.main_thread())
        raise StateError(
            "cannot write the reading state in /lib\x1b[31m/state.sqlite3: the disk is full",
            path=Path("/lib/state.sqlite3"),
            reason="full",
        )

    return refuse


def _full(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [message for message in _messages(app) if "the disk is full" in message]


async def test_saved_searches_live_on_when_the_state_store_cannot_be_written(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(index)
    library.state.save_search("Uranium", "uranium")
    on_ui_thread: list[bool] = []
    monkeypatch.setattr(library.state, "delete_search", _refusing(on_ui_thread))
    monkeypatch.setattr(library.state, "rename_search", _refusing(on_ui_thread))
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        listed = await _saved_searches(pilot)
        await pilot.press("d")
        await until(pilot, lambda: len(_full(app)) == 1)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NamePrompt))
        app.screen.query_one(Input).value = "Uranium watch"
        await pilot.press("enter")
        await until(pilot, lambda: len(_full(app)) == 2)
        assert app.screen is listed and [search.name for search in listed.searches] == ["Uranium"]
        assert on_ui_thread == [False, False]  # written in workers
        # Said as text, the escape sequence shown, not sent to the terminal.
        assert all("/lib\\x1b[31m/state.sqlite3" in message for message in _full(app))
        assert not any("\x1b" in message for message in _messages(app))
        # A store that cannot even be read: the list says so.
        monkeypatch.setattr(library.state, "saved_searches", _refusing(on_ui_thread))
        await pilot.press("escape")
        await pilot.press("B")
        await until(pilot, lambda: len(_full(app)) == 3)
        listed = app.screen
        assert isinstance(listed, SavedSearchesScreen) and listed.searches == []
        assert "cannot be read" in str(listed.query_one(OptionList).get_option_at_index(0).prompt)
        assert on_ui_thread == [False, False, False]
    library.close()


async def test_a_reload_stops_the_count_under_way(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = Library.open(index)
    for name in ("Uranium", "Grain", "Water"):
        library.state.save_search(name, name.lower())
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        counted: list[str] = []
        going_on = threading.Event()
        search_all = library.search

        def counting(query: str, **options):  # type: ignore[no-untyped-def]
            if options.get("limit") == 1:  # a saved search counted
                counted.append(query)
                if len(counted) == 1:
                    going_on.wait(5)  # the first count is slow...
            return search_all(query, **options)

        monkeypatch.setattr(library, "search", counting)
        results(app).focus()
        await pilot.press("B")
        while not counted:
            await pilot.pause(0.02)
        listed = app.screen
        assert isinstance(listed, SavedSearchesScreen)
        # ...and meanwhile one is deleted: the list is read and counted again.
        await pilot.press("d")
        while len(listed.searches) != 2:
            await pilot.pause(0.02)
        going_on.set()
        await until(pilot, lambda: len(listed.figures) == 2)
        assert sorted(counted) == ["grain", "uranium", "water"]  # not grain and water twice
        await pilot.press("escape")
    library.close()


async def test_a_state_store_that_cannot_be_written_is_said_once(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(index)
    for name in ("set_read", "add_history", "toggle_star"):
        monkeypatch.setattr(library.state, name, _refusing())
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await search(pilot, "uranium")
        await pilot.press("enter")  # searched on purpose: the history is written
        for number in range(3):  # each opened article is marked read
            results(app).focus()
            await pilot.press("home", *["j"] * number, "enter")
            await until(pilot, lambda: detail(app).article is not None and app.focused is detail(app))
        await _settle(pilot)
        said = [n for n in app._notifications if n.severity != "information"]
        assert [n.title for n in said] == ["Read marks and history are not kept"]
        assert "the disk is full" in str(said[0].message)
        # What was asked for is said each time.
        await pilot.press("asterisk")
        await until(pilot, lambda: len(_full(app)) == 2)
        await pilot.press("asterisk")
        await until(pilot, lambda: len(_full(app)) == 3)
        assert [n.title for n in app._notifications if n.severity == "error"] == ["Star not kept"] * 2
    library.close()


async def test_a_read_only_library_says_marks_cannot_be_kept(index: Path) -> None:
    library = Library.open(index)
    library.state.history()  # opened writable: nothing but the reader's own check refuses a write
    library.read_only = True  # as Library.open makes it for a folder it may not write
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await _open_uranium(pilot)
        for key in ("u", "asterisk", "u", "e"):
            await pilot.press(key)
        await _settle(pilot)
        assert not isinstance(app.screen, NoteScreen)
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, NamePrompt)
        assert _messages(app) == [
            "This library is read-only: read marks cannot be kept.",
            "This library is read-only: stars cannot be kept.",
            "This library is read-only: read marks cannot be kept.",
            "This library is read-only: notes cannot be kept.",
            "This library is read-only: saved searches cannot be kept.",
        ]
    assert library.state.history() == []
    library.close()
    assert _ids(index, "is:read") == [] and _ids(index, "is:starred") == []


async def test_a_failed_history_write_is_named_for_what_it_was(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_query: str) -> None:
        raise RuntimeError("no history today")

    library = Library.open(index)
    monkeypatch.setattr(library.state, "add_history", broken)
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        await search(pilot, "uranium")
        await pilot.press("enter")
        await until(pilot, lambda: app._notifications)
        [failed] = list(app._notifications)
        assert failed.title == "Saving the search history failed"
        assert str(failed.message) == "RuntimeError: no history today"
    library.close()
