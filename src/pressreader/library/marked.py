"""``is:starred``, ``is:unread``, ``has:note``, ``note:port``: queries on what the
reader did to articles, which lives in the state store, not in the index.

The parser turns each into a :class:`Marked` node holding the article ids the
state store gave at parse time; a segment finds its documents among them by
the segment's id array (read once per segment, kept with its reader, as the
ranking's other arrays are).  Whoosh's own matcher is given too, so a Marked
node works in any query Whoosh runs itself (wildcards, counting).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pressreader._whoosh import matching
from pressreader._whoosh import query as wq


class Marked(wq.qcore.Query):  # type: ignore[misc]
    """The documents whose ids are in ``ids`` (with ``negate``: those that are not).
    Matches with weight 0: a mark filters, it does not rank."""

    def __init__(self, label: str, ids: frozenset[str], *, negate: bool = False) -> None:
        self.label = label
        self.ids = ids
        self.negate = negate
        self.boost = 1.0
        #: The ids sorted, made once (each segment looks them up in its own sorted ids).
        self._wanted: Any = None

    def __repr__(self) -> str:
        return f"Marked({self.label!r}, {len(self.ids)} ids{', negate' if self.negate else ''})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is Marked
            and other.label == self.label
            and other.negate == self.negate
            and other.ids == self.ids
        )

    def __hash__(self) -> int:
        return hash((self.label, self.negate, len(self.ids)))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all()) if self.negate else len(self.ids)

    def segment_docnums(self, reader: Any) -> Any:
        """The segment's document numbers this node matches (deleted ones included:
        the caller drops those, as for any other query).

        Each of the segment's ids is looked for in the wanted ids, sorted once per
        node: at 100,000 articles with 60,000 of them read, ``is:read`` costs
        well under a millisecond a segment.
        """
        ids = segment_ids(reader)
        if not len(ids):
            return np.empty(0, dtype=np.int64)
        if self._wanted is None:
            self._wanted = np.array(sorted(self.ids), dtype=str) if self.ids else np.empty(0, dtype=str)
        wanted = self._wanted
        if len(wanted):
            places = np.searchsorted(wanted, ids).clip(max=len(wanted) - 1)
            mask = wanted[places] == ids
        else:
            mask = np.zeros(len(ids), dtype=bool)
        if self.negate:
            mask = ~mask & (ids != "")
        return np.flatnonzero(mask).astype(np.int64)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums = self.segment_docnums(searcher.reader())
        if not len(docnums):
            return matching.NullMatcher()
        return matching.ListMatcher([int(n) for n in docnums], all_weights=0.0)


def segment_ids(reader: Any) -> Any:
    """Every document's article id in the segment, by document number ("" for a deleted one)."""
    arrays = segment_arrays(reader)
    if "ids" not in arrays:
        count = reader.doc_count_all()
        values = [""] * count
        for docnum, fields in reader.iter_docs():
            values[docnum] = fields.get("id", "")
        arrays["ids"] = np.asarray(values, dtype=str)
    return arrays["ids"]


def segment_arrays(reader: Any) -> dict[str, Any]:
    """Arrays read once per segment, kept with its reader (a segment never changes)."""
    return reader.__dict__.setdefault("_pressreader_arrays", {})  # type: ignore[no-any-return]
