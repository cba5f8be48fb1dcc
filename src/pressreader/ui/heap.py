"""When the reader lets Python collect garbage: once at start, then in the user's pauses.

Python's full (generation 2) collection walks every container object alive,
and a Textual app holds many (widgets, styles, cached lines): on a small
machine each full collection is a 30-100 ms pause that lands on a keystroke or
a page-down at random, several times a second while scrolling.  So:

- once the first list is on screen, :func:`settle` collects and then freezes
  what is alive (the app, its widgets, the library): lasting objects, never
  walked again;
- while the reader runs, :class:`IdleCollector` turns off automatic full
  collections (young generations are still collected as usual: they are
  small) and runs one itself once no key or mouse event has come for
  ``IDLE`` seconds (once a pause), or at the latest every ``LONGEST`` seconds.

Garbage without cycles is freed at once by reference counting either way.
"""

from __future__ import annotations

import gc
import time

from textual.timer import Timer

#: Seconds without input after which a full collection may run.
IDLE = 1.0
#: A full collection runs at least this often, pause or not.
LONGEST = 60.0
#: Collections never come on their own beyond this many younger ones.
NEVER = 10**9


def settle() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


class IdleCollector:
    """Full collections only while the user pauses (see the module's docstring)."""

    def __init__(self) -> None:
        self._last_input = time.monotonic()
        self._last_collection = time.monotonic()
        self._used_since_collection = True
        self._thresholds: tuple[int, int, int] | None = None
        self._timer: Timer | None = None

    def start(self, timer: Timer) -> None:
        """Take over full collections; ``timer`` should call :meth:`tick` every second or so."""
        self._thresholds = gc.get_threshold()
        young, middle, _old = self._thresholds
        gc.set_threshold(young, middle, NEVER)
        self._timer = timer

    def stop(self) -> None:
        """Hand full collections back to Python."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def touch(self) -> None:
        """The user pressed a key or moved the mouse."""
        self._last_input = time.monotonic()
        self._used_since_collection = True

    @property
    def idle_seconds(self) -> float:
        """Seconds since the last key or mouse event."""
        return time.monotonic() - self._last_input

    def tick(self) -> None:
        """Collect once a pause (no input for ``IDLE`` seconds, and some since the last
        collection), and at the latest ``LONGEST`` seconds after the last collection."""
        now = time.monotonic()
        paused = self.idle_seconds >= IDLE and self._used_since_collection
        if paused or now - self._last_collection >= LONGEST:
            gc.collect()
            self._last_collection = now
            self._used_since_collection = False
