"""Turn what a parser found into a clean :class:`Article`.

Every parser hands over a :class:`Draft`; :func:`normalise` is the one place
where text is cleaned (Unicode NFC, control and bidi characters out, whitespace
collapsed), where a missing title is recovered from the first paragraph, the
language guessed, and the article's stable id computed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pressreader import language as _language
from pressreader.ingest import junk
from pressreader.ingest.errors import RejectedInput
from pressreader.model import Article, Paragraph

#: C0 and C1 control characters except tab and newline, DEL, the Unicode
#: bidirectional marks (LRM, RLM, ALM), embeddings, overrides and isolates that
#: can disguise text, and the invisible characters that split words (zero-width
#: space, word joiner, soft hyphen, BOM).  Zero-width (non-)joiners stay:
#: Persian and emoji need them.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
    r"\ufeff\ud800-\udfff]"
)
#: Whole escape sequences (CSI, and OSC/DCS/SOS/PM/APC strings with their
#: terminator): their payload goes with the ESC.  A string's payload holds no
#: control character (a terminal abandons the string at ESC or a C1 control):
#: a stray introducer without a terminator is just removed by ``_CONTROL``, and
#: what follows it is text, never swallowed up to the next BEL or ST, which may
#: be another field of a JSON Lines record.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]{0,64}[ -/]{0,8}[@-~]"  # CSI ... final byte
    r"|\x9b[0-?]{0,64}[ -/]{0,8}[@-~]"  # 8-bit CSI
    # OSC, DCS, SOS, PM, APC (7- or 8-bit), then BEL or ST
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x00-\x1f\x7f-\x9f]{0,4096}(?:\x07|\x1b\\|\x9c)"
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
_BULLET = re.compile(r"^(?:[-*•·‣▪–]|\d{1,3}[.)])\s+")

TITLE_LIMIT = 100


@dataclass
class Draft:
    """What a parser found in one record, before cleaning."""

    paragraphs: list[str]
    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    lang: str = ""
    tags: list[str] = field(default_factory=list)
    #: 1-based number of the record in a multi-record file (0 for a one-document file).
    record: int = 0
    #: What identifies the release when it has no URL (a feed entry's guid); "" for none.
    identity: str = ""


def strip_controls(text: str) -> str:
    """Newlines unified, escape sequences and control characters removed; no Unicode
    normalisation: what a document gets before it is parsed (NFC could join a combining
    mark to the ``n`` of a JSON ``\\n`` or the ``>`` of a tag and break the syntax)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean_text(text: str) -> str:
    """NFC, escape sequences and control characters removed, newlines unified."""
    return unicodedata.normalize("NFC", strip_controls(text))


def clean_line(text: str) -> str:
    """A one-line field (title, source, ...): cleaned, whitespace collapsed."""
    return " ".join(clean_text(text).split())


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; inside a paragraph, lines join with a space unless they are
    list items.  A long block of hard-wrapped lines (a PDF's text pasted in, blank
    lines nowhere) is split where its lines say a paragraph ends (:func:`_reflow`)."""
    paragraphs = []
    for block in _BLANK_LINES.split(clean_text(text)):
        for piece in _reflow(block) if len(block) > REFLOW_CHARS else (block,):
            paragraph = clean_paragraph(piece)
            if paragraph:
                paragraphs.append(paragraph)
    return paragraphs


#: A block longer than this, of many lines, is more than one paragraph run together.
REFLOW_CHARS = 2000
#: A line that starts an item: a bullet, a number, a Korean or Roman numbering, an article.
_ITEM_START = re.compile(
    r"\s*(?:[□■◇◆○●◦•ㅇ▶►▷※☞➊-➓❶-❿①-⑳\-–*\ue000-\uf8ff\U000f0000-\U0010fffd]|\(?\d{1,3}[.)]|\(?[가-하][.)]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]\s*[.)]?"
    r"|제\s*\d+\s*[조장절]|[IVX]{1,4}\.\s)"
)
#: A paragraph's first line, indented (as wire copy and e-mails write them).
_INDENT = re.compile(r"(?: {2,}|\t)\S")
#: A line that ends a sentence: a full stop (Korean "다." too), or the nominal endings
#: Korean official documents end their items with (…해야 함, …있음).
_LINE_ENDS_SENTENCE = re.compile(r"(?:[.!?。．:;]|[.!?。]['\"”’」』)\]]|(?<=[가-힣])(?:함|음|임|됨))\s*$")


def hard_wrapped(lines: list[str]) -> bool:
    """Whether ``lines`` are one text wrapped at a width (most end mid-sentence), not
    a paragraph a line."""
    lines = [line for line in lines if line.strip()]
    if len(lines) < 8:
        return False
    open_ended = sum(1 for line in lines if not _LINE_ENDS_SENTENCE.search(line))
    return open_ended * 2 > len(lines)


def reflowed_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text of hard-wrapped lines (see :func:`_reflow`)."""
    out = []
    for piece in _reflow(clean_text(text)):
        paragraph = clean_paragraph(piece)
        if paragraph:
            out.append(paragraph)
    return out


