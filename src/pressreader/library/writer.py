"""Whoosh's segment writer, with two changes.

- When Whoosh writes a segment's postings it asks, for every posting, the
  length of that document's field, and answers each question by reading the
  segment's length column back from disk (a seek and a read per posting: about
  a fifth of an import's time under the profiler).  This writer reads each
  field's lengths once into a list; what gets written is byte for byte the same.
- Segments are written as separate files, not one compound file (see below).
- ``keep_files=True``: the commit leaves alone files that the index does not
  list.  Whoosh deletes them at every commit, but during a large import they
  include the segments that workers are still writing (see ``loading``); the
  import tidies up with one last commit when its workers are done.
"""

from __future__ import annotations

import contextlib
from typing import Any

from pressreader._whoosh import writing


class _Lengths:
    """A per-document reader's ``doc_field_length``, read once per field."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._fields: dict[str, list[Any]] = {}
        self._count = reader.doc_count_all()

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [read(n, fieldname, default) for n in range(self._count)]
        return lengths[docnum]

    def close(self) -> None:
        self._reader.close()


class SegmentWriter(writing.SegmentWriter):  # type: ignore[misc]
    def __init__(self, index: Any, *, keep_files: bool = False, **kwargs: Any) -> None:
        # No compound segment files: assembling one copies the whole segment
        # once more, and a reader copies each part of it from the memory map
        # into a BytesIO (42 MB held by the searcher at 10,000 articles).
        kwargs.setdefault("compound", False)
        super().__init__(index, **kwargs)
        self.keep_files = keep_files

    def cancel(self) -> None:
        """Give up, and delete what was written of the new segment (a full disk
        should not stay full of a segment the index will never list)."""
        if self.is_closed or getattr(self, "_listed", False):  # committed: the index lists the segment
            return
        segment = getattr(self, "newsegment", None)
        try:
            super().cancel()
        except Exception:  # the error that made us cancel is the one to report
            # A close that failed (a full disk) left the others undone: each file
            # is closed on its own, or it stays open until collected.
            for part in (getattr(self, "perdocwriter", None), getattr(self, "fieldwriter", None)):
                with contextlib.suppress(Exception):
                    part.close()  # type: ignore[union-attr]
            with contextlib.suppress(Exception):
                self._finish()
        if segment is not None:
            prefix = f"{self.indexname}_{segment.segid}"
            for name in list(self.storage.list()):
                if name.startswith(prefix):
                    with contextlib.suppress(OSError):
                        self.storage.delete_file(name)

    def _commit_toc(self, segments: list[Any]) -> None:
        if not self.keep_files:
            super()._commit_toc(segments)
        else:
            from pressreader._whoosh import index

            index.TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        # The index lists the new segment now: cancel must never delete its files.
        self._listed = True

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()
