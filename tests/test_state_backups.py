"""The user state is kept safe (issue 12): a rotating backup beside it, a missing or
damaged state restored from it with a plain word, a lost one reported lost, and
commits a damaged ``-wal`` would silently drop named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA
from pressreader import cli
from pressreader.library import Library, backups, notices, walcheck
from pressreader.library.state import State, StateError

IDS = [f"article-{number:02d}" for number in range(30)]


@pytest.fixture(autouse=True)
def _no_leftover_notices() -> None:
    notices.take()


def _marked(path: Path) -> None:
    with State(path) as state:
        state.set_starred(IDS)
        state.set_note(IDS[0], "Ask the Aktau desk")


def test_a_change_makes_the_day_s_backup_and_only_a_few_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    folder = tmp_path / backups.FOLDER
    folder.mkdir()
    for day in range(1, 9):
        (folder / f"state-2020-01-0{day}.sqlite3").write_bytes(b"old")
    _marked(path)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == backups.KEEP and "state-2020-01-01.sqlite3" not in kept
    newest = backups.newest(path)
    assert newest is not None and newest.counts == {"read": 0, "starred": 30, "note": 1}


def test_a_deleted_state_is_restored_from_its_backup_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _marked(path)
    for name in ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with State(path) as state:
        assert state.ids_with("starred") == frozenset(IDS)
        assert state.note(IDS[0]) == "Ask the Aktau desk"
    (said,) = notices.take()
    assert str(path) in said and "was missing" in said and "restored from its backup of" in said
    assert "30 stars, 1 note" in said


def test_a_damaged_state_is_restored_and_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _marked(path)
    path.write_bytes(b"not a database at all" * 300)
    with State(path) as state:
        assert state.ids_with("starred") == frozenset(IDS)
    (said,) = notices.take()
    assert "was damaged" in said and "restored from its backup" in said
    (aside,) = tmp_path.glob("state.sqlite3.damaged-*")
    assert aside.read_bytes() == b"not a database at all" * 300 and aside.name in said


def test_a_damaged_state_without_a_backup_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _marked(path)
    shutil.rmtree(tmp_path / backups.FOLDER)
    path.write_bytes(b"not a database at all" * 300)
    with pytest.raises(StateError, match="damaged"):
        State(path)


def test_a_lost_state_without_a_backup_is_reported_lost_not_made_empty_silently(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _marked(path)
    shutil.rmtree(tmp_path / backups.FOLDER)
    path.unlink()
    with State(path) as state:
        assert state.counts()["starred"] == 0
    (said,) = notices.take()
    assert "is gone" in said and "no backup" in said and "30 stars, 1 note" in said


def test_on_the_command_line_a_restored_state_is_said_on_stderr(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "lib"
    with Library.open(index) as library:
        library.import_paths(sorted(SAMPLE_DATA.glob("*.md"))[:3])
        ids = [hit.id for hit in library.search("", limit=None).hits]
        library.state.set_starred(ids[:2])
    (index / "state.sqlite3").unlink()
    assert cli.main(["search", "is:starred", "--index", str(index), "--json"]) == 0
    captured = capsys.readouterr()
    assert sorted(ids[:2]) == sorted(line.split('"id": "')[1][:16] for line in captured.out.splitlines())
    assert "was missing" in captured.err and "restored from its backup of" in captured.err


def _frame_size(wal: Path) -> int:
    return 24 + int.from_bytes(wal.read_bytes()[8:12], "big")


def test_a_damaged_wal_that_drops_commits_is_detected_and_reported(tmp_path: Path) -> None:
    live = tmp_path / "live" / "state.sqlite3"
    crashed = tmp_path / "crashed" / "state.sqlite3"
    with State(live) as state:
        state.set_read(["first"])  # the day's backup: before the 30 stars and the note
        for article in IDS:
            state.set_starred(article)
        state.set_note(IDS[0], "Ask the Aktau desk")
        # The state as a crash would leave it, its -wal not yet checkpointed.
        wal = Path(f"{live}-wal")
        frames = (wal.stat().st_size - 32) // _frame_size(wal)
        assert frames > 30
        crashed.parent.mkdir()
        for name in ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3.commits"):
            shutil.copy2(live.parent / name, crashed.parent / name)
        shutil.copytree(live.parent / backups.FOLDER, crashed.parent / backups.FOLDER)
    damaged = Path(f"{crashed}-wal")
    data = bytearray(damaged.read_bytes())
    middle = 32 + (frames // 3) * _frame_size(damaged) + 24 + 100
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    damaged.write_bytes(bytes(data))
    assert walcheck.dropped_frames(crashed) is not None

    with State(crashed) as state:
        assert state.counts()["starred"] < 30  # what SQLite replayed: the damage is real
    (said,) = notices.take()
    assert str(crashed) in said and "lost its last" in said and "-wal file is damaged" in said
    assert "30 stars, 1 note" in said  # what it held at its last change
    assert list(crashed.parent.glob("state.sqlite3-wal.damaged-*"))  # kept for whoever looks


def test_an_intact_wal_says_nothing(tmp_path: Path) -> None:
    live = tmp_path / "live" / "state.sqlite3"
    crashed = tmp_path / "crashed" / "state.sqlite3"
    with State(live) as state:
        for article in IDS:
            state.set_starred(article)
        crashed.parent.mkdir()
        for name in ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3.commits"):
            shutil.copy2(live.parent / name, crashed.parent / name)
    with State(crashed) as state:
        assert state.counts()["starred"] == 30
    assert notices.take() == []


def test_a_loss_is_said_once(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _marked(path)
    shutil.rmtree(tmp_path / backups.FOLDER)
    path.unlink()
    State(path).close()
    assert len(notices.take()) == 1
    State(path).close()
    assert notices.take() == []
