"""Themes: the default lexicon (package data), a user's override, and the classifier."""

from __future__ import annotations

from pathlib import Path

from pressreader.themes.classifier import Lexicon
from pressreader.themes.lexicon import LexiconError, default_path, load_spec

__all__ = ["Lexicon", "LexiconError", "default_path", "load_lexicon"]


def load_lexicon(user_path: Path | None = None) -> Lexicon:
    """The default lexicon, with the user's file (if it exists) merged over it."""
    return Lexicon(load_spec(user_path))
