"""Text that did not pass through ingest (file names, error messages) made safe to print.

Release text is cleaned when it is imported; a file name or an OS error
message is not, and may hold escape sequences.  :func:`printable` shows every
control, bidi and invisible character as a visible escape (``\\x1b``), so
nothing reaches the terminal as a command and nothing is hidden.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control, bidi and invisible characters written as escapes."""
    return _UNPRINTABLE.sub(_escape, text)
