""" "Did you mean": for a query that found nothing, the same query with its
unknown words replaced by the nearest words of the library.

Whoosh's corrector proposes index terms (stems, such as "energi"); each is
turned back into a word a person would type by finding it in an article that
holds it.  This only runs when a query found nothing, so its cost never
touches an ordinary search.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pressreader import analysis
from pressreader.model import Article

_WORD = re.compile(r"\w+")
MAX_WORDS = 8
MAX_WORD = 30
#: Query words that are operators or field names, never misspellings.
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def suggest(
    text: str,
    searcher,  # type: ignore[no-untyped-def]
    load: Callable[[str], Article | None],
    finds: Callable[[str], bool],
    *,
    limit: int = 3,
) -> tuple[str, ...]:
    """Up to ``limit`` corrected versions of the query ``text`` that find something, best first.

    Only short queries of ordinary words are corrected: a word with digits or
    hyphens ("COVID-19") is a name, not a misspelling, and a query of dozens of
    words was not typed by hand.
    """
    words = _WORD.findall(text)
    if len(words) > MAX_WORDS or any(len(word) > MAX_WORD for word in words):
        return ()
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    replacements: list[tuple[int, int, list[str]]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word in _OPERATORS or _is_field_part(text, match.start(), match.end()):
            continue
        stems = analysis.terms(word)
        if len(stems) != 1 or len(word) < 4 or not word.isalpha() or _in_compound(text, match):
            continue
        stem = stems[0]
        if reader.doc_frequency("body", stem) or reader.doc_frequency("title", stem):
            continue
        words = []
        # One edit for short words ("уран" is not "арал"), two for longer ones.
        for candidate in corrector.suggest(stem, limit=limit, maxdist=1 if len(word) < 7 else 2):
            surface = _surface_form(candidate, searcher, load)
            if surface and surface.casefold() != word.casefold():
                words.append(surface)
        if words:
            replacements.append((match.start(), match.end(), words))
    if not replacements:
        return ()
    suggestions = []
    for rank in range(limit):
        fixed, last = [], 0
        for start, end, words in replacements:
            fixed.append(text[last:start])
            fixed.append(words[min(rank, len(words) - 1)])
            last = end
        fixed.append(text[last:])
        candidate = "".join(fixed)
        if candidate not in suggestions and finds(candidate):
            suggestions.append(candidate)
    return tuple(suggestions)


def _in_compound(text: str, match: re.Match[str]) -> bool:
    """True for a part of "COVID-19" or "e-government": hyphens or digits around the word."""
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return before in ("-", "/", ".") or after in ("-", "/", ".")


def _is_field_part(text: str, start: int, end: int) -> bool:
    """True for the ``theme`` of ``theme:energy`` and for the ``energy`` after it."""
    return text[end : end + 1] == ":" or (start > 0 and text[start - 1] == ":")


def _surface_form(stem: str, searcher, load: Callable[[str], Article | None]) -> str:  # type: ignore[no-untyped-def]
    """A word of the library whose index term is ``stem``, lowercased."""
    from pressreader._whoosh import query as wq

    results = searcher.search(wq.Term("body", stem), limit=1)
    if not results:
        return ""
    article = load(results[0]["id"])
    if article is None:
        return ""
    # The body field holds the title's words too: the word may be in the title only.
    for text in (article.title, *(paragraph.text for paragraph in article.paragraphs)):
        for term, start, end in analysis.term_spans(text):
            if term == stem:
                return text[start:end].lower()
    return ""
