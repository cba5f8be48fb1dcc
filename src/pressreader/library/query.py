"""Parse a user's query into a Whoosh query, or a short message saying what is wrong.

Whoosh's own language (AND, OR, NOT, "phrases", field:value, wildcards,
ranges) plus the reader's fields: ``theme:energy``, ``source:"Kazakh MFA"`` or
``source:kazakh``, ``date:2024``, ``date:2024-06``,
``date:[2024-01-01 to 2024-06-30]``, ``date:>2024-05``, ``lang:ru``, ``tag:x``,
and what the reader did: ``is:read``, ``is:unread``, ``is:starred``,
``has:note``, ``note:word`` (see :mod:`.marked`).
Whoosh repairs broken syntax silently (an unclosed parenthesis drops words);
this module refuses it instead, with a message the user can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from pressreader import analysis
from pressreader._whoosh import fields as wfields
from pressreader._whoosh import qparser
from pressreader._whoosh import query as wq
from pressreader.ingest.normalise import parse_date
from pressreader.library.marked import Marked
from pressreader.library.phrase import Phrase
from pressreader.library.schema import ALIASES, QUERY_FIELDS

_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FIELD_PREFIX = re.compile(r'(?<![\w"\\])([A-Za-z_]\w*):(?=(\S*))')
_QUOTED = re.compile(r'"[^"]*"')
_HIGH = "\uffff"
#: Where words are looked for: stemmed text (English, Russian) and word-for-word
#: text (other languages); each holds its article's title as well as its text.
SEARCH_FIELDS = ("body", "body_plain")
#: Fields on what the reader did, and the values each takes.
STATE_FIELDS = {"is": ("read", "unread", "starred", "unstarred"), "has": ("note",), "note": ()}
#: (kind in the state store, negated) for each is:/has: value.
_STATE_VALUES = {
    ("is", "read"): ("read", False),
    ("is", "unread"): ("read", True),
    ("is", "starred"): ("starred", False),
    ("is", "unstarred"): ("starred", True),
    ("has", "note"): ("note", False),
}
#: Fields whose terms are marked in the text.
TEXT_FIELDS = ("title", "body", "title_plain", "body_plain")


class QueryError(ValueError):
    """A query that cannot be run; the message says what to fix."""


def _known_fields() -> dict[str, str]:
    known = {name: name for name in QUERY_FIELDS}
    for name, aliases in ALIASES.items():
        known.update({alias: name for alias in aliases})
    return known


class _Parser(qparser.QueryParser):  # type: ignore[misc]
    """Whoosh's parser, except that a word of CJK text, which the analyzer makes
    several bigrams of, is a phrase of them (Whoosh would AND them, anywhere in
    the text): "금융위원회" is "금융 융위 위원 원회" in a row."""

    def term_query(  # type: ignore[no-untyped-def]
        self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True
    ):
        if tokenize and analysis.is_cjk(text) and self.schema and fieldname in self.schema:
            field = self.schema[fieldname]
            if field.analyzer:
                tokens = [
                    (token.text, (token.startchar, token.endchar))
                    for token in field.tokenize(text, mode="query", chars=True, removestops=removestops)
                ]
                if len(tokens) > 1:
                    words, ranges = zip(*tokens, strict=True)
                    return wq.Phrase(fieldname, list(words), boost=boost, char_ranges=list(ranges))
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class QueryParser:
    def __init__(
        self,
        schema: Any,
        theme_ids: Iterable[str],
        *,
        marks: Callable[[str], frozenset[str]] | None = None,
        notes: Callable[[str], frozenset[str]] | None = None,
    ) -> None:
        """``marks(kind)``: the ids marked read, starred or with a note;
        ``notes(words)``: the ids whose note holds the words (both from the state store)."""
        self.theme_ids = tuple(theme_ids)
        self._marks = marks
        self._notes = notes
        self._known = _known_fields()
        self._known.update({name: name for name in STATE_FIELDS})
        # The state's fields are the parser's only: the index does not hold them.
        schema = schema.copy()
        for name in STATE_FIELDS:
            schema.add(name, wfields.KEYWORD(lowercase=True))
        # Whoosh's MultifieldParser, with the parser above.
        parser = _Parser(None, schema)
        parser.add_plugin(qparser.MultifieldPlugin(list(SEARCH_FIELDS)))
        parser.add_plugin(qparser.GtLtPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
        self._parser = parser

    def parse(self, text: str) -> wq.Query | None:
        """The Whoosh query for ``text``; None for a blank query (everything)."""
        text = text.strip()
        if not text:
            return None
        text = self._check_syntax(text)
        try:
            parsed = self._parser.parse(text)
        except Exception:  # Whoosh raises assorted internal errors on odd input
            raise QueryError(
                "cannot make sense of the query: check the AND, OR, NOT and parentheses"
            ) from None
        query = self._rewrite(parsed)
        if isinstance(query, type(wq.NullQuery)):
            raise QueryError("the query has no words to search for")
        return query

    def _check_syntax(self, text: str) -> str:
        """Refuse what Whoosh would silently repair; return the text with field names
        in their canonical lowercase (Whoosh's field names are case-sensitive)."""
        if text.count('"') % 2:
            raise QueryError('unclosed quote: add the closing " or remove the opening one')
        bare = _QUOTED.sub('""', text)
        depth = 0
        for char in bare:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                raise QueryError("a ) without its (")
        if depth:
            raise QueryError("unclosed parenthesis: add the missing )")
        if bare.count("[") != bare.count("]") or bare.count("{") != bare.count("}"):
            raise QueryError("unclosed range: write date:[2024-01-01 to 2024-06-30]")
        for match in _FIELD_PREFIX.finditer(bare):
            name, value = match.group(1), match.group(2)
            if name.lower() not in self._known:
                fields = ", ".join(f"{f}:" for f in QUERY_FIELDS)
                raise QueryError(f"unknown field {name}: (fields are {fields})")
            if not value.strip("<>=") and not value.startswith(('"', "(", "[", "{")):
                raise QueryError(f"{name}: needs a value, e.g. {_example(self._known[name.lower()])}")
        # Outside quotes, field names to lowercase: Theme:energy works like theme:energy.
        pieces = re.split(r'("[^"]*")', text)
        for index in range(0, len(pieces), 2):
            pieces[index] = _FIELD_PREFIX.sub(lambda m: m.group(1).lower() + ":", pieces[index])
        return "".join(pieces)

    def _rewrite(self, node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.compound.CompoundQuery, wq.Not)):
            return node.apply(self._rewrite)
        if type(node) is wq.Phrase and node.slop == 1:
            return Phrase(node.fieldname, node.words, slop=1, boost=node.boost, char_ranges=node.char_ranges)
        field = getattr(node, "fieldname", None)
        if field in TEXT_FIELDS and isinstance(node, (wq.Prefix, wq.Wildcard)) and analysis.is_cjk(node.text):
            return _cjk_pattern(node)
        if field in STATE_FIELDS:
            return self._marked(node, field)
        if field == "date":
            return self._date(node)
        if field == "theme":
            for value in _values(node):
                if value not in self.theme_ids:
                    raise QueryError(f"unknown theme {value!r}; themes are {', '.join(self.theme_ids)}")
            return node
        if field == "source" and isinstance(node, wq.Term):
            words = analysis.terms(node.text)
            if not words:
                return node
            words_query = wq.And([wq.Term("source_words", w) for w in words])
            return wq.Or([node, words_query])
        return node

    def _marked(self, node: wq.Query, field: str) -> wq.Query:
        values = [str(value).lower() for value in _values(node)]
        if field == "note":
            if self._notes is None:
                raise QueryError("note: needs the library's state (read, starred, notes)")
            return Marked(f"note:{' '.join(values)}", self._notes(" ".join(values)))
        if len(values) != 1 or (field, values[0]) not in _STATE_VALUES:
            choices = ", ".join(f"{field}:{value}" for value in STATE_FIELDS[field])
            raise QueryError(f"{field}: takes {choices}")
        if self._marks is None:
            raise QueryError(f"{field}: needs the library's state (read, starred, notes)")
        kind, negate = _STATE_VALUES[(field, values[0])]
        return Marked(f"{field}:{values[0]}", self._marks(kind), negate=negate)

    def _date(self, node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term):
            value = _date_value(node.text)
            return wq.Term("date", value) if len(value) == 10 else wq.Prefix("date", value)
        if isinstance(node, wq.TermRange):
            start = _date_value(node.start) if node.start else None
            end = _date_value(node.end) if node.end else None
            # Dates are ISO strings, compared as text: a partial date must cover
            # its whole year or month at the inclusive end and at an exclusive start.
            if start and node.startexcl and len(start) < 10:
                start, startexcl = start + _HIGH, False
            else:
                startexcl = node.startexcl
            if end and not node.endexcl and len(end) < 10:
                end += _HIGH
            return wq.TermRange("date", start, end, startexcl, node.endexcl)
        if isinstance(node, (wq.Prefix, wq.Wildcard)):
            return node
        raise QueryError("date: takes a date like 2024, 2024-06, 2024-06-30 or a range [2024-01 to 2024-06]")


