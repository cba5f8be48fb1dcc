"""The facet panel of the reader: the shape of what the current query found.

``f`` shows or hides a panel beside the article: a chart of the matching
articles over time, their counts by theme, source and year, and the theme
mix of the open article.  Choosing a row adds its filter to the query (or
takes it away again), and the query box shows it.  Counting runs in a
worker after each search while the panel is shown; a newer search stops it.
"""

from __future__ import annotations

import threading

from textual import on, work
from textual.worker import get_current_worker

from pressreader.library import SearchStopped
from pressreader.library.facets import toggle_filter
from pressreader.ui.messages import FacetsCounted
from pressreader.ui.screens.marking import MarkingScreen
from pressreader.ui.widgets.facets import FacetChosen, FacetPanel
from pressreader.ui.widgets.search_box import SearchBox


class FacetingScreen(MarkingScreen):
    """Key ``f`` and the facet panel (``#facets``, composed by the reader)."""

    _facet_stop: threading.Event | None = None
    _facet_generation = 0

    def action_toggle_facets(self) -> None:
        panel = self.query_one(FacetPanel)
        panel.display = not panel.display
        if panel.display:
            self.count_facets_now()
        elif self.focused is not None and panel in self.focused.ancestors_with_self:
            self.focus_next()

    def count_facets_now(self) -> None:
        """Count the facets of the query the list shows (when the panel is shown)."""
        panel = self.query_one(FacetPanel)
        result = getattr(self, "result", None)
        if not panel.display or result is None:
            return
        if panel.facets is not None and panel.facets.query == result.query and not self._facets_stale:
            return
        if self._facet_stop is not None:
            self._facet_stop.set()  # the count for an older query gives up
        self._facet_stop = threading.Event()
        self._facet_generation += 1
        panel.show_loading()
        self.count_facets(result.query, self._facet_generation, self._facet_stop)

    #: Set when the library changed: the same query may count differently now.
    _facets_stale = False

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def count_facets(self, query: str, generation: int, stop: threading.Event) -> None:
        try:
            facets = self.library.facets(query, should_stop=stop.is_set)
        except SearchStopped:
            return
        if not get_current_worker().is_cancelled:
            self.post_message(FacetsCounted(facets, generation))

    def on_facets_counted(self, message: FacetsCounted) -> None:
        if message.generation == self._facet_generation:
            self._facets_stale = False
            self.query_one(FacetPanel).show(message.facets)

    @on(FacetChosen)
    def _facet_chosen(self, message: FacetChosen) -> None:
        box = self.query_one(SearchBox)
        box.value = toggle_filter(box.value, message.field, message.value)
        box.cursor_position = len(box.value)
        self.remember_query(box.value)
