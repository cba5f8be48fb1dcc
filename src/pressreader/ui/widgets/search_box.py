"""The search box: an Input that remembers what was searched.

Up and Down walk the search history (newest first), as a shell's prompt does;
what was being typed comes back after the newest entry.  The screen gives the
history (from the state store) with :meth:`SearchBox.set_history` and adds
to it with :meth:`SearchBox.remember`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from pressreader.printable import printable


class SearchBox(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_back", "Earlier search", show=False),
        Binding("down", "history_forward", "Later search", show=False),
    ]

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, **kwargs)  # type: ignore[arg-type]
        #: Newest first.
        self.history: list[str] = []
        #: Where Up/Down have got to: -1 is the text being typed.
        self._position = -1
        self._typed = ""

    def validate_value(self, value: str) -> str:
        """Whatever comes into the box (``-q``, a history entry, a saved search, a paste)
        is drawn as it is: a control character shows as its escape, never reaches the terminal."""
        return printable(value)

    def set_history(self, queries: Sequence[str]) -> None:
        self.history = list(queries)
        self._position = -1

    def remember(self, query: str) -> None:
        """``query`` was searched for: the newest entry (once)."""
        query = query.strip()
        if query:
            self.history = [query, *(q for q in self.history if q != query)]
        self._position = -1

    def action_history_back(self) -> None:
        if self._position + 1 >= len(self.history):
            return
        if self._position == -1:
            self._typed = self.value
        self._position += 1
        self._show(self.history[self._position])

    def action_history_forward(self) -> None:
        if self._position == -1:
            return
        self._position -= 1
        self._show(self._typed if self._position == -1 else self.history[self._position])

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)
