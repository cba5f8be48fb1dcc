"""What a person does in the reader that the library's state store keeps:
read, starred and notes on articles, and the search history; and handing an
article on (its URL opened in the browser, its title and URL copied).

The base of :class:`~pressreader.ui.screens.reader.ReaderScreen` (kept apart so
the screen's module stays about searching and showing).  Every write goes to
the library's state store in a worker; the list and the article show the new
marks when it is done.  Opening an article (Enter) marks it read; the preview
that follows the list cursor does not.

When the state store cannot be used (a read-only folder, a full disk, a damaged
file) the reader goes on: the writes that happen by themselves (marking read on
opening, the search history, when a saved search was opened) are said to fail
once and then skipped; the keys that ask for a change (``u``, ``*``, ``e``,
``b``) say each time why it cannot be kept.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from textual import work
from textual.screen import Screen

from pressreader.library import export
from pressreader.library.export import ExportError, ExportExists, Format
from pressreader.library.state import Flags, SavedSearch, StateError
from pressreader.model import SortOrder
from pressreader.printable import printable
from pressreader.ui.messages import MarksChanged
from pressreader.ui.screens.export_prompt import ExportPrompt, ExportRequest
from pressreader.ui.screens.note import NoteScreen
from pressreader.ui.screens.saved import NamePrompt, SavedSearchesScreen
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.result_list import ResultList
from pressreader.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from pressreader.library import Library

Change = Literal["open", "read", "star", "note"]


def export_folder() -> Path:
    """Where an export goes unless told otherwise: the folder pressreader was started in."""
    return Path.cwd()


#: Searches Up and Down walk back through.
HISTORY_SHOWN = 200
#: The title of the one notification that says the state store cannot be used.
STATE_TITLE = "Read marks and history are not kept"
_FAILING = threading.Lock()


class MarkingScreen(Screen[None]):
    """Keys ``u`` (read/unread), ``*`` (star), ``e`` (note), ``o`` (open the URL) and
    ``y`` (copy title and URL), and marking read on opening."""

    library: Library
    #: The state store failed (reading or writing): said once; writes nobody asked for are skipped.
    _state_failed = False

    def _state_broke(self, error: StateError) -> None:
        """In a worker: the state store failed; say so the first time only."""
        with _FAILING:  # workers fail side by side: one of them says it
            first = not self._state_failed
            self._state_failed = True
        if first:
            self.app.call_from_thread(
                self.notify,
                printable(str(error)),
                title=STATE_TITLE,
                severity="warning",
                timeout=15,
                markup=False,
            )

    @property
    def _quiet_writes(self) -> bool:
        """Whether the writes nobody asked for (read on opening, history) are to be made."""
        return not (self.library.read_only or self._state_failed)

    def _refused(self, what: str) -> bool:
        """A read-only library: said (the user asked for ``what`` to be kept), True."""
        if self.library.read_only:
            self.notify(
                f"This library is read-only: {what} cannot be kept.",
                severity="warning",
                timeout=4,
                markup=False,
            )
        return self.library.read_only

    def marks_for(self, ids: Iterable[str]) -> Mapping[str, Flags]:
        """The flags of articles ``ids`` (asked in workers); none when the state
        store cannot be read (reading goes on; the failure is said once)."""
        ids = list(ids)
        if not ids:
            return {}
        try:
            return self.library.state.flags(ids)
        except StateError as error:
            self._state_broke(error)
            return {}

    def note_of(self, article_id: str) -> str:
        try:
            return self.library.state.note(article_id)
        except StateError:
            return ""

    # -- search history -------------------------------------------------------

    @work(thread=True, group="history", exit_on_error=False)
    def load_history(self) -> None:
        try:
            queries = self.library.state.history(HISTORY_SHOWN)
        except StateError:
            return  # said by marks_for when the list's marks are asked for
        self.app.call_from_thread(self._show_history, queries)

    def _show_history(self, queries: list[str]) -> None:
        self.query_one(SearchBox).set_history(queries)

    def remember_query(self, query: str) -> None:
        """``query`` was searched for on purpose (Enter, or an article opened from its list)."""
        box = self.query_one(SearchBox)
        if query.strip() and (not box.history or box.history[0] != query.strip()):
            box.remember(query)  # kept for this session in any case
            if self._quiet_writes:
                self.save_history(query)

    @work(thread=True, group="history", exit_on_error=False)
    def save_history(self, query: str) -> None:
        try:
            self.library.state.add_history(query)
        except StateError as error:
            self._state_broke(error)

    # -- saved searches -------------------------------------------------------

    def action_save_search(self) -> None:
        query = self.query_one(SearchBox).value.strip()
        if not query:
            self.notify("Type a search first, then save it under a name.", markup=False)
            return
        if self._refused("saved searches"):
            return

        def named(name: str | None) -> None:
            if name:
                self.save_search(name, query)

        self.app.push_screen(NamePrompt("Save this search as", query[:60], query), named)

    @work(thread=True, group="saved", exit_on_error=False)
    def save_search(self, name: str, query: str) -> None:
        try:
            self.library.state.save_search(name, query)
            total = self.library.search(query, limit=1, snippets=False, suggest_words=False).total
            self.library.state.mark_opened(name, count=total, marker=self.library.marker())
        except StateError as error:  # asked for: said each time
            self.app.call_from_thread(
                self.notify, printable(str(error)), title="Saving the search", severity="error", markup=False
            )
            return
        self.app.call_from_thread(
            self.notify, f"Saved as {printable(name)}: B lists your saved searches.", markup=False
        )

    def action_saved_searches(self) -> None:
        def chosen(search: SavedSearch | None) -> None:
            if search is not None:
                box = self.query_one(SearchBox)
                box.value = search.query
                box.cursor_position = len(search.query)
                if self._quiet_writes:
                    self.opened_saved(search.name, search.query)

        self.app.push_screen(SavedSearchesScreen(self.library), chosen)

    @work(thread=True, group="saved", exit_on_error=False)
    def opened_saved(self, name: str, query: str) -> None:
        """Opening a saved search: what it finds now is what "new" is counted from next time."""
        try:
            marker = self.library.marker()
            total = self.library.search(query, limit=1, snippets=False, suggest_words=False).total
            self.library.state.mark_opened(name, count=total, marker=marker)
        except StateError as error:
            self._state_broke(error)

    # -- export ---------------------------------------------------------------

    def action_export(self) -> None:
        """The open article or the whole list, to a Markdown, JSON or CSV file."""
        article = self.query_one(ArticleView).article
        result = getattr(self, "result", None)
        query = result.query if result is not None else ""
        sort = result.sort if result is not None else "relevance"

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_export(request, article.id if article else "", query, sort)

        self.app.push_screen(
            ExportPrompt(
                article_title=article.title if article else None,
                query=query,
                total=result.total if result is not None else 0,
                themes=dict(self.library.lexicon.themes),
                folder=export_folder(),
            ),
            chosen,
        )

    @work(thread=True, group="export", exit_on_error=False)
    def run_export(self, request: ExportRequest, article_id: str, query: str, sort: SortOrder) -> None:
        themes = self.library.lexicon.themes
        fmt = cast("Format", request.fmt)
        try:
            if request.scope == "article":
                article = self.library.get(article_id)
                if article is None:
                    raise ExportError("the article is no longer in the library")
                report = (
                    export.export_articles(
                        [article],
                        fmt,
                        request.path,
                        force=request.force,
                        themes=themes,
                        paragraphs_with=request.theme,
                    )
                    if request.theme
                    else export.export_article(article, fmt, request.path, force=request.force, themes=themes)
                )
            else:
                report = export.export_search(
                    self.library,
                    query,
                    fmt,
                    request.path,
                    sort=sort,
                    force=request.force,
                    paragraphs_with=request.theme,
                )
        except ExportError as error:
            said = printable(str(error))
            if isinstance(error, ExportExists):
                # Made meanwhile (the prompt asks about a file it sees): the CLI's "use --force"
                # means nothing here.
                said = f"{printable(str(error.path))} exists: export again to overwrite it."
            self.app.call_from_thread(
                self.notify, said, title="Export failed", severity="error", markup=False
            )
            return
        what = f"{report.count} article{'' if report.count == 1 else 's'}"
        said = f"Exported {what} to {printable(str(request.path))}"
        self.app.call_from_thread(self.notify, said, timeout=6, markup=False)

    # -- one article ------------------------------------------------------------

    def _target(self) -> tuple[str, str] | None:
        """(id, title) of the article a key means: the open article while it has
        the focus, else the one under the list cursor."""
        view = self.query_one(ArticleView)
        if self.focused is view and view.article is not None:
            return view.article.id, view.article.title
        hit = self.query_one(ResultList).highlighted_hit
        if hit is not None:
            return hit.id, hit.title
        if view.article is not None:
            return view.article.id, view.article.title
        return None

    def action_open_url(self) -> None:
        if (target := self._target()) is not None:
            self.open_url(target[0])

    @work(thread=True, group="browser", exit_on_error=False)
    def open_url(self, article_id: str) -> None:
        # In a worker: starting a browser can take a while, and must not hold the screen.
        article = self.library.get(article_id)
        url = article.url if article else ""
        if not url.startswith(("http://", "https://")):
            self.app.call_from_thread(self.notify, "This article has no web address.", markup=False)
            return
        opened = webbrowser.open(url)
        said = f"Opened {printable(url)}" if opened else "No web browser could be started."
        self.app.call_from_thread(self.notify, said, timeout=3, markup=False)

    def action_copy(self) -> None:
        """Title and URL to the clipboard (the terminal's, by OSC 52: works over ssh too)."""
        if (target := self._target()) is None:
            return
        article = self.library.get(target[0])
        if article is None:
            return
        text = printable(article.title) + (f"\n{printable(article.url)}" if article.url else "")
        self.app.copy_to_clipboard(text)
        self.notify(
            "Copied the title and address." if article.url else "Copied the title.", timeout=2, markup=False
        )

    def action_toggle_read(self) -> None:
        if (target := self._target()) is not None and not self._refused("read marks"):
            self.change_marks(target[0], "read")

    def action_toggle_star(self) -> None:
        if (target := self._target()) is not None and not self._refused("stars"):
            self.change_marks(target[0], "star")

    def action_edit_note(self) -> None:
        if (target := self._target()) is None or self._refused("notes"):
            return
        article_id, title = target
        try:
            note = self.library.state.note(article_id)
        except StateError as error:
            self.notify(printable(str(error)), title="Notes", severity="error", markup=False)
            return

        def kept(text: str | None) -> None:
            if text is not None and text != note:
                self.change_marks(article_id, "note", text)

        self.app.push_screen(NoteScreen(title, note), kept)

    def marked_open(self, article_id: str) -> None:
        """An article was opened (Enter): it is read now."""
        if self._quiet_writes:
            self.change_marks(article_id, "open")

    @work(thread=True, group="marks", exit_on_error=False)
    def change_marks(self, article_id: str, change: Change, text: str = "") -> None:
        said = ""
        try:
            state = self.library.state
            if change == "open":
                if state.is_read(article_id):
                    return
                state.set_read([article_id])
            elif change == "read":
                said = "Marked read" if state.toggle_read(article_id) else "Marked unread"
            elif change == "star":
                said = "Starred" if state.toggle_star(article_id) else "Star removed"
            else:
                state.set_note(article_id, text)
                said = "Note kept" if text.strip() else "Note removed"
            marks, note = state.flags([article_id]), state.note(article_id)
        except StateError as error:
            if change == "open":
                self._state_broke(error)  # nobody asked: said once
            else:  # asked for: said each time
                title = {"read": "Read mark", "star": "Star"}.get(change, "Note") + " not kept"
                self.app.call_from_thread(
                    self.notify, printable(str(error)), title=title, severity="error", markup=False
                )
            return
        self._state_failed = False  # written after all (it was busy, say): writes resume
        self.post_message(MarksChanged(marks, said, {article_id: note}))

    def on_marks_changed(self, message: MarksChanged) -> None:
        self.query_one(ResultList).set_marks(message.marks)
        view = self.query_one(ArticleView)
        if view.article is not None and view.article.id in message.marks:
            shown = view.article.id
            view.set_marks(message.marks[shown], message.notes.get(shown))
        if message.said:
            self.notify(message.said, timeout=2, markup=False)
