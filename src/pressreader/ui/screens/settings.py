"""The settings screen: theme colours, highlighting style, default sort, dark or light.

A modal over the reader, keyboard first: Tab and Shift+Tab move between the
fields, Enter or Space opens a list or flips the switch, Ctrl+S (or the Save
button) writes ``settings.toml`` and closes with the new :class:`Settings`,
Esc closes with ``None`` and nothing is written.  A theme colour is checked as
it is typed; while one is not a colour, Save says which and writes nothing.

Theme labels come from a lexicon the user may edit: they enter the screen as
``rich.text.Text`` content only, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Select, Static, Switch

from pressreader.config import (
    HIGHLIGHT_STYLES,
    SORT_ORDERS,
    Settings,
    color_error,
    color_hex,
    save_settings,
)
from pressreader.model import Theme
from pressreader.printable import printable
from pressreader.ui.widgets import rendering

HIGHLIGHT_CHOICES = (
    ("A bar beside each paragraph", "bar"),
    ("A tinted background", "background"),
    ("Off", "off"),
)
SORT_CHOICES = (("Relevance", "relevance"), ("Date, newest first", "date"))
#: Cells of a theme's colour sample.
SWATCH_WIDTH = 8
HINT = "Tab moves · Enter or Space opens a list or flips the switch · Ctrl+S saves · Esc cancels"


class ColourValidator(Validator):
    """A colour Rich can draw (``dark_orange``, ``#rrggbb``, ``rgb(1,2,3)``); blank means
    the lexicon's own colour."""

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        why = color_error(value.strip())
        return self.failure(why) if why else self.success()


class SettingsScreen(ModalScreen[Settings | None]):
    """Edits ``settings``; saves to ``path`` and dismisses with the saved settings."""

    CSS_PATH = "../styles/settings.tcss"
    AUTO_FOCUS = "#highlight"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
    ]

    def __init__(self, settings: Settings, themes: Mapping[str, Theme], path: Path) -> None:
        """``themes`` are the lexicon's, before the settings' colours."""
        super().__init__()
        self.settings = settings
        self.lexicon_themes = dict(themes)
        self.path = path
        #: The theme id behind each colour input, by the input's id.
        self._theme_of: dict[str, str] = {}

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.settings
        # Not a focus stop of its own: Tab goes from field to field, and the box
        # scrolls to show the focused one.
        with VerticalScroll(id="settings-box", can_focus=False) as box:
            box.border_title = "Settings"
            box.border_subtitle = "Ctrl+S saves · Esc cancels"
            with Horizontal(classes="settings-row"):
                yield Static(Text("Highlighting"), classes="settings-name")
                yield Select(
                    HIGHLIGHT_CHOICES,
                    value=settings.highlight,
                    allow_blank=False,
                    compact=True,
                    id="highlight",
                )
            with Horizontal(classes="settings-row"):
                yield Static(Text("Default sort"), classes="settings-name")
                yield Select(SORT_CHOICES, value=settings.sort, allow_blank=False, compact=True, id="sort")
            with Horizontal(classes="settings-row"):
                yield Static(Text("Dark theme"), classes="settings-name")
                yield Switch(settings.dark, animate=False, id="dark")
                yield Static(self._mode_text(settings.dark), id="dark-label")
            yield Static(Text("Theme colours", Style(bold=True)), id="settings-themes-title")
            yield Static(
                Text("A colour name (dark_orange, deep_sky_blue1) or #rrggbb; blank: the lexicon's."),
                id="settings-themes-hint",
            )
            for number, (theme_id, theme) in enumerate(self.lexicon_themes.items()):
                input_id = f"color-{number}"
                self._theme_of[input_id] = theme_id
                value = settings.theme_colors.get(theme_id, theme.color)
                with Horizontal(classes="settings-row theme-row"):
                    label = Text(printable(theme.label or theme_id))
                    yield Static(label, classes="settings-name", markup=False)
                    yield Static(self._swatch(theme, value), id=f"swatch-{number}", classes="swatch")
                    yield Input(
                        printable(value),
                        placeholder=printable(theme.color),
                        validators=[ColourValidator()],
                        validate_on=["changed", "submitted"],
                        valid_empty=True,
                        compact=True,
                        id=input_id,
                        classes="theme-color",
                    )
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="settings-save", compact=True)
                yield Button("Cancel", id="settings-cancel", compact=True)
            yield Static(Text(HINT), id="settings-hint")

    @staticmethod
    def _mode_text(dark: bool) -> Text:
        return Text("dark" if dark else "light")

    def _swatch(self, theme: Theme, value: str) -> Text:
        """The paragraph bar and a block in the colour ``value`` names (the theme's own
        when blank), as the reader will draw them; a question mark while it is no colour."""
        value = value.strip()
        if value and color_error(value):
            return Text("  " + "?".center(SWATCH_WIDTH), Style(dim=True))
        color = rendering.theme_color(replace(theme, color=color_hex(value) if value else theme.color))
        swatch = Text(rendering.BAR + " ", Style(color=color.rich_color))
        swatch.append(" " * SWATCH_WIDTH, Style(bgcolor=color.rich_color))
        return swatch

    # -- live feedback ------------------------------------------------------

    @on(Input.Changed, ".theme-color")
    def _colour_changed(self, event: Input.Changed) -> None:
        input_id = event.input.id or ""
        theme = self.lexicon_themes[self._theme_of[input_id]]
        number = input_id.removeprefix("color-")
        self.query_one(f"#swatch-{number}", Static).update(self._swatch(theme, event.value))
        self._show_error(self._first_problem())

    @on(Switch.Changed, "#dark")
    def _dark_changed(self, event: Switch.Changed) -> None:
        self.query_one("#dark-label", Static).update(self._mode_text(event.value))

    def _first_problem(self) -> tuple[Input, str] | None:
        """The first colour input that holds no colour, and why."""
        for input_id, theme_id in self._theme_of.items():
            field = self.query_one(f"#{input_id}", Input)
            value = field.value.strip()
            if value and (why := color_error(value)):
                label = self.lexicon_themes[theme_id].label or theme_id
                return field, f"{label}: {why}"
        return None

    def _show_error(self, problem: tuple[Input, str] | str | None) -> None:
        if isinstance(problem, tuple):
            problem = problem[1]
        # The message quotes what was typed and a lexicon label: plain text, made printable.
        self.query_one("#settings-error", Static).update(Text(printable(problem or "")))

    # -- the result ---------------------------------------------------------

    def chosen(self) -> Settings:
        """The settings the fields hold (the colour inputs must all be valid)."""
        colors = dict(self.settings.theme_colors)  # keeps ids the lexicon no longer has
        for input_id, theme_id in self._theme_of.items():
            value = self.query_one(f"#{input_id}", Input).value.strip()
            own = self.lexicon_themes[theme_id].color
            if not value or color_hex(value) == _hex_or_none(own):
                colors.pop(theme_id, None)
            else:
                colors[theme_id] = value
        highlight = self.query_one("#highlight", Select).value
        sort = self.query_one("#sort", Select).value
        return Settings(
            theme_colors=colors,
            highlight=next((h for h in HIGHLIGHT_STYLES if h == highlight), self.settings.highlight),
            sort=next((s for s in SORT_ORDERS if s == sort), self.settings.sort),
            dark=self.query_one("#dark", Switch).value,
        )

    @on(Button.Pressed, "#settings-save")
    def action_save(self) -> None:
        problem = self._first_problem()
        if problem is not None:
            field, message = problem
            self._show_error(f"Not saved. {message}")
            field.focus()
            self.app.bell()
            return
        settings = self.chosen()
        try:
            save_settings(settings, self.path)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self._show_error(f"Not saved: cannot write {self.path} ({reason}).")
            return
        self.dismiss(settings)

    @on(Button.Pressed, "#settings-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _hex_or_none(value: str) -> str | None:
    try:
        return color_hex(value)
    except ValueError:
        return None
