"""What SQLite would silently leave out of a database's ``-wal`` file, and a record of
its commits kept outside it.

SQLite replays a write-ahead log frame by frame and stops, without a word, at the
first frame whose checksum (a running checksum over every frame since the log's
header, https://www.sqlite.org/fileformat.html#checksum_algorithm) or salt does not
match: every commit after a damaged frame is dropped.  Two checks notice it:

* :func:`dropped_frames`, before SQLite opens the database: the log's frames are
  walked as SQLite walks them; frames of the current log (its salts) that follow
  the first bad one are frames SQLite will not apply.
* :class:`CommitMark`, a small JSON file beside the database written after each
  commit (the database's own commit counter, when, and what it held): a database
  whose counter is behind the mark lost commits, whatever happened to them (a
  damaged or deleted ``-wal``).  It also tells a deleted database from a new one.
"""

from __future__ import annotations

import json
import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_WAL_HEADER = 32
_FRAME_HEADER = 24
_MAGIC = {0x377F0682: "<", 0x377F0683: ">"}  # checksums in little or big-endian words


@dataclass(frozen=True, slots=True)
class Dropped:
    """Frames of a ``-wal`` file SQLite will not apply: ``frames`` pages in ``commits``
    transactions, after the ``applied`` frames it replays."""

    frames: int
    commits: int
    applied: int


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & mask
        s1 = (s1 + words[index + 1] + s0) & mask
    return s0, s1


def dropped_frames(database: Path) -> Dropped | None:
    """The frames of ``database``'s ``-wal`` that SQLite would skip, or None when it
    would apply them all (no log, an empty one, or only a torn last frame: a commit
    that never finished, which SQLite rightly ignores)."""
    try:
        with open(f"{database}-wal", "rb") as file:
            data = file.read()
    except OSError:
        return None
    if len(data) < _WAL_HEADER:
        return None
    magic, _version, page_size, _checkpoint, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:_WAL_HEADER])
    order = _MAGIC.get(magic)
    if order is None or page_size < 512 or page_size & (page_size - 1):
        return None  # not a log SQLite would read at all: nothing it replays either
    if _checksum(data[:24], order, 0, 0) != (c0, c1):
        return None  # a damaged header: SQLite ignores the whole log (caught by CommitMark)
    frame_size = _FRAME_HEADER + page_size
    s0, s1 = c0, c1
    applied = 0
    position = _WAL_HEADER
    bad = None
    while position + frame_size <= len(data):
        header = data[position : position + _FRAME_HEADER]
        _page, _commit, f1, f2, k0, k1 = struct.unpack(">6I", header)
        if (f1, f2) != (salt1, salt2):
            break  # a frame of an earlier log: the current one ends here
        s0, s1 = _checksum(header[:8] + data[position + _FRAME_HEADER : position + frame_size], order, s0, s1)
        if (s0, s1) != (k0, k1):
            bad = position
            break
        applied += 1
        position += frame_size
    if bad is None:
        return None
    frames = commits = 0
    position = bad
    while position + frame_size <= len(data):
        _page, commit, f1, f2, _k0, _k1 = struct.unpack(">6I", data[position : position + _FRAME_HEADER])
        if (f1, f2) == (salt1, salt2):
            frames += 1
            commits += commit != 0
        position += frame_size
    # Only a torn last frame (a commit cut short): nothing committed is lost.
    if commits == 0:
        return None
    return Dropped(frames=frames, commits=commits, applied=applied)


def keep_aside(database: Path, suffix: str = "-wal") -> Path | None:
    """A copy of ``database``'s damaged ``-wal`` beside it (``…-wal.damaged-STAMP``), for
    whoever wants to look, since SQLite deletes the log when the database closes."""
    source = Path(f"{database}{suffix}")
    target = Path(f"{source}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        target.write_bytes(source.read_bytes())
    except OSError:
        return None
    return target


@dataclass(frozen=True, slots=True)
class CommitMark:
    """The last commit this program made to a database, recorded outside it: the
    database's commit counter, when, and a count of what it held (``counts``)."""

    generation: int
    at: float
    counts: dict[str, int]
    #: Whose commits (a catalog's uuid): another database's record says nothing here.
    owner: str = ""

    @staticmethod
    def path_for(database: Path) -> Path:
        return Path(f"{database}.commits")

    @classmethod
    def read(cls, database: Path) -> CommitMark | None:
        try:
            raw: Any = json.loads(cls.path_for(database).read_text(encoding="utf-8"))
            counts = {str(k): int(v) for k, v in dict(raw.get("counts", {})).items()}
            return cls(int(raw["generation"]), float(raw["at"]), counts, str(raw.get("owner", "")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def write(self, database: Path) -> None:
        """Written whole or not at all (a temporary file renamed), never fsynced: a mark
        lost in a crash only makes it older than the database, never newer."""
        path = self.path_for(database)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(
                json.dumps(
                    {"generation": self.generation, "at": self.at, "counts": self.counts, "owner": self.owner}
                ),
                encoding="utf-8",
            )
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)
