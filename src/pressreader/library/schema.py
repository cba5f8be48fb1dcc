"""The one place where the Whoosh schema is defined, and how an article becomes a document."""

from __future__ import annotations

from typing import Any

from pressreader._whoosh import analysis as whoosh_analysis
from pressreader._whoosh import fields
from pressreader.analysis import ANALYZER, PLAIN_ANALYZER
from pressreader.model import Article

#: Bump when the schema or the analyzer changes: a library whose index was built
#: by another version is rebuilt from its catalog when it is opened.
#: 2: lang lowercased; Latin accents folded by the analyzer.
#: 3: languages without a stemmer indexed in title_plain/body_plain.
SCHEMA_VERSION = 3
#: Languages whose text is stemmed (English by Porter, Russian by Snowball);
#: every other language is indexed word for word (lowercased, accents folded).
STEMMED_LANGUAGES = frozenset({"en", "ru", ""})

#: Fields a query may name, with their aliases.
QUERY_FIELDS = ("title", "body", "theme", "source", "date", "lang", "tag")
ALIASES = {"theme": ["themes"], "lang": ["language"], "tag": ["tags"], "source": ["src"]}


def build_schema() -> fields.Schema:
    exact_lower = whoosh_analysis.IDTokenizer() | whoosh_analysis.LowercaseFilter()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=ANALYZER, field_boost=2.0, stored=True),
        body=fields.TEXT(analyzer=ANALYZER),
        title_plain=fields.TEXT(analyzer=PLAIN_ANALYZER, field_boost=2.0),
        body_plain=fields.TEXT(analyzer=PLAIN_ANALYZER),
        date=fields.ID(stored=True, sortable=True),
        # The whole source name, lowercased: source:"Kazakh MFA" and facets.
        source=fields.ID(analyzer=exact_lower, sortable=True),
        # Its words, stemmed: source:kazakh.
        source_words=fields.TEXT(analyzer=ANALYZER),
        source_name=fields.STORED(),
        title_text=fields.STORED(),
        theme=fields.KEYWORD(stored=True, lowercase=True, scorable=True),
        lang=fields.ID(stored=True, analyzer=exact_lower),
        tag=fields.KEYWORD(lowercase=True, commas=True),
    )


def document(article: Article) -> dict[str, Any]:
    stemmed = article.lang in STEMMED_LANGUAGES
    text_fields = (
        {"title": article.title, "body": article.body}
        if stemmed
        else {"title_plain": article.title, "body_plain": article.body, "title": "", "body": ""}
    )
    return {
        "id": article.id,
        **text_fields,
        "title_text": article.title,
        "date": article.date,
        "source": article.source,
        "source_words": article.source,
        "source_name": article.source,
        "theme": " ".join(article.themes),
        "lang": article.lang,
        "tag": ",".join(article.tags),
    }