def _reflow(block: str) -> list[str]:
    """A long block of hard-wrapped lines as paragraphs: a new one before a line that
    starts an item or is indented, and after a sentence that ends short of the lines'
    width (a paragraph's last line); none over ~1,500 characters."""
    lines = block.split("\n")
    if len(lines) < 8:
        return [block]
    lengths = sorted(len(line.strip()) for line in lines)
    width = lengths[len(lengths) * 4 // 5]  # where the text wraps, give or take
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and (_ITEM_START.match(line) or _INDENT.match(line) or size > 1500):
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line)
        if len(line.strip()) < 0.85 * width and _LINE_ENDS_SENTENCE.search(line):
            pieces.append("\n".join(current))
            current, size = [], 0
    if current:
        pieces.append("\n".join(current))
    return pieces


def clean_paragraph(block: str) -> str:
    """Whitespace of one paragraph normalised (the text is already cleaned)."""
    lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    if len(lines) > 1 and all(_BULLET.match(line) for line in lines):
        return "\n".join(lines)
    return " ".join(lines)


_ATTRIBUTION = re.compile(
    r",?\s*(?:the\s+)?(?:press service|press office|press centre|press center|"
    r"пресс-служба|сообщает пресс-служба)\b[^.]*?(?:reports?|said|informs?|сообщает|сообщили)?\.?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’]?\s+(?=[\"«“A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")


def recover_title(paragraphs: list[str]) -> str:
    """A readable title from the first paragraph: its first sentence, shortened to ~100 characters.

    Attribution tails ("…, press service of the MFA reports.") go first; a long
    sentence is cut at the last clause boundary (comma, semicolon, dash) that
    keeps at least 40 characters, else at a word boundary with an ellipsis.
    """
    if not paragraphs:
        return ""
    first = paragraphs[0].split("\n")[0]
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0].strip()
    sentence = _ATTRIBUTION.sub("", sentence).strip()
    sentence = sentence.rstrip(".").strip()
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    head = sentence[: TITLE_LIMIT + 1]
    clause = max(head.rfind(", "), head.rfind("; "), head.rfind(" – "), head.rfind(" — "))
    if clause >= 40:
        return head[:clause].rstrip(" ,;–—")
    space = head.rfind(" ")
    cut = head[:space] if space >= 40 else head[:TITLE_LIMIT]
    return cut.rstrip(" ,;:–—-") + "…"


#: The language of a text, for every script: see :mod:`pressreader.language`.
guess_language = _language.guess_language


