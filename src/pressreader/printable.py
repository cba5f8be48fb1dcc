"""The one gate between stored text and the terminal.

Everything pressreader prints or draws (a release's title and text, a source, a
file name, an OS error, a feed's saved state, a theme label from ``themes.toml``,
a query given with ``-q``, a search-history entry) goes through here on its way
out.  Ingest cleans release text once, but a library folder, a config folder or
a feed's state file may come from someone else (an archive handed over): their
text is only as clean as whoever wrote them, so it is made safe again where it
is shown, not only where it was imported.

- :func:`printable` (human text, the command line's and every widget's): every
  control, bidi and invisible character written as a visible escape
  (``\\x1b``, ``\\u202e``), so nothing reaches the terminal as a command and
  nothing is hidden; with ``newlines=True`` a line break stays a line break.
- :func:`printable_json` (``--json`` output, JSON exports): the same characters
  as JSON ``\\uXXXX`` escapes, so the object a program decodes is the stored one
  while the bytes a terminal receives carry none of them.

Neither makes markup safe: text is handed to Rich and Textual as ``Text`` (or
with ``markup=False``), never as a markup string.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable

#: C0 and C1 controls and DEL, the soft hyphen, the bidi marks, embeddings,
#: overrides and isolates, the line and paragraph separators, zero-width space,
#: word joiner and invisible operators, the BOM, and lone surrogates (which UTF-8
#: cannot even encode).  Zero-width (non-)joiners stay: emoji and Persian need them.
_UNPRINTABLE_CLASS = (
    r"\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2060-\u2069\ufeff\ud800-\udfff"
)
_C0 = r"\x00-\x1f"
_UNPRINTABLE = re.compile(f"[{_UNPRINTABLE_CLASS}]")
_UNPRINTABLE_KEEPING_NEWLINES = re.compile("[" + _UNPRINTABLE_CLASS.replace(_C0, r"\x00-\x09\x0b-\x1f") + "]")
#: What ``json.dumps(ensure_ascii=False)`` leaves raw (it escapes C0 itself).
_JSON_UNSAFE = re.compile("[" + _UNPRINTABLE_CLASS.replace(_C0, "") + "]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` with control, bidi and invisible characters written as escapes.

    ``newlines``: keep line breaks (a paragraph, a note), escaping everything else.
    Idempotent: what it returns holds nothing it would change.
    """
    pattern = _UNPRINTABLE_KEEPING_NEWLINES if newlines else _UNPRINTABLE
    return pattern.sub(_escape, text)


def printable_json(payload: object) -> str:
    """Compact JSON, UTF-8 text kept readable, unsafe characters as ``\\uXXXX`` escapes.

    The escapes stand only inside strings (JSON's own syntax is printable ASCII), so
    ``json.loads`` gives back exactly ``payload``.
    """
    return _JSON_UNSAFE.sub(
        lambda match: f"\\u{ord(match.group()):04x}", json.dumps(payload, ensure_ascii=False)
    )


def printable_spans(
    text: str, spans: Iterable[tuple[int, int]], *, newlines: bool = False
) -> tuple[str, list[tuple[int, int]]]:
    """:func:`printable` of ``text``, with character ``spans`` of it (marked words) moved to
    where they fall in what it returns (an escape is longer than the character it stands for)."""
    spans = list(spans)
    pattern = _UNPRINTABLE_KEEPING_NEWLINES if newlines else _UNPRINTABLE
    if not pattern.search(text):
        return text, spans
    cuts = sorted({0, len(text), *(max(0, min(len(text), i)) for span in spans for i in span)})
    moved: dict[int, int] = {}
    pieces: list[str] = []
    length = 0
    for start, end in itertools.pairwise(cuts):
        moved[start] = length
        piece = pattern.sub(_escape, text[start:end])
        pieces.append(piece)
        length += len(piece)
    moved[len(text)] = length
    clamp = lambda i: moved[max(0, min(len(text), i))]  # noqa: E731
    return "".join(pieces), [(clamp(start), clamp(end)) for start, end in spans]
