"""The plain dataclasses that travel between the core and the front ends.

Standard library only: every other part of pressreader imports this module,
and it imports nothing of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FileStatus = Literal["added", "updated", "unchanged", "duplicate", "rejected", "removed"]
SortOrder = Literal["relevance", "date"]


@dataclass(frozen=True, slots=True)
class ThemeHit:
    """One theme found in a paragraph: its id, a score and the lexicon terms that matched."""

    theme: str
    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text with its themes, strongest first."""

    text: str
    themes: tuple[ThemeHit, ...] = ()

    @property
    def primary(self) -> str | None:
        """The id of the strongest theme, or None for a paragraph without themes."""
        return self.themes[0].theme if self.themes else None


@dataclass(frozen=True, slots=True)
class Article:
    """A press release, normalised: plain text only, no markup of any kind.

    ``date`` is an ISO date (``YYYY-MM-DD``) or ``""`` when unknown.
    """

    id: str
    title: str
    date: str
    source: str
    paragraphs: tuple[Paragraph, ...]
    url: str = ""
    lang: str = ""
    tags: tuple[str, ...] = ()
    path: str = ""

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme ids of the whole article, by total score, strongest first."""
        totals: dict[str, float] = {}
        for paragraph in self.paragraphs:
            for hit in paragraph.themes:
                totals[hit.theme] = totals.get(hit.theme, 0.0) + hit.score
        return tuple(sorted(totals, key=lambda theme: (-totals[theme], theme)))

    @property
    def body(self) -> str:
        return "\n\n".join(paragraph.text for paragraph in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result, enough to draw a list row without loading the article."""

    id: str
    title: str
    date: str
    source: str
    score: float
    themes: tuple[str, ...]
    snippet: str
    snippet_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query.

    ``terms`` are the index terms the query matched (stemmed), which front ends
    pass back to :func:`pressreader.analysis.find_terms` to mark matches in text.
    ``error`` is a short message for a malformed query (then ``hits`` is empty).
    """

    query: str
    sort: SortOrder
    hits: tuple[Hit, ...] = ()
    #: The order the hits are in: ``sort``, except that a blank or filter-only
    #: query has nothing to rank by and is listed by date.
    order: SortOrder = "relevance"
    total: int = 0
    terms: frozenset[str] = frozenset()
    error: str | None = None
    suggestions: tuple[str, ...] = ()
    #: Where ``hits`` start among all the matches (a later page of a long list).
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FileReport:
    """What an import did with one file.  ``records_rejected`` counts the unusable
    records of a multi-record file (JSON Lines, feeds) whose good records imported;
    ``reason`` then names them by number."""

    path: str
    status: FileStatus
    reason: str = ""
    articles: int = 0
    records_rejected: int = 0


@dataclass(slots=True)
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    #: What went wrong in the import itself, not in a file (a worker process that
    #: failed: its files were read another way), a line each.
    problems: list[str] = field(default_factory=list)

    def count(self, status: FileStatus) -> int:
        return sum(1 for report in self.files if report.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {
            status: self.count(status)
            for status in ("added", "updated", "unchanged", "duplicate", "rejected")
        }

    @property
    def rejected(self) -> list[FileReport]:
        return [report for report in self.files if report.status == "rejected"]

    def summary(self, *, skip_zero: bool = False) -> str:
        """``3 added, 0 updated, ...`` (removals too, when there were any)."""
        counts = self.counts
        if self.count("removed"):
            counts["removed"] = self.count("removed")
        return ", ".join(f"{n} {status}" for status, n in counts.items() if n or not skip_zero)

    @property
    def records_rejected(self) -> int:
        return sum(report.records_rejected for report in self.files)


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the lexicon as front ends need it: id, label and colour."""

    id: str
    label: str
    color: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class LibraryStats:
    articles: int
    sources: dict[str, int]
    oldest: str
    newest: str
    themes: dict[str, int]
    index_bytes: int
    path: str
