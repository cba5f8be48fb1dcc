"""Exact phrases ("interest rates"), matched without Whoosh's span machinery.

Whoosh answers a phrase with a general span query: for every document holding
all the words it builds span objects for each word's positions and compares
them pairwise.  At 100,000 articles a phrase of two common words ("mln dlrs",
77,000 documents) took 2 s, nearly all of it there, and as long again to count.
:class:`Phrase` finds the documents holding every word by leapfrogging their
posting lists, then checks the positions with one set intersection.  It matches
exactly the documents Whoosh's phrase matches and scores them as it does (the
sum of the words' scores); tests compare the two.  Phrases with a slop
("a b"~3) are left to Whoosh.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from pressreader._unpickle import loads
from pressreader._whoosh import matching
from pressreader._whoosh import query as wq

#: Whoosh's Positions format: a 4-byte count, then the pickled position deltas.
_COUNT_BYTES = 4


class Phrase(wq.Phrase):  # type: ignore[misc]
    """A Whoosh phrase (slop 1) with a quicker matcher."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.slop != 1 or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        leaves = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            leaves.append(wq.Term(self.fieldname, btext).matcher(searcher, context))
        if len(leaves) == 1:  # Whoosh's own is as quick, and scores one word its way
            return super().matcher(searcher, context)
        return PhraseMatcher(leaves, self.boost)


def positions(value: bytes) -> list[int]:
    """A posting's positions, from the bytes Whoosh's Positions format stores."""
    return list(accumulate(loads(value[_COUNT_BYTES:])))


class PhraseMatcher(matching.Matcher):  # type: ignore[misc]
    """Documents where the leaves' words stand one after another."""

    def __init__(self, leaves: list[Any], boost: float = 1.0) -> None:
        self._leaves = leaves
        self._boost = boost
        self._active = all(leaf.is_active() for leaf in leaves)
        if self._active:
            self._settle()

    # Moving -----------------------------------------------------------------
    def _settle(self) -> None:
        """Move to the first document, from the leaves' positions on, holding the phrase."""
        leaves = self._leaves
        while True:
            target = max(leaf.id() for leaf in leaves)
            aligned = True
            for leaf in leaves:
                if leaf.id() < target:
                    leaf.skip_to(target)
                    if not leaf.is_active():
                        self._active = False
                        return
                    if leaf.id() != target:
                        aligned = False
            if not aligned:
                continue
            if self._holds_phrase():
                return
            leaves[0].next()
            if not leaves[0].is_active():
                self._active = False
                return

    def _holds_phrase(self) -> bool:
        starts = set(positions(self._leaves[0].value()))
        for offset, leaf in enumerate(self._leaves[1:], 1):
            starts.intersection_update(position - offset for position in positions(leaf.value()))
            if not starts:
                return False
        return True

    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return int(self._leaves[0].id())

    def next(self) -> None:
        self._leaves[0].next()
        if not self._leaves[0].is_active():
            self._active = False
            return
        self._settle()

    def skip_to(self, target: int) -> None:
        if not self._active or self.id() >= target:
            return
        self._leaves[0].skip_to(target)
        if not self._leaves[0].is_active():
            self._active = False
            return
        self._settle()

    def all_ids(self) -> Any:
        while self._active:
            yield self.id()
            self.next()

    # What Whoosh's collectors ask ---------------------------------------------
    def score(self) -> float:
        return float(sum(leaf.score() for leaf in self._leaves)) * self._boost

    def weight(self) -> float:
        return float(sum(leaf.weight() for leaf in self._leaves))

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # An upper bound on any score here (the sum of the words' best scores):
        # what an enclosing AND asks before it drops a branch.
        return float(sum(leaf.max_quality() for leaf in self._leaves)) * self._boost

    def replace(self, minquality: float = 0) -> Any:
        return self if self._active else matching.NullMatcher()

    def copy(self) -> PhraseMatcher:
        copied = PhraseMatcher.__new__(PhraseMatcher)
        copied._leaves = [leaf.copy() for leaf in self._leaves]
        copied._boost = self._boost
        copied._active = self._active
        return copied

    def children(self) -> list[Any]:
        return list(self._leaves)

    def term_matchers(self) -> Any:
        for leaf in self._leaves:
            yield from leaf.term_matchers()

    def matching_terms(self, id: int | None = None) -> Any:
        for leaf in self._leaves:
            yield from leaf.matching_terms(id)

    def reset(self) -> None:
        for leaf in self._leaves:
            leaf.reset()
        self._active = all(leaf.is_active() for leaf in self._leaves)
        if self._active:
            self._settle()

    def depth(self) -> int:
        return 1 + max(leaf.depth() for leaf in self._leaves)
