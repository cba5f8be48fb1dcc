"""Snippets: the passage of an article that best shows why it matched."""

from __future__ import annotations

from pressreader.analysis import find_terms
from pressreader.model import Article

WIDTH = 220
LEAD = 60


def snippet(
    article: Article, terms: frozenset[str], width: int = WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(text, spans of matched words in it) from the paragraph with the most distinct matches."""
    best_text, best_spans, best_score = "", [], -1
    for paragraph in article.paragraphs:
        spans = find_terms(paragraph.text, terms) if terms else []
        distinct = len({paragraph.text[s:e].casefold() for s, e in spans})
        if distinct > best_score:
            best_text, best_spans, best_score = paragraph.text, spans, distinct
        if not terms:
            break
    return _window(best_text.replace("\n", " "), best_spans, width)


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    if len(text) <= width:
        return text, tuple(spans)
    start = max(0, spans[0][0] - LEAD) if spans else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return prefix + text[start:end] + suffix, kept
