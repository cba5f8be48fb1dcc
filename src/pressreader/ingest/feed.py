"""RSS (0.9x, 1.0, 2.0) and Atom feeds: one article per entry.

Parsed with feedparser, which never fetches anything when it is handed bytes:
it strips the DOCTYPE and every entity declaration that is not a plain
string (so no external entity, no parameter entity, no nested "billion
laughs" expansion survives), and its SAX parser runs with external general
entities switched off.  HTML sanitising and relative-URI resolution are off:
pressreader turns entry HTML into plain paragraphs itself
(:func:`html_to_paragraphs`) and keeps no markup at all.

The text helpers here (:func:`html_to_paragraphs`, :func:`text_to_paragraphs`,
:func:`iso_date`, :func:`language_code`, :func:`web_url`) are shared with the
JSON records format.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import re
import time
import xml.sax
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.normalise import (
    Draft,
    clean_line,
    hard_wrapped,
    parse_date,
    reflowed_paragraphs,
    split_paragraphs,
)


def _have_lxml() -> bool:
    """lxml's fast parser when present (it comes with trafilatura); imported on first use."""
    try:
        import lxml.etree
        import lxml.html  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        return False
    return True


NAME = "feed"
#: One file holds many releases: it may be larger than one release may.
MULTI_RECORD = True
SUFFIXES = (".rss", ".atom", ".xml", ".rdf")

# ------------------------------------------------------------------- sniffing

_NOT_SPACE = re.compile(r"\S")
_FEED_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)(?=[\s/>])")
_PROLOG_LIMIT = 1 << 20


def sniff(text: str, suffix: str) -> bool:
    return suffix in SUFFIXES or _root_is_feed(text)


def _root_is_feed(text: str) -> bool:
    """True when the first element, after the XML declaration, comments, processing
    instructions and a DOCTYPE, is ``<rss``, ``<feed`` or ``<rdf:RDF``.  Linear: no regex
    backtracks over the prolog."""
    i = 0
    while i < _PROLOG_LIMIT:
        start = _NOT_SPACE.search(text, i)
        if start is None:
            return False
        i = start.start()
        if text.startswith("<?", i):
            end, close = text.find("?>", i + 2), 2
        elif text.startswith("<!--", i):
            end, close = text.find("-->", i + 4), 3
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            end, close = text.find(">", i), 1
            subset = text.find("[", i, end if end >= 0 else len(text))
            if subset >= 0:
                bracket = text.find("]", subset)
                end = text.find(">", bracket) if bracket >= 0 else -1
        else:
            return bool(_FEED_ROOT.match(text, i))
        if end < 0:
            return False
        i = end + close
    return False


# -------------------------------------------------------------------- parsing


def parse(text: str) -> list[Draft | RecordProblem]:
    """The feed's entries, a draft (or a problem) each, numbered from 1.

    A large feed (more than :data:`CHUNK` entries) is read a chunk of entries at
    a time: one streaming pass of expat finds where each entry starts and ends,
    and feedparser reads each chunk as a feed of its own (everything before the
    first entry, the chunk's entries, everything after the last), so its
    structures never hold more than a chunk.  A feed that pass cannot cut
    (not well-formed, or declaring entities: feedparser's own sanitising of
    those is the protection) is read whole, as a small one is."""
    data = text.encode("utf-8", "replace")
    spans = _entry_spans(data) if len(data) > _CHUNK_BYTES else None
    if spans is None or len(spans) <= CHUNK:
        return _parse_whole(data)
    head, tail = data[: spans[0][0]], data[spans[-1][1] :]
    drafts: list[Draft | RecordProblem] = []
    for first in range(0, len(spans), CHUNK):
        chunk = spans[first : first + CHUNK]
        result = _feedparser(head + data[chunk[0][0] : chunk[-1][1]] + tail)
        if len(result.entries) != len(chunk):  # a chunk read otherwise than cut: read it all as one
            return _parse_whole(data)
        feed = result.feed
        drafts.extend(
            _entry(entry, feed, number) for number, entry in enumerate(result.entries, start=first + 1)
        )
    return drafts


#: Entries feedparser reads at a time; and the size below which a feed is read whole at once.
CHUNK = 1000
_CHUNK_BYTES = 1 << 20


