"""What the list pane says when there is no list to show, and the count line.

Everything is built as ``rich.text.Text``: queries and error messages are
shown as typed, brackets and all.
"""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from pressreader.model import SearchResult
from pressreader.printable import printable

BOLD = Style(bold=True)
DIM = Style(dim=True)

TIPS = (
    "use fewer words",
    "check the spelling",
    "remove filters such as theme:, source: or date:",
    "try another form or a synonym (the search already matches plural and verb forms)",
)


class Notice(Static, can_focus=True):
    """A message in place of the result list; it takes the list's place in the focus
    chain too, so Esc leaves the search box and the reader's keys work again."""


def empty_library(path: Path | str) -> Text:
    text = Text()
    text.append("Your library is empty.\n\n", BOLD)
    text.append("Import press releases from files or folders:\n\n")
    for command, what in (
        ("pressreader PATH...", "import files or folders, then open the reader"),
        ("pressreader import PATH", "import only (add --json for a report)"),
        ("pressreader --sample", "try the reader on the bundled sample releases"),
    ):
        text.append(f"  {command:<26}", BOLD)
        text.append(f"{what}\n")
    text.append("\nLibrary folder: ", DIM)
    text.append(printable(str(path)), DIM)
    return text


def no_results(query: str, suggestions: tuple[str, ...]) -> Text:
    text = Text()
    text.append("No matches for ", BOLD)
    text.append(f"“{printable(query)}”", BOLD)
    text.append(".\n\n")
    if suggestions:
        text.append("Did you mean:\n")
        for suggestion in suggestions:
            text.append("  ")
            text.append(printable(suggestion), BOLD)
            text.append("\n")
        text.append("\n")
    text.append("Try to:\n")
    for tip in TIPS:
        text.append(f"  • {tip}\n")
    return text


def query_error(query: str, error: str) -> Text:
    text = Text()
    text.append("The query ", BOLD)
    text.append(f"“{printable(query)}”", BOLD)
    text.append(" can't be read:\n\n", BOLD)
    text.append(f"  {printable(error)}\n\n")
    text.append(
        'Close quotes and brackets, e.g. "nuclear power", date:[2024-01-01 to 2024-12-31]; '
        "or search plain words.",
        DIM,
    )
    return text


def count_line(result: SearchResult, library_count: int, seconds: float | None = None) -> Text:
    """``123 articles`` or ``7 matches for 'uranium'``, and how long the search took.

    The list holds every match (its later pages are fetched as it scrolls), so the
    total is what it lists."""
    if result.error:
        return Text("query error", Style(bold=True, color="red"))
    if not result.query.strip():
        text = Text()
        text.append(f"{library_count:,} article{'s' if library_count != 1 else ''}", BOLD)
    else:
        text = Text()
        text.append(f"{result.total:,} match{'es' if result.total != 1 else ''} for ", BOLD)
        text.append(f"'{printable(result.query)}'", BOLD)
    if seconds is not None:
        text.append(f"  {seconds * 1000:,.0f} ms", DIM)
    return text


def say_failed(node: Widget, what: str, error: BaseException | None) -> None:
    """A failed worker, said in a notification on ``node`` ("<what> failed").

    markup=False rather than escape(): escaping leaves a trailing "[/" that
    Textual's markup parser rejects, and error texts may quote release text.
    """
    node.notify(
        printable(f"{type(error).__name__}: {error}"),
        title=f"{what} failed",
        severity="error",
        timeout=8,
        markup=False,
    )
