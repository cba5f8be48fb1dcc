"""File names that are not text: how pressreader stores them, and finds the file again.

On POSIX a file name is bytes; Python turns the bytes that are not UTF-8 into
lone surrogates (``bad\\xffname.txt`` becomes ``'bad\\udcffname.txt'``), which
no UTF-8 encoder accepts: not SQLite, not a JSON file, not the terminal.
Such a file is still a release the user wants, so it is imported under its
name with those bytes written as escapes: :func:`storable` gives
``bad\\xffname.txt`` (a backslash, an x, two hex digits), valid text,
printable, and the same every time, so an unchanged file is found unchanged
by the next import.  :func:`on_disk` turns it back into the name to open.

A name that is valid UTF-8 is stored as it is (every library already made
keeps its keys).  The escaped form could be the literal name of another
file; :func:`on_disk` then prefers the file with that literal name.
"""

from __future__ import annotations

import os
import re

_ESCAPE = re.compile(r"\\x([89a-f][0-9a-f])")


def storable(path: str) -> str:
    """``path`` as text any encoder takes: itself, or with its undecodable bytes as ``\\xNN``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def on_disk(stored: str) -> str:
    """The name to open for a path :func:`storable` gave."""
    if "\\x" not in stored or os.path.lexists(stored):
        return stored
    candidate = os.fsdecode(_bytes_of(stored))
    return candidate if os.path.lexists(candidate) else stored


def _bytes_of(stored: str) -> bytes:
    """``stored``'s UTF-8 bytes, each ``\\xNN`` escape (N ≥ 0x80) the byte it stands for."""
    out = bytearray()
    position = 0
    for found in _ESCAPE.finditer(stored):
        out += stored[position : found.start()].encode("utf-8", "surrogatepass")
        out.append(int(found.group(1), 16))
        position = found.end()
    out += stored[position:].encode("utf-8", "surrogatepass")
    return bytes(out)