def _parse_whole(data: bytes) -> list[Draft | RecordProblem]:
    result = _feedparser(data)
    if not result.get("version") and not result.entries:
        raise RejectedInput(f"not an RSS or Atom feed{_xml_error(result.get('bozo_exception'))}")
    if not result.entries:
        raise RejectedInput("the feed has no entries")
    feed = result.feed
    return [_entry(entry, feed, number) for number, entry in enumerate(result.entries, start=1)]


def _feedparser(data: bytes) -> Any:
    try:
        # Bytes, never a str: feedparser treats a string as a URL or a file name.  The
        # text is already decoded, so the header overrides any encoding it declares.
        import feedparser  # imported on the first feed: the reader's start-up does not pay for it

        return feedparser.parse(
            io.BytesIO(data),
            sanitize_html=False,
            resolve_relative_uris=False,
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except RecursionError:
        raise RejectedInput("the feed is nested too deeply") from None
    except Exception as error:  # feedparser on hostile input: a rejection, with the reason
        raise RejectedInput(f"cannot parse the feed ({type(error).__name__}: {error})") from None


class _Uncut(Exception):
    """The streaming pass gives up: the feed is read whole."""


#: Entry elements, by local name, and how deep they sit (rss > channel > item; feed > entry; rdf:RDF > item).
_ENTRY_NAMES = frozenset({"item", "entry"})


def _entry_spans(data: bytes) -> list[tuple[int, int]] | None:
    """(start, end) byte offsets of each entry element, found in one streaming pass
    of expat, fed a megabyte at a time; None when the feed cannot be cut so (not
    well-formed XML, a DOCTYPE with an internal subset or any entity declaration:
    those are left to feedparser, which strips them).  Nothing is fetched: no
    external entity or DTD is ever loaded."""
    import pyexpat

    parser = pyexpat.ParserCreate(encoding="UTF-8")  # the text is decoded: its own declaration is moot
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    spans: list[tuple[int, int]] = []
    depth = 0
    open_entry: list[int] = []  # the depth and start of the entry being read

    def refuse(*_args: object) -> None:
        raise _Uncut

    def doctype(_name: str, _system: object, _public: object, internal_subset: bool) -> None:
        if internal_subset:
            raise _Uncut

    def start(name: str, _attributes: object) -> None:
        nonlocal depth
        depth += 1
        if not open_entry and depth <= 3 and name.rpartition(":")[2] in _ENTRY_NAMES:
            open_entry[:] = [depth, parser.CurrentByteIndex]

    def end(name: str) -> None:
        nonlocal depth
        if open_entry and open_entry[0] == depth:
            close = data.find(b">", parser.CurrentByteIndex)
            if close < 0:
                raise _Uncut
            spans.append((open_entry[1], close + 1))
            open_entry.clear()
        depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    step = 1 << 20
    try:
        for offset in range(0, len(data), step):
            parser.Parse(data[offset : offset + step], False)
        parser.Parse(b"", True)
    except (_Uncut, pyexpat.ExpatError, RecursionError):
        return None
    return spans


def _xml_error(problem: object) -> str:
    """The parser's complaint as ``" (syntax error at line 2, column 0)"``; "" for none."""
    if problem is None:
        return ""
    if isinstance(problem, xml.sax.SAXParseException):
        where = f"line {problem.getLineNumber()}, column {problem.getColumnNumber()}"
        return f" ({problem.getMessage()} at {where})"
    return f" ({problem})"


def _entry(entry: Any, feed: Any, number: int) -> Draft | RecordProblem:
    paragraphs = _entry_paragraphs(entry)
    if not paragraphs:
        return RecordProblem(number, "no text (the entry has neither content nor a summary)")
    base = feed.get("link") or ""
    # The publisher's own URL before a click-tracking <link> (FeedBurner's and Pheedo's
    # origLink), then the link, then a guid, only when it is itself a URL.
    url = (
        web_url(entry.get("feedburner_origlink"))
        or web_url(entry.get("pheedo_origlink"))
        or web_url(entry.get("link"), base)
        or web_url(entry.get("id"))
    )
    source = (
        _detail_text(entry.get("source", {}).get("title_detail"))
        or str(entry.get("source", {}).get("title") or "")
        or str(entry.get("publisher") or "")
        or _detail_text(feed.get("title_detail"))
        or str(feed.get("title") or "")
    )
    return Draft(
        paragraphs=paragraphs,
        title=_detail_text(entry.get("title_detail")) or str(entry.get("title") or ""),
        date=_entry_date(entry),
        source=source,
        url=url,
        lang=_entry_language(entry, feed),
        tags=_unique(str(tag.get("term") or tag.get("label") or "") for tag in entry.get("tags") or ()),
        record=number,
        # An entry without a link keeps its identity by its guid, so a corrected
        # entry in a later fetch replaces the earlier one instead of sitting beside it.
        identity=_identity(entry, feed),
    )


def _identity(entry: Any, feed: Any) -> str:
    """The feed and the entry's guid: what names an entry that has no link."""
    guid = entry.get("id")
    return f"{feed.get('link') or feed.get('title') or ''}#{guid}" if guid else ""


def _entry_paragraphs(entry: Any) -> list[str]:
    """The full content (the longest, when there are several), else the summary."""
    best: list[str] = []
    for content in entry.get("content") or ():
        paragraphs = _detail_paragraphs(content)
        if sum(map(len, paragraphs)) > sum(map(len, best)):
            best = paragraphs
    return best or _detail_paragraphs(entry.get("summary_detail")) or text_to_paragraphs(entry.get("summary"))


def _detail_paragraphs(detail: Any) -> list[str]:
    if not detail:
        return []
    value = str(detail.get("value") or "")
    if "html" in str(detail.get("type") or "html"):
        return text_to_paragraphs(value)
    return plain_paragraphs(value)


def _detail_text(detail: Any) -> str:
    """A one-line field (title, feed title) as plain text."""
    return " ".join(_detail_paragraphs(detail))


def _entry_date(entry: Any) -> str:
    """The date as written (a release's local date, not shifted to UTC), else feedparser's parse."""
    for key in ("published", "updated", "created"):
        date = iso_date(entry.get(key))
        if not date and entry.get(f"{key}_parsed"):
            date = iso_date(entry.get(f"{key}_parsed"))
        if date:
            return date
    return ""


def _entry_language(entry: Any, feed: Any) -> str:
    details = [*(entry.get("content") or ()), entry.get("summary_detail"), entry.get("title_detail")]
    for value in [detail.get("language") for detail in details if detail]:
        if language_code(value):
            return language_code(value)
    title = feed.get("title_detail") or {}
    return language_code(feed.get("language")) or language_code(title.get("language"))


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for value in map(clean_line, values):
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            unique.append(value)
    return unique


# ------------------------------------------------------- shared field helpers

_TAG = re.compile(r"<[A-Za-z!/?]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


#: Elements whose tags, written with escaped brackets, say the whole text is
#: escaped HTML (a CMS that turns "<" into "＜" or "&lt;"); a bracketed caption
#: like "<AML 자격증별 취득자 추이>" names no element and stays text.
_ELEMENTS = (
    r"(?:p|br|div|span|b|strong|i|em|u|a|img|font|table|tbody|thead|tr|td|th|ul|ol|li|h[1-6]|hr"
    r"|blockquote|sup|sub|center|section|article)"
)
_FULLWIDTH_TAG = re.compile(rf"＜(/?{_ELEMENTS}(?:\s[^＜＞\n]{{0,500}})?/?)＞", re.I)
_ESCAPED_TAG = re.compile(rf"&lt;/?{_ELEMENTS}(?:\s[^<>\n]{{0,500}}?)?/?&gt;", re.I)
#: Tags that lay out blocks: a text holding one is HTML through and through.
_BLOCK_TAG = re.compile(
    r"<(?:p|br|div|li|ul|ol|h[1-6]|table|tr|td|section|article|blockquote|pre|hr|dl|dt|dd|header"
    r"|footer|main|body|html|figure|figcaption)(?![\w-])",
    re.I,
)


def has_block_html(text: str) -> bool:
    """Whether ``text`` lays out blocks with HTML (``<p>``, ``<div>``, ``<br>``, ...)."""
    return bool(_BLOCK_TAG.search(text))


#: This many escaped tags, and the text is markup, not a text about markup.
_ESCAPED_TAGS_MIN = 2


def text_to_paragraphs(value: object) -> list[str]:
    """Paragraphs of a text that may be HTML: markup → :func:`html_to_paragraphs`,
    plain text (entities decoded) → :func:`plain_paragraphs`.  HTML whose brackets
    were escaped whole (``＜p＞…＜/p＞``, ``&lt;p&gt;…&lt;/p&gt;``) is read as HTML."""
    text = str(value or "")
    if "＜" in text and len(_FULLWIDTH_TAG.findall(text, 0, 1_000_000)) >= _ESCAPED_TAGS_MIN:
        text = _FULLWIDTH_TAG.sub(r"<\1>", text)
    if _TAG.search(text):
        if not has_block_html(text) and _BLANK_LINE.search(text):
            # Text with a few inline tags or comments ("<b>", "<!-- image -->"): its
            # blank lines are its paragraphs, which HTML would run together.
            return [p for piece in _BLANK_LINE.split(text) for p in html_to_paragraphs(piece)]
        return html_to_paragraphs(text)
    if _ENTITY.search(text):
        escaped_html = "&lt;" in text and len(_ESCAPED_TAG.findall(text, 0, 1_000_000)) >= _ESCAPED_TAGS_MIN
        text = html.unescape(text)
        if escaped_html:
            return html_to_paragraphs(text)
    return plain_paragraphs(text)


def plain_paragraphs(text: str) -> list[str]:
    """Split on blank lines, or on single newlines when there is no blank line (unless
    the lines are one hard-wrapped text: then where its paragraphs end)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK_LINE.search(text):
        return split_paragraphs(text)
    lines = text.split("\n")
    if hard_wrapped(lines):  # a document's text wrapped at a width, not a paragraph a line
        return reflowed_paragraphs(text)
    return [p for line in lines for p in split_paragraphs(line)]


def iso_date(value: object) -> str:
    """``YYYY-MM-DD`` from the shapes dates come in, ``""`` when there is no date in it
    (or an impossible one: no date rather than a wrong one).

    ISO 8601, RFC 822, compact stamps (``20230808``, ``202308081055``,
    ``20230808105537``, as strings or numbers), year-first dates with dots or
    slashes (``2023.08.08``, ``2023/8/8 10:55``), Korean, Chinese and Japanese
    dates (``2023년 8월 8일``, ``2023年8月8日``), epoch seconds or milliseconds
    (numbers or strings of 9 to 13 digits, from 1973 on), a ``time.struct_time``
    or a date; the rest goes to dateutil, which must find a day, a month and a
    year in it (a date it would complete from today's is refused).  A date with
    a time zone keeps the date as written (the publisher's local day).
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, dt.date):
        return _checked(value if not isinstance(value, dt.datetime) else value.date())
    if isinstance(value, time.struct_time):
        return _checked_parts(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, int):
        return _digits(str(value)) if value > 0 else ""
    if isinstance(value, float):
        if value != value or abs(value) >= 1e15:  # NaN, or no date however read
            return ""
        return _digits(str(int(value))) if value.is_integer() and value > 0 else _epoch(value)
    text = " ".join(str(value).split())[:100]
    if not text:
        return ""
    if _NUMBER.fullmatch(text):
        return _digits(text) if text.isdigit() else _epoch(float(text))
    try:
        return _checked(dt.datetime.fromisoformat(text).date())
    except ValueError:
        pass
    try:
        return _checked(email.utils.parsedate_to_datetime(text).date())
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    match = _YEAR_FIRST.match(text) or _CJK_DATE.search(text)
    if match:
        return _checked_parts(*(int(part) for part in match.groups()))
    if re.search(r"\b\d{4}\b", text):  # dateutil fills a missing year with this year's: no
        return _dateutil(text) or parse_date(text)
    return parse_date(text)


#: A number as a string: digits, or epoch seconds with a fraction.
_NUMBER = re.compile(r"\d{1,16}(?:\.\d+)?")
#: 2023-08-08, 2023.8.8., 2023/08/08 10:55: year first, then month and day.
_YEAR_FIRST = re.compile(r"(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?![\d])")
#: 2023년 8월 8일, 2023年8月8日 (also 2023年08月08日 10時).
_CJK_DATE = re.compile(r"(\d{4})\s*[년年]\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]")


def _digits(text: str) -> str:
    """A string of digits: a compact stamp (YYYYMMDD, YYYYMMDDHHMM, YYYYMMDDHHMMSS) or
    epoch seconds (9 to 11 digits) or milliseconds (12 or 13); a year alone is no date."""
    if len(text) in (8, 12, 14):
        stamp = _compact(text)
        if stamp or len(text) != 12:  # 12 digits: a stamp if it is one, else milliseconds
            return stamp
    if 9 <= len(text) <= 13:
        return _epoch(float(text))
    return ""


def _compact(text: str) -> str:
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    clock = text[8:]
    hour, minute, second = int(clock[:2] or 0), int(clock[2:4] or 0), int(clock[4:6] or 0)
    if hour > 23 or minute > 59 or second > 60:
        return ""
    return _checked_parts(year, month, day)


def _dateutil(text: str) -> str:
    """dateutil's reading of ``text``, only when the text itself names the day, the
    month and the year (parsed against two different defaults, both must agree)."""
    import warnings

    from dateutil import parser as dateutil_parser

    dayfirst = bool(re.search(r"\d\.\d", text))
    dates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown time zone name: the date is still the date
        for default in (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2)):
            try:
                dates.append(dateutil_parser.parse(text, default=default, dayfirst=dayfirst).date())
            except (ValueError, OverflowError, TypeError):
                # Words around a written date ("WASHINGTON, Aug. 8, 2023 /PRNewswire/"): the date alone.
                written = _WRITTEN_DATE.search(text)
                return _dateutil(written.group()) if written and written.group() != text else ""
    return _checked(dates[0]) if dates[0] == dates[1] else ""


_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: "Aug. 8, 2023", "8 August 2023", "Tuesday, 8 Aug 2023": a day beside a month's name, then the year.
_WRITTEN_DATE = re.compile(
    rf"\b(?:{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME}),?\s+\d{{4}}\b",
    re.IGNORECASE,
)


def _epoch(seconds: float) -> str:
    """Epoch seconds, or milliseconds (from 1e11 on); before 1973 (fewer than nine
    digits of seconds: 0, -1, a count) is taken for no date."""
    if abs(seconds) >= 1e11:  # milliseconds
        seconds /= 1000
    if seconds < 1e8:
        return ""
    try:
        return _checked(dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date())
    except (OverflowError, OSError, ValueError):
        return ""


def _checked_parts(year: int, month: int, day: int) -> str:
    try:
        return _checked(dt.date(year, month, day))
    except ValueError:
        return ""


def _checked(date: dt.date) -> str:
    return date.isoformat() if 1800 <= date.year <= 2200 else ""


def language_code(value: object) -> str:
    """The primary language subtag, lower case: "en-US" → "en", "ru_RU" → "ru"; "" if none."""
    match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", str(value or ""))
    return match.group(1).lower() if match else ""


def web_url(value: object, base: str = "") -> str:
    """An absolute http(s) URL (a relative one resolved against ``base``), else ""."""
    url = clean_line(str(value or ""))
    if not url:
        return ""
    if base and not urlsplit(url).scheme:
        try:
            url = urljoin(base, url)
        except ValueError:
            return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


# ---------------------------------------------------------- HTML to paragraphs

#: Elements whose content is never text a reader wants.
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
     "canvas", "audio", "video", "select", "textarea", "button"}
)  # fmt: skip
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
     "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
     "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "main", "menu", "nav", "p",
     "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "ol"}
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_LISTS = frozenset({"ul", "ol", "menu"})
_WHITESPACE = re.compile(r"\s+")


