"""The library: Whoosh index, catalog, import, search."""

from pressreader.library.library import Library, LibraryError, Progress
from pressreader.library.query import QueryError

__all__ = ["Library", "LibraryError", "Progress", "QueryError"]
