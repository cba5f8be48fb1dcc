"""``pressreader rebuild`` (issue 5): damage is named, and the library is made
again from its source files without losing what only the old catalog holds.

Damage tried: truncated posting files, a truncated catalog, a catalog of
garbage, a deleted catalog, a deleted index folder, and rebuilds killed with
SIGKILL at each step of their swap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA, subprocess_env
from pressreader import cli
from pressreader.library import Library, LibraryError
from pressreader.library import rebuild as rebuilding

#: Damages tried in this file, for the issue's note.
DAMAGES = ("truncated postings", "truncated catalog", "garbage catalog", "deleted catalog", "deleted index")


def _library(tmp_path: Path) -> tuple[Path, Path]:
    """A library of the 43 samples, imported from a copy the tests may change."""
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLE_DATA, sources)
    index = tmp_path / "lib"
    with Library.open(index) as library:
        report = library.import_paths([sources])
    assert report.count("added") == 43
    return sources, index


def _titles(index: Path, query: str) -> list[str]:
    with Library.open(index, create=False) as library:
        return sorted(hit.title for hit in library.search(query, limit=None).hits)


def _truncate_postings(index: Path) -> None:
    postings = sorted((index / "whoosh").glob("*.pst"))
    assert postings
    for path in postings:
        path.write_bytes(path.read_bytes()[:100])


def test_a_damaged_index_is_read_again_from_the_source_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sources, index = _library(tmp_path)
    uranium = sorted(sources.glob("*uranium*"))
    assert len(uranium) >= 2
    # Since the import: one source file changed, one is gone.
    changed, gone = uranium[0], uranium[1]
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("uranium", "yellowcake", 1), encoding="utf-8"
    )
    with Library.open(index) as library:
        gone_ids = library._catalog.ids_for_path(str(gone.resolve()))
    gone.unlink()
    with Library.open(index) as library:  # the reader's own marks, on the gone file's article too
        starred = library.search("uranium", limit=3).hits
        for hit in starred:
            library.state.toggle_star(hit.id)
        library.state.set_note(gone_ids[0], "Ask the Aktau desk about this one")
        library.state.set_read(gone_ids)
    _truncate_postings(index)

    assert cli.main(["search", "uranium", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and str(index) in err and "pressreader rebuild" in err
    assert "unexpected error" not in err

    assert cli.main(["rebuild", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert f"rebuilt the library in {index}: 43 articles" in out
    assert "kept from the old catalog: 1 article(s)" in out
    # Read again from the source files: the changed file's new words are found...
    assert _titles(index, "yellowcake")
    # ...and the gone file's article was kept whole, as the old catalog had it.
    with Library.open(index) as library:
        assert library.count() == 43
        kept = library.get(gone_ids[0])
        assert kept is not None and kept.paragraphs
        assert library.search("uranium", limit=None).total >= 8
    # The user's own state is not the index's to touch: found by the same queries.
    with Library.open(index) as library:
        assert {hit.id for hit in library.search("is:starred", limit=None).hits} == {h.id for h in starred}
        assert [hit.id for hit in library.search("note:aktau", limit=None).hits] == gone_ids[:1]
        assert [hit.id for hit in library.search("has:note is:read", limit=None).hits] == gone_ids[:1]
    # Nothing half-built is left.
    assert not (index / rebuilding.PENDING).exists() and not (index / rebuilding.ASIDE).exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "deleted"])
def test_a_damaged_catalog_is_named_and_rebuilt_from_the_imported_folders(
    tmp_path: Path, capsys, damage: str
) -> None:  # type: ignore[no-untyped-def]
    _, index = _library(tmp_path)
    catalog = index / "catalog.sqlite3"
    if damage == "truncated":
        catalog.write_bytes(catalog.read_bytes()[: catalog.stat().st_size // 3])
    elif damage == "garbage":
        catalog.write_bytes(b"\x00not a database at all\xff" * 500)
    else:
        catalog.unlink()
    capsys.readouterr()
    assert cli.main(["search", "uranium", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert str(index) in err and "pressreader rebuild" in err and "unexpected error" not in err
    assert ("missing" if damage == "deleted" else "damaged") in err

    assert cli.main(["rebuild", "--index", str(index), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["articles"] == 43 and payload["added"] == 43
    assert payload["from_roots"] is True and payload["catalog_error"]
    assert len(_titles(index, "uranium")) == 9


def test_a_deleted_index_folder_comes_back_from_the_catalog_on_open(tmp_path: Path) -> None:
    _, index = _library(tmp_path)
    shutil.rmtree(index / "whoosh")
    assert len(_titles(index, "uranium")) == 9


def test_nothing_to_rebuild_from_is_said_plainly(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, index = _library(tmp_path)
    (index / "catalog.sqlite3").write_bytes(b"garbage" * 100)
    (index / rebuilding.SOURCES).unlink()
    assert cli.main(["rebuild", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert "nothing to rebuild it from" in err and str(index) in err
    # The damaged files are left as they were, for whatever the user tries next.
    assert (index / "catalog.sqlite3").read_bytes() == b"garbage" * 100


def test_rebuild_needs_a_library(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["rebuild", "--index", str(tmp_path / "nothing")]) == 1
    assert "there is no pressreader library" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()


def test_rebuild_waits_for_a_running_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, index = _library(tmp_path)
    monkeypatch.setattr(rebuilding, "WAIT", 0.3)
    with rebuilding.write_lock(index), pytest.raises(LibraryError, match="another import is writing"):
        Library.rebuild(index)
    assert len(_titles(index, "uranium")) == 9


KILLED_REBUILD = """
import os, signal, sys
from pathlib import Path
from pressreader.library import Library
from pressreader.library import rebuild as r
step = sys.argv[2]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if step == "importing":
    Library._import_paths = lambda self, *a, **k: die()
