"""pressreader: an offline, keyboard-first terminal reader for press releases."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pressreader")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