def _cjk_pattern(node: wq.Query) -> wq.Query:
    """``金融*`` over CJK bigrams: text is found anywhere in a run of CJK letters,
    so a prefix of two letters or more is its bigrams in a row (a phrase), and a
    lone letter is the terms that start with it (itself, or a bigram).  A word
    of Latin letters at the end keeps its prefix ("삼성SD*").  Inside a pattern
    (``금?위원회``), the letters on each side of ``?`` or ``*`` are looked for
    one after the other: what a bigram index can tell."""
    field = node.fieldname
    pattern = node.text + "*" if isinstance(node, wq.Prefix) else node.text
    pieces = re.split(r"([*?]+)", pattern)
    queries: list[wq.Query] = []
    for number in range(0, len(pieces), 2):
        words = [text for text, _start, _end in analysis._word_spans(pieces[number])]
        if not words:
            continue
        tail = words[-1]
        # Followed by a wildcard: a Latin word, or a lone CJK letter, may go on.
        if number + 1 < len(pieces) and (not analysis.is_cjk(tail) or len(tail) == 1):
            words, open_end = words[:-1], [wq.Prefix(field, analysis.fold(tail.lower()))]
        else:
            open_end = []
        words = [word if analysis.is_cjk(word) else analysis.fold(word.lower()) for word in words]
        if len(words) > 1:
            queries.append(wq.Phrase(field, words, boost=node.boost))
        elif words:
            queries.append(wq.Term(field, words[0], boost=node.boost))
        queries.extend(open_end)
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _values(node: wq.Query) -> list[str]:
    if isinstance(node, wq.Term):
        return [node.text]
    return [text for _field, text in node.iter_all_terms()] if hasattr(node, "iter_all_terms") else []


