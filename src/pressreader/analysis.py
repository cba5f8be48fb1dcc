"""Text analysis shared by the index and the theme classifier.

One analyzer turns text into index terms: words, lowercased, stop words out,
then stemmed by the script of each word (Cyrillic words by the Russian Snowball
stemmer, Latin words by Porter).  Theme lexicon terms go through the very same
analyzer, so "nuclear power plants" in a release matches the lexicon phrase
"nuclear power plant", and a query for "министра" finds "министром".

Chinese, Japanese and Korean (CJK) are written without spaces between words,
or, in Korean, with particles and endings attached to them ("금융위원회는",
"금융위원회의"): a run of CJK letters becomes overlapping bigrams, as Lucene's
CJKAnalyzer and Elasticsearch's ``cjk_bigram`` filter make them ("금융위원회"
is 금융 융위 위원 원회; a lone letter is a unigram), after a Korean run has
lost the particles and endings it ends with (:data:`KOREAN_SUFFIXES`).  A query
word of several bigrams is searched as a phrase of them, so "금융위원회" finds
"금융위원회는".  (Measured on 2,605 Korean regulators' releases against Kiwi's
morphological analysis, issue 11: words as written found 76% of the releases
holding a noun; bigrams after the particles are stripped find all of them.)

(The architecture note lets ``themes`` import only ``model``; the classifier
must stem exactly as the index does, so both import this leaf module.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from pressreader._whoosh import analysis, porter, snowball_russian, stopwords
from pressreader.language import CJK_LETTERS

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_RUSSIAN = snowball_russian.RussianStemmer()
_VERB_N_ENDINGS = frozenset({"н", "на", "но", "ны", "нно"})

#: Words: runs of letters, digits and underscores; hyphens and apostrophes split
#: words ("e-government" is "e" and "government").
TOKEN_PATTERN = r"\w+"
_CJK = re.compile(f"[{CJK_LETTERS}]")
#: Words where CJK runs stand apart from the letters of other scripts ("삼성SDS는"
#: is "삼성" and "SDS" and "는"): only for text that holds CJK letters.
_CJK_WORD = re.compile(f"[{CJK_LETTERS}]+|[^\\W{CJK_LETTERS}]+")
#: Korean particles (josa), the copula and the endings of 하다/되다 verbs that a
#: Hangul run loses before it is split into bigrams, longest first.  Those that
#: often end a noun as well (이, 가, 의, 도, 과, 와, 로, 만, 한, 된, ...) are not
#: here: stripping them cost more precision than it gained (issue 11).
_KOREAN_SUFFIX_WORDS = (
    "에서부터 으로부터 로부터 에게서 에서는 에서도 에서의 에서만 으로는 으로도 으로서 으로써 으로의 이라는 "
    "이라고 이라며 이라면 이지만 에게는 에게도 까지는 까지도 부터는 보다는 에서와 에서나 처럼 만큼 보다 부터 "
    "까지 마저 조차 에게 한테 께서 에서 으로 로서 로써 로는 로도 로의 에는 에도 에의 에만 와의 과의 과는 "
    "와는 과도 와도 이나 이며 이고 이다 이란 이자 라는 라고 라며 이든 이라 입니다 이었다 였다 이었으며 "
    "이므로 이어서 이지 이었던 은 는 을 를 에 하는 하고 하여 하며 하기 하면 한다 했다 하였다 합니다 "
    "했습니다 하겠다 하도록 하지 해야 했으며 하였으며 하기로 하겠습니다 "
    "하였습니다 하던 했던 하자 하려 하려는 "
    "하여야 해서 하여서 하게 되는 되어 된다 됐다 되었다 됩니다 되고 되며 되기 되지 되면 되었으며 됐으며 "
    "되도록 되었습니다 시킨 시키는 시키고 시켜 시킬 시킨다 했고 하였고 되었고 됐고 "
)
KOREAN_SUFFIXES = tuple(sorted(set(_KOREAN_SUFFIX_WORDS.split()), key=lambda suffix: (-len(suffix), suffix)))
#: A Korean word keeps at least this many syllables when it loses a suffix.
KOREAN_STEM_MIN = 2

STOP_WORDS = frozenset(stopwords.stoplists["en"]) | frozenset(stopwords.stoplists["ru"])


def is_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK letter (Han, Kana, Hangul)."""
    return _CJK.search(text) is not None


@lru_cache(maxsize=100_000)
def korean_stem(run: str) -> str:
    """A Hangul run without the particles and endings it ends with ("금융위원회에서는"
    is "금융위원회"), keeping at least :data:`KOREAN_STEM_MIN` syllables."""
    while len(run) > KOREAN_STEM_MIN:
        for suffix in KOREAN_SUFFIXES:
            if run.endswith(suffix) and len(run) - len(suffix) >= KOREAN_STEM_MIN:
                run = run[: -len(suffix)]
                break
        else:
            break
    return run


@lru_cache(maxsize=100_000)
def cjk_terms(run: str) -> tuple[str, ...]:
    """The index terms of a run of CJK letters: the bigrams of its stem (a lone letter
    is itself)."""
    run = korean_stem(run) if "\uac00" <= run[-1] <= "\ud7a3" else run
    if len(run) < 2:
        return (run,)
    return tuple(run[i : i + 2] for i in range(len(run) - 1))