#: Break markers while collecting: a paragraph break, and a line break inside a list
#: (several in a row make one line, never a blank line).  Private-use characters,
#: removed from the text itself.
_PARAGRAPH, _LINE = "\ue000", "\ue001"
_MARKERS = re.compile("[\ue000\ue001]")
_BREAKS = re.compile("[\\s\ue000\ue001]+")


class _Paragraphs:
    """Collects text from start/end/data events (from lxml or html.parser alike)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.skip_counts: dict[str, int] = {}  # tag -> how often it is in ``skipping``
        self.lists: list[int] = []  # per open list: -1 for <ul>, else the last <ol> number
        self.pre = 0

    def start(self, tag: str) -> None:
        if self.skipping or tag in _SKIP:
            if tag in _SKIP:
                self.skipping.append(tag)
                self.skip_counts[tag] = self.skip_counts.get(tag, 0) + 1
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            marker = "•"
            if self.lists and self.lists[-1] >= 0:
                self.lists[-1] += 1
                marker = f"{self.lists[-1]}."
            self.parts.append(f"{_LINE}{marker} ")
        elif tag in _CELLS:
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self._block(tag, opening=True)

    def end(self, tag: str) -> None:
        if self.skipping:
            if self.skip_counts.get(tag):  # a count, not a search: 30,000 open <svg> stay linear
                while (closed := self.skipping.pop()) != tag:
                    self.skip_counts[closed] -= 1
                self.skip_counts[tag] -= 1
            return
        if tag in _BLOCKS:
            self._block(tag, opening=False)
        elif tag in _CELLS:
            self.parts.append(" ")

    def _block(self, tag: str, *, opening: bool) -> None:
        """A paragraph break; inside a list (a list is one paragraph of bullet lines) a
        line break around a nested list, and a space for any other block (``<li><p>``)."""
        if tag in _LISTS:
            if opening:
                self.parts.append(_LINE if self.lists else _PARAGRAPH)
                self.lists.append(0 if tag == "ol" else -1)
                return
            if self.lists:
                self.lists.pop()
            self.parts.append(_LINE if self.lists else _PARAGRAPH)
            return
        if tag == "pre":
            self.pre = self.pre + 1 if opening else max(self.pre - 1, 0)
        self.parts.append(" " if self.lists else _PARAGRAPH)

    def data(self, text: str | None) -> None:
        if text and not self.skipping:
            text = _MARKERS.sub("", text)
            self.parts.append(text if self.pre else _WHITESPACE.sub(" ", text))

    def paragraphs(self) -> list[str]:
        return split_paragraphs(_BREAKS.sub(_break, "".join(self.parts)))


def _break(run: re.Match[str]) -> str:
    """A run of white space and break markers: the strongest break in it wins."""
    text = run.group()
    if _PARAGRAPH in text:
        return "\n\n"
    if _LINE in text:
        return "\n"
    return text


class _StdlibDriver(HTMLParser):
    def __init__(self, sink: _Paragraphs) -> None:
        super().__init__(convert_charrefs=True)
        self.sink = sink

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.sink.start(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self.sink.start(tag)
        if tag != "br":
            self.sink.end(tag)

    def handle_endtag(self, tag: str) -> None:
        self.sink.end(tag)

    def handle_data(self, data: str) -> None:
        self.sink.data(data)


def html_to_paragraphs(fragment: str) -> list[str]:
    """Plain paragraphs of an HTML fragment or page: block elements become paragraphs,
    ``<br>`` a line break, list items bullet lines, inline markup goes, entities are
    decoded, ``<script>``, ``<style>`` and the like are dropped with their content.

    lxml's parser when it is installed; Python's own when it is not, or when lxml
    gives up on the fragment (libxml2 drops the whole text past 2048 nested elements).
    Never raises on malformed markup; nothing is fetched.
    """
    if not fragment or not fragment.strip():
        return []
    if _have_lxml():
        paragraphs = _with_lxml(fragment)
        if paragraphs is not None:
            return paragraphs
    return _with_stdlib(fragment)


def _with_lxml(fragment: str) -> list[str] | None:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8", huge_tree=True, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml.html.document_fromstring(fragment.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if any(error.level_name == "FATAL" for error in parser.error_log):
        return None
    sink = _Paragraphs()
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            sink.start(tag)
            sink.data(element.text)
        else:
            sink.end(tag)
            sink.data(element.tail)
    return sink.paragraphs()


#: A "<" that starts a tag never closed before the next "<": text, not markup.  Python's
#: parser (before 3.11.13) is quadratic on runs of such tags (``<a b="`` repeated).
_UNCLOSED_TAG = re.compile(r"<(?=[A-Za-z/!?])(?=[^<>]*(?:<|\Z))")


def _with_stdlib(fragment: str) -> list[str]:
    fragment = _UNCLOSED_TAG.sub("&lt;", fragment)
    sink = _Paragraphs()
    driver = _StdlibDriver(sink)
    try:
        driver.feed(fragment)
        driver.close()
    except AssertionError:  # "<![foo" (an unknown marked section): read it again as text
        sink = _Paragraphs()
        driver = _StdlibDriver(sink)
        driver.feed(fragment.replace("<![", "&lt;!["))
        driver.close()
    return sink.paragraphs()
