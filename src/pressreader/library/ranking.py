"""The top hits of a query of plain words, ranked with arrays instead of matchers.

Whoosh ranks a query by walking a tree of matchers one document at a time, in
Python, scoring each match with BM25F; it skips blocks of postings that cannot
reach the top hits, which helps when a word's weight varies a lot across
documents.  In a library of press releases a common word ("bank", "said",
"minister") is in most articles with much the same weight, nothing can be
skipped, and a search for it at 100,000 articles scored 90,000 documents one
call at a time (150-250 ms; four common words ANDed, 500 ms).

Here a query made only of words joined by AND, OR and NOT (after
:func:`pressreader.library.query.prune`, most queries) is evaluated a segment
at a time on numpy arrays: each word's posting blocks are read into arrays of
document numbers and weights, BM25F is computed for all of them at once with
Whoosh's own statistics and formula (its scorer's idf, average length, B and
K1), AND and OR are array intersections and unions that add scores as
Whoosh's matchers add them, and the top hits are picked with a partial sort.
Scores and order are Whoosh's (tests compare them); the total comes free.
Anything else (phrases, wildcards, ranges, boosts) is left to Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate
from typing import Any

import numpy as np

from pressreader._unpickle import loads
from pressreader._whoosh import query as wq
from pressreader._whoosh import scoring
from pressreader.library.marked import Marked, segment_arrays
from pressreader.library.phrase import positions as _positions

Arrays = tuple[Any, Any]  # (sorted document numbers, scores)
#: Fields whose prefixes and ranges (date:2024, date:[2024-01 to 2024-06]) are evaluated here.
PATTERN_FIELDS = frozenset({"date"})


def is_plain(query: Any, *, patterns: bool = False) -> bool:
    """Whether ``query`` is words (with boost 1) joined by AND, OR and NOT.

    ``patterns``: wildcards on any field too (for lists by date, where only
    which documents match counts, not how Whoosh would score them)."""
    kind = type(query)
    if kind in (wq.Term, wq.Every, Marked):
        return bool(query.boost == 1.0)
    if isinstance(query, wq.Phrase):
        return bool(query.boost == 1.0 and query.slop == 1 and len(query.words) > 1)
    if kind in (wq.Prefix, wq.Wildcard, wq.TermRange):
        # Only on fields without lengths (dates): each posting weighs 1, however
        # Whoosh ORs the words.  On text, a wildcard scores differently at the top
        # of a query and inside an AND; it is left to Whoosh.
        allowed = patterns or query.fieldname in PATTERN_FIELDS
        return bool(query.boost == 1.0 and query.constantscore and allowed)
    if kind is wq.And:
        # NOT inside an AND ("trade NOT japan") takes documents away and adds no score.
        positive = [q for q in query.subqueries if type(q) is not wq.Not]
        negative = [q.query for q in query.subqueries if type(q) is wq.Not]
        return (
            query.boost == 1.0
            and bool(positive)
            and all(is_plain(q, patterns=patterns) for q in positive)
            and all(is_plain(q, patterns=patterns) for q in negative)
        )
    if kind is wq.Or:
        branches = query.subqueries
        return query.boost == 1.0 and bool(branches) and all(is_plain(q, patterns=patterns) for q in branches)
    if kind is wq.AndNot:
        return bool(query.boost == 1.0) and all(is_plain(q, patterns=patterns) for q in (query.a, query.b))
    return False


class SearchStopped(Exception):
    """A search given up because its ``should_stop`` said so: the answer is no longer wanted."""


def top(
    searcher: Any,
    query: Any,
    limit: int,
    *,
    by_date: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[list[tuple[float, int]], int]:
    """The best ``limit`` (score, document number) pairs, best first (ties: lower
    number first, as Whoosh orders them), and how many documents match.

    ``by_date``: newest first instead (ties: higher number first), as Whoosh's
    ``sortedby="date", reverse=True`` orders them; scores are then 0.
    """
    weighting = searcher.weighting
    best: list[tuple[Any, Any]] = []
    dates: list[Any] = []
    total = 0
    for subsearcher, offset in searcher.leaf_searchers():
        if should_stop is not None and should_stop():  # between segments: a few ms at most
            raise SearchStopped
        reader = subsearcher.reader()
        if not reader.doc_count_all():  # an empty index's stand-in reader has no columns
            continue
        ids, scores = _evaluate(query, subsearcher, reader, weighting)
        if len(ids) and reader.has_deletions():
            deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
            keep = ~np.isin(ids, deleted)
            ids, scores = ids[keep], scores[keep]
        total += len(ids)
        if by_date:
            segment_dates = _dates(reader)[ids]
            if len(ids) > limit:
                cut = np.sort(segment_dates)[len(ids) - limit]
                keep = segment_dates >= cut
                ids, segment_dates = ids[keep], segment_dates[keep]
            best.append((ids + offset, np.zeros(len(ids))))
            dates.append(segment_dates)
            continue
        if len(ids) > limit:
            # Keep every document tied with the limit-th score: ties go by number later.
            cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= cut
            ids, scores = ids[keep], scores[keep]
        best.append((ids + offset, scores))
    if not best:
        return [], 0
    ids = np.concatenate([ids for ids, _ in best])
    scores = np.concatenate([scores for _, scores in best])
    if by_date:
        _, rank = np.unique(np.concatenate(dates), return_inverse=True)
        order = np.lexsort((-ids, -rank))[:limit]
    else:
        order = np.lexsort((ids, -scores))[:limit]
    return [(float(scores[i]), int(ids[i])) for i in order], total


def _evaluate(query: Any, searcher: Any, reader: Any, weighting: Any) -> Arrays:
    kind = type(query)
    if kind is wq.Term:
        return _term(query, searcher, reader, weighting)
    if isinstance(query, wq.Phrase):
        return _phrase(query, searcher, reader, weighting)
    if kind is wq.Every:
        return np.arange(reader.doc_count_all(), dtype=np.int64), np.zeros(reader.doc_count_all())
    if kind is Marked:
        docnums = query.segment_docnums(reader)
        return docnums, np.zeros(len(docnums))
    if kind in (wq.Prefix, wq.TermRange) and query.fieldname == "date":
        return _date_span(query, reader)
    if kind in (wq.Prefix, wq.Wildcard, wq.TermRange):
        # The words it stands for, in this segment, ORed (and scored) as Whoosh does.
        words = [btext for btext in query._btexts(reader) if btext]
        parts = [_term(wq.Term(query.fieldname, word), searcher, reader, weighting) for word in words]
        if not parts:
            return _EMPTY
        return _union(parts)
    if kind is wq.AndNot:
        ids, scores = _evaluate(query.a, searcher, reader, weighting)
        other, _ = _evaluate(query.b, searcher, reader, weighting)
        keep = ~np.isin(ids, other, assume_unique=True)
        return ids[keep], scores[keep]
    if kind is wq.And:
        positive = [sub for sub in query.subqueries if type(sub) is not wq.Not]
        parts = [_evaluate(sub, searcher, reader, weighting) for sub in positive]
        ids, scores = parts[0]
        for other_ids, other_scores in parts[1:]:
            ids, mine, theirs = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
            scores = scores[mine] + other_scores[theirs]
        for sub in query.subqueries:
            if type(sub) is wq.Not:
                other, _ = _evaluate(sub.query, searcher, reader, weighting)
                keep = ~np.isin(ids, other, assume_unique=True)
                # Whoosh's NOT matches the rest with a score of 1, which its AND adds.
                ids, scores = ids[keep], scores[keep] + 1.0
        return ids, scores
    return _union([_evaluate(sub, searcher, reader, weighting) for sub in query.subqueries])


def _union(parts: list[Arrays]) -> Arrays:
    """OR: every document any branch matches, with the sum of the branches' scores."""
    every = np.concatenate([ids for ids, _ in parts])
    ids, where = np.unique(every, return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([scores for _, scores in parts]), minlength=len(ids))
    return ids, scores


