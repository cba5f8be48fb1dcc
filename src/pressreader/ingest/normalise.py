"""Turn what a parser found into a clean :class:`Article`.

Every parser hands over a :class:`Draft`; :func:`normalise` is the one place
where text is cleaned (Unicode NFC, control and bidi characters out, whitespace
collapsed), where a missing title is recovered from the first paragraph, the
language guessed, and the article's stable id computed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from pressreader import language as _language
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


def clean_text(text: str) -> str:
    """NFC, escape sequences and control characters removed, newlines unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """A one-line field (title, source, ...): cleaned, whitespace collapsed."""
    return " ".join(clean_text(text).split())


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; inside a paragraph, lines join with a space unless they are list items."""
    paragraphs = []
    for block in _BLANK_LINES.split(clean_text(text)):
        paragraph = clean_paragraph(block)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


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
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()[:24]


def normalise(draft: Draft, *, path: str = "") -> Article:
    paragraphs = [p for p in (clean_paragraph(clean_text(p)) for p in draft.paragraphs) if p]
    if not paragraphs:
        raise RejectedInput("no body text")
    title = clean_line(draft.title)
    if len(title) > 300:
        title = title[:299].rstrip() + "…"
    if not title:
        title = recover_title(paragraphs)
    url = clean_line(draft.url)
    lang = clean_line(draft.lang).lower()[:8] or guess_language(" ".join(paragraphs))
    return Article(
        id=article_id(url, paragraphs, draft.identity),
        title=title,
        date=draft.date,
        source=clean_line(draft.source),
        paragraphs=tuple(Paragraph(text) for text in paragraphs),
        url=url,
        lang=lang,
        tags=tuple(t for t in (clean_line(str(tag)) for tag in draft.tags) if t),
        path=path,
    )


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


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
