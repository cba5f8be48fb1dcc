"""Classify paragraphs into themes with the compiled lexicon.

Each lexicon term is analysed exactly as the index analyses text (see
:mod:`pressreader.analysis`), so matching is on stems and phrases are runs of
stems.  A theme's score in a paragraph is the sum of the weights of the
distinct terms found, plus a little for repeats; negative weights let a phrase
cancel a word used in another sense ("road map" is not about roads).  A theme
counts when its score reaches ``min_score`` and ``relative`` times the best
score of the paragraph.  Weak words (weight 1) never make a theme alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from pressreader import analysis
from pressreader.ingest import junk
from pressreader.model import Article, Paragraph, Theme, ThemeHit
from pressreader.themes.lexicon import LexiconSpec

REPEAT_BONUS = 0.25
MAX_REPEATS = 3


class Lexicon:
    """A compiled lexicon: the themes front ends show and the classifier."""

    def __init__(self, spec: LexiconSpec) -> None:
        self.spec = spec
        self.themes: dict[str, Theme] = {tid: t.as_theme() for tid, t in spec.themes.items()}
        self._order = {theme_id: n for n, theme_id in enumerate(self.themes)}
        self._boilerplate = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in spec.boilerplate]
        # first stem -> [(stems, theme, weight, term)], longest phrases first.
        # Terms that stem alike ("transport", "transportation") count once, at
        # the largest weight; a phrase that loses a word to the stop list and
        # shrinks to a single stem ("IT sector" -> "sector") is skipped, since
        # it would match far more than its author meant.
        by_stems: dict[tuple[str, tuple[str, ...]], tuple[float, str]] = {}
        self.skipped: list[tuple[str, str]] = []
        for theme_id, theme in spec.themes.items():
            for term, weight in theme.terms.items():
                stems = tuple(analysis.terms(term))
                if not stems or (len(stems) == 1 and len(analysis.words(term)) > 1):
                    self.skipped.append((theme_id, term))
                    continue
                key = (theme_id, stems)
                if key not in by_stems or abs(weight) > abs(by_stems[key][0]):
                    by_stems[key] = (weight, term)
        table: dict[str, list[tuple[tuple[str, ...], str, float, str]]] = defaultdict(list)
        for (theme_id, stems), (weight, term) in by_stems.items():
            table[stems[0]].append((stems, theme_id, weight, term))
        for entries in table.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self._table = dict(table)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the classification could change."""
        import hashlib

        parts = [repr((self.spec.min_score, self.spec.relative, self.spec.boilerplate, junk.VERSION))]
        for theme_id, theme in self.spec.themes.items():
            parts.append(repr((theme_id, sorted(theme.terms.items()))))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def is_boilerplate(self, text: str) -> bool:
        """Navigation, attachment and contact lines (:func:`pressreader.ingest.junk.is_boilerplate`,
        the one definition ingest uses too), and what the lexicon's ``[boilerplate]`` patterns add."""
        if junk.is_boilerplate(text):
            return True
        stripped = text.strip()
        return any(pattern.fullmatch(stripped) for pattern in self._boilerplate)

    def classify(self, text: str) -> tuple[ThemeHit, ...]:
        """The themes of one paragraph, strongest first."""
        if self.is_boilerplate(text):
            return ()
        stems = analysis.terms(text)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        weights: dict[tuple[str, str], float] = {}
        # Per theme, the token positions a longer phrase already matched: a
        # shorter term inside it ("power plant" in "nuclear power plant", "road"
        # in "road map") does not count again.
        covered: dict[str, set[int]] = defaultdict(set)
        for position, stem in enumerate(stems):
            for phrase, theme_id, weight, term in self._table.get(stem, ()):
                end = position + len(phrase)
                if tuple(stems[position:end]) != phrase:
                    continue
                span = range(position, end)
                taken = covered[theme_id]
                if all(i in taken for i in span):
                    continue
                taken.update(span)
                counts[(theme_id, term)] += 1
                weights[(theme_id, term)] = weight
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, list[str]] = defaultdict(list)
        for (theme_id, term), count in counts.items():
            weight = weights[(theme_id, term)]
            bonus = REPEAT_BONUS * min(count - 1, MAX_REPEATS) * max(weight, 0.0)
            scores[theme_id] += weight + bonus
            if weight > 0:
                matched[theme_id].append(term)
        if not scores:
            return ()
        best = max(scores.values())
        floor = max(self.spec.min_score, self.spec.relative * best)
        kept = [theme_id for theme_id, score in scores.items() if score >= floor]
        kept.sort(key=lambda theme_id: (-scores[theme_id], self._order.get(theme_id, 0)))
        return tuple(
            ThemeHit(theme_id, round(scores[theme_id], 2), tuple(sorted(matched[theme_id])))
            for theme_id in kept
        )

    def classify_article(self, article: Article) -> Article:
        paragraphs = tuple(Paragraph(p.text, self.classify(p.text)) for p in article.paragraphs)
        return replace(article, paragraphs=paragraphs)
