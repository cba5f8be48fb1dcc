from __future__ import annotations

from dataclasses import dataclass


class RejectedInput(Exception):
    """Input pressreader cannot use; the message is the reason shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """One unusable record of a multi-record file (a JSON Lines line, a feed entry).

    ``record`` is its 1-based number in the file, as a person would count it
    (for JSON Lines: the line number).
    """

    record: int
    reason: str

    def __str__(self) -> str:
        return f"record {self.record}: {self.reason}"
