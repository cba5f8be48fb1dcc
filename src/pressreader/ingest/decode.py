"""Bytes to text: refuse binaries, honour byte-order marks, decode UTF-8."""

from __future__ import annotations

import codecs

from pressreader.ingest.errors import RejectedInput

#: Files start with one of these are archives, images, documents: never text.
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
)


def decode(data: bytes) -> str:
    """Decode the bytes of a text file, or raise :class:`RejectedInput` saying why not."""
    if not data.strip():
        raise RejectedInput("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16")
    if data.startswith(_BINARY_MAGIC):
        raise RejectedInput("binary file, not text")
    sample = data[:8192]
    if sample.count(b"\x00") > len(sample) // 100:
        raise RejectedInput("binary file, not text (it holds NUL bytes)")
    return _strict(data, "utf-8")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedInput(
            f"cannot decode as {encoding.upper()} (bad byte at offset {error.start})"
        ) from None
