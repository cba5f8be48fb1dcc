"""The Textual app: wires the screens, the global keys and the command palette,
and applies the user's settings (:mod:`pressreader.config`).

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

from pressreader.config import Settings, load_settings, settings_path
from pressreader.library.notices import take as take_notices
from pressreader.printable import printable
from pressreader.ui.screens.help import HelpScreen
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.screens.settings import SettingsScreen
from pressreader.ui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from pressreader.library import Library
    from pressreader.model import Theme

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"
#: How often the reader looks for notices from the library (seconds).
NOTICE_INTERVAL = 1.0


class PressReaderApp(App[None]):
    """An offline reader for press releases."""

    TITLE = "pressreader"
    CSS_PATH = "styles/app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("comma", "settings", "Settings", key_display=",", show=False),
    ]

    def __init__(
        self,
        library: Library,
        *,
        query: str = "",
        message: str = "",
        settings: Settings | None = None,
        settings_warning: str = "",
    ) -> None:
        super().__init__()
        self.library = library
        self.initial_query = query
        self.startup_message = message
        self.settings_warning = settings_warning
        #: The settings in force; the settings screen saves to ``settings_file``.
        self.settings = settings if settings is not None else Settings()
        self.settings_file = settings_path()
        self.theme = DARK_THEME if self.settings.dark else LIGHT_THEME

    def on_mount(self) -> None:
        if self.startup_message:
            said = printable(self.startup_message, newlines=True)
            self.notify(said, severity="warning", timeout=15, markup=False)
        if self.settings_warning:
            said = printable(self.settings_warning, newlines=True)
            self.notify(said, title="Settings", severity="warning", timeout=20, markup=False)
        self._show_notices()
        self.set_interval(NOTICE_INTERVAL, self._show_notices)

    def _show_notices(self) -> None:
        """What the library has to say once (a state restored from its backup, changes
        lost with a damaged -wal), as notifications that stay a while."""
        for notice in take_notices():
            self.notify(printable(notice), title="Your library", severity="warning", timeout=30, markup=False)

    def themes(self) -> dict[str, Theme]:
        """The lexicon's themes in the colours of the current settings."""
        return self.settings.themes_over(self.library.lexicon.themes)

    def get_default_screen(self) -> Screen[None]:
        screen = ReaderScreen(self.library, query=self.initial_query, sort=self.settings.sort)
        screen.themes = self.themes()  # before it mounts: its panes are built with these
        return screen

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        if not isinstance(self.screen, SettingsScreen):
            screen = SettingsScreen(self.settings, self.library.lexicon.themes, self.settings_file)
            self.push_screen(screen, self._settings_saved)

    def _settings_saved(self, settings: Settings | None) -> None:
        if settings is not None:  # None: cancelled
            self.apply_settings(settings)

    def apply_settings(self, settings: Settings) -> None:
        """Make ``settings`` the ones in force: dark or light at once, and the reader told.

        The reader's ``themes`` dict (which its panes hold too) is updated in place with
        the new colours before its ``apply_settings(settings)`` is called to redraw.
        """
        self.settings = settings
        if self.current_theme.dark != settings.dark:  # a dark theme picked in the palette stays
            self.theme = DARK_THEME if settings.dark else LIGHT_THEME
        themes = self.themes()
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.themes.clear()
                screen.themes.update(themes)
                screen.apply_settings(settings)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key of the reader", self.action_help)
        yield SystemCommand(
            "Settings", "Theme colours, highlighting, default sort, dark or light (,)", self.action_settings
        )
        if isinstance(screen, ReaderScreen):
            yield SystemCommand("Search", "Focus the search box (/)", screen.action_focus_search)
            yield SystemCommand("Toggle sort", "Relevance or newest first (s)", screen.action_toggle_sort)
            yield SystemCommand(
                "Toggle theme highlighting",
                "Paragraph colours and labels on or off (t)",
                screen.action_toggle_themes,
            )
            yield SystemCommand("Back to the list", "Leave the article (Esc)", screen.action_back)
            for title, help_text, action in READER_COMMANDS:
                yield SystemCommand(title, help_text, getattr(screen, f"action_{action}"))
            view = screen.query_one(ArticleView)
            for title, help_text, action in ARTICLE_COMMANDS:
                yield SystemCommand(title, help_text, getattr(view, f"action_{action}"))


#: The reader's other actions in the command palette: (title, what it does (key), action).
READER_COMMANDS = (
    ("Facets", "The query's matches by theme, source and year, over time (f)", "toggle_facets"),
    ("Save this search", "Keep the query under a name (b)", "save_search"),
    ("Saved searches", "Open one; see what is new since it was last opened (B)", "saved_searches"),
    ("Export", "The open article or the whole list: Markdown, JSON or CSV (x)", "export"),
    ("Import", "Files or folders into the library (i)", "import"),
    ("Star or unstar", "The open or highlighted article (*)", "toggle_star"),
    ("Read or unread", "The open or highlighted article (u)", "toggle_read"),
    ("Note", "Write a note on the article (e)", "edit_note"),
    ("Open in the browser", "The article's web address (o)", "open_url"),
    ("Copy title and address", "Of the article, to the clipboard (y)", "copy"),
)
#: The article's, run on the article pane.
ARTICLE_COMMANDS = (
    ("Next match", "Of the query, in the article (n)", "next_match"),
    ("Previous match", "Of the query, in the article (N)", "previous_match"),
    ("Next paragraph of the theme", "The chosen theme's next paragraph (])", "next_theme_paragraph"),
    (
        "Previous paragraph of the theme",
        "The chosen theme's previous paragraph ([)",
        "previous_theme_paragraph",
    ),
    ("Another theme", "Choose the theme ] and [ go through (c)", "cycle_theme"),
)


def make_app(
    library: Library, *, query: str = "", message: str = "", settings: Settings | None = None
) -> PressReaderApp:
    """The reader over ``library``, optionally opened on ``query``; ``message`` (plain
    text, e.g. what an import before launch rejected) is shown as a notification.

    ``settings`` default to the settings file's (:func:`pressreader.config.load_settings`);
    what is wrong with that file is shown as a notification too.
    """
    warning = ""
    if settings is None:
        settings, warning = load_settings()
    return PressReaderApp(library, query=query, message=message, settings=settings, settings_warning=warning)
