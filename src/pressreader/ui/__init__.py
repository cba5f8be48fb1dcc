"""The Textual front end: a keyboard-first reader over a pressreader library.

``pressreader.ui.app.make_app`` builds the app; everything it shows comes from
the core (:mod:`pressreader.library`) as plain dataclasses.
"""
