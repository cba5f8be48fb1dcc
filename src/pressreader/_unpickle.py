"""The one unpickler: what a library's files may make, and nothing else.

Whoosh keeps its table of contents (the schema and the list of segments),
stored fields, posting blocks, positions and some columns as pickles.  A
pickle can name any function of any module and call it (``os.system`` with a
command), so opening a library someone handed you would run their code.  Every
unpickling pressreader and Whoosh do goes through :func:`loads` or
:func:`load` here (:mod:`pressreader._whoosh` points Whoosh's own names at
them), whose :class:`Unpickler` makes only the classes of :data:`ALLOWED`: those
a pressreader library holds, found by reading real libraries with a recording
unpickler (their TOCs, segments, stored fields, postings and columns).
Anything else is :class:`Refused`, which the library reports as damage.

Speed: stored fields are unpickled once a hit and positions once a candidate
of a phrase.  A pickle without any opcode that looks a name up (GLOBAL, INST,
STACK_GLOBAL, EXT1/2/4: the only ways a pickle reaches a callable) cannot
call anything, so when none of those opcode bytes occurs anywhere in it (as
for the lists of integers positions are) the C ``pickle.loads`` reads it;
otherwise the restricted unpickler does (about 3 microseconds more).
"""

from __future__ import annotations

import _compat_pickle
import importlib
import io
import pickle
import re
from typing import IO, Any

#: module -> names a library's pickles may make (see the module's docstring).
ALLOWED: dict[str, frozenset[str]] = {
    module: frozenset(names.split())
    for module, names in {
        # Containers and scalars pickle spells by name (protocol 2), bytes as _codecs.encode.
        "builtins": "frozenset set int float bytes bytearray",
        "_codecs": "encode",
        "collections": "defaultdict",
        # A RegexTokenizer's compiled expression.
        "re": "_compile",
        # The schema: its fields, their formats, columns and analyzers.
        "whoosh.fields": "Schema ID KEYWORD STORED TEXT",
        "whoosh.formats": "Existence Frequency Positions",
        "whoosh.columns": "VarBytesColumn",
        "whoosh.analysis.analyzers": "CompositeAnalyzer",
        "whoosh.analysis.filters": "LowercaseFilter StopFilter StripFilter",
        "whoosh.analysis.tokenizers": "IDTokenizer RegexTokenizer",
        "pressreader.analysis": "FoldFilter ScriptStemFilter WordTokenizer",
        "pressreader.library.schema": "Text",
        # The list of segments.
        "whoosh.codec.whoosh3": "W3Codec W3Segment",
    }.items()
}

#: The opcodes by which a pickle reaches a callable (all of them go through find_class).
_LOOKS_UP = re.compile(b"[ci\x93\x82-\x84]")


class Refused(pickle.UnpicklingError):
    """A pickle that names something no library holds: damage (or an attack).
    ``what`` is the name it asked for; ``file`` the library file it was in,
    when known (see :func:`pressreader._whoosh.damaged_file`)."""

    def __init__(self, what: str, file: str | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.file = file

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}refuses to load {self.what} (not something a library holds)"


class Unpickler(pickle.Unpickler):
    """A ``pickle.Unpickler`` that makes only what :data:`ALLOWED` names."""

    def find_class(self, module: str, name: str) -> Any:
        # Protocol 2 spells Python 2's names (__builtin__, copy_reg): read them as
        # Python 3's, as pickle's own find_class does.
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        if name not in ALLOWED.get(module, ()):
            raise Refused(f"{module}.{name}")
        return getattr(importlib.import_module(module), name)

    def persistent_load(self, pid: Any) -> Any:
        raise Refused(f"a persistent id {pid!r}")


def loads(data: bytes | bytearray | memoryview, /, **kwargs: Any) -> Any:
    """``pickle.loads``, making only what a library holds (raises :class:`Refused`)."""
    if _LOOKS_UP.search(data) is None:
        return pickle.loads(data, **kwargs)
    return Unpickler(io.BytesIO(data), **kwargs).load()


def load(file: IO[bytes], /, **kwargs: Any) -> Any:
    """``pickle.load``, making only what a library holds (raises :class:`Refused`)."""
    return Unpickler(file, **kwargs).load()
