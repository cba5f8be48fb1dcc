"""Settings: the file (load, save, every kind of mistake) and the settings screen.

The conftest points PRESSREADER_CONFIG at a fresh folder in ``tmp_path`` for
each test, so ``settings_path()`` is never in a real home directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, Switch

from pressreader.config import Settings, color_hex, load_settings, save_settings, settings_path
from pressreader.library import Library
from pressreader.themes import load_lexicon
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.screens import settings as settings_screen
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.screens.settings import SettingsScreen
from test_ui import (
    URANIUM_RELEASE,
    WATER_RELEASE,
    WIDE,
    palette_offers,
    reader,
    search,
    started,
    status_text,
    until,
)

HOSTILE_LABEL = "[bold red]x[/"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("settings")
    sources = root / "releases"
    sources.mkdir()
    (sources / "uranium.md").write_text(URANIUM_RELEASE, encoding="utf-8")
    (sources / "water.md").write_text(WATER_RELEASE, encoding="utf-8")
    lib = Library.open(root / "lib")
    report = lib.import_paths([sources])
    assert report.count("rejected") == 0, report.rejected
    yield lib
    lib.close()


def notifications(app: PressReaderApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


# -- the file -----------------------------------------------------------------


def test_settings_live_in_the_config_folder(tmp_path: Path) -> None:
    assert settings_path() == tmp_path / "env-config" / "settings.toml"


def test_no_file_gives_the_defaults_without_a_word() -> None:
    assert not settings_path().exists()
    assert load_settings() == (Settings(), "")
    assert Settings() == Settings(theme_colors={}, highlight="bar", sort="relevance", dark=True)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(theme_colors={"energy": "#ff8800", "digital": "dark_orange"}, highlight="background"),
        Settings(highlight="off", sort="date", dark=False),
        # Ids from a user lexicon may be anything TOML can hold as a key.
        Settings(theme_colors={'we"ird id\t\\': "rgb(1,2,3)", "ünïcode": "color(12)"}),
    ],
)
def test_save_and_load_round_trip(settings: Settings) -> None:
    written = save_settings(settings)
    assert written == settings_path()
    assert load_settings() == (settings, "")
    # Whole or nothing: no temporary file is left beside it.
    assert sorted(p.name for p in written.parent.iterdir()) == ["settings.toml"]


def test_a_failed_save_leaves_the_old_file_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    before = Settings(sort="date")
    save_settings(before)
    text = settings_path().read_text(encoding="utf-8")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        save_settings(Settings(highlight="off"))
    assert settings_path().read_text(encoding="utf-8") == text
    assert sorted(p.name for p in settings_path().parent.iterdir()) == ["settings.toml"]


def test_settings_a_load_would_refuse_are_never_written() -> None:
    with pytest.raises(ValueError):
        save_settings(Settings(theme_colors={"energy": "blurple"}))
    assert not settings_path().exists()


def test_colours_are_read_as_rich_reads_them() -> None:
    assert color_hex("#FF8800") == "#ff8800"
    assert color_hex("dark_orange") == "#ff8700"
    assert color_hex(" rgb(1, 2, 3) ") == "#010203"
    for bad in ("blurple", "#ff88", "", "default"):
        with pytest.raises(ValueError):
            color_hex(bad)


def test_theme_colours_replace_the_lexicons(library: Library) -> None:
    themes = library.lexicon.themes
    coloured = Settings(theme_colors={"energy": "dark_orange", "no-such-theme": "#123456"}).themes_over(
        themes
    )
    assert coloured["energy"].color == "#ff8700"
    assert coloured["energy"].label == themes["energy"].label
    assert coloured["diplomacy"] == themes["diplomacy"]
    assert set(coloured) == set(themes)  # an unknown id is ignored
    assert themes["energy"].color != "#ff8700"  # the lexicon itself is untouched


#: (file text, the key the message must name, the settings that result):
#: what is wrong falls back to its default, the rest is kept.
BAD_FILES = [
    pytest.param(
        'sort = "date"\ncolour_scheme = "solarized"\n',
        "colour_scheme",
        Settings(sort="date"),
        id="unknown key",
    ),
    pytest.param('sort = "date"\ndark = "no"\n', "dark", Settings(sort="date"), id="dark not a boolean"),
    pytest.param(
        "highlight = 1\ndark = false\n", "highlight", Settings(dark=False), id="highlight not a string"
    ),
    pytest.param(
        'highlight = "glow"\nsort = "date"\n', "highlight", Settings(sort="date"), id="unknown highlight"
    ),
    pytest.param('sort = "alphabetical"\ndark = false\n', "sort", Settings(dark=False), id="unknown sort"),
    pytest.param(
        '[theme_colors]\nenergy = "blurple"\ndigital = "#00ff00"\n',
        "theme_colors.energy",
        Settings(theme_colors={"digital": "#00ff00"}),
        id="not a colour",
    ),
    pytest.param(
        '[theme_colors]\nenergy = "default"\n', "theme_colors.energy", Settings(), id="the default colour"
    ),
    pytest.param(
        "[theme_colors]\nenergy = 255\n", "theme_colors.energy", Settings(), id="colour not a string"
    ),
    pytest.param(
        'theme_colors = "red"\nhighlight = "off"\n',
        "theme_colors",
        Settings(highlight="off"),
        id="theme_colors not a table",
    ),
]


@pytest.mark.parametrize(("text", "key", "expected"), BAD_FILES)
def test_a_mistake_gives_its_default_and_names_the_file_and_key(
    text: str, key: str, expected: Settings
) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    settings, message = load_settings()
    assert settings == expected
    assert str(path) in message
    assert f"\n{key}: " in message


@pytest.mark.parametrize(
    ("content", "what"),
    [
        pytest.param(b'highlight = "bar\nsort = ', "not valid TOML", id="not TOML"),
        pytest.param(b"[theme_colors\n", "not valid TOML", id="broken table"),
        pytest.param(b'highlight = "\xff\xfe"\n', "Cannot read", id="not UTF-8"),
    ],
)
def test_a_file_that_is_not_toml_gives_every_default(content: bytes, what: str) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    settings, message = load_settings()
    assert settings == Settings()
    assert str(path) in message and what in message and "defaults" in message


def test_a_folder_in_place_of_the_file_gives_every_default() -> None:
    settings_path().mkdir(parents=True)
    settings, message = load_settings()
    assert settings == Settings()
    assert str(settings_path()) in message


async def test_the_app_starts_on_a_bad_file_and_says_what_is_wrong(library: Library) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('sort = "date"\nhighlight = "glow"\n', encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await until(pilot, lambda: notifications(app))
        [message] = notifications(app)
        assert str(path) in message and "highlight" in message and "glow" in message
        assert app.settings == Settings(sort="date")  # the valid key is kept
        assert reader(app).sort == "date"


async def test_the_app_starts_on_a_file_that_is_not_toml(library: Library) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("dark = maybe\n", encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await until(pilot, lambda: notifications(app))
        assert any(str(path) in text and "not valid TOML" in text for text in notifications(app))
        assert app.settings == Settings() and app.theme == "textual-dark"


async def test_a_good_file_starts_the_app_quietly_with_its_settings(library: Library) -> None:
    save_settings(Settings(theme_colors={"energy": "#00ff00"}, sort="date", dark=False))
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert notifications(app) == []
        assert app.theme == "textual-light"
        assert reader(app).themes["energy"].color == "#00ff00"
        await search(pilot, "uranium")
        assert "sort: newest first" in status_text(app)


# -- the screen ---------------------------------------------------------------


async def open_settings(pilot: Pilot[None]) -> SettingsScreen:
    await started(pilot)
    await pilot.press("comma")
    await until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def tab_to(pilot: Pilot[None], widget_id: str) -> None:
    """Press Tab until the widget with ``widget_id`` has the focus (at most 30 times)."""
    for _ in range(30):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}")


def colour_input(screen: SettingsScreen, theme_id: str) -> Input:
    input_id = next(key for key, value in screen._theme_of.items() if value == theme_id)
    return screen.query_one(f"#{input_id}", Input)


def error_text(screen: SettingsScreen) -> str:
    return screen.query_one("#settings-error", Static).content.plain  # type: ignore[union-attr]


async def test_change_everything_save_and_find_it_again_on_relaunch(library: Library) -> None:
    energy_input = ""
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot)
        assert app.focused is screen.query_one("#highlight", Select)
        # Highlighting: bar -> background (Enter opens the list, ↓ moves, Enter picks).
        await pilot.press("enter", "down", "enter")
        assert screen.query_one("#highlight", Select).value == "background"
        await pilot.press("tab")
        assert app.focused is screen.query_one("#sort", Select)
        await pilot.press("enter", "down", "enter")
        assert screen.query_one("#sort", Select).value == "date"
        await pilot.press("tab", "space")
        assert screen.query_one("#dark", Switch).value is False
        energy_input = colour_input(screen, "energy").id or ""
        await tab_to(pilot, energy_input)
        await pilot.press(*"dark_orange")  # the old value is selected on focus: typing replaces it
        assert colour_input(screen, "energy").value == "dark_orange"
        assert error_text(screen) == ""
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))

        expected = Settings(
            theme_colors={"energy": "dark_orange"}, highlight="background", sort="date", dark=False
        )
        assert load_settings() == (expected, "")
        assert app.settings == expected
        assert app.theme == "textual-light"  # applied at once
        assert reader(app).themes["energy"].color == "#ff8700"

    relaunched = make_app(library)
    async with relaunched.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert relaunched.settings == expected
        assert relaunched.theme == "textual-light"
        assert reader(relaunched).sort == "date"
        assert reader(relaunched).themes["energy"].color == "#ff8700"
        await search(pilot, "uranium")
        assert "sort: newest first" in status_text(relaunched)
        await pilot.press("escape")  # from the search box to the list, where "," is a key
        # The screen opens on the saved values.
        screen = await open_settings(pilot)
        assert screen.query_one("#highlight", Select).value == "background"
        assert screen.query_one("#sort", Select).value == "date"
        assert screen.query_one("#dark", Switch).value is False
        assert colour_input(screen, "energy").value == "dark_orange"


async def test_escape_discards_the_changes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("tab", "enter", "down", "enter", "tab", "space")
        assert screen.query_one("#sort", Select).value == "date"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert not settings_path().exists()
        assert app.settings == Settings() and app.theme == "textual-dark"
        assert reader(app).sort == "relevance"


async def test_an_invalid_colour_is_flagged_as_typed_and_cannot_be_saved(library: Library) -> None:
    save_settings(Settings(sort="date"))
    before = settings_path().read_text(encoding="utf-8")
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot)
        field = colour_input(screen, "energy")
        await tab_to(pilot, field.id or "")
        await pilot.press(*"blurple")
        assert field.has_class("-invalid")
        assert "blurple" in error_text(screen) and "not a colour" in error_text(screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # still open
        assert "Not saved" in error_text(screen)
        await tab_to(pilot, "settings-save")
        await pilot.press("enter")  # the Save button refuses too, and sends the focus back
        await pilot.pause()
        assert app.screen is screen and app.focused is field
        assert settings_path().read_text(encoding="utf-8") == before
        # Mended, it saves.
        await pilot.press(*"#00ff00", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert load_settings() == (Settings(theme_colors={"energy": "#00ff00"}, sort="date"), "")


async def test_a_colour_equal_to_the_lexicons_or_blank_is_no_override(library: Library) -> None:
    save_settings(Settings(theme_colors={"energy": "#00ff00", "gone-theme": "#123456"}))
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot)
        energy = colour_input(screen, "energy")
        digital = colour_input(screen, "digital")
        await tab_to(pilot, digital.id or "")
        await pilot.press(*library.lexicon.themes["digital"].color.upper())
        await tab_to(pilot, energy.id or "")
        await pilot.press("backspace")  # selected on focus: Backspace blanks it
        assert energy.value == ""
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
    # Only the id the lexicon does not know (yet) is kept.
    assert load_settings() == (Settings(theme_colors={"gone-theme": "#123456"}), "")


async def test_a_folder_that_cannot_be_written_keeps_the_screen_open(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(settings: Settings, path: Path | None = None) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings_screen, "save_settings", read_only)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "Permission denied" in error_text(screen) and str(settings_path()) in error_text(screen)
        assert app.theme == "textual-dark"


async def test_the_command_palette_opens_the_settings(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        assert "Settings" in {command.title for command in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+p", *"settings")
        await until(pilot, lambda: palette_offers(app, "settings"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))


async def test_comma_types_into_the_search_box(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await started(pilot)
        await pilot.press("slash", "a", "comma", "b")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.query_one("#search", Input).value == "a,b"


async def test_a_dark_theme_chosen_in_the_palette_survives_a_save(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        app.theme = "nord"
        await open_settings(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.theme == "nord"
        assert settings_path().exists()


async def test_theme_labels_from_the_lexicon_are_never_markup(tmp_path: Path) -> None:
    themes = tmp_path / "themes.toml"
    themes.write_text(f"[themes.energy]\nlabel = {HOSTILE_LABEL!r}\n", encoding="utf-8")
    lib = Library.open(tmp_path / "hostile", lexicon=load_lexicon(themes))
    try:
        assert lib.lexicon.themes["energy"].label == HOSTILE_LABEL
        app = make_app(lib)
        async with app.run_test(size=WIDE) as pilot:
            screen = await open_settings(pilot)
            names = [s.content.plain for s in screen.query(".settings-name").results(Static)]  # type: ignore[union-attr]
            assert HOSTILE_LABEL in names
            field = colour_input(screen, "energy")
            await tab_to(pilot, field.id or "")
            await pilot.press(*"[red]")
            assert f"{HOSTILE_LABEL}: '[red]' is not a colour" in error_text(screen)
    finally:
        lib.close()