def cjk_spans(run: str, start: int = 0) -> list[tuple[str, int, int]]:
    """:func:`cjk_terms` of ``run`` with the character span of each (``start``: where the run is)."""
    return [(term, start + i, start + i + len(term)) for i, term in enumerate(cjk_terms(run))]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term for one lowercased word.

    Cyrillic words go to the Russian stemmer (ё read as е; a final "н" after а or
    я is kept, see below); Latin words lose
    their accents ("Türkiye" is found by "Turkiye") and go to Porter.
    """
    if _CYRILLIC.search(word):
        word = word.replace("ё", "е")
        stemmed = _RUSSIAN.stem(word)
        # Snowball takes the "н" of a noun in -ан/-ян for a verb's ending ("н", "на", ...):
        # "Казахстан" would be "казахста" while "Казахстане" is "казахстан".  The "н"
        # stays, so every form of the noun (and of a short participle) meets.
        if stemmed[-1:] in ("а", "я") and word[len(stemmed) :] in _VERB_N_ENDINGS and len(stemmed) > 2:
            return stemmed + "н"
        return stemmed
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


class WordTokenizer(analysis.Tokenizer):  # type: ignore[misc]
    """Whoosh's RegexTokenizer on :data:`TOKEN_PATTERN`, except that a run of CJK
    letters gives its :func:`cjk_terms`, each with its own position."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(  # type: ignore[no-untyped-def]
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        for text, start, end in _word_spans(value):
            token.text = text
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            pos += 1
            yield token


def _word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """The words of ``text`` with their spans; a CJK run as its bigrams."""
    if not _CJK.search(text):
        for match in _WORD.finditer(text):
            yield match.group(), match.start(), match.end()
        return
    for match in _CJK_WORD.finditer(text):
        word = match.group()
        if _CJK.match(word):
            yield from cjk_spans(word, match.start())
        else:
            yield word, match.start(), match.end()


def make_analyzer() -> analysis.Analyzer:
    return (
        WordTokenizer()
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
PLAIN_ANALYZER = WordTokenizer() | analysis.LowercaseFilter() | FoldFilter()


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """``word`` without Latin accents; other scripts untouched."""
    if word.isascii() or _CYRILLIC.search(word) or _CJK.match(word):
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
    if _CJK.search(text):
        return tuple(_cjk_text_terms(text, stemmed=True))
    lowered = (word.lower() for word in _WORD.findall(text))
    return tuple(stem(word) for word in lowered if word not in STOP_WORDS)


def _cjk_text_terms(text: str, *, stemmed: bool) -> Iterator[str]:
    for word in _CJK_WORD.findall(text):
        if _CJK.match(word):
            yield from cjk_terms(word)
            continue
        word = word.lower()
        if not stemmed:
            yield fold(word)
        elif word not in STOP_WORDS:
            yield stem(word)


def plain_terms(text: str) -> list[str]:
    """What :data:`PLAIN_ANALYZER` makes of ``text``: every word, lowercased, accents folded."""
    if _CJK.search(text):
        return list(_cjk_text_terms(text, stemmed=False))
    return [fold(word.lower()) for word in _WORD.findall(text)]


def paragraph_terms(texts: Iterable[str], analyse: Callable[[str], Sequence[str]] = _terms) -> list[str]:
    """The terms of paragraphs joined by blank lines, as the index reads an article's body
    (no word spans two paragraphs, so this is the terms of each, in turn)."""
    out: list[str] = []
    for text in texts:
        out.extend(analyse(text))
    return out


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Each index term of ``text`` with the character span of the word (or, in CJK
    text, the bigram) it came from."""
    return [(token.text, token.startchar, token.endchar) for token in ANALYZER(text, chars=True)]


def find_terms(
    text: str,
    wanted: frozenset[str] | set[str],
    spans: Sequence[tuple[str, int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` whose index term (stemmed, or word for
    word as languages without a stemmer are indexed) is in ``wanted``.

    A CJK entry of ``wanted`` ("금융위원회", as :func:`pressreader.library.query.highlight_terms`
    gives it) is found where its bigrams stand one after another in one run of
    ``text``: the span covers that stretch of the run ("금융위원회" of "금융위원회는").
    ``spans``: :func:`term_spans` of ``text``, when already computed.
    """
    if not wanted or not text:
        return []
    if spans is None:
        spans = term_spans(text)
    found = [
        (start, end)
        for term, start, end in spans
        if term in wanted or fold(text[start:end].lower()) in wanted
    ]
    sequences = _cjk_sequences(frozenset(wanted))
    if sequences:
        found.extend(_cjk_matches(spans, sequences))
        found = sorted(set(found))
    return found


@lru_cache(maxsize=256)
def _cjk_sequences(wanted: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    """The CJK entries of ``wanted`` of two terms or more, as their terms, by their first term."""
    sequences: dict[str, list[tuple[str, ...]]] = {}
    for entry in wanted:
        if _CJK.search(entry):
            terms = tuple(text for text, _start, _end in _word_spans(entry))
            if len(terms) > 1:
                sequences.setdefault(terms[0], []).append(terms)
    return sequences


def _cjk_matches(
    spans: Sequence[tuple[str, int, int]], sequences: dict[str, list[tuple[str, ...]]]
) -> Iterator[tuple[int, int]]:
    for index, (term, start, _end) in enumerate(spans):
        for sequence in sequences.get(term, ()):
            stretch = spans[index : index + len(sequence)]
            # One run: each bigram starts one character after the one before.
            if (
                len(stretch) == len(sequence)
                and all(span[0] == want for span, want in zip(stretch, sequence, strict=True))
                and all(stretch[i][1] == start + i for i in range(len(stretch)))
            ):
                yield start, stretch[-1][2]


_WORD = re.compile(TOKEN_PATTERN)


def words(text: str) -> list[str]:
    """The words of ``text`` as the tokenizer sees them, before stop words and stemming."""
    return _WORD.findall(text)
