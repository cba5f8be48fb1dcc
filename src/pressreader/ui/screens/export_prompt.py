"""The export prompt (``x``): the open article or the whole list, to a file.

Markdown, JSON or CSV, as ``pressreader export`` writes them; optionally only
the paragraphs of one theme.  A file that exists is never overwritten unless
the user says so: the first Enter says it exists, a second Enter on the same
name overwrites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Select, Static

from pressreader.library.export import FORMATS, SUFFIXES, format_for
from pressreader.model import Theme
from pressreader.printable import printable

Scope = Literal["article", "list"]
#: The file suffix of each format.
SUFFIX = {"md": ".md", "json": ".json", "csv": ".csv"}
HINT = "Enter exports · Tab moves between choices · Esc cancels"


@dataclass(frozen=True)
class ExportRequest:
    """What to export, where; ``force``: the user agreed to overwrite."""

    scope: Scope
    fmt: str
    path: Path
    theme: str | None
    force: bool


class ExportPrompt(ModalScreen[ExportRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        *,
        article_title: str | None,
        query: str,
        total: int,
        themes: dict[str, Theme],
        folder: Path,
        exists_message: str = "",
        start: ExportRequest | None = None,
    ) -> None:
        super().__init__()
        self.article_title = article_title
        self.query_text = query
        self.total = total
        self.themes = themes
        self.folder = folder
        self.start = start
        self._confirm: Path | None = start.path if start is not None and exists_message else None
        self._exists_message = exists_message

    def compose(self) -> ComposeResult:
        start = self.start
        scope = start.scope if start else ("article" if self.article_title else "list")
        fmt = start.fmt if start else "md"
        with Vertical(id="export-box", classes="prompt-box"):
            yield Static(Text("Export", style="bold"))
            with RadioSet(id="export-scope"):
                article = Text("the open article: ")
                article.append(printable(self.article_title or "none open"), style="italic")
                yield RadioButton(
                    article, value=scope == "article", disabled=not self.article_title, id="scope-article"
                )
                what = f"the list: {self.total:,} article{'' if self.total == 1 else 's'}"
                listed = Text(what + (f" for {self.query_text!r}" if self.query_text.strip() else ""))
                yield RadioButton(Text(printable(listed.plain)), value=scope == "list", id="scope-list")
            with Horizontal(id="export-choices"):
                yield Select(
                    [(name.upper() if name != "md" else "Markdown", name) for name in FORMATS],
                    value=fmt,
                    allow_blank=False,
                    id="export-format",
                )
                yield Select(
                    [(f"only {theme.label} paragraphs", theme.id) for theme in self.themes.values()],
                    value=start.theme if start and start.theme else Select.NULL,
                    prompt="all paragraphs",
                    id="export-theme",
                )
            default = start.path if start else Path(f"pressreader-export{SUFFIX[fmt]}")
            yield Input(str(default), placeholder="file to write", id="export-path")
            where = Text("A file name alone goes in ", style="dim")
            where.append(printable(str(self.folder)), style="dim italic")
            yield Static(where, id="export-folder")
            yield Static(Text(self._exists_message, style="bold"), id="export-error")
            yield Static(Text(HINT, style="dim"), id="export-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """The file's suffix follows the format, when it is one of the export suffixes."""
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if isinstance(event.value, str) and path.suffix.lower() in SUFFIXES:
            box.value = str(path.with_suffix(SUFFIX[event.value]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.query_one("#export-error", Static)
        if not text:
            error.update(Text("Type the name of the file to write."))
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.is_dir():
            error.update(Text(f"{printable(str(path))} is a folder: name a file in it."))
            return
        if not path.parent.is_dir():
            error.update(Text(f"There is no folder {printable(str(path.parent))}."))
            return
        if path.exists() and self._confirm != path:
            self._confirm = path
            error.update(Text(f"{printable(str(path))} exists: Enter again overwrites it.", style="bold"))
            return
        fmt_value = self.query_one("#export-format", Select).value
        fmt = fmt_value if isinstance(fmt_value, str) else format_for(path)
        theme_value = self.query_one("#export-theme", Select).value
        scope: Scope = "article" if self.query_one("#scope-article", RadioButton).value else "list"
        theme = theme_value if isinstance(theme_value, str) else None
        self.dismiss(ExportRequest(scope, fmt, path, theme, force=path.exists()))

    def action_cancel(self) -> None:
        self.dismiss(None)
