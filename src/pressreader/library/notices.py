"""What the library has to tell its user once, whatever command or screen is running:
a state restored from its backup, changes lost with a damaged ``-wal``.  The core
records them here; the command line prints them on stderr, the reader shows them as
notifications (:func:`take` hands each one out once)."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_pending: list[str] = []


def tell(message: str) -> None:
    with _lock:
        if message not in _pending:
            _pending.append(message)


def take() -> list[str]:
    """The notices not handed out yet, oldest first."""
    with _lock:
        taken = list(_pending)
        _pending.clear()
    return taken