elif step == "ready":
    r.swap = die
elif step == "aside":
    r.mark = lambda folder, name: die() if name == r.SWAPPING else open(folder / name, "wb").close()
elif step == "moving":
    replace = os.replace
    def one_then_die(src, dst):
        replace(src, dst)
        if Path(src).parent.name == r.PENDING and Path(dst).parent.name != r.PENDING:
            die()
    os.replace = one_then_die
Library.rebuild(Path(sys.argv[1]))
"""


@pytest.mark.parametrize("step", ["importing", "ready", "aside", "moving"])
def test_a_rebuild_killed_at_any_step_leaves_a_whole_library(tmp_path: Path, step: str) -> None:
    _, index = _library(tmp_path)
    _truncate_postings(index)
    child = subprocess.run(
        [sys.executable, "-c", KILLED_REBUILD, str(index), step],
        env=subprocess_env(tmp_path),
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr.decode()
    assert (index / rebuilding.PENDING).exists()
    if step == "importing":
        # Killed before the new library was whole: the old (damaged) one is still in place.
        with pytest.raises(LibraryError, match="damaged"):
            _titles(index, "uranium")
        assert not (index / rebuilding.PENDING).exists()  # and the half-built one is gone
        Library.rebuild(index)
    # Else the next open finishes the swap.
    assert len(_titles(index, "uranium")) == 9
    assert not (index / rebuilding.PENDING).exists() and not (index / rebuilding.ASIDE).exists()
    with Library.open(index) as library:
        assert library.count() == 43


def test_roots_are_recorded_once_each(tmp_path: Path) -> None:
    sources, index = _library(tmp_path)
    with Library.open(index) as library:
        library.import_paths([sources, sources / "nothing-here.md"])
        library.import_paths([next(sources.glob("*.md"))])
    roots = rebuilding.recorded_roots(index)
    assert roots == [str(sources.resolve()), str(next(sources.glob("*.md")).resolve())]
    assert os.path.isabs(roots[0])


def test_a_full_disk_during_a_rebuild_leaves_the_library_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    _, index = _library(tmp_path)
    _truncate_postings(index)

    def names() -> list[str]:  # (SQLite's -wal and -shm come and go with readers)
        return sorted(p.name for p in index.iterdir() if not p.name.endswith(("-wal", "-shm")))

    before = names()

    def no_room(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Library, "_import_paths", no_room)
    with pytest.raises(
        LibraryError, match=r"cannot rebuild the library .*: the disk is full; the library is as it was"
    ):
        Library.rebuild(index)
    assert names() == before  # no half-built .rebuild/ left on the full disk
    monkeypatch.undo()
    Library.rebuild(index)
    assert len(_titles(index, "uranium")) == 9


def test_a_damaged_state_store_is_said_plainly_on_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, index = _library(tmp_path)
    (index / "state.sqlite3").write_bytes(b"not a database" * 100)
    assert cli.main(["search", "is:starred", "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert "state.sqlite3" in err and "unexpected error" not in err
    assert cli.main(["search", "uranium", "--index", str(index), "--json"]) == 0  # the rest still works


def test_catching_up_never_makes_an_empty_catalog(tmp_path: Path) -> None:
    _, index = _library(tmp_path)
    with Library.open(index) as library:
        catalog = index / "catalog.sqlite3"
        catalog.rename(tmp_path / "aside.sqlite3")  # as a swap half done leaves it
        assert library.outdated()
        assert library.catch_up() is False
        assert not catalog.exists()
        (tmp_path / "aside.sqlite3").rename(catalog)
