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

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from pressreader.ingest import feed, html, markdown, plaintext, records, seed
from pressreader.ingest.decode import decode
from pressreader.ingest.errors import RecordProblem, RejectedInput
from pressreader.ingest.normalise import Draft, clean_text, normalise
from pressreader.model import Article

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Loaded",
    "RecordProblem",
    "RejectedInput",
    "load_file",
    "load_text",
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


def load_file(path: Path) -> Loaded:
    """The articles in one file, or :class:`RejectedInput` with the reason."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RejectedInput(f"file too large ({size // (1024 * 1024)} MB; the limit is 64 MB)")
        data = path.read_bytes()
    except IsADirectoryError:
        raise RejectedInput("is a folder, not a file") from None
    except OSError as error:
        raise RejectedInput(f"cannot read: {error.strerror or error}") from None
    return load_text(decode(data), suffix=path.suffix.lower(), path=str(path))


def load_text(text: str, *, suffix: str = "", path: str = "") -> Loaded:
    # Clean the whole document before any format sees it: newlines unified,
    # escape sequences and control characters out (a NUL would otherwise
    # reach YAML or Markdown parsers).
    text = clean_text(text)
    fmt = next(module for module in FORMATS if module.sniff(text, suffix))
    if len(text) > MAX_DOCUMENT_CHARS and not getattr(fmt, "MULTI_RECORD", False):
        raise RejectedInput(
            f"too large for one release ({len(text) // 1_000_000} million characters; "
            f"the limit is {MAX_DOCUMENT_CHARS // 1_000_000}): is it many releases in one file? "
            "JSON Lines or a feed can hold them"
        )
    parsed: list[Draft | RecordProblem] = fmt.parse(text)
    drafts = [item for item in parsed if isinstance(item, Draft)]
    problems = [item for item in parsed if isinstance(item, RecordProblem)]
    multi = len(parsed) > 1 or bool(problems)
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