def article_id(url: str, paragraphs: list[str], identity: str = "") -> str:
    """Stable id: from the canonical URL, else from another identity (a feed entry's
    guid), else from the normalised text."""
    basis = url.strip() or identity.strip() or "\n\n".join(paragraphs)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def text_fingerprint(paragraphs: list[str]) -> str:
    """Hash of the normalised text, case and spacing ignored: the same release reached twice."""
    flat = " ".join(" ".join(paragraphs).casefold().split())
    # surrogatepass: a stored article from a library someone else wrote may hold a lone
    # surrogate (ingest never keeps one); the hash of any other text is as it was.
    return hashlib.sha256(flat.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def normalise(draft: Draft, *, path: str = "") -> Article:
    """The draft as an :class:`Article`, or :class:`RejectedInput` when it is not a release.

    Navigation and attachment lines are dropped (:mod:`~pressreader.ingest.junk`),
    so is a first paragraph that repeats the title (or gives it: "제목: …");
    a page that is not a release (not found, a menu, an attachment stub, only a
    title, a body shorter than a sentence) is rejected "not a release: …"; one
    that only might not be is kept with the tag :data:`junk.DOUBT_TAG`.  The
    source is the draft's, else the site's name (a Jekyll ``_config.yml``), else
    the URL's host, else the name of the folder holding ``path``.
    """
    paragraphs = [p for p in (clean_paragraph(clean_text(p)) for p in draft.paragraphs) if p]
    if not paragraphs:
        raise RejectedInput("no body text")
    title = clean_line(draft.title)
    if len(title) > 300:
        title = title[:299].rstrip() + "…"
    paragraphs, title, dropped = _without_junk(paragraphs, title)
    url = clean_line(draft.url)
    source = clean_line(draft.source)
    reason = junk.verdict(title, paragraphs, dropped, source or _host(url))
    if reason:
        raise RejectedInput(f"not a release: {reason}")
    if not title:
        title = recover_title(paragraphs)
    tags = tuple(t for t in (clean_line(str(tag)) for tag in draft.tags) if t)
    if junk.doubt(title, paragraphs) and junk.DOUBT_TAG not in tags:
        tags = (*tags, junk.DOUBT_TAG)
    lang = _language.resolve(clean_line(draft.lang)[:40], " ".join(paragraphs))
    return Article(
        id=article_id(url, paragraphs, draft.identity),
        title=title,
        date=draft.date,
        source=source or site_source(url, path),
        paragraphs=tuple(Paragraph(text) for text in paragraphs),
        url=url,
        lang=lang,
        tags=tags,
        path=path,
    )


def _without_junk(paragraphs: list[str], title: str) -> tuple[list[str], str, list[tuple[str, str]]]:
    """The paragraphs without navigation and attachment lines, and without a first one
    that repeats the title; the title (from a "제목: …" line when there was none); and
    what was dropped, as ``(kind, text)``."""
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for paragraph in paragraphs:
        kind = junk.paragraph_kind(paragraph)
        if kind == junk.NAVIGATION or kind == junk.ATTACHMENT:
            dropped.append((kind, paragraph))
        else:
            kept.append(paragraph)
    if kept:
        given = junk.title_field(kept[0])
        if given is not None and (not title or junk.repeats(given, title)):
            if len(given) > len(title):  # none, or one cut short
                title = given[:300]
            kept.pop(0)
    if kept and title and junk.fold(kept[0]) == junk.fold(title):
        kept.pop(0)
    return kept, title, dropped


# -------------------------------------------------------------------- sources
#: Folder names that say nothing about who published what they hold.
_MEANINGLESS_FOLDERS = frozenset(
    """_posts posts post _drafts drafts content contents data tmp temp downloads download files file
    docs documents html htm json jsonl txt text md markdown articles article items output out export
    exports import imports raw scraped scrape dump dumps src source sources site _site www public pages
    page archive archives inbox desktop home users user root work mnt media var opt srv news press
    releases release press_releases press-releases pressreleases blog feeds feed rss corpus corpora
    samples sample sample_data test tests fixtures all new old misc other unsorted index library
    en ru ko zh ja kk uz de fr es""".split()  # noqa: SIM905 (a list of words reads better so)
)
_NUMBERED_FOLDER = re.compile(r"\d{1,4}(?:[-_.]\d{1,2}){0,2}|(?:page|p)[-_]?\d+", re.IGNORECASE)
#: How many folders up a source is looked for (``site/_posts/2024/06/``).
_FOLDER_LEVELS = 4
#: A site's configuration is small; a larger ``_config.yml`` is not read.
_CONFIG_LIMIT = 64 * 1024


def site_source(url: str, path: str) -> str:
    """A source for an article without one: the site's name (a Jekyll ``_config.yml``
    ``title:`` in the nearest folder above that has one), else the URL's host without
    ``www.``, else the name of the folder holding the file (walking up past names like
    ``_posts``, ``data`` or ``2024``)."""
    folder = _folder(path)
    return (folder and _site_name(folder)) or _host(url) or (folder and _folder_name(folder)) or ""


def _host(url: str) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _folder(path: str) -> str:
    if not path or path == "-":
        return ""
    return os.path.dirname(os.path.abspath(path))


def _stops(folder: str) -> bool:
    """Where a walk up ends: the root, the home folder, the temporary folder."""
    return folder in (os.path.dirname(folder), os.path.expanduser("~"), "/tmp")


@functools.lru_cache(maxsize=4096)
def _folder_name(folder: str) -> str:
    for _level in range(_FOLDER_LEVELS):
        if _stops(folder):
            return ""
        name = os.path.basename(folder).removeprefix("www.")
        if (
            name
            and not name.startswith(".")
            and name.casefold() not in _MEANINGLESS_FOLDERS
            and not _NUMBERED_FOLDER.fullmatch(name)
        ):
            return clean_line(name)[:120]
        folder = os.path.dirname(folder)
    return ""


@functools.lru_cache(maxsize=4096)
def _site_name(folder: str) -> str:
    """The ``title:`` of the nearest ``_config.yml`` (a Jekyll site's name) at most a few
    folders up; read with YAML's BaseLoader (strings only, no tags), at most 64 KB."""
    for _level in range(_FOLDER_LEVELS):
        if _stops(folder):
            return ""
        config = os.path.join(folder, "_config.yml")
        try:
            if os.path.isfile(config):
                return _config_title(config)
        except OSError:
            return ""
        folder = os.path.dirname(folder)
    return ""


def _config_title(config: str) -> str:
    import yaml

    try:
        if os.path.getsize(config) > _CONFIG_LIMIT:
            return ""
        with open(config, encoding="utf-8", errors="replace") as handle:
            loaded = yaml.load(handle.read(_CONFIG_LIMIT), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError, RecursionError):
        return ""
    title = loaded.get("title") if isinstance(loaded, dict) else None
    return clean_line(title)[:120] if isinstance(title, str) else ""


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: A file name that starts with its date, as Jekyll's and Hugo's posts do: 2023-08-08-title.md.
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=[-_. ]|$)")


def path_date(path: str) -> str:
    """The date a file's name starts with (``2023-08-08-visit.md``), ``""`` if none."""
    if not path or path == "-":
        return ""
    match = _NAME_DATE.match(os.path.basename(path))
    return parse_date(match.group()) if match else ""


def parse_date(value: object) -> str:
    """An ISO date ``YYYY-MM-DD`` from a date, a datetime or an ISO-like string; ``""`` if none."""
    import datetime as _dt

    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    match = _ISO_DATE.search(str(value or ""))
    if not match:
        return ""
    try:
        return _dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""
