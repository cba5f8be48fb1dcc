"""A damaged ``-wal`` of the catalog (issue 12): SQLite silently drops every commit
after a bad frame; pressreader walks the log before SQLite does, and keeps a record of
its last commit beside the catalog, so what was lost is said, with the way back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA
from pressreader import cli
from pressreader.library import Library, notices, walcheck
from pressreader.library import library as library_module


@pytest.fixture(autouse=True)
def _no_leftover_notices() -> None:
    notices.take()


def _crashed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library as a crash leaves it: imported in batches of 4 files (a commit each),
    copied while its connections are open, before the catalog's -wal is checkpointed."""
    monkeypatch.setattr(library_module, "BATCH_FILES", 4)
    monkeypatch.setenv("PRESSREADER_IMPORT_WORKERS", "0")
    live, crashed = tmp_path / "live", tmp_path / "crashed"
    with Library.open(live) as library:
        library.import_paths([SAMPLE_DATA])
        assert library.count() == 43
        shutil.copytree(live, crashed, ignore=shutil.ignore_patterns("*-shm", "write.lock"))
    return crashed


def _flip_a_frame(database: Path, which: float) -> None:
    wal = Path(f"{database}-wal")
    data = bytearray(wal.read_bytes())
    frame = 24 + int.from_bytes(data[8:12], "big")
    frames = (len(data) - 32) // frame
    assert frames > 10
    at = 32 + int(frames * which) * frame + 24 + 64
    data[at : at + 16] = bytes(b ^ 0x5A for b in data[at : at + 16])
    wal.write_bytes(bytes(data))


def test_commits_a_damaged_catalog_wal_drops_are_said_with_the_way_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    crashed = _crashed_copy(tmp_path, monkeypatch)
    catalog = crashed / "catalog.sqlite3"
    _flip_a_frame(catalog, 0.5)
    assert walcheck.dropped_frames(catalog) is not None

    assert cli.main(["stats", "--index", str(crashed)]) == 0
    err = capsys.readouterr().err
    assert f"the catalog of the library in {crashed} lost its last" in err
    assert "held 43 articles then" in err and "-wal file is damaged" in err
    assert "importing the same" in err and "pressreader rebuild" in err
    assert "damaged:" not in err  # the library opens: the catalog is whole, only behind

    # A writer's open says it once, keeps the damaged log for whoever looks...
    with Library.open(crashed) as library:
        (said,) = notices.take()
        assert "lost its last" in said and "a copy is in catalog.sqlite3-wal.damaged-" in said
        left = library.count()
        assert left < 43
    assert list(crashed.glob("catalog.sqlite3-wal.damaged-*"))
    with Library.open(crashed):
        assert notices.take() == []
    # ...and importing the same folder again brings back what was lost.
    with Library.open(crashed) as library:
        library.import_paths([SAMPLE_DATA])
        assert library.count() == 43


def test_an_intact_catalog_wal_says_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    crashed = _crashed_copy(tmp_path, monkeypatch)
    assert walcheck.dropped_frames(crashed / "catalog.sqlite3") is None
    assert cli.main(["stats", "--index", str(crashed)]) == 0
    assert capsys.readouterr().err == ""
    with Library.open(crashed) as library:
        assert library.count() == 43
    assert notices.take() == []