_EMPTY: Arrays = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))


def _postings(reader: Any, fieldname: str, text: Any, values: list[Any] | None = None) -> Arrays | None:
    """A word's document numbers and weights in the segment (None: not there);
    its postings' encoded values (positions) are added to ``values`` if given."""
    if fieldname not in reader.schema:
        return None
    btext = text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)
    if (fieldname, btext) not in reader:
        return None
    matcher = reader.postings(fieldname, btext)
    ids: list[Any] = []
    weights: list[Any] = []
    if hasattr(matcher, "_read_ids"):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float64))
            if values is not None:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
        return np.concatenate(ids), np.concatenate(weights)
    while matcher.is_active():  # a short list kept inline
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def _phrase(query: Any, searcher: Any, reader: Any, weighting: Any) -> Arrays:
    """Documents where the words stand one after another, scored as Whoosh scores a
    phrase: the sum of its words' scores (see :mod:`pressreader.library.phrase`)."""
    words: list[tuple[Any, Any, list[Any]]] = []
    for word in query.words:
        values: list[Any] = []
        found = _postings(reader, query.fieldname, word, values)
        if found is None:
            return _EMPTY
        words.append((*found, values))
    # Documents holding every word, and where each word's posting is in its arrays.
    ids = words[0][0]
    where = [np.arange(len(ids))]
    for other_ids, _, _ in words[1:]:
        ids, mine, theirs = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
        where = [index[mine] for index in where] + [theirs]
    # Each candidate's positions of each word: the postings' values, in candidate order.
    columns = [
        [values[i] for i in index.tolist()] for (_, _, values), index in zip(words, where, strict=True)
    ]
    if (
        len(words) == 2
    ):  # the usual case, kept lean: is some position of the second word one past the first's?
        held = [
            not set(accumulate(loads(first[4:]))).isdisjoint(p - 1 for p in accumulate(loads(second[4:])))
            for first, second in zip(columns[0], columns[1], strict=True)
        ]
    else:
        held = [_holds(row) for row in zip(*columns, strict=True)]
    keep = np.asarray(held, dtype=bool) if held else np.zeros(0, dtype=bool)
    scores = np.zeros(int(keep.sum()))
    for (word_ids, tf, _), index, word in zip(words, where, query.words, strict=True):
        scored = _scores(
            word_ids[index[keep]], tf[index[keep]], searcher, reader, query.fieldname, word, weighting
        )
        scores = scores + scored
    return ids[keep], scores


