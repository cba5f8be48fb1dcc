from __future__ import annotations


class RejectedInput(Exception):
    """Input pressreader cannot use; the message is the reason shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
