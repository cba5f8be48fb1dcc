"""The footer of key hints, redrawn only when the keys it shows change.

Textual's ``Footer`` composes its keys anew whenever the active bindings may
have changed, which is on every focus change: remounting a dozen widgets, a
layout pass and a repaint of the whole screen, some 40 ms on a small machine,
landing just when an article opens.  Moving between the list and the article
shows the same keys, so this footer keeps them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class SteadyFooter(Footer):
    """A ``Footer`` that recomposes only when what it shows differs."""

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        self._shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        app = screen.app
        shown = tuple(
            (key, binding.description, app.get_key_display(binding), enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
