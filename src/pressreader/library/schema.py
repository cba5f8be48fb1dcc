"""The one place where the Whoosh schema is defined, and how an article becomes a document."""

from __future__ import annotations

from typing import Any

from pressreader import analysis, language
from pressreader._whoosh import analysis as whoosh_analysis
from pressreader._whoosh import fields
from pressreader.analysis import ANALYZER, PLAIN_ANALYZER
from pressreader.model import Article

#: Bump when the schema or the analyzer changes: a library whose index was built
#: by another version is rebuilt from its catalog when it is opened.
#: 2: lang lowercased; Latin accents folded by the analyzer.
#: 3: languages without a stemmer indexed in title_plain/body_plain.
#: 4: text fields take postings computed by the import's worker processes.
#: 5: body (and body_plain) hold the title too, twice: a word is one field to search.
#: 6: CJK runs as bigrams (Korean particles stripped); each paragraph analysed by
#:    its own language; ``lang`` holds every language with a real share of the text.
SCHEMA_VERSION = 6
#: How many times the title's words are counted in ``body``: they weigh more
#: there than a word of the text (as a title field boosted 2x used to).
TITLE_WEIGHT = 2
#: Languages whose text is stemmed (English by Porter, Russian by Snowball);
#: every other language is indexed word for word (lowercased, accents folded).
STEMMED_LANGUAGES = frozenset({"en", "ru", ""})

#: Fields a query may name, with their aliases.
QUERY_FIELDS = ("title", "body", "theme", "source", "date", "lang", "tag")
ALIASES = {"theme": ["themes"], "lang": ["language"], "tag": ["tags"], "source": ["src"]}


class Postings(tuple):  # type: ignore[type-arg]
    """A text field's postings, computed ahead: ``(term bytes, frequency, weight,
    encoded positions)`` for each term, as :meth:`whoosh.fields.FieldType.index` gives."""

    __slots__ = ()


class Text(fields.TEXT):  # type: ignore[misc]
    """A TEXT field that also takes :class:`Postings`: import workers analyse the
    text, so the process that writes the index only files the postings."""

    def index(self, value: Any, **kwargs: Any) -> Any:
        if isinstance(value, Postings):
            return iter(value)
        return super().index(value, **kwargs)


def build_schema() -> fields.Schema:
    exact_lower = whoosh_analysis.IDTokenizer() | whoosh_analysis.LowercaseFilter()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=Text(analyzer=ANALYZER, field_boost=2.0, stored=True),
        body=Text(analyzer=ANALYZER),
        title_plain=Text(analyzer=PLAIN_ANALYZER, field_boost=2.0),
        body_plain=Text(analyzer=PLAIN_ANALYZER),
        date=fields.ID(stored=True, sortable=True),
        # The whole source name, lowercased: source:"Kazakh MFA" and facets.
        source=fields.ID(analyzer=exact_lower, sortable=True),
        # Its words, stemmed: source:kazakh.
        source_words=Text(analyzer=ANALYZER),
        source_name=fields.STORED(),
        title_text=fields.STORED(),
        theme=fields.KEYWORD(stored=True, lowercase=True, scorable=True),
        # The article's languages (lang:ru finds a release partly in Russian);
        # the stored value is the article's main language.
        lang=fields.KEYWORD(stored=True, lowercase=True),
        tag=fields.KEYWORD(lowercase=True, commas=True),
    )


def document(article: Article) -> dict[str, Any]:
    """The fields Whoosh indexes for ``article``.

    ``body`` holds the title's words too (:data:`TITLE_WEIGHT` times, then
    the text's), so that a word of a query is one field to search: Whoosh
    then skips blocks of postings that cannot reach the top hits, which it
    cannot do as well for an OR of a title and a body field.

    Each paragraph's words go where its own language puts them
    (:func:`pressreader.language.paragraph_languages`): English and Russian
    stemmed into ``body``, other languages word for word into ``body_plain``
    (CJK runs as bigrams in either).

    Text fields are handed over as :class:`Postings`, already analysed: the
    very terms the field's analyzer gives, computed by the quick path in
    :mod:`pressreader.analysis` (once per paragraph for the classifier and the
    index alike), then counted and positioned by Whoosh's own field code.
    """
    texts = [paragraph.text for paragraph in article.paragraphs]
    # A template's lang="en" on a Korean page is not the page's language.
    main = language.resolve(article.lang, texts[0] if len(texts) == 1 else " ".join(texts[:8]))
    langs = language.paragraph_languages(texts, main)
    (title_lang,) = language.paragraph_languages([article.title], main)
    stemmed: list[str] = []
    plain: list[str] = []
    title_terms: list[str] = []
    title_plain: list[str] = []
    if title_lang in STEMMED_LANGUAGES:
        title_terms = analysis.terms(article.title)
        stemmed.extend(title_terms * TITLE_WEIGHT)
    else:
        title_plain = analysis.plain_terms(article.title)
        plain.extend(title_plain * TITLE_WEIGHT)
    # Each paragraph by the analyser of its own language: the Russian half of a
    # Kazakh, Russian and English release is stemmed, its Kazakh half is not.
    for text, lang in zip(texts, langs, strict=True):
        if lang in STEMMED_LANGUAGES:
            stemmed.extend(analysis.terms(text))
        else:
            plain.extend(analysis.plain_terms(text))
    text_fields = {"title": title_terms, "body": stemmed}
    if plain:
        text_fields.update(title_plain=title_plain, body_plain=plain)
    return {
        "id": article.id,
        **{name: _postings(name, terms) for name, terms in text_fields.items()},
        "_stored_title": article.title,
        "title_text": article.title,
        "date": article.date,
        "source": article.source,
        "source_words": _postings("source_words", analysis.terms(article.source)),
        "source_name": article.source,
        "theme": " ".join(article.themes),
        "lang": " ".join(language.languages(texts, langs, main)),
        "_stored_lang": article.lang,
        "tag": ",".join(article.tags),
    }


_SCHEMA = build_schema()


def _postings(name: str, terms: list[str]) -> Postings:
    # Whoosh indexes a list of strings as the tokens its analyzer would have made.
    return Postings(_SCHEMA[name].index(terms))