def _date_value(value: object) -> str:
    text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
    if not _DATE_VALUE.match(text) or not _valid_date(text):
        raise QueryError(
            f"date:{text} is not a date; write 2024, 2024-06, 2024-06-30 or [2024-01-01 to 2024-06-30]"
        )
    return text


def _valid_date(text: str) -> bool:
    """Whether a year, a month or a day (2024, 2024-06, 2024-06-30) exists."""
    padded = "-".join([*text.split("-"), "01", "01"][:3])
    return bool(parse_date(padded))


def _example(field: str) -> str:
    return {
        "theme": "theme:energy",
        "source": 'source:"Kazakh MFA"',
        "date": "date:2024",
        "lang": "lang:ru",
        "tag": "tag:energy",
        "title": "title:uranium",
        "body": "body:uranium",
    }.get(field, f"{field}:word")


def prune(node: wq.Query, reader: Any) -> wq.Query:
    """``node`` without the branches of an OR that look for a word the index does
    not hold: a word is looked for in stemmed and in word-for-word text, and
    is nearly always in one of the two only.  One term left is one posting
    list for Whoosh to walk, with none of a union's costs."""
    if isinstance(node, wq.Or):
        branches = [prune(sub, reader) for sub in node.subqueries]
        live = [sub for sub in branches if not _absent(sub, reader)]
        if len(live) == 1:
            return live[0]
        return node.__class__(live or branches[:1], boost=node.boost)
    if isinstance(node, (wq.compound.CompoundQuery, wq.Not)):
        return node.apply(lambda sub: prune(sub, reader))
    return node


def _absent(node: wq.Query, reader: Any) -> bool:
    kind = type(node)
    if kind is wq.Term:
        words = [node.text]
    elif isinstance(node, wq.Phrase):
        words = list(node.words)
    else:
        return False
    if node.fieldname not in reader.schema:
        return True
    to_bytes = reader.schema[node.fieldname].to_bytes
    return any((node.fieldname, w if isinstance(w, bytes) else to_bytes(w)) not in reader for w in words)


def highlight_terms(query: wq.Query | None, reader: object) -> frozenset[str]:
    """The index terms of the title and body that the query looks for (not those under NOT),
    wildcards expanded against the index: what the front ends mark in text."""
    found: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.compound.CompoundQuery):
            for child in node.children():
                walk(child)
            return
        if getattr(node, "fieldname", None) not in TEXT_FIELDS:
            return
        if isinstance(node, wq.Phrase) and any(analysis.is_cjk(word) for word in node.words):
            if not any(True for _term in node.existing_terms(reader)):
                return
            found.update(_phrase_runs(node))
            return
        for _field, text in node.existing_terms(reader, expand=True):
            found.add(text.decode("utf-8") if isinstance(text, bytes) else text)

    if query is not None:
        walk(query)
    return frozenset(found)


def _phrase_runs(node: wq.Phrase) -> list[str]:
    """A phrase's words as what :func:`pressreader.analysis.find_terms` looks for:
    bigrams of one CJK run joined back into it ("금융", "융위", "위원", "원회" is
    "금융위원회"), other words as they are.  Bigrams are of one run where their
    characters overlap in the query (or, without character ranges, their letters)."""
    words = [w.decode("utf-8") if isinstance(w, bytes) else str(w) for w in node.words]
    ranges = list(node.char_ranges or [])
    runs: list[str] = []
    previous: tuple[str, object] | None = None
    for index, word in enumerate(words):
        span = ranges[index] if index < len(ranges) else None
        if previous is not None and analysis.is_cjk(word) and analysis.is_cjk(previous[0]):
            before, before_span = previous
            if isinstance(span, tuple) and isinstance(before_span, tuple) and None not in span + before_span:
                joined = span[0] < before_span[1]
            else:
                joined = len(before) == 2 and len(word) == 2 and before[1] == word[0]
            if joined:
                runs[-1] += word[1:]
                previous = (word, span)
                continue
        runs.append(word)
        previous = (word, span)
    return runs