def _holds(values: tuple[bytes, ...]) -> bool:
    """Whether the words, whose positions in a document these are, stand in a row."""
    starts = set(_positions(values[0]))
    for offset, value in enumerate(values[1:], 1):
        starts.intersection_update(p - offset for p in _positions(value))
        if not starts:
            return False
    return True


def _term(query: Any, searcher: Any, reader: Any, weighting: Any) -> Arrays:
    found = _postings(reader, query.fieldname, query.text)
    if found is None:
        return _EMPTY
    doc_ids, tf = found
    return doc_ids, _scores(doc_ids, tf, searcher, reader, query.fieldname, query.text, weighting)


def _scores(
    doc_ids: Any, tf: Any, searcher: Any, reader: Any, fieldname: str, text: Any, weighting: Any
) -> Any:
    btext = text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)
    if weighting is None:  # unscored: a posting's score is its weight
        return tf
    scorer = weighting.scorer(searcher, fieldname, btext)
    if isinstance(scorer, scoring.WeightScorer):  # a field without lengths: the weight is the score
        return tf
    if not isinstance(scorer, scoring.BM25FScorer):
        raise TypeError(f"no array form for {type(scorer).__name__}")
    lengths = _lengths(reader, fieldname)[doc_ids]
    # Whoosh's bm25(), term by term as scoring.bm25 writes it.
    k1, b = scorer.K1, scorer.B
    return scorer.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / scorer.avgfl)))


def _lengths(reader: Any, fieldname: str) -> Any:
    """The field's length for every document of the segment, as BM25 reads it."""
    arrays = segment_arrays(reader)
    key = f"length:{fieldname}"
    if key not in arrays:
        count = reader.doc_count_all()
        values = [reader.doc_field_length(n, fieldname, 0) or 0 for n in range(count)]
        arrays[key] = np.asarray(values, dtype=np.float64)
    return arrays[key]


def _dates(reader: Any) -> Any:
    """Every document's date in the segment ("" for none), as Whoosh's date sort reads it."""
    arrays = segment_arrays(reader)
    if "dates" not in arrays:
        column = reader.column_reader("date")
        values = [column[n] for n in range(reader.doc_count_all())]
        arrays["dates"] = np.asarray(
            [v.decode("utf-8") if isinstance(v, bytes) else str(v or "") for v in values], dtype=str
        )
    return arrays["dates"]


def _date_span(query: Any, reader: Any) -> Arrays:
    """date:2019 or date:[2018-01-01 to 2018-06-30], from the segment's dates:
    a prefix stands for up to 366 words, each a posting list to read.  Every
    matching document scores 1, the weight of its one date posting."""
    dates = _dates(reader)
    if type(query) is wq.Prefix:
        text = str(query.text)
        mask = (dates >= text) & (dates < text + "\uffff")
    else:
        mask = dates != ""
        if query.start is not None:
            start = str(query.start)
            mask &= (dates > start) if query.startexcl else (dates >= start)
        if query.end is not None:
            end = str(query.end)
            mask &= (dates < end) if query.endexcl else (dates <= end)
    ids = np.nonzero(mask)[0].astype(np.int64)
    return ids, np.ones(len(ids))
