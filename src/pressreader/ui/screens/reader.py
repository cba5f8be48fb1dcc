"""The reader: search box on top, results on the left, the article on the right.

Below ``NARROW_WIDTH`` columns the two panes share the space: the list fills
the screen, opening an article shows it full width, and Esc goes back.

All library calls run in thread workers and come back as messages
(:mod:`pressreader.ui.messages`), so typing never waits for the index.

A search asks for one page of hits (``result_list.PAGE_SIZE``) and the total: the list
shows at once with every row counted, and further pages are fetched, one at a
time, as the list scrolls towards them.  At most one search runs at a time;
what is typed meanwhile is searched as soon as it ends (only the newest text).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from pressreader.analysis import term_spans
from pressreader.library.library import SearchStopped
from pressreader.model import SearchResult, SortOrder
from pressreader.printable import printable
from pressreader.ui import heap
from pressreader.ui.messages import (
    ArticleLoaded,
    HitHighlighted,
    HitSelected,
    ImportFinished,
    ImportProgress,
    LibraryChanged,
    PageLoaded,
    PagesWanted,
    SearchFinished,
)
from pressreader.ui.screens.faceting import FacetingScreen
from pressreader.ui.screens.import_prompt import ImportPrompt
from pressreader.ui.widgets import notice, result_list
from pressreader.ui.widgets.article_view import ArticleView, query_theme, wrap_paragraphs
from pressreader.ui.widgets.facets import FacetPanel
from pressreader.ui.widgets.footer import SteadyFooter
from pressreader.ui.widgets.result_list import ResultList
from pressreader.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from textual import events

    from pressreader.config import Settings
    from pressreader.library import Library

#: Below this many columns the article replaces the list instead of sitting beside it.
NARROW_WIDTH = 100
#: Seconds of quiet after a keystroke before the search runs.  Issue 4 wants the list
#: within 100 ms of the pause in typing, and the search takes most of that, so the wait
#: is short: long enough to fold keys that arrive together (a terminal that sends queued
#: keys at once, a paste, a fast typist's rolled letters, ~10-20 ms apart) into one
#: search, shorter than the gap between typed letters (80-200 ms).  Typing letter by
#: letter thus searches about once a letter, but searches never pile up: at most one
#: runs, and what was typed meanwhile waits for it (``start_search``).
SEARCH_DELAY = 0.025
#: Seconds a query that found nothing must rest before near words are looked for.
SUGGEST_DELAY = 0.4
#: Seconds the list cursor must rest before the article under it is previewed.
PREVIEW_DELAY = 0.08
#: Seconds between looks at the library for what other processes wrote (a stat and a listing).
WATCH_INTERVAL = 1.0


class ReaderScreen(FacetingScreen):
    """The main screen; owns the search and load workers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("escape", "back", "Back", key_display="Esc"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("t", "toggle_themes", "Themes"),
        Binding("i", "import", "Import"),
        Binding("u", "toggle_read", "Read/unread", show=False),
        Binding("asterisk", "toggle_star", "Star", key_display="*", show=False),
        Binding("e", "edit_note", "Note", show=False),
        Binding("f", "toggle_facets", "Facets"),
        Binding("b", "save_search", "Save search", show=False),
        Binding("B", "saved_searches", "Saved searches", key_display="B", show=False),
        Binding("x", "export", "Export", show=False),
        Binding("o", "open_url", "Open in browser", show=False),
        Binding("y", "copy", "Copy title and URL", show=False),
        # On the screen, not the list: the footer then shows the same keys whether the list
        # or the article has the focus, and need not be rebuilt each time an article opens.
        Binding("enter", "open", "Open"),
    ]

    sort: reactive[SortOrder] = reactive("relevance", init=False)
    show_themes: reactive[bool] = reactive(True, init=False)
    reading: reactive[bool] = reactive(False, init=False, repaint=False)
    """True while the article has the focus: on a narrow screen it then hides the list.
    (No repaint of its own: the class it sets does what is needed.)"""

    def __init__(self, library: Library, *, query: str = "", sort: SortOrder = "relevance") -> None:
        super().__init__()
        self.set_reactive(ReaderScreen.sort, sort)
        self.library = library
        self.themes = dict(library.lexicon.themes)
        self.initial_query = query
        self.result: SearchResult | None = None
        self._search_timer: Timer | None = None
        self._stop_search = threading.Event()
        self._suggest_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._generation = 0
        self._searching = False
        self._search_waiting = False
        #: The generation of the result the list shows (pages are fetched for it).
        self._shown_generation = 0
        self._pages_wanted: tuple[int, ...] = ()
        self._page_loading = False
        self._wanted_article: str | None = None
        #: Articles in the library when the list was last filled.
        self._library_count: int | None = None

    def compose(self) -> ComposeResult:
        yield SearchBox(
            self.initial_query,
            placeholder='Search press releases: words, "a phrase", theme:energy, date:2024',
            id="search",
        )
        with Horizontal(id="status"):
            yield Static(Text("Loading…"), id="count")
            yield ProgressBar(id="import-progress", show_eta=True)
            yield Static(id="mode")
        with Horizontal(id="panes"):
            with ContentSwitcher(initial="results", id="list-pane"):
                yield ResultList(id="results")
                yield notice.Notice(id="notice")
            yield ArticleView(self.themes, id="detail")
            yield FacetPanel(self.themes, id="facets")
        # Compact: at 80 columns every main key, help included, still fits.
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one(FacetPanel).display = False
        settings = getattr(self.app, "settings", None)
        if settings is not None:
            self.query_one(ArticleView).highlight = settings.highlight
        self._show_mode()
        self.query_one(ResultList).focus()
        self.start_search()
        self._watch_timer = self.set_interval(WATCH_INTERVAL, self._watch_library)

    def apply_settings(self, settings: Settings) -> None:
        """New settings saved (or those in force at start): the app has put the new
        colours in ``self.themes`` (the dict the panes hold); draw with them, in the
        chosen highlighting style, in the default sort order."""
        self.query_one(ResultList).redraw()
        view = self.query_one(ArticleView)
        view.set_themes(self.themes)
        view.highlight = settings.highlight
        panel = self.query_one(FacetPanel)
        if panel.facets is not None:
            panel.show(panel.facets)
        self.sort = settings.sort

    def on_unmount(self) -> None:
        heap.release()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self._show_reading()
        if not self.narrow and (hit := self.query_one(ResultList).highlighted_hit) is not None:
            self._load(hit.id)  # the article pane has just appeared: fill it

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # On a narrow screen the article shows exactly while it has the focus, so
        # Enter, Esc, Tab, / and resizing the terminal all agree on what is seen.
        self.reading = event.widget is self.query_one(ArticleView)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    # -- searching ----------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.query_one("#search", Input).value

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self._search_now()
        self.remember_query(self.query_text)
        self.query_one(ResultList).focus()

    def _search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.start_search()

    def start_search(self) -> None:
        """Search for what the box holds, in the current order; older answers are dropped.

        One search at a time: a thread cannot be stopped, and searches started on
        every letter would queue on the library's lock, each delaying the next.
        Asked for while one runs, the search waits for it to end and then reads
        the box afresh, so however fast the typing, the newest text is next.
        """
        self._generation += 1
        if self._searching:
            self._search_waiting = True
            self._stop_search.set()  # the running search gives up at its next segment
        else:
            self._launch_search()

    def _launch_search(self) -> None:
        self._searching = True
        self._search_waiting = False
        self._stop_search = threading.Event()
        self.run_search(self.query_text, self.sort, self._generation, self._stop_search)

    def _search_ended(self) -> None:
        self._searching = False
        if self._search_waiting:
            self._launch_search()
        else:
            self._next_page()

    def _suggest_later(self, query: str, generation: int) -> None:
        if self._suggest_timer is not None:
            self._suggest_timer.stop()

        def ask() -> None:
            if self._still_nothing_for(query) and not self._searching and self.query_text == query:
                self.find_suggestions(query, generation)

        self._suggest_timer = self.set_timer(SUGGEST_DELAY, ask)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def find_suggestions(self, query: str, generation: int) -> None:
        words = self.library.suggestions(query)
        if words and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_suggestions, query, words, generation)

    def _still_nothing_for(self, query: str) -> bool:
        return self.result is not None and self.result.query == query and not self.result.hits

    def _show_suggestions(self, query: str, words: tuple[str, ...], generation: int) -> None:
        if self._still_nothing_for(query) and self.result is not None:
            self.result = replace(self.result, suggestions=words)
            self._notice(notice.no_results(query, words))

    @work(thread=True, group="search", exit_on_error=False)
    def run_search(self, query: str, sort: SortOrder, generation: int, stop: threading.Event) -> None:
        started = time.perf_counter()
        # No "did you mean" here: a word typed halfway finds nothing, and looking
        # for near words costs 0.5 s at 100,000 articles; they are asked for
        # once typing has paused (_suggest_later).
        try:
            result = self.library.search(
                query,
                sort=sort,
                limit=result_list.PAGE_SIZE,
                snippets=False,
                suggest_words=False,
                should_stop=stop.is_set,
            )
        except SearchStopped:
            return  # newer text is waiting; _search_ended starts its search
        count = self.library.count()
        marks = self.marks_for(hit.id for hit in result.hits)
        if not get_current_worker().is_cancelled:
            elapsed = time.perf_counter() - started
            self.post_message(SearchFinished(result, count, elapsed, generation, marks))

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.generation != self._generation:
            return  # the user has typed on since; a newer search is on its way
        result = message.result
        if self.result is None:
            self.call_after_refresh(heap.settle)  # once, with the first list painted
            self.load_history()  # after the first list: nothing before it
        self.result = result
        self._library_count = message.library_count
        self._shown_generation = message.generation
        self._pages_wanted = ()
        self._show_mode()
        self.query_one("#count", Static).update(
            notice.count_line(result, message.library_count, message.seconds)
        )
        switcher = self.query_one("#list-pane", ContentSwitcher)
        results = self.query_one(ResultList)
        if message.library_count == 0:
            self._notice(notice.empty_library(self.library.path))
        elif result.error:
            self._notice(notice.query_error(result.query, result.error))
        elif not result.hits:
            self._notice(notice.no_results(result.query, result.suggestions))
            if not result.suggestions and result.query.strip():
                self._suggest_later(result.query, message.generation)
        else:
            notice_focused = self.focused is self.query_one("#notice", notice.Notice)
            switcher.current = "results"
            if notice_focused:
                results.focus()
        view = self.query_one(ArticleView)
        keep = view.article.id if view.article else None
        results.set_marks(message.marks)
        results.set_result(result.hits, result.total, self.themes, keep=keep)
        view.set_terms(result.terms)
        view.set_theme_focus(query_theme(result.query, self.themes))
        self.count_facets_now()

    # -- further pages ------------------------------------------------------

    @on(PagesWanted)
    def _pages_wished(self, message: PagesWanted) -> None:
        self._pages_wanted = message.pages
        self._next_page()

    def _next_page(self) -> None:
        """Fetch the most wanted page the list lacks; one fetch at a time, and none while a
        search runs (its answer replaces the list, and it should not wait for the lock)."""
        if self._page_loading or self._searching or self.result is None or self.result.error:
            return
        results = self.query_one(ResultList)
        for page in self._pages_wanted:
            if not results.has_page(page):
                self._page_loading = True
                self.load_page(self.result.query, self.result.sort, self._shown_generation, page)
                return

    @work(thread=True, group="page", exit_on_error=False)
    def load_page(self, query: str, sort: SortOrder, generation: int, page: int) -> None:
        size = result_list.PAGE_SIZE
        result = self.library.search(query, sort=sort, limit=size, offset=page * size, snippets=False)
        self.post_message(PageLoaded(result, generation, self.marks_for(hit.id for hit in result.hits)))

    def on_page_loaded(self, message: PageLoaded) -> None:
        result = message.result
        if message.generation != self._shown_generation or result.error:
            return  # a page of a list no longer shown
        results = self.query_one(ResultList)
        if result.total != results.row_count:
            self._search_now()  # the library has changed under the list: list it afresh
            return
        results.set_marks(message.marks)
        results.add_page(result.offset, result.hits)

    def _notice(self, text: Text) -> None:
        shown = self.query_one("#notice", notice.Notice)
        shown.update(text)
        had_focus = self.focused is self.query_one(ResultList)
        self.query_one("#list-pane", ContentSwitcher).current = "notice"
        if had_focus:
            shown.focus()

    # -- reading ------------------------------------------------------------

    @on(HitHighlighted)
    def _hit_highlighted(self, message: HitHighlighted) -> None:
        if self.narrow:
            return  # nothing shows the article until it is opened
        if self._preview_timer is not None:
            self._preview_timer.stop()
        hit_id = message.hit.id
        self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._load(hit_id))

    @on(HitSelected)
    def _hit_selected(self, message: HitSelected) -> None:
        self._load(message.hit.id)
        self.marked_open(message.hit.id)
        self.remember_query(self.query_text)
        self.query_one(ArticleView).focus()

    def _load(self, article_id: str) -> None:
        if article_id == self._wanted_article:
            return  # shown already, or on its way
        self._wanted_article = article_id
        view = self.query_one(ArticleView)
        if view.article is None or view.article.id != article_id:
            self.load_article(article_id, view.text_width)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, article_id: str, width: int) -> None:
        article = self.library.get(article_id)
        spans = tuple(tuple(term_spans(p.text)) for p in article.paragraphs) if article else ()
        wrapped = (width, wrap_paragraphs(article, width)) if article else None
        flags = self.marks_for([article_id]).get(article_id) if article else None
        note = self.note_of(article_id) if flags is not None and flags.has_note else ""
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(article_id, article, spans, wrapped, flags, note))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        if message.article_id != self._wanted_article:
            return  # a slower load for an article the cursor has already left
        terms = self.result.terms if self.result else frozenset()
        view = self.query_one(ArticleView)
        view.show_article(
            message.article, terms, message.spans, message.wrapped, flags=message.flags, note=message.note
        )
        self.query_one(FacetPanel).show_article(message.article)

    def watch_reading(self) -> None:
        self._show_reading()

    def _show_reading(self) -> None:
        # Only a narrow screen looks different while reading.  A class on the screen
        # restyles every widget on it (some 20 ms), so a wide screen, where the focus
        # moves between list and article all the time, is not given one it has no use for.
        self.set_class(self.reading and self.narrow, "-reading")

    # -- importing ----------------------------------------------------------

    def action_import(self) -> None:
        if any(worker.group == "import" and worker.is_running for worker in self.workers):
            self.notify("An import is already running.", markup=False)
            return
        self.app.push_screen(ImportPrompt(), self._import_chosen)

    def _import_chosen(self, paths: list[Path] | None) -> None:
        if paths:
            progress = self.query_one("#import-progress", ProgressBar)
            progress.update(total=None, progress=0)
            progress.display = True
            self.run_import(paths)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, paths: list[Path]) -> None:
        def progress(done: int, total: int, _path: str) -> None:
            self.post_message(ImportProgress(done, total))

        report = self.library.import_paths(paths, progress=progress)
        self.post_message(ImportFinished(report))

    def on_import_progress(self, message: ImportProgress) -> None:
        self.query_one("#import-progress", ProgressBar).update(
            total=message.total or None, progress=message.done
        )

    def on_import_finished(self, message: ImportFinished) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        report = message.report
        summary = report.summary(skip_zero=True)
        self.notify(f"Import finished: {summary or 'nothing to import'}.", markup=False)
        problems = [item for item in report.files if item.status == "rejected" or item.records_rejected]
        if problems:
            lines = [f"{printable(Path(item.path).name)}: {printable(item.reason)}" for item in problems[:5]]
            more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.notify(
                "\n".join(lines) + more,
                title=f"{len(problems)} file(s) with input that could not be used",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self._facets_stale = True
        self._search_now()  # the list shows what arrived

    # -- other terminals ----------------------------------------------------

    def _watch_library(self) -> None:
        """Now and then: has an import or a rebuild in another terminal changed the library?
        Not while this app's own import or a search runs (each brings the list up to date)."""
        busy = any(w.group in ("import", "watch") and w.is_running for w in self.workers)
        if not busy and not self._searching and self.result is not None:
            self.check_library()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def check_library(self) -> None:
        # Only once the writer has finished: a long import commits many times.
        if self.library.outdated() and not self.library.writing() and self.library.catch_up():
            self.post_message(LibraryChanged(self.library.count()))

    def on_library_changed(self, message: LibraryChanged) -> None:
        before = self._library_count
        if before is not None and message.count != before:
            change = message.count - before
            what = f"{change} new article(s)" if change > 0 else f"{-change} article(s) fewer"
            self.notify(f"The library changed in another terminal: {what}.", markup=False)
        elif before is not None:
            self.notify("The library changed in another terminal.", markup=False)
        self._facets_stale = True
        self._search_now()  # the list shows what arrived; the open article stays

    # -- failures -----------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Where a search or a page fetch ends (so the next may start), and the one place
        a failed worker is reported."""
        worker = event.worker
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            if worker.group == "search":
                self._search_ended()
            elif worker.group == "page":
                self._page_loading = False
                self._next_page()
        if event.state != WorkerState.ERROR:
            return
        what = {
            "search": "Search",
            "import": "The import",
            "page": "Loading more results",
            "watch": "Looking for changes to the library",
            "marks": "Saving read, starred or a note",
            "facets": "Counting the facets",
            "export": "The export",
            "article": "Loading the article",
            "history": "Saving the search history",
            "saved": "Saving the search",
            "browser": "Opening the browser",
            "suggest": "Looking for words like the query's",
        }.get(worker.group, "A background task")
        if worker.group == "import":
            self.query_one("#import-progress", ProgressBar).display = False
        elif worker.group == "watch":
            self._watch_timer.stop()  # said once; searches still catch up by themselves
        notice.say_failed(self, what, worker.error)
        if worker.group == "search":
            self.query_one("#count", Static).update(Text("search failed", Style(bold=True)))

    # -- actions ------------------------------------------------------------

    def action_open(self) -> None:
        """Open the article highlighted in the list (from the list or the article)."""
        if self.query_one("#list-pane", ContentSwitcher).current == "results":
            self.query_one(ResultList).action_select()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        """From the article or the search box back to the list; nothing is cleared."""
        switcher = self.query_one("#list-pane", ContentSwitcher)
        if switcher.visible_content is not None:
            switcher.visible_content.focus()

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"

    def watch_sort(self) -> None:
        self._show_mode()
        self._search_now()

    def action_toggle_themes(self) -> None:
        self.show_themes = not self.show_themes

    def watch_show_themes(self, show: bool) -> None:
        self.query_one(ArticleView).show_themes = show
        self._show_mode()

    def _show_mode(self) -> None:
        text = Text()
        text.append("sort: ", Style(dim=True))
        # The order the core used (a blank or filter-only query is listed by date).
        order = self.result.order if self.result is not None and not self.result.error else self.sort
        text.append("newest first" if order == "date" else "relevance", Style(bold=True))
        text.append("  ·  themes: ", Style(dim=True))
        text.append("on" if self.show_themes else "off", Style(bold=True))
        self.query_one("#mode", Static).update(text)
