"""Text analysis shared by the index and the theme classifier.

One analyzer turns text into index terms: words, lowercased, stop words out,
then stemmed by the script of each word (Cyrillic words by the Russian Snowball
stemmer, Latin words by Porter).  Theme lexicon terms go through the very same
analyzer, so "nuclear power plants" in a release matches the lexicon phrase
"nuclear power plant", and a query for "министра" finds "министром".

(The architecture note lets ``themes`` import only ``model``; the classifier
must stem exactly as the index does, so both import this leaf module.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from pressreader._whoosh import analysis, porter, snowball_russian, stopwords

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_RUSSIAN = snowball_russian.RussianStemmer()

#: Words: runs of letters, digits and underscores; hyphens and apostrophes split
#: words ("e-government" is "e" and "government").
TOKEN_PATTERN = r"\w+"

STOP_WORDS = frozenset(stopwords.stoplists["en"]) | frozenset(stopwords.stoplists["ru"])


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term for one lowercased word.

    Cyrillic words go to the Russian stemmer (ё read as е); Latin words lose
    their accents ("Türkiye" is found by "Turkiye") and go to Porter.
    """
    if _CYRILLIC.search(word):
        return _RUSSIAN.stem(word.replace("ё", "е"))
    word = fold(word)
    if word.isascii() and word.isalpha():
        return porter.stem(word)
    return word


class _WordFilter(analysis.Filter):
    """Rewrites each token's text with :meth:`word`; stop words are left alone."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def word(self, text: str) -> str:
        raise NotImplementedError

    def __call__(self, tokens: Iterable[analysis.Token]) -> Iterator[analysis.Token]:
        for token in tokens:
            if not token.stopped:
                token.text = self.word(token.text)
            yield token


class ScriptStemFilter(_WordFilter):
    """Stems each token with the stemmer for its script (Russian or English)."""

    def word(self, text: str) -> str:
        return stem(text)


def make_analyzer() -> analysis.Analyzer:
    return (
        analysis.RegexTokenizer(TOKEN_PATTERN)
        | analysis.LowercaseFilter()
        | analysis.StopFilter(stoplist=STOP_WORDS, minsize=1)
        | ScriptStemFilter()
    )


ANALYZER = make_analyzer()


class FoldFilter(_WordFilter):
    """Latin accents folded ("Türkiye" is "turkiye"), nothing else changed."""

    def word(self, text: str) -> str:
        return fold(text)


#: For languages without a stemmer here (Kazakh, German, ...): words as written, lowercased.
PLAIN_ANALYZER = analysis.RegexTokenizer(TOKEN_PATTERN) | analysis.LowercaseFilter() | FoldFilter()


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """``word`` without Latin accents; other scripts untouched."""
    if word.isascii() or _CYRILLIC.search(word):
        return word
    folded = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return folded if folded.isascii() else word


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order (stop words dropped): exactly what
    :data:`ANALYZER` makes of it, without its token-by-token filter chain (this
    runs for every paragraph at import, for the classifier and for the index)."""
    return list(_terms(text))


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[str, ...]:
    # Cached: the classifier reads each paragraph, then the index reads it again.
    lowered = (word.lower() for word in _WORD.findall(text))
    return tuple(stem(word) for word in lowered if word not in STOP_WORDS)


def plain_terms(text: str) -> list[str]:
    """What :data:`PLAIN_ANALYZER` makes of ``text``: every word, lowercased, accents folded."""
    return [fold(word.lower()) for word in _WORD.findall(text)]


def paragraph_terms(texts: Iterable[str], analyse: Callable[[str], Sequence[str]] = _terms) -> list[str]:
    """The terms of paragraphs joined by blank lines, as the index reads an article's body
    (no word spans two paragraphs, so this is the terms of each, in turn)."""
    out: list[str] = []
    for text in texts:
        out.extend(analyse(text))
    return out


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Each index term of ``text`` with the character span of the word it came from."""
    return [(token.text, token.startchar, token.endchar) for token in ANALYZER(text, chars=True)]


def find_terms(text: str, wanted: frozenset[str] | set[str]) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` whose index term (stemmed, or word for
    word as languages without a stemmer are indexed) is in ``wanted``."""
    if not wanted or not text:
        return []
    return [
        (start, end)
        for term, start, end in term_spans(text)
        if term in wanted or fold(text[start:end].lower()) in wanted
    ]


_WORD = re.compile(TOKEN_PATTERN)


def words(text: str) -> list[str]:
    """The words of ``text`` as the tokenizer sees them, before stop words and stemming."""
    return _WORD.findall(text)
