"""Messages the reader's widgets and workers exchange, as plain dataclasses.

Workers post these from their threads (``post_message`` is thread-safe); they
carry only the core's dataclasses, never widgets or Whoosh objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from textual.message import Message

from pressreader.library.facets import Facets
from pressreader.library.state import Flags
from pressreader.model import Article, Hit, ImportReport, SearchResult


@dataclass
class SearchFinished(Message):
    """A search worker's answer (also sent for the empty query at start-up).

    ``generation`` numbers the searches a screen started; an answer to any but
    the newest is dropped.
    """

    result: SearchResult
    library_count: int
    seconds: float
    generation: int
    marks: Mapping[str, Flags] = field(default_factory=dict)
    """Read, starred, noted: for the hits of the answer (from the state store)."""


@dataclass
class PagesWanted(Message):
    """The result list needs these pages (numbered from 0) to draw the rows on and near
    the screen, the most wanted first; a newer wish replaces an older one."""

    pages: tuple[int, ...]

    def can_replace(self, message: Message) -> bool:
        # Scrolling floods these; only what is on screen now matters.
        return isinstance(message, PagesWanted)


@dataclass
class PageLoaded(Message):
    """A page of a long result list, fetched by a worker; ``generation`` as in
    :class:`SearchFinished` (a page of an older search is dropped)."""

    result: SearchResult
    generation: int
    marks: Mapping[str, Flags] = field(default_factory=dict)


@dataclass
class ArticleLoaded(Message):
    """The article a load worker fetched; ``article`` is None when it has gone."""

    article_id: str
    article: Article | None
    spans: tuple[tuple[tuple[str, int, int], ...], ...] = ()
    """Per paragraph, each word's index term and span, computed in the worker so
    that marking another query's words costs no text analysis on the UI thread."""
    wrapped: tuple[int, tuple[tuple[tuple[int, int], ...], ...]] | None = None
    """``(width, lines)``: where each paragraph breaks into lines of ``width`` cells,
    also worked out in the worker (see :func:`pressreader.ui.widgets.article_view.wrap_paragraphs`)."""
    flags: Flags | None = None
    note: str = ""
    """What the reader did to it, and its note (from the state store)."""


@dataclass
class HitHighlighted(Message):
    """The cursor of the result list moved to ``hit``."""

    index: int
    hit: Hit

    def can_replace(self, message: Message) -> bool:
        # Holding a key down floods these; only the newest position matters.
        return isinstance(message, HitHighlighted)


@dataclass
class HitSelected(Message):
    """The user chose ``hit`` in the result list (Enter or a click)."""

    index: int
    hit: Hit


@dataclass
class ImportProgress(Message):
    """How far an import in the app has gone; a flood, so a newer one replaces an older one."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgress)


@dataclass
class ImportFinished(Message):
    """An import in the app has ended; ``report`` says what happened to each file."""

    report: ImportReport


@dataclass
class LibraryChanged(Message):
    """Another process (an import, a rebuild in another terminal) changed the library,
    and has finished writing; ``count`` is how many articles it holds now."""

    count: int


@dataclass
class MarksChanged(Message):
    """What the reader did to articles (read, starred, a note) was written to the
    state store; ``marks`` are the articles' flags now, ``said`` a word for the user."""

    marks: Mapping[str, Flags]
    said: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)


@dataclass
class FacetsCounted(Message):
    """A facets worker's counts for a query; ``generation`` as in :class:`SearchFinished`."""

    facets: Facets
    generation: int
