"""The note editor: a pane over the bottom of the reader for one article's note.

Ctrl+S keeps the note (an empty one removes it), Esc leaves it as it was.
Notes are kept in the library's state store and found with ``note:word``
and ``has:note``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from pressreader.printable import printable

HINT = "Ctrl+S keeps the note (empty removes it) · Esc leaves it as it was · found with note:word, has:note"


class NoteScreen(ModalScreen[str | None]):
    """Edits a note; dismisses with the new text, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Keep the note"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.article_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            heading = Text("Note on ", style="bold")
            heading.append(printable(self.article_title) or "(untitled)", style="italic")
            yield Static(heading, id="note-title")
            yield TextArea(
                printable(self.note, newlines=True), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            yield Static(Text(HINT, style="dim"), id="note-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
