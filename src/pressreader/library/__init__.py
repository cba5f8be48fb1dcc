"""The library: Whoosh index, catalog, import, search."""

from pressreader.library.library import Library, LibraryError, Progress, SearchStopped
from pressreader.library.query import QueryError

__all__ = ["Library", "LibraryError", "Progress", "QueryError", "SearchStopped"]
