"""Read input files into :class:`~pressreader.model.Article` objects.

One module per input format, each with ``NAME``, ``sniff(text, suffix)`` and
``parse(text) -> list[Draft]``; :data:`FORMATS` is the registry, tried in
order, the first that sniffs the content wins.  :func:`read_file` is the one
entry point: it decodes, picks a format, normalises, and turns every failure
into :class:`RejectedInput` with a reason.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from pressreader.ingest import markdown, plaintext, seed
from pressreader.ingest.decode import decode
from pressreader.ingest.errors import RejectedInput
from pressreader.ingest.normalise import Draft, clean_text, normalise
from pressreader.model import Article

__all__ = ["FORMATS", "SUFFIXES", "RejectedInput", "read_file", "read_text"]

FORMATS: tuple[ModuleType, ...] = (seed, markdown, plaintext)
#: The files a folder import picks up; a file named on the command line is read whatever its name.
SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd"})
MAX_BYTES = 64 * 1024 * 1024


def read_file(path: Path) -> list[Article]:
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
    return read_text(decode(data), suffix=path.suffix.lower(), path=str(path))


def read_text(text: str, *, suffix: str = "", path: str = "") -> list[Article]:
    # Clean the whole document before any format sees it: newlines unified,
    # escape sequences and control characters out (a NUL would otherwise
    # reach YAML or Markdown parsers).
    text = clean_text(text)
    fmt = next(module for module in FORMATS if module.sniff(text, suffix))
    drafts: list[Draft] = fmt.parse(text)
    return [normalise(draft, path=path) for draft in drafts]
