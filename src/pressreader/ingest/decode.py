"""Bytes to text: refuse binaries, honour byte-order marks and declared charsets,
decode UTF-8, and detect legacy code pages (cp1251, KOI8-R, Latin-1...) with
charset-normalizer."""

from __future__ import annotations

import codecs
import re

from pressreader.ingest.errors import RejectedInput

#: Files that start with one of these are archives, images, documents: never text.
_BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"SQLite format 3",
    b"\xd0\xcf\x11\xe0",  # OLE: .doc, .xls
)
#: A charset declared in the first bytes of an HTML page or an XML document.
_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Among code pages that read a text about equally well, the likelier ones first.
_PREFERRED = {
    name: rank
    for rank, name in enumerate(
        [
            "cp1252",
            "latin_1",
            "iso8859_15",
            "cp1251",
            "koi8_r",
            "cp866",
            "iso8859_5",
            "mac_cyrillic",
            "cp1250",
        ]
    )
}
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def decode(data: bytes) -> str:
    """Decode the bytes of a text file, or raise :class:`RejectedInput` saying why not."""
    if data.startswith(_UTF32_BOMS):
        return _strict(data, "utf-32")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        if not data.strip():
            raise RejectedInput("empty file")
        return _strict(data, "utf-8")
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16")
    if not data.strip():
        raise RejectedInput("empty file")
    if data.startswith(_BINARY_MAGIC):
        raise RejectedInput("binary file, not text")
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16 without a BOM (every other byte NUL-heavy), else a binary.
        for encoding in ("utf-16-le", "utf-16-be"):
            text = _try_utf16(data, encoding)
            if text is not None:
                return text
        if sample.count(b"\x00") > max(len(sample) // 100, 4):
            raise RejectedInput("binary file, not text (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    # UTF-8 with a stray byte or two (a scraper's slip) stays UTF-8: the rest of the
    # text is right, and a code page guessed from it would garble every letter.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(2, len(data) // 5000) and _has_multibyte_utf8(data):
        return lenient
    declared = _declared(sample)
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detect(data, utf8_error)


def _has_multibyte_utf8(data: bytes) -> bool:
    """Whether ``data`` holds well-formed multi-byte UTF-8 sequences (so it was meant as UTF-8)."""
    return bool(re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data[:65536]))


def _try_utf16(data: bytes, encoding: str) -> str | None:
    """``data`` as UTF-16 if that reads as text (mostly letters, spaces, punctuation)."""
    if len(data) % 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[:4000]
    readable = sum(1 for c in sample if c.isalnum() or c.isspace() or c in ".,;:!?'\"()-–—«»“”’")
    return text if sample and readable / len(sample) > 0.9 else None


def _declared(sample: bytes) -> str:
    match = _DECLARED.search(sample[:4096])
    if not match:
        return ""
    name = match.group(1).decode("ascii").lower()
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return ""
    # As browsers do (WHATWG Encoding): a page that says Latin-1 means Windows-1252,
    # whose curly quotes and dashes Latin-1 would turn into control characters.
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


def _detect(data: bytes, utf8_error: UnicodeDecodeError) -> str:
    """A legacy code page, found by charset-normalizer; refused when it is not sure."""
    from charset_normalizer import from_bytes  # imported when needed: most files are UTF-8

    results = list(from_bytes(data[: 1024 * 1024]))
    best = min(results, key=lambda match: match.chaos, default=None)
    if best is not None:
        # Short texts fit several code pages about equally well ("déjà" reads as
        # "déjŕ" in cp1250); among the near-best, prefer the common ones.
        close = [match for match in results if match.chaos <= best.chaos + 0.02]
        best = min(close, key=lambda match: _PREFERRED.get(match.encoding, len(_PREFERRED)))
    if best is None or best.chaos > 0.2:
        raise RejectedInput(
            f"not text in any known encoding (not UTF-8: bad byte at offset {utf8_error.start})"
        )
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise RejectedInput(
            f"cannot decode as UTF-8 (bad byte at offset {utf8_error.start}) nor as {best.encoding}"
        ) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedInput(
            f"cannot decode as {encoding.upper()} (bad byte at offset {error.start})"
        ) from None
