"""Saved searches: name a query (``b``), list them and open one (``B``).

The list shows, for each saved search, how many articles it finds now and how
many of them arrived in the library since it was last opened (counted in a
worker: the names show at once, the figures as they come).  Enter or the
digits 1 to 9 open one; ``d`` deletes, ``r`` renames.  The list is read, and
deletions and renames are written, in workers too: the state store may be busy
(another pressreader writing) or refuse to be written (a read-only folder, a full
disk), and either is said in a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from pressreader.library import Library
from pressreader.library.state import SavedSearch, StateError
from pressreader.printable import printable
from pressreader.ui.widgets import notice

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

HINT = "Enter or 1-9 opens · r renames · d deletes · Esc closes"


class NamePrompt(ModalScreen[str | None]):
    """Asks for a name (to save a search under, or to rename one to)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, name: str, detail: str = "") -> None:
        super().__init__()
        self.heading = title
        self.start = name
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box", classes="prompt-box"):
            yield Static(Text(self.heading, style="bold"))
            if self.detail:
                yield Static(Text(printable(self.detail), style="dim"))
            yield Input(self.start, placeholder="a name", id="name")
            yield Static(id="name-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.query_one("#name-error", Static).update(Text("Type a name."))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class Listed(Message):
    """The saved searches as read from the state store (``error``: it could not be read)."""

    searches: list[SavedSearch]
    highlight: str | None = None
    error: str = ""


@dataclass
class Written(Message):
    """A deletion or a rename was tried: ``said`` what was done, or ``error`` (with the
    ``severity`` to say it with) why not; ``renamed`` is (old name, new name)."""

    said: str = ""
    error: str = ""
    severity: SeverityLevel = "error"
    renamed: tuple[str, str] | None = None


@dataclass
class Counted(Message):
    """The figures of one saved search: matches now, and new since last opened."""

    name: str
    total: int
    new: int | None
    error: str = ""


class SavedSearchesScreen(ModalScreen[SavedSearch | None]):
    """The saved searches; dismisses with the one to open (None: closed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("d,delete", "delete", "Delete"),
        Binding("r", "rename", "Rename"),
        *(Binding(str(n), f"open_number({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.searches: list[SavedSearch] = []
        self.figures: dict[str, tuple[int, int | None, str]] = {}
        #: The state store could not be read: the list says so rather than "none yet".
        self._unreadable = False

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-box", classes="prompt-box"):
            yield Static(Text("Saved searches", style="bold"))
            yield OptionList(id="saved-list")
            yield Static(Text(HINT, style="dim"), id="saved-hint")

    def on_mount(self) -> None:
        self.load_searches()
        self.query_one(OptionList).focus()

    @work(thread=True, exclusive=True, group="saved-list", exit_on_error=False)
    def load_searches(self, highlight: str | None = None) -> None:
        try:
            self.post_message(Listed(self.library.state.saved_searches(), highlight))
        except StateError as error:
            self.post_message(Listed([], highlight, str(error)))

    def on_listed(self, message: Listed) -> None:
        if message.error:
            self.notify(printable(message.error), title="Saved searches", severity="error", markup=False)
        self._unreadable = bool(message.error)
        self.searches = message.searches
        self._draw(message.highlight)
        self.count_matches(self.searches)

    def _draw(self, highlight: str | None = None) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted
        options.clear_options()
        if not self.searches:
            empty = (
                "The saved searches cannot be read now."
                if self._unreadable
                else "None yet: search, then press b to save the search under a name."
            )
            options.add_option(Option(Text(empty), disabled=True))
            return
        for number, search in enumerate(self.searches, 1):
            options.add_option(Option(self._line(number, search), id=search.name))
        names = [search.name for search in self.searches]
        if highlight in names:
            options.highlighted = names.index(highlight)
        elif current is not None:
            options.highlighted = min(current, len(names) - 1)
        else:
            options.highlighted = 0

    def _line(self, number: int, search: SavedSearch) -> Text:
        line = Text(f"{number if number < 10 else ' '} ", style="dim")
        line.append(printable(search.name), style="bold")
        line.append("  ")
        line.append(printable(search.query), style="italic")
        figures = self.figures.get(search.name)
        if figures is None:
            line.append("  …", style="dim")
            return line
        total, new, error = figures
        if error:
            line.append(f"  {printable(error)}", style="red")
            return line
        line.append(f"  {total:,} match{'' if total == 1 else 'es'}", style="dim")
        if new:
            line.append(f"  {new:,} new", style="bold green")
        elif search.opened is None:
            line.append("  never opened", style="dim")
        return line

    @work(thread=True, exclusive=True, group="saved-count", exit_on_error=False)
    def count_matches(self, searches: list[SavedSearch]) -> None:
        # Exclusive: a reload cancels the count under way, which stops at the next search.
        worker = get_current_worker()
        for search in searches:
            if worker.is_cancelled:
                return
            result = self.library.search(search.query, limit=1, snippets=False, suggest_words=False)
            if result.error:
                self.post_message(Counted(search.name, 0, None, result.error))
                continue
            new = None
            if search.seen_marker is not None:
                new = self.library.new_matches(search.query, search.seen_marker)
            if not worker.is_cancelled:
                self.post_message(Counted(search.name, result.total, new))

    def on_counted(self, message: Counted) -> None:
        self.figures[message.name] = (message.total, message.new, message.error)
        self._draw()

    # -- actions --------------------------------------------------------------

    def _highlighted(self) -> SavedSearch | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.searches):
            return None
        return self.searches[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.searches):
            self.dismiss(self.searches[event.option_index])

    def action_open_number(self, number: int) -> None:
        if 0 < number <= len(self.searches):
            self.dismiss(self.searches[number - 1])

    def _read_only(self) -> bool:
        """A read-only library: said (the user asked for a change), and nothing tried."""
        if self.library.read_only:
            self.notify(
                "This library is read-only: saved searches cannot be changed.",
                severity="warning",
                markup=False,
            )
        return self.library.read_only

    def action_delete(self) -> None:
        search = self._highlighted()
        if search is None or self._read_only():
            return
        self.delete_search(search.name)

    @work(thread=True, group="saved-write", exit_on_error=False)
    def delete_search(self, name: str) -> None:
        try:
            self.library.state.delete_search(name)
        except StateError as error:
            self.post_message(Written(error=str(error)))
            return
        self.post_message(Written(said=f"Deleted the saved search {printable(name)}."))

    def action_rename(self) -> None:
        search = self._highlighted()
        if search is None or self._read_only():
            return

        def renamed(name: str | None) -> None:
            if name and name != search.name:
                self.rename_search(search.name, name)

        self.app.push_screen(NamePrompt("Rename the saved search", search.name, search.query), renamed)

    @work(thread=True, group="saved-write", exit_on_error=False)
    def rename_search(self, old: str, new: str) -> None:
        try:
            self.library.state.rename_search(old, new)
        except (KeyError, ValueError) as error:  # gone meanwhile, or the new name is taken
            self.post_message(Written(error=str(error).strip("'\""), severity="warning"))
            return
        except StateError as error:
            self.post_message(Written(error=str(error)))
            return
        self.post_message(Written(renamed=(old, new)))

    def on_written(self, message: Written) -> None:
        if message.error:
            self.notify(printable(message.error), severity=message.severity, markup=False)
            return
        if message.said:
            self.notify(message.said, markup=False)
        highlight = None
        if message.renamed is not None:
            old, highlight = message.renamed
            self.figures[highlight] = self.figures.pop(old, (0, None, ""))
        self.load_searches(highlight)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place this screen's failed workers are said (the reader never hears of them)."""
        if event.state != WorkerState.ERROR:
            return
        what = {
            "saved-list": "Listing the saved searches",
            "saved-count": "Counting the saved searches' matches",
            "saved-write": "Changing a saved search",
        }.get(event.worker.group, "A saved searches task")
        notice.say_failed(self, what, event.worker.error)

    def action_close(self) -> None:
        self.dismiss(None)
