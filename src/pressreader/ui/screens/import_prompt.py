"""The import prompt: which files or folders to bring into the library."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

HINT = (
    "Files or folders, separated by spaces (quote a path that has spaces). Folders are read "
    "recursively: HTML, feeds (RSS, Atom), JSON, JSON Lines, Markdown and text.  Enter imports, Esc cancels."
)


class ImportPrompt(ModalScreen[list[Path] | None]):
    """Asks for paths; dismisses with them (``None`` when cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: str = "") -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(Text("Import releases", style="bold"), id="import-title")
            yield Input(self.start, placeholder="~/releases  or  page.html feed.xml", id="import-paths")
            yield Static(Text(HINT), id="import-hint")
            yield Static(id="import-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            words = shlex.split(event.value)
        except ValueError as error:  # an unclosed quote
            self.query_one("#import-error", Static).update(Text(f"Cannot read the paths: {error}"))
            return
        if not words:
            self.query_one("#import-error", Static).update(Text("Type at least one file or folder."))
            return
        paths = [Path(word).expanduser() for word in words]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            self.query_one("#import-error", Static).update(Text(f"No such file or folder: {missing[0]}"))
            return
        self.dismiss(paths)

    def action_cancel(self) -> None:
        self.dismiss(None)
