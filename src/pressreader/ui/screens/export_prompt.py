"""The export prompt (``x``): the open article or the whole list, to a file.

Markdown, JSON or CSV, as ``pressreader export`` writes them; optionally only
the paragraphs of one theme.  The format and the file's suffix follow each
other, whichever was changed last (``out.csv`` typed writes CSV, as
``pressreader export`` does).  A file that exists is never overwritten unless
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

from pressreader.library.export import FORMATS, SUFFIXES
from pressreader.model import Theme
from pressreader.printable import printable

Scope = Literal["article", "list"]
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
        self, *, article_title: str | None, query: str, total: int, themes: dict[str, Theme], folder: Path
    ) -> None:
        super().__init__()
        self.article_title = article_title
        self.query_text = query
        self.total = total
        self.themes = themes
        self.folder = folder
        #: The existing file a first Enter warned about: a second Enter overwrites it.
        self._confirm: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="prompt-box"):
            yield Static(Text("Export", style="bold"))
            with RadioSet(id="export-scope"):
                article = Text("the open article: ")
                article.append(printable(self.article_title or "none open"), style="italic")
                yield RadioButton(
                    article,
                    value=bool(self.article_title),
                    disabled=not self.article_title,
                    id="scope-article",
                )
                what = f"the list: {self.total:,} article{'' if self.total == 1 else 's'}"
                listed = Text(what + (f" for {self.query_text!r}" if self.query_text.strip() else ""))
                yield RadioButton(
                    Text(printable(listed.plain)), value=not self.article_title, id="scope-list"
                )
            with Horizontal(id="export-choices"):
                # Text labels throughout: a str label is read as markup, and theme labels
                # come from a lexicon the user may edit ("En[/x" would not parse).
                yield Select(
                    [(Text(name.upper() if name != "md" else "Markdown"), name) for name in FORMATS],
                    value="md",
                    allow_blank=False,
                    id="export-format",
                )
                yield Select(
                    [
                        (Text(f"only {printable(theme.label or theme.id)} paragraphs"), theme.id)
                        for theme in self.themes.values()
                    ],
                    prompt="all paragraphs",
                    id="export-theme",
                )
            yield Input(f"pressreader-export{suffix_of('md')}", placeholder="file to write", id="export-path")
            where = Text("A file name alone goes in ", style="dim")
            where.append(printable(str(self.folder)), style="dim italic")
            yield Static(where, id="export-folder")
            yield Static(id="export-error")
            yield Static(Text(HINT, style="dim"), id="export-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """The file's suffix follows the format, when it is another format's suffix."""
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if isinstance(event.value, str) and SUFFIXES.get(path.suffix.lower(), event.value) != event.value:
            box.value = str(path.with_suffix(suffix_of(event.value)))

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """The format follows a typed suffix (.md, .markdown, .json, .csv), as the CLI's does."""
        fmt = SUFFIXES.get(Path(event.value.strip()).suffix.lower())
        formats = self.query_one("#export-format", Select)
        if fmt is not None and formats.value != fmt:
            formats.value = fmt

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
        fmt_value = self.query_one("#export-format", Select).value  # it follows the suffix
        fmt = fmt_value if isinstance(fmt_value, str) else "md"
        theme_value = self.query_one("#export-theme", Select).value
        scope: Scope = "article" if self.query_one("#scope-article", RadioButton).value else "list"
        theme = theme_value if isinstance(theme_value, str) else None
        self.dismiss(ExportRequest(scope, fmt, path, theme, force=path.exists()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def suffix_of(fmt: str) -> str:
    """The file suffix of format ``fmt`` (the first :data:`SUFFIXES` gives it: ``.md``, not ``.markdown``)."""
    return next(suffix for suffix, named in SUFFIXES.items() if named == fmt)
