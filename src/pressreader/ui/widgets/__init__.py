"""Widgets of the reader, and the pure functions that render their text."""
