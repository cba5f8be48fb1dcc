"""The quick analysis path gives exactly the terms of the Whoosh analyzers.

Import hands the index lists of terms computed by :func:`analysis.terms` and
:func:`analysis.plain_terms` instead of text: if they ever drifted from the
analyzers that read queries, words would be indexed under one term and looked
up under another.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA
from pressreader import analysis
from pressreader._whoosh import fields
from pressreader.ingest import read_file
from pressreader.library.schema import Postings, build_schema, document

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578.txt.gz"

AWKWARD = [
    "",
    "   ",
    "The İstanbul Ölçü ÇAĞRI and ﬁnance ǅemal",  # İ lowercases to two characters
    "Türkiye, Zürich, Ærøskøbing, São Paulo, Đà Nẵng",
    "Министр энергетики Казахстана встретился с министрами; ёлка Ёжик",
    "Қазақстан Республикасы Сыртқы істер министрлігі және Ұлттық банк",
    "e-government, don't, U.S.A., 3.5%, 2024-11-24, snake_case_word",
    "x" * 10_000 + " the of and",
    "日本の外務省 and 한국어 text, عربى, עברית",
    "combining: cafe\u0301 nai\u0308ve",
    "THE AND OF IN TO",
]


def _texts() -> list[str]:
    texts = list(AWKWARD)
    for path in sorted(SAMPLE_DATA.iterdir()):
        for article in read_file(path):
            texts.append(article.title)
            texts.extend(paragraph.text for paragraph in article.paragraphs)
    if REUTERS.exists():
        with gzip.open(REUTERS, "rt", encoding="latin-1") as handle:
            texts.extend(line for line in handle.read()[:400_000].splitlines() if line.strip())
    return texts


TEXTS = _texts()


def test_terms_are_the_analyzers_terms() -> None:
    assert len(TEXTS) > 500
    for text in TEXTS:
        assert analysis.terms(text) == [token.text for token in analysis.ANALYZER(text)], text[:80]


def test_plain_terms_are_the_plain_analyzers_terms() -> None:
    for text in TEXTS:
        assert analysis.plain_terms(text) == [token.text for token in analysis.PLAIN_ANALYZER(text)], text[
            :80
        ]


@pytest.mark.parametrize("language", ["en", "kk"])
def test_indexing_terms_posts_what_indexing_text_posts(language: str) -> None:
    """Per field: the same terms, frequencies, weights and positions either way.

    (Positions up to a shift: Whoosh's stop filter numbers a text's first kept
    word by the stop words before it; phrases only compare positions.)"""
    schema = build_schema()
    seed = next(a for path in sorted(SAMPLE_DATA.iterdir()) for a in read_file(path) if a.lang == "en")
    article = type(seed)(**{**{f: getattr(seed, f) for f in seed.__dataclass_fields__}, "lang": language})
    doc = document(article)
    # body holds the title (twice) before the text.
    with_title = f"{article.title}\n\n{article.title}\n\n{article.body}"
    as_text = {
        "title": article.title,
        "body": with_title,
        "title_plain": article.title,
        "body_plain": with_title,
        "source_words": article.source,
    }
    checked = 0
    for name, text in as_text.items():
        if name not in doc or not doc[name]:
            continue
        field: fields.FieldType = schema[name]
        assert _postings(field, doc[name]) == _postings(field, text), name
        assert isinstance(doc[name], Postings)
        checked += 1
    assert checked >= 3
    assert doc["_stored_title"] == article.title


def _postings(field: fields.FieldType, value: object) -> list[tuple[bytes, int, float, list[int]]]:
    items = [
        (term, freq, weight, field.format.decode_positions(v)) for term, freq, weight, v in field.index(value)
    ]
    first = min(position for *_, positions in items for position in positions)
    return sorted(
        (term, freq, weight, [p - first for p in positions]) for term, freq, weight, positions in items
    )
