"""Keeping Python's garbage collection out of the reader's frames.

A full (generation 2) collection walks every container object alive, and a
Textual app holds many: widgets, styles, and the lines widgets keep drawn
(each Textual ``Strip`` carries seven small caches).  With ~100k such objects
each full collection took 30-100 ms on a small machine, several a second while
paging through a list, landing on a keystroke or a page-down at random.

So, once the first list is on screen, :func:`settle` collects and freezes what
is alive then (the app, its widgets, the library, Textual's own state): lasting
objects, never walked again.  What the reader keeps later is kept small and
mostly untracked (the result list stores rows as plain tuples, and caches a
few screens of drawn lines), so that a full collection walks some 30k objects
and takes a few milliseconds.  Collections keep Python's own schedule: waiting
for the user's pauses was tried, and garbage then piles up (Textual's lines
are cyclic garbage, 5-10k objects a second while scrolling) until one
collection costs hundreds of milliseconds.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then leave every object alive now out of later collections."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the frozen objects back to the collector (the reader is closing: its widgets
    become garbage, and frozen garbage is never freed)."""
    gc.unfreeze()
