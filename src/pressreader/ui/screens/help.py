"""The help overlay: every key of the reader, by place."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: (place, ((keys, what they do), ...)).  A test checks that every binding of
#: the reader appears here, so this table cannot fall behind the code.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("/", "search: focus the search box"),
            ("Esc", "back: from the article or the search box to the list"),
            ("Tab / Shift+Tab", "next / previous pane"),
            ("s", "sort by relevance or by date (newest first); re-runs the search"),
            ("t", "theme highlighting on / off"),
            ("i", "import files or folders into the library (in the background)"),
            ("f", "facets: the query's matches by theme, source and year, over time; Enter filters"),
            ("b", "save the search under a name"),
            ("B", "saved searches, with what is new since each was opened; Enter or 1-9 opens"),
            ("x", "export the open article or the whole list (Markdown, JSON, CSV)"),
            (", (comma)", "settings: theme colours, highlighting, default sort, dark or light"),
            ("?", "this help"),
            ("Ctrl+P", "command palette: every action by name"),
            ("q / Ctrl+Q", "quit"),
        ),
    ),
    (
        "Search box",
        (
            ("typing", "searches after a short pause; q, s, t, j, k and , type here"),
            ("Enter", "search now and go to the results"),
            ("↑ / ↓", "earlier / later searches (the history is kept between launches)"),
            ("Esc", "go to the results, keeping the query"),
        ),
    ),
    (
        "Result list",
        (
            ("↓ / j, ↑ / k", "next / previous article"),
            ("PgDn / PgUp", "a page down / up"),
            ("Home / g, End / G", "first / last article"),
            ("Enter", "open the highlighted article (it is marked read)"),
        ),
    ),
    (
        "Result list or article",
        (
            ("u", "read / unread"),
            ("* (asterisk)", "star / unstar (★; find them with is:starred)"),
            ("e", "a note on the article (✎; Ctrl+S keeps it; find with note:word, has:note)"),
            ("o", "open the article's web address in the browser"),
            ("y", "copy the title and web address"),
        ),
    ),
    (
        "Article",
        (
            ("↓ / j, ↑ / k", "scroll"),
            ("Space / PgDn, PgUp", "a page down / up"),
            ("Home / g, End / G", "top / bottom"),
            ("n / N", "next / previous match of the query (after the last, the first again)"),
            ("] / [", "next / previous paragraph of the chosen theme ([Energy] in the legend)"),
            ("c", "choose another of the article's themes; a click on the legend chooses and goes there"),
            ("Esc", "back to the list"),
        ),
    ),
    (
        "Saved searches",
        (
            ("↓ / ↑", "next / previous saved search"),
            ("Enter, 1-9", "open the highlighted saved search, or the one with that number"),
            ("r", "rename the highlighted saved search"),
            ("d / Delete", "delete the highlighted saved search"),
            ("Esc", "close"),
        ),
    ),
    (
        "Settings",
        (
            ("Tab / Shift+Tab", "next / previous field"),
            ("Enter / Space", "open a list, or flip the dark switch"),
            ("Ctrl+S", "save: write the settings file and apply them at once"),
            ("Esc", "close without saving"),
        ),
    ),
    (
        "Query syntax",
        (
            ("uranium export", "articles with both words (any form: export, exports)"),
            ('"nuclear power"', "the exact phrase"),
            ("theme:energy", "articles with a theme"),
            ("source:MFA", "articles from a source"),
            ('source:"Kazakh MFA"', "a source by its full name"),
            ("date:2024-06", "articles from a month (or a year: date:2024)"),
            ("date:[A to B]", "a range of dates: date:[2024-01-01 to 2024-06-30]"),
            ("a OR b, NOT c", "either word; leave a word out"),
            ("is:unread, is:read", "articles opened or not (u toggles)"),
            ("is:starred", "starred articles (* toggles)"),
            ("has:note, note:word", "articles with a note, or whose note has the word"),
        ),
    ),
)


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for place, rows in KEYS:
        table.add_row(Text(place, Style(bold=True, underline=True)), Text())
        for keys, what in rows:
            table.add_row(Text(keys, Style(bold=True)), Text(what))
        table.add_row(Text(), Text())
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="Esc"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(keys_table(), id="help-keys")

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down()
        else:
            body.scroll_up()
