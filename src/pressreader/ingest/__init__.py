"""Read input files into :class:`~pressreader.model.Article` objects.

One module per input format, each with ``NAME``, ``SUFFIXES``,
``sniff(text, suffix) -> bool`` and ``parse(text) -> list[Draft | RecordProblem]``;
:data:`FORMATS` is the registry, tried in order, the first that sniffs the
content wins.  A single-document format raises :class:`RejectedInput`; a
multi-record format (JSON Lines, feeds) returns a :class:`RecordProblem` for
each unusable record, numbered, and the good records still import.

:func:`load_file` is the one entry point: it decodes, picks a format,
normalises, and turns every failure into :class:`RejectedInput` with a reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from pressreader.ingest import feed, html, markdown, plaintext, records, seed
from pressreader.ingest.decode import decode
from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.normalise import Draft, clean_text, normalise, path_date, strip_controls
from pressreader.model import Article
from pressreader.pathnames import storable

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Loaded",
    "RecordProblem",
    "RejectedInput",
    "load_file",
    "load_text",
    "read_bytes",
    "read_file",
    "read_text",
]

#: Order matters: the first format whose sniff() accepts a file reads it; plain
#: text accepts everything, so it is last.
FORMATS: tuple[ModuleType, ...] = (seed, markdown, html, feed, records, plaintext)
#: The files a folder import picks up; a file named on the command line is read whatever its name.
SUFFIXES = frozenset(suffix for module in FORMATS for suffix in module.SUFFIXES)
MAX_BYTES = 64 * 1024 * 1024
#: One release is never this long; a file of many records (JSON Lines, a feed) may be.
MAX_DOCUMENT_CHARS = 5_000_000


@dataclass
class Loaded:
    """What one file held: its articles, and the records of it that could not be used."""

    articles: list[Article]
    problems: list[RecordProblem] = field(default_factory=list)
    format: str = ""


def load_file(path: Path, *, fields: Mapping[str, str] | None = None) -> Loaded:
    """The articles in one file, or :class:`RejectedInput` with the reason; ``fields``
    maps a role to the field of a record that holds it (see :func:`load_text`)."""
    return load_text(
        decode(read_bytes(path)), suffix=path.suffix.lower(), path=storable(str(path)), fields=fields
    )


#: What a path that is not a regular file is, for the reason it is rejected with.
_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "not a regular file (a FIFO)"),
    (stat.S_ISCHR, "not a regular file (a character device)"),
    (stat.S_ISBLK, "not a regular file (a block device)"),
    (stat.S_ISSOCK, "not a regular file (a socket)"),
)


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else :class:`RejectedInput`.

    The file is opened without blocking (a FIFO with no writer would wait
    forever), the open descriptor is what is checked (no race with a rename
    between a stat and the open), and the read stops past ``limit`` whatever
    the size said: ``/dev/zero``, a symlink to it, a FIFO, a file that grows
    while it is read never hang and never fill the memory.
    """
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise RejectedInput("is a folder, not a file") from None
    except OSError as error:
        raise RejectedInput(f"cannot read: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            reason = next((why for test, why in _KINDS if test(info.st_mode)), "not a regular file")
            raise RejectedInput(reason)
        if info.st_size > limit:
            raise RejectedInput(_too_large(info.st_size, limit))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(descriptor, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise RejectedInput(_too_large(total, limit, grew=True))
        return b"".join(chunks)
    except OSError as error:
        raise RejectedInput(f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def _too_large(size: int, limit: int, *, grew: bool = False) -> str:
    megabytes = limit // (1024 * 1024)
    if grew:
        return f"file too large (more than {megabytes} MB when read; the limit is {megabytes} MB)"
    return f"file too large ({size // (1024 * 1024)} MB; the limit is {megabytes} MB)"


def load_text(
    text: str, *, suffix: str = "", path: str = "", fields: Mapping[str, str] | None = None
) -> Loaded:
    """The articles in a text.  Parsers read it before any Unicode normalisation
    (NFC would merge a combining mark into the syntax before it: ``\\n`` + U+0307
    in a JSON string, ``>`` + U+0338 after a tag); :func:`normalise` cleans every
    value afterwards.  Escape sequences and control characters go first, though
    (a NUL would reach YAML or XML parsers), except for the formats that read the
    text as written (JSON: an escape sequence's payload could swallow the syntax
    up to the next BEL).  ``fields`` (role → field name, ``{"text": "data"}``)
    is for the formats that have named fields (JSON records); others ignore it.
    """
    raw = text
    text = strip_controls(text)
    fmt = next(module for module in FORMATS if module.sniff(text, suffix))
    if len(text) > MAX_DOCUMENT_CHARS and not getattr(fmt, "MULTI_RECORD", False):
        raise RejectedInput(
            f"too large for one release ({len(text) // 1_000_000} million characters; "
            f"the limit is {MAX_DOCUMENT_CHARS // 1_000_000} million): is it many releases in one file? "
            "JSON Lines or a feed can hold them"
        )
    parsed: list[Draft | RecordProblem]
    if getattr(fmt, "FIELDS", False) and fields:
        parsed = fmt.parse(raw if getattr(fmt, "RAW", False) else text, fields=fields)
    else:
        parsed = fmt.parse(raw if getattr(fmt, "RAW", False) else text)
    for item in parsed:
        if isinstance(item, Draft):
            # What identifies a release must not depend on how its text was composed.
            item.identity = clean_text(item.identity)
    drafts = [item for item in parsed if isinstance(item, Draft)]
    problems = [item for item in parsed if isinstance(item, RecordProblem)]
    multi = len(parsed) > 1 or bool(problems)
    if not multi and drafts and not drafts[0].date:
        # One release to a file, undated: the date its name starts with (Jekyll's
        # 2023-08-08-title.md).  A file of many records is no one record's date.
        drafts[0].date = path_date(path)
    articles = []
    for draft in drafts:
        try:
            articles.append(normalise(draft, path=path))
        except RejectedInput as error:
            if not multi:
                raise
            problems.append(RecordProblem(draft.record, error.reason))
    problems.sort(key=lambda problem: problem.record)
    if not articles:
        if problems:
            shown = "; ".join(str(problem) for problem in problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise RejectedInput(f"no usable record in {len(problems)}: {shown}{more}")
        raise RejectedInput("no body text")
    return Loaded(articles, problems, getattr(fmt, "NAME", ""))


def read_file(path: Path) -> list[Article]:
    """The articles in one file (unusable records of a multi-record file left out)."""
    return load_file(path).articles


def read_text(text: str, *, suffix: str = "", path: str = "") -> list[Article]:
    return load_text(text, suffix=suffix, path=path).articles
