"""The Textual app: wires the screens, the global keys and the command palette.

Everything else lives in :mod:`pressreader.ui.screens` and
:mod:`pressreader.ui.widgets`; the CLI and the tests both build the app with
:func:`make_app`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from pressreader.ui.screens.help import HelpScreen
from pressreader.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from pressreader.library import Library


class PressReaderApp(App[None]):
    """An offline reader for press releases."""

    TITLE = "pressreader"
    CSS_PATH = "styles/app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, library: Library, *, query: str = "", message: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial_query = query
        self.startup_message = message

    def on_mount(self) -> None:
        if self.startup_message:
            self.notify(self.startup_message, severity="warning", timeout=15, markup=False)

    def get_default_screen(self) -> Screen[None]:
        return ReaderScreen(self.library, query=self.initial_query)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key of the reader", self.action_help)
        if isinstance(screen, ReaderScreen):
            yield SystemCommand("Search", "Focus the search box (/)", screen.action_focus_search)
            yield SystemCommand("Toggle sort", "Relevance or newest first (s)", screen.action_toggle_sort)
            yield SystemCommand(
                "Toggle theme highlighting",
                "Paragraph colours and labels on or off (t)",
                screen.action_toggle_themes,
            )
            yield SystemCommand("Back to the list", "Leave the article (Esc)", screen.action_back)


def make_app(library: Library, *, query: str = "", message: str = "") -> PressReaderApp:
    """The reader over ``library``, optionally opened on ``query``; ``message`` (plain
    text, e.g. what an import before launch rejected) is shown as a notification."""
    return PressReaderApp(library, query=query, message=message)
