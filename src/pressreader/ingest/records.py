"""JSON and JSON Lines: scrapers' dumps, API responses, JSON Feed.

A JSON document is an array of records, an object holding such an array under
a key like ``items`` or ``articles`` (one or two levels down), or one record.
JSON Lines is one record a line, numbered by physical line, blank lines
skipped.  A record is an object; its fields are found by their common names,
case, ``_`` and ``-`` ignored (``published_at``, ``publishedAt`` and
``PUBLISHED-AT`` are one name), the first name of each list that holds a
value wins.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.feed import iso_date, language_code, text_to_paragraphs, web_url
from pressreader.ingest.normalise import Draft

NAME = "records"
#: One file holds many releases: it may be larger than one release may.
MULTI_RECORD = True
SUFFIXES = (".json", ".jsonl", ".ndjson")

TITLE = ("title", "headline", "name")
TEXT = (
    "text", "body", "content", "article", "fulltext", "articlebody", "contenthtml", "contenttext",
    "description", "summary",
)  # fmt: skip
DATE = (
    "date", "published", "publishedat", "pubdate", "datepublished", "datetime", "createdat", "time",
    "timestamp", "updated", "updatedat", "datemodified",
)  # fmt: skip
URL = ("url", "link", "canonicalurl", "href", "permalink")
SOURCE = ("source", "site", "sitename", "publisher", "outlet", "agency")
LANG = ("lang", "language", "inlanguage")
TAGS = ("tags", "keywords", "categories", "category")
#: Keys under which an object holds its list of records (or an object that does).
WRAPPERS = (
    "items", "articles", "data", "results", "entries", "releases", "records", "documents", "posts",
    "stories", "news", "response", "result",
)  # fmt: skip
#: Keys of an object-valued field that hold its text: WordPress's {"rendered": ...}, {"name": ...}.
INNER = ("rendered", "name", "text", "value", "title", "content", "term", "label", "$date")

NO_TEXT = "no text (expected a text, body or content field)"

_JSON_START = re.compile(r"\s*(?:\{\s*[\"}]|\[\s*[\[{\"\]])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder(strict=False)  # a raw tab inside a string is common, and harmless


def sniff(text: str, suffix: str) -> bool:
    """By extension, or a text that opens like a JSON object or array of records (``{"``,
    ``[{``, ``["``) and closes with ``}`` or ``]``: plain text in brackets is not claimed."""
    return suffix in SUFFIXES or (bool(_JSON_START.match(text)) and text.rstrip().endswith(("}", "]")))


def parse(text: str) -> list[Draft | RecordProblem]:
    try:
        document = _DECODER.decode(text)
    except RecursionError:
        raise RejectedInput("not usable JSON (nested too deeply)") from None
    except ValueError as error:
        lines = _json_lines(text)
        if lines is None:
            raise RejectedInput(f"not valid JSON ({_reason(error, whole=True)})") from None
        return lines
    return _document(document)


def _document(document: object) -> list[Draft | RecordProblem]:
    if isinstance(document, list):
        if not document:
            raise RejectedInput("no records (an empty list)")
        return [_record(item, number) for number, item in enumerate(document, start=1)]
    if not isinstance(document, dict):
        raise RejectedInput(f"JSON holds a {_kind(document)}, not records")
    found = _records_in(document)
    if found is None:
        record = _record(document, 0)
        if isinstance(record, RecordProblem):
            raise RejectedInput(record.reason)
        return [record]
    key, items, wrapper = found
    if not items:
        raise RejectedInput(f"no records (the {key} list is empty)")
    source = _wrapper_source(wrapper)
    return [_record(item, number, source) for number, item in enumerate(items, start=1)]


def _records_in(document: dict[str, Any], depth: int = 0) -> tuple[str, list[Any], dict[str, Any]] | None:
    """``(key, records, the object holding them)`` for an object that wraps records, else None."""
    fields = _fields(document)
    if _first(fields, TEXT) is not None or depth > 2:
        return None
    for key in WRAPPERS:
        value = fields.get(key)
        if isinstance(value, list):
            return key, value, document
        if isinstance(value, dict) and (inner := _records_in(value, depth + 1)) is not None:
            return inner
    return None


def _wrapper_source(wrapper: dict[str, Any]) -> str:
    """A source every record of a wrapper shares: its publisher, or a JSON Feed's title."""
    fields = _fields(wrapper)
    source = _string(_first(fields, SOURCE))
    if not source and "jsonfeed.org" in _string(fields.get("version")):
        source = _string(fields.get("title"))
    return source


def _json_lines(text: str) -> list[Draft | RecordProblem] | None:
    """One record a line, or None when no line holds a JSON object (then it is not JSON Lines)."""
    parsed: list[Draft | RecordProblem] = []
    objects = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = _DECODER.decode(line)
        except RecursionError:
            parsed.append(RecordProblem(number, "not usable JSON (nested too deeply)"))
            continue
        except ValueError as error:
            parsed.append(RecordProblem(number, f"not valid JSON ({_reason(error, whole=False)})"))
            continue
        objects += isinstance(value, dict)
        parsed.append(_record(value, number))
    return parsed if objects else None


def _reason(error: ValueError, *, whole: bool) -> str:
    if isinstance(error, json.JSONDecodeError):
        where = f"line {error.lineno}, column {error.colno}" if whole else f"column {error.colno}"
        return f"{error.msg}: {where}"
    return str(error)  # e.g. an integer of more than 4300 digits


def _kind(value: object) -> str:
    return {str: "string", list: "list", bool: "boolean", type(None): "null"}.get(type(value), "number")


# ------------------------------------------------------------------- a record


def _record(value: object, number: int, default_source: str = "") -> Draft | RecordProblem:
    if not isinstance(value, dict):
        return RecordProblem(number, "not an object")
    fields = _fields(value)
    paragraphs = _paragraphs(_first(fields, TEXT))
    if not paragraphs:
        return RecordProblem(number, NO_TEXT)
    title = _string(_first(fields, TITLE))
    return Draft(
        paragraphs=paragraphs,
        title=" ".join(text_to_paragraphs(title)) if title else "",
        date=_date(fields),
        source=_string(_first(fields, SOURCE)) or default_source,
        url=web_url(_string(_first(fields, URL))),
        lang=language_code(_string(_first(fields, LANG))),
        tags=_tags(_first(fields, TAGS)),
        record=number,
    )


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """The record's fields by folded name (lower case, no ``_`` or ``-``); the first of a
    name wins."""
    fields: dict[str, Any] = {}
    for key, value in record.items():
        fields.setdefault(str(key).lower().replace("_", "").replace("-", ""), value)
    return fields


def _first(fields: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The value of the first name that holds something (an empty string or list does not)."""
    for name in names:
        value = fields.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _string(value: object) -> str:
    """A field as one string: strings as they are, {"name": ...}-like objects by their text,
    numbers written out; lone surrogates (from ``\\ud800`` escapes) replaced."""
    if isinstance(value, dict):
        inner = _fields(value)
        value = next((inner[key] for key in INNER if isinstance(inner.get(key), str | int | float)), "")
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return ""


def _paragraphs(value: object) -> list[str]:
    """A text field as paragraphs: a string (HTML or plain), or a list of them."""
    if isinstance(value, list):
        return [p for item in value for p in text_to_paragraphs(_string(item))]
    return text_to_paragraphs(_string(value))


def _date(fields: dict[str, Any]) -> str:
    for name in DATE:
        value = fields.get(name)
        if isinstance(value, dict):
            value = _string(value)
        date = iso_date(value) if isinstance(value, str | int | float) else ""
        if date:
            return date
    return ""


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        items: list[object] = re.split(r"[,;]", value)
    elif isinstance(value, list):
        items = value
    else:
        return []
    tags: dict[str, None] = {}  # in order, once each
    for item in items:
        tag = " ".join(_string(item).split())
        if tag:
            tags.setdefault(tag)
    return list(tags)
