"""JSON and JSON Lines: scrapers' dumps, API responses, JSON Feed, open-data packages.

A JSON document is an array of records, an object holding such an array under
a key like ``items`` or ``articles`` (a few levels down), an object of records
keyed by their ids, or one record.
JSON Lines is one record a line, numbered by physical line, blank lines
skipped.  A record is an object; its fields are found by their common names
(English, and the Korean, Chinese and Japanese ones of public-data packages),
case, spaces, ``_`` and ``-`` ignored (``published_at``, ``publishedAt`` and
``PUBLISHED-AT`` are one name), the first name of each list that holds a
value wins.  A mapping (``import --field text=data``) names the field of a
role itself: it wins over the usual names when the record has it.

The JSON is parsed as it is written, and only its string values are cleaned
afterwards (by :func:`~pressreader.ingest.normalise.normalise`): Unicode
normalisation of the raw text would turn a ``\\n`` escape followed by a
combining mark (U+0307) into ``\\ṅ``, an invalid escape.  Only a text that does
not parse as written is tried again without its control characters (a NUL
between two records, a file padded with NULs).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from pressreader.ingest import markdown
from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.feed import has_block_html, iso_date, language_code, text_to_paragraphs, web_url
from pressreader.ingest.normalise import Draft, strip_controls

NAME = "records"
#: One file holds many releases: it may be larger than one release may.
MULTI_RECORD = True
#: parse() takes the raw text (not cleaned first) and a ``fields`` mapping.
RAW = True
FIELDS = True
SUFFIXES = (".json", ".jsonl", ".ndjson")

# Names as _fold() writes them: lower case, no spaces, "_" or "-".
TITLE = (
    "title", "headline", "subject", "heading", "articletitle", "newstitle", "name",
    "제목", "보도자료제목", "글제목", "标题", "標題", "タイトル", "見出し",
)  # fmt: skip
#: Names that only ever hold a release's text.
STRONG_TEXT = (
    "text", "body", "content", "article", "fulltext", "articlebody", "articletext", "bodytext",
    "contenthtml", "contenttext", "contents", "story", "datacontents", "html", "bodyhtml",
    "내용", "본문", "보도내용", "본문내용", "상세내용", "正文", "内容", "內容", "本文",
)  # fmt: skip
#: Names that hold a release's text when nothing better does; ``message`` and
#: ``data`` are also what API responses call a status and their list of records.
WEAK_TEXT = ("message", "data", "description", "summary", "desc", "요약", "摘要")
TEXT = STRONG_TEXT + WEAK_TEXT
DATE = (
    "date", "published", "publishedat", "pubdate", "publishdate", "publisheddate", "publicationdate",
    "datepublished", "releasedate", "releasedat", "firstpublished", "issued", "dateissued",
    "approvedate", "dateline", "datetime", "versiondate", "regdate", "registerdate", "wdate",
    "writedate", "sentat", "senddate", "createdat", "created", "datecreated", "createdate", "time",
    "timestamp", "targettimestamp", "updated", "updatedat", "modified", "datemodified",
    "modifydate", "lastmodified",
    "보도일", "보도일자", "배포일", "배포일자", "등록일", "등록일자", "등록일시", "작성일", "작성일자",
    "게시일", "게시일자", "발행일", "발행일자", "일자", "날짜", "수정일",
    "发布日期", "发布时间", "日期", "時間", "公開日", "発表日", "掲載日", "日付",
)  # fmt: skip
URL = (
    "url", "link", "canonicalurl", "articleurl", "sourceurl", "pageurl", "weburl", "originalurl",
    "href", "permalink", "uri",
    "링크", "원문링크", "원문url", "상세url", "链接", "网址", "リンク",
)  # fmt: skip
#: ``author`` is not among them: in dumps it is a person (or "admin"), not who issued the release.
SOURCE = (
    "source", "sourcename", "site", "sitename", "publisher", "organization", "organisation", "org",
    "agency", "ministry", "department", "pressoffice", "ministercode", "outlet",
    "기관명", "기관", "부처명", "부처", "부서명", "담당부서", "발행기관",
    "来源", "發布機關", "発表者", "出典",
)  # fmt: skip
LANG = ("lang", "language", "inlanguage", "언어")
TAGS = ("tags", "keywords", "categories", "category", "키워드", "태그", "关键词", "キーワード")
#: The roles a mapping may name a field for, and the names each looks for.
ROLES: dict[str, tuple[str, ...]] = {
    "text": TEXT, "title": TITLE, "date": DATE, "url": URL, "source": SOURCE, "lang": LANG, "tags": TAGS,
}  # fmt: skip
#: Keys under which an object holds its list of records (or an object that does).
WRAPPERS = (
    "items", "articles", "data", "results", "entries", "releases", "records", "documents", "posts",
    "stories", "news", "response", "result", "body", "item", "list", "rows",
)  # fmt: skip
#: Keys of an object-valued field that hold its text: WordPress's {"rendered": ...}, {"name": ...},
#: MongoDB's {"$date": {"$numberLong": ...}}.
INNER = ("rendered", "name", "text", "value", "title", "content", "term", "label", "$date", "$numberlong")

NO_TEXT = "no text (expected a text, body or content field)"
#: How many of the records' field names a "no text" reason lists.
SHOWN_KEYS = 12

_JSON_START = re.compile(r"\s*(?:\{\s*[\"}]|\[\s*[\[{\"\]])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder(strict=False)  # a raw tab inside a string is common, and harmless
_FOLD = re.compile(r"[\s_-]+")
#: How deep an object may hold its list of records (data.go.kr: response.body.items.item).
WRAPPER_DEPTH = 4

Fields = Mapping[str, str]


def sniff(text: str, suffix: str) -> bool:
    """By extension, or a text that opens like a JSON object or array of records (``{"``,
    ``[{``, ``["``) and closes with ``}`` or ``]``: plain text in brackets is not claimed."""
    return suffix in SUFFIXES or (bool(_JSON_START.match(text)) and text.rstrip().endswith(("}", "]")))


def parse(text: str, *, fields: Fields | None = None) -> list[Draft | RecordProblem]:
    """The records of a JSON or JSON Lines text, as written (not cleaned first);
    ``fields`` maps a role (:data:`ROLES`) to the field that holds it."""
    mapping = _mapping(fields)
    try:
        document = _decode(text)
    except RecursionError:
        raise RejectedInput("not usable JSON (nested too deeply)") from None
    except ValueError as error:
        lines = _json_lines(text, mapping)
        if lines is None:
            raise RejectedInput(f"not valid JSON ({_reason(error, whole=True)})") from None
        return _no_text_anywhere(lines[0], lines[1])
    return _document(document, mapping)


def _mapping(fields: Fields | None) -> dict[str, tuple[str, str]]:
    """role → (the name as given, the name folded), for the roles given a field."""
    mapping = {}
    for role, name in (fields or {}).items():
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        if name.strip():
            mapping[role] = (name.strip(), _fold(name))
    return mapping


def _decode(text: str) -> Any:
    """The JSON value of ``text`` as written; failing that, of ``text`` without its control
    characters and escape sequences (the first error is the one reported)."""
    try:
        return _DECODER.decode(text)
    except ValueError as error:
        cleaned = strip_controls(text)
        if cleaned == text:
            raise
        try:
            return _DECODER.decode(cleaned)
        except ValueError:
            raise error from None


def _document(document: object, mapping: dict[str, tuple[str, str]]) -> list[Draft | RecordProblem]:
    if isinstance(document, list):
        if not document:
            raise RejectedInput("no records (an empty list)")
        parsed = [_record(item, number, mapping) for number, item in enumerate(document, start=1)]
        return _no_text_anywhere(parsed, document)
    if not isinstance(document, dict):
        raise RejectedInput(f"JSON holds a {_kind(document)}, not records")
    found = _records_in(document, mapping)
    if found is None:
        record = _record(document, 0, mapping)
        if isinstance(record, Draft):
            return [record]
        if record.reason == NO_TEXT and document and all(isinstance(v, dict) for v in document.values()):
            # Records keyed by their ids: {"042bb7…": {"articleBody": …, "url": …}, …}
            values = list(document.values())
            return _no_text_anywhere([_record(v, n, mapping) for n, v in enumerate(values, start=1)], values)
        raise RejectedInput(_no_text_reason([document]) if record.reason == NO_TEXT else record.reason)
    key, items, wrapper = found
    if not items:
        raise RejectedInput(f"no records (the {key} list is empty)")
    source = _wrapper_source(wrapper)
    parsed = [_record(item, number, mapping, source) for number, item in enumerate(items, start=1)]
    return _no_text_anywhere(parsed, items)


def _records_in(
    document: dict[str, Any], mapping: dict[str, tuple[str, str]], depth: int = 0
) -> tuple[str, list[Any], dict[str, Any]] | None:
    """``(key, records, the object holding them)`` for an object that wraps records, else None.

    An object with a text under a name that only ever holds text (``body`` as a
    string, or the mapped text field) is a record; otherwise a wrapper key
    holding a list (or an object that holds one) makes it a wrapper, even
    beside a ``message`` or a ``description`` (an API's status, a JSON Feed's
    description)."""
    folded = _fields(document)
    if depth > WRAPPER_DEPTH or _text_like(_mapped(document, folded, mapping, "text")):
        return None
    if any(_text_like(folded.get(name)) for name in STRONG_TEXT):
        return None
    for key in WRAPPERS:
        value = folded.get(key)
        if isinstance(value, list):
            return key, value, document
        if isinstance(value, dict) and (inner := _records_in(value, mapping, depth + 1)) is not None:
            return inner
    return None


def _wrapper_source(wrapper: dict[str, Any]) -> str:
    """A source every record of a wrapper shares: its publisher, or a JSON Feed's title."""
    fields = _fields(wrapper)
    source = _string(_first(fields, SOURCE))
    if not source and "jsonfeed.org" in _string(fields.get("version")):
        source = _string(fields.get("title"))
    return source


def _json_lines(
    text: str, mapping: dict[str, tuple[str, str]]
) -> tuple[list[Draft | RecordProblem], list[Any]] | None:
    """One record a line (and the values read), or None when no line holds a JSON
    object (then it is not JSON Lines)."""
    parsed: list[Draft | RecordProblem] = []
    values: list[Any] = []
    objects = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = _decode(line)
        except RecursionError:
            parsed.append(RecordProblem(number, "not usable JSON (nested too deeply)"))
            continue
        except ValueError as error:
            parsed.append(RecordProblem(number, f"not valid JSON ({_reason(error, whole=False)})"))
            continue
        objects += isinstance(value, dict)
        values.append(value)
        parsed.append(_record(value, number, mapping))
    return (parsed, values) if objects else None


def _reason(error: ValueError, *, whole: bool) -> str:
    if isinstance(error, json.JSONDecodeError):
        where = f"line {error.lineno}, column {error.colno}" if whole else f"column {error.colno}"
        return f"{error.msg}: {where}"
    return str(error)  # e.g. an integer of more than 4300 digits


def _kind(value: object) -> str:
    return {str: "string", list: "list", bool: "boolean", type(None): "null"}.get(type(value), "number")


# ------------------------------------------------------------ no text at all


def _no_text_anywhere(parsed: list[Draft | RecordProblem], values: list[Any]) -> list[Draft | RecordProblem]:
    """``parsed`` as it is, unless no record had text: then the file is rejected
    with a reason that names the fields its records do have (what to map)."""
    if any(isinstance(item, Draft) for item in parsed):
        return parsed
    if not any(isinstance(item, RecordProblem) and item.reason == NO_TEXT for item in parsed):
        return parsed
    reason = _no_text_reason([value for value in values if isinstance(value, dict)])
    if reason != NO_TEXT:
        raise RejectedInput(reason)
    return parsed


def _no_text_reason(records: list[dict[str, Any]]) -> str:
    """:data:`NO_TEXT`, with the records' most common field names when some of them
    are names pressreader does not know (one of them may hold the text)."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(list(dict.fromkeys(_short(key) for key in record)))
    known = {name for names in ROLES.values() for name in names}
    if all(_fold(key) in known for key in counts):
        return NO_TEXT
    keys = [key for key, _count in counts.most_common(SHOWN_KEYS)]
    more = f" and {len(counts) - SHOWN_KEYS} more" if len(counts) > SHOWN_KEYS else ""
    which = "the record has" if len(records) == 1 else "the records have"
    return (
        f"{NO_TEXT[:-1]}; {which}: {', '.join(keys)}{more}; "
        "`import --field text=NAME` names the field that holds it)"
    )


def _short(key: object) -> str:
    """A field name fit to show: one line, at most 40 characters."""
    name = " ".join(str(key).split())
    return name if len(name) <= 40 else name[:39] + "…"


# ------------------------------------------------------------------- a record


def _record(
    value: object, number: int, mapping: dict[str, tuple[str, str]], default_source: str = ""
) -> Draft | RecordProblem:
    if not isinstance(value, dict):
        return RecordProblem(number, "not an object")
    fields = _fields(value)

    def role(name: str) -> Any:
        mapped = _mapped(value, fields, mapping, name)
        return (
            mapped if mapped not in (None, "", [], {}) else _first(fields, ROLES[name], text=name == "text")
        )

    paragraphs = _paragraphs(role("text"))
    if not paragraphs:
        return RecordProblem(number, NO_TEXT)
    title = _string(role("title"))
    return Draft(
        paragraphs=paragraphs,
        title=" ".join(text_to_paragraphs(title)) if title else "",
        date=_date(fields, _mapped(value, fields, mapping, "date")),
        source=_string(role("source")) or default_source,
        url=web_url(_string(role("url"))),
        lang=language_code(_string(role("lang"))),
        tags=_tags(role("tags")),
        record=number,
    )


def _fold(name: object) -> str:
    """A field name as the lists above write it: lower case, no spaces, ``_`` or ``-``."""
    return _FOLD.sub("", str(name).lower())


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """The record's fields by folded name; the first of a name wins."""
    fields: dict[str, Any] = {}
    for key, value in record.items():
        fields.setdefault(_fold(key), value)
    return fields


def _mapped(
    record: dict[str, Any], fields: dict[str, Any], mapping: dict[str, tuple[str, str]], role: str
) -> Any:
    """The value of the field a mapping names for ``role``: the key as given, else as
    folded, else a dotted path into objects (``meta.published``); None without one."""
    if role not in mapping:
        return None
    name, folded = mapping[role]
    if name in record:
        return record[name]
    if folded in fields:
        return fields[folded]
    value: Any = record
    for part in name.split(".") if "." in name else ():
        if not isinstance(value, dict):
            return None
        value = value.get(part, _fields(value).get(_fold(part)))
    return value if value is not record else None


def _first(fields: dict[str, Any], names: tuple[str, ...], *, text: bool = False) -> Any:
    """The value of the first name that holds something (an empty string or list does
    not; for the text, nor does a list of objects: ``data`` may hold records)."""
    for name in names:
        value = fields.get(name)
        if value not in (None, "", [], {}) and (not text or _text_like(value)):
            return value
    return None


def _text_like(value: object) -> bool:
    """A string with something in it, a list holding one, or a {"rendered": ...}-like object."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(isinstance(item, str) and item.strip() for item in value)
    if isinstance(value, dict):
        return bool(_string(value).strip())
    return False


def _string(value: object, depth: int = 0) -> str:
    """A field as one string: strings as they are, {"name": ...}-like objects by their text,
    numbers written out; lone surrogates (from ``\\ud800`` escapes) replaced, escape
    sequences and control characters out (Unicode normalisation comes later)."""
    if isinstance(value, dict):
        inner = _fields(value)
        found = (inner[key] for key in INNER if isinstance(inner.get(key), str | int | float | dict))
        value = next(found, "")
        if isinstance(value, dict):
            return _string(value, depth + 1) if depth < 2 else ""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return strip_controls(_SURROGATE.sub("\ufffd", value))
    return ""


def _paragraphs(value: object) -> list[str]:
    """A text field as paragraphs: a string (HTML, Markdown or plain), or a list of them."""
    if isinstance(value, list):
        return [p for item in value for p in _text_paragraphs(_string(item))]
    return _text_paragraphs(_string(value))


#: What only Markdown writes: a heading line, a table's delimiter row, a link.  (Bold
#: and list markers are not enough: a Korean release's "*" and "**" are footnotes.)
_MARKDOWN_SIGNS = re.compile(
    r"^#{1,6}[ \t]+\S|^\|?[ \t]*:?-{3,}:?[ \t]*\|[-:| \t]*$|\[[^\]\n]{0,300}\]\((?:https?://|/|#)[^)\s]*\)",
    re.M,
)
#: A line that CommonMark would read as a list item: kept as the text it is.
_LIST_MARKER = re.compile(r"^([ \t]{0,3})([-*+]|\d{1,9}(?=[.)]))", re.M)


def _text_paragraphs(text: str) -> list[str]:
    """A text field's paragraphs.  A text that writes Markdown (crawlers turn pages
    and documents into it: headings, pipe tables, links) is read as Markdown, so no
    ``##``, ``|---|`` or ``[](…)`` is shown or indexed (nor the HTML comments some
    converters leave, ``<!-- image -->``); its list markers stay text,
    as "*", "-" and "1." lines are footnotes, dashes and numbers in such releases."""
    if _MARKDOWN_SIGNS.search(text, 0, 1_000_000) and not has_block_html(text):
        return markdown.markdown_paragraphs(_LIST_MARKER.sub(_escaped_marker, text))
    return text_to_paragraphs(text)


def _escaped_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}\\{marker}" if not marker[0].isdigit() else f"{indent}{marker}\\"


def _date(fields: dict[str, Any], mapped: Any = None) -> str:
    """The first date among the mapped field and the date names that reads as one."""
    for value in (mapped, *(fields.get(name) for name in DATE)):
        if isinstance(value, dict):
            value = _dict_date(value)
        date = iso_date(value) if isinstance(value, str | int | float) else ""
        if date:
            return date
    return ""


def _dict_date(value: dict[str, Any]) -> object:
    """{"$date": ...}, {"$date": {"$numberLong": ...}}: the number kept a number."""
    for _ in range(3):
        inner = _fields(value)
        value = next((inner[key] for key in INNER if key in inner), None)
        if not isinstance(value, dict):
            return value
    return None


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
