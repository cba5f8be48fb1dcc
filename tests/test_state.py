"""The user state store: read and starred marks, notes, saved searches, history."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressreader.library import backups
from pressreader.library import state as state_module
from pressreader.library.state import (
    STATE_FILE,
    Flags,
    Mark,
    State,
    StateError,
    fts5_available,
    json1_available,
)

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock that ticks one second each time it is read."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._ticks = itertools.count(start)

    def __call__(self) -> float:
        return float(next(self._ticks))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "library" / STATE_FILE


@pytest.fixture
def state(path: Path) -> Iterator[State]:
    with State(path, clock=Clock()) as opened:
        yield opened


@pytest.fixture(params=["json", "rows"])
def bulk_state(
    request: pytest.FixtureRequest, path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[State]:
    """A state that marks many ids with one statement, and one that marks them a row at a time."""
    if request.param == "json" and not json1_available():
        pytest.skip("this Python's SQLite has no json_each")
    if request.param == "rows":
        monkeypatch.setattr(state_module, "json1_available", lambda: False)
    with State(path, clock=Clock()) as opened:
        yield opened


@pytest.fixture(params=["fts5", "scan"])
def search_state(
    request: pytest.FixtureRequest, path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[State]:
    """A state whose note search uses FTS5, and one that scans (a Python without FTS5)."""
    if request.param == "fts5" and not fts5_available():
        pytest.skip("this Python's SQLite has no FTS5 trigram tokenizer")
    if request.param == "scan":
        monkeypatch.setattr(state_module, "fts5_available", lambda: False)
    with State(path) as opened:
        yield opened


# ---------------------------------------------------------------- opening
def test_opening_creates_the_file_and_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "library"
    with State.for_library(folder) as state:
        assert state.path == folder / STATE_FILE
        assert state.counts() == {"read": 0, "starred": 0, "note": 0}
        assert state.history() == []
        assert state.saved_searches() == []
    assert (folder / STATE_FILE).is_file()


def test_everything_persists_across_close_and_reopen(path: Path) -> None:
    with State(path, clock=Clock()) as state:
        state.set_read(["a", "b"])
        state.toggle_star("b")
        state.set_note("c", "remember this")
        state.save_search("energy", "theme:energy")
        state.mark_opened("energy", count=12, marker=41)
        state.add_history("uranium")
        before = state.dump()
        generation = state.generation()
    with State(path) as state:
        assert state.dump() == before
        assert state.generation() == generation  # opening is not a change
        assert state.is_read("a") and state.is_read("b") and not state.is_read("c")
        assert state.is_starred("b")
        assert state.note("c") == "remember this"
        search = state.saved_search("energy")
        assert search is not None and search.query == "theme:energy"
        assert (search.seen_count, search.seen_marker) == (12, 41)
        assert state.history() == ["uranium"]


def test_state_survives_the_index_and_catalog_being_deleted(tmp_path: Path) -> None:
    library = tmp_path / "library"
    (library / "whoosh").mkdir(parents=True)
    (library / "whoosh" / "_articles_1.toc").write_bytes(b"index")
    sqlite3.connect(library / "catalog.sqlite3").execute("CREATE TABLE articles (id TEXT)").connection.close()
    with State.for_library(library) as state:
        state.set_read("x1")
        state.set_note("x2", "kept")
    shutil.rmtree(library / "whoosh")
    (library / "catalog.sqlite3").unlink()
    with State.for_library(library) as state:
        assert state.is_read("x1")
        assert state.note("x2") == "kept"


# ---------------------------------------------------------------- read, starred
def test_read_marks_with_their_times(bulk_state: State) -> None:
    state = bulk_state
    assert not state.is_read("a")
    assert state.toggle_read("a") is True
    first = state.mark("a").read_at
    assert first is not None
    assert state.set_read(["a", "b", "b"]) == 1  # "a" was read already, "b" counts once
    assert state.mark("a").read_at == first  # the time it was first read stays
    assert state.mark("b").read_at is not None and state.mark("b").read_at != first
    assert state.toggle_read("a") is False
    assert not state.is_read("a") and state.mark("a") == Mark("a")
    assert state.set_read("b", False) == 1  # one id as a string
    assert state.set_read(["b", "never-seen"], False) == 0
    assert state.ids_with("read") == frozenset()


def test_stars_toggle(bulk_state: State) -> None:
    state = bulk_state
    assert state.toggle_star("s") is True
    assert state.is_starred("s") and state.mark("s").starred_at is not None
    assert state.toggle_star("s") is False
    assert not state.is_starred("s")
    assert state.set_starred(["p", "q"]) == 2
    assert state.ids_with("starred") == {"p", "q"}
    assert state.set_starred(["p"], False) == 1
    assert state.ids_with("starred") == {"q"}


def test_a_write_that_fails_midway_leaves_nothing(path: Path) -> None:
    times = [2.0, 1.0]  # the third write finds the clock broken, after its first statement

    def clock() -> float:
        if not times:
            raise RuntimeError("the clock broke")
        return times.pop()

    with State(path, clock=clock) as state:
        state.add_history("a")
        state.add_history("b")
        generation = state.generation()
        with pytest.raises(RuntimeError, match="clock broke"):
            state.add_history("a")  # "a" moves to the front: its old entry is deleted first
        assert state.history() == ["b", "a"]
        assert state.generation() == generation
        with pytest.raises(TypeError):
            state.set_read(["c", 3])  # type: ignore[list-item]
        assert state.ids_with("read") == frozenset()


def test_unmarked_articles_leave_nothing_behind(state: State) -> None:
    state.set_read(["a", "b"])
    state.toggle_star("a")
    state.set_note("c", "x")
    state.set_read(["a", "b"], False)
    state.toggle_star("a")
    state.set_note("c", "")
    assert state.dump()["articles"] == {}


def test_marks_are_independent(state: State) -> None:
    state.set_read("a")
    state.toggle_star("a")
    state.set_note("a", "note")
    state.set_read("a", False)
    mark = state.mark("a")
    assert mark.read_at is None and mark.starred_at is not None and mark.note == "note"
    state.toggle_star("a")
    state.set_note("a", "")
    assert state.mark("a") == Mark("a")


def test_ids_with_flags_and_counts(bulk_state: State) -> None:
    state = bulk_state
    state.set_read(["r1", "r2", "both"])
    state.set_starred(["s1", "both"])
    state.set_note("n1", "text")
    assert state.ids_with("read") == {"r1", "r2", "both"}
    assert state.ids_with("starred") == {"s1", "both"}
    assert state.ids_with("note") == {"n1"}
    assert state.counts() == {"read": 3, "starred": 2, "note": 1}
    flags = state.flags(["both", "r1", "n1", "unknown"])
    assert flags == {
        "both": Flags(True, True, False),
        "r1": Flags(True, False, False),
        "n1": Flags(False, False, True),
        "unknown": Flags(False, False, False),
    }
    assert flags["both"] == (True, True, False)
    with pytest.raises(ValueError, match="unread"):
        state.ids_with("unread")


def test_flags_for_a_page_of_many_rows(state: State) -> None:
    page = [f"id{i}" for i in range(1200)]  # more than one query's worth of parameters
    state.set_read(page[::3])
    flags = state.flags(page)
    assert list(flags) == page
    assert [f.read for f in flags.values()] == [i % 3 == 0 for i in range(1200)]


def test_a_hundred_thousand_ids(state: State) -> None:
    ids = [f"article-{i:06d}" for i in range(100_000)]
    assert state.set_read(ids) == 100_000
    assert state.ids_with("read") == frozenset(ids)
    assert state.set_read(ids[:50_000], False) == 50_000
    assert state.ids_with("read") == frozenset(ids[50_000:])
    assert state.counts()["read"] == 50_000


# ---------------------------------------------------------------- notes
def test_notes(state: State) -> None:
    assert state.note("a") == ""
    assert state.set_note("a", "first") is True
    edited = state.mark("a").note_at
    assert state.set_note("a", "first") is False  # unchanged: no write, same time
    assert state.mark("a").note_at == edited
    assert state.set_note("a", "second") is True
    assert state.mark("a").note_at is not None and state.mark("a").note_at != edited
    state.set_note("b", "  spaced\n")
    assert state.note("b") == "  spaced\n"  # kept as typed
    assert sorted(state.notes()) == [("a", "second"), ("b", "  spaced\n")]
    assert state.set_note("a", "   \n") is True  # blank: no note
    assert state.note("a") == "" and state.mark("a").note_at is None
    assert list(state.notes()) == [("b", "  spaced\n")]
    with pytest.raises(TypeError):
        state.set_note("a", None)  # type: ignore[arg-type]


def test_untrusted_text_is_stored_as_given(path: Path) -> None:
    hostile = "[bold red]x[/ \x1b]0;pwned\x07 \t\u202e tail"
    with State(path) as state:
        state.set_note("a", hostile)
        state.save_search("[b]name[/b]", hostile)
        state.add_history(hostile)
        state.set_note("b", "half a pair: \ud800 end")  # UTF-8 cannot hold a lone surrogate
    with State(path) as state:
        assert state.note("a") == hostile
        assert state.saved_searches()[0].query == hostile
        assert state.saved_searches()[0].name == "[b]name[/b]"
        assert state.history() == [hostile.strip()]
        assert state.note("b") == "half a pair: \ufffd end"


def test_note_search_folds_case_in_every_script(search_state: State) -> None:
    state = search_state
    state.set_note("kz", "Визит делегации в Қазақстан, переговоры")
    state.set_note("tr", "Ölçüm sonuçları İstanbul'dan geldi")
    state.set_note("de", "Die Straße nach Paris")
    state.set_note("en", "Nothing else")
    assert state.note_ids_matching("Қазақстан") == {"kz"}
    assert state.note_ids_matching("ҚАЗАҚСТАН") == {"kz"}
    assert state.note_ids_matching("қазақ") == {"kz"}  # a part of a word
    assert state.note_ids_matching("казак") == set()  # Cyrillic letters are not folded into others
    assert state.note_ids_matching("ölçüm") == {"tr"}
    assert state.note_ids_matching("ÖLÇÜM") == {"tr"}
    assert state.note_ids_matching("olcum") == {"tr"}  # Latin accents folded, as search does
    assert state.note_ids_matching("istanbul") == {"tr"}
    assert state.note_ids_matching("STRASSE") == {"de"}
    assert state.note_ids_matching(["визит", "переговоры"]) == {"kz"}
    assert state.note_ids_matching("визит paris") == set()  # every word must be there
    assert state.note_ids_matching("в") == {"kz"}  # shorter than a trigram
    assert state.note_ids_matching("e") == {"tr", "de", "en"}
    assert state.note_ids_matching("") == {"kz", "tr", "de", "en"}
    assert state.note_ids_matching('"quoted" AND') == set()  # no query syntax leaks through
    state.set_note("kz", "")
    state.set_note("en", "Қазақстан now")
    assert state.note_ids_matching("қазақстан") == {"en"}


def test_notes_written_without_fts5_are_found_with_it(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not fts5_available():
        pytest.skip("this Python's SQLite has no FTS5 trigram tokenizer")
    with State(path) as state:
        state.set_note("a", "old words")
    with monkeypatch.context() as patch:  # the same file opened by a Python without FTS5
        patch.setattr(state_module, "fts5_available", lambda: False)
        with State(path) as state:
            state.set_note("a", "")
            state.set_note("b", "written without the index")
            assert state.note_ids_matching("without") == {"b"}
    with State(path) as state:
        assert state.note_ids_matching("without") == {"b"}
        assert state.note_ids_matching("old words") == set()


# ---------------------------------------------------------------- saved searches
def test_saved_searches(state: State) -> None:
    first = state.save_search("Energy", "theme:energy")
    assert first.name == "Energy" and first.query == "theme:energy"
    assert first.opened is None and first.seen_count is None and first.seen_marker is None
    state.save_search("  Kazakhstan  ", "source:kazakh")  # names are trimmed
    assert [s.name for s in state.saved_searches()] == ["Energy", "Kazakhstan"]
    assert state.save_search("Energy", "theme:energy") == first  # saving again changes nothing

    opened = state.mark_opened("Energy", count=120, marker=9041)
    assert opened.opened is not None and opened.seen_count == 120 and opened.seen_marker == 9041
    again = state.mark_opened("Kazakhstan", count=3, marker="2024-05-01T10:00:00")
    assert again.seen_marker == "2024-05-01T10:00:00"

    changed = state.save_search("Energy", "theme:energy date:2024")
    assert changed.query == "theme:energy date:2024"
    assert changed.created == first.created
    assert changed.opened is None and changed.seen_marker is None  # seen by another query

    renamed = state.rename_search("Kazakhstan", "KZ")
    assert renamed.query == "source:kazakh" and renamed.seen_count == 3
    assert state.saved_search("Kazakhstan") is None
    with pytest.raises(ValueError):
        state.rename_search("KZ", "Energy")
    with pytest.raises(KeyError):
        state.rename_search("nothing", "x")
    with pytest.raises(KeyError):
        state.mark_opened("nothing", count=1, marker=1)
    with pytest.raises(ValueError):
        state.save_search("   ", "x")
    with pytest.raises(TypeError):
        state.mark_opened("KZ", count=1, marker=1.5)  # type: ignore[arg-type]
    assert state.delete_search("Energy") is True
    assert state.delete_search("Energy") is False
    assert [s.name for s in state.saved_searches()] == ["KZ"]


def test_saved_search_markers_keep_their_type(path: Path) -> None:
    with State(path) as state:
        state.save_search("n", "q1")
        state.save_search("s", "q2")
        state.mark_opened("n", count=5, marker=123456789012)
        state.mark_opened("s", count=0, marker="0042")
    with State(path) as state:
        assert state.saved_search("n").seen_marker == 123456789012  # type: ignore[union-attr]
        assert state.saved_search("s").seen_marker == "0042"  # type: ignore[union-attr]


# ---------------------------------------------------------------- history
def test_history_dedupes_and_moves_repeats_to_the_front(state: State) -> None:
    for query in ["nato", "nato", "  nato ", "energy", "", "   ", "uranium", "nato"]:
        state.add_history(query)
    assert state.history() == ["nato", "uranium", "energy"]
    assert state.history(limit=2) == ["nato", "uranium"]
    generation = state.generation()
    state.add_history("nato")  # a consecutive repeat is no change
    assert state.generation() == generation
    state.clear_history()
    assert state.history() == []


def test_history_is_capped(path: Path) -> None:
    with State(path, history_limit=5) as state:
        for number in range(12):
            state.add_history(f"q{number}")
        assert state.history(limit=None) == ["q11", "q10", "q9", "q8", "q7"]
    with State(path) as state:  # the default cap, 500
        state.load(
            {
                "format": "pressreader-state",
                "schema": 1,
                "history": [{"query": f"q{n}", "at": float(n)} for n in range(600)],
            }
        )
        assert len(state.history(limit=None)) == 500
        state.add_history("newest")
        assert len(state.history(limit=None)) == 500
        assert state.history(limit=2) == ["newest", "q599"]
        assert state.history(limit=None)[-1] == "q101"


# ---------------------------------------------------------------- changes across objects and processes
def test_generation_counts_writes_not_reads(state: State) -> None:
    start = state.generation()
    state.set_read("a")
    assert state.generation() == start + 1
    state.set_read("a")  # already read: nothing changed
    state.set_note("b", "")
    state.flags(["a"])
    assert state.generation() == start + 1
    state.set_read(["c", "d", "e"])  # one write, however many ids
    assert state.generation() == start + 2


def test_two_state_objects_on_one_file(path: Path) -> None:
    first, second = State(path), State(path)
    try:
        start = first.generation()

        def mark(target: State, prefix: str) -> None:
            for number in range(40):
                target.toggle_read(f"{prefix}{number}")

        threads = [
            threading.Thread(target=mark, args=(target, prefix))
            for target, prefix in [(first, "a"), (second, "b"), (first, "c"), (second, "d")]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert first.ids_with("read") == second.ids_with("read")
        assert len(first.ids_with("read")) == 160
        assert second.generation() == first.generation() == start + 160  # no write lost
        second.set_note("x", "from the second")
        assert first.note("x") == "from the second"
    finally:
        first.close()
        second.close()


def test_a_write_from_another_process_is_seen(path: Path) -> None:
    with State(path) as state:
        before = state.generation()
        script = (
            "import sys; from pathlib import Path; from pressreader.library.state import State\n"
            "with State(Path(sys.argv[1])) as s: s.set_note('p', 'from another process'); s.toggle_star('p')"
        )
        subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=30)
        assert state.generation() == before + 2
        assert state.note("p") == "from another process"
        assert state.flags(["p"])["p"] == Flags(False, True, True)


# ---------------------------------------------------------------- damage and failures
@pytest.mark.parametrize("content", [b"these are not the pages you are looking for\n" * 100, b"x"])
def test_a_file_that_is_not_a_database_is_named_and_left_alone(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)  # SQLite itself would take a one-byte file for an empty database
    before = path.read_bytes()
    with pytest.raises(StateError) as caught:
        State(path)
    assert str(path) in str(caught.value)
    assert "move it aside" in str(caught.value)
    assert caught.value.reason == "damaged" and caught.value.path == path
    assert path.read_bytes() == before


@pytest.mark.parametrize("keep", [0.5, 0.1, 5000, 60])
def test_a_truncated_state_is_named_and_left_alone(path: Path, keep: float) -> None:
    with State(path) as state:
        state.set_read([f"id{i}" for i in range(20_000)])
        state.set_note("n", "x" * 10_000)
    shutil.rmtree(path.parent / backups.FOLDER)  # no backup to restore (see test_state_backups.py)
    data = path.read_bytes()
    assert len(data) > 100_000
    path.write_bytes(data[: int(len(data) * keep) if keep < 1 else int(keep)])
    before = path.read_bytes()
    with pytest.raises(StateError) as caught:
        State(path)
    assert str(path) in str(caught.value) and caught.value.reason == "damaged"
    assert path.read_bytes() == before


def test_a_state_damaged_inside_is_named_when_opened(path: Path) -> None:
    with State(path) as state:
        state.set_read([f"id{i}" for i in range(20_000)])
    shutil.rmtree(path.parent / backups.FOLDER)  # no backup to restore (see test_state_backups.py)
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle : middle + 4096] = b"\xff" * 4096  # one page of the marks overwritten
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StateError) as caught:
        State(path)
    assert str(path) in str(caught.value) and caught.value.reason == "damaged"
    assert path.read_bytes() == before


def test_another_sqlite_file_is_not_taken_for_a_state(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema', '5')")
    db.commit()
    db.close()
    with pytest.raises(StateError, match="not a pressreader state"):
        State(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == [("meta",)]
    db.close()


def test_a_state_from_a_newer_version_is_refused(path: Path) -> None:
    with State(path):
        pass
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    db.commit()
    db.close()
    with pytest.raises(StateError) as caught:
        State(path)
    assert caught.value.reason == "newer" and "upgrade" in str(caught.value)


def test_a_full_disk_leaves_the_state_as_it_was(state: State) -> None:
    state.set_read(["a", "b"])
    state.set_note("n", "before")
    before, generation = state.dump(), state.generation()
    pages = state._db.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[union-attr]
    state._db.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[union-attr]
    with pytest.raises(StateError) as caught:
        state.set_read([f"many-{i}" for i in range(20_000)])
    assert caught.value.reason == "full"
    assert str(state.path) in str(caught.value) and "nothing was changed" in str(caught.value)
    assert state.dump() == before and state.generation() == generation
    state._db.execute("PRAGMA max_page_count = 1073741823")  # type: ignore[union-attr]
    state.set_note("n", "after")  # the store goes on working once there is room
    assert state.note("n") == "after"


def test_a_read_only_database_leaves_the_state_as_it_was(state: State) -> None:
    state.set_note("n", "before")
    before = state.dump()
    state._db.execute("PRAGMA query_only = 1")  # type: ignore[union-attr]  # as a read-only file answers
    with pytest.raises(StateError) as caught:
        state.set_note("n", "after")
    assert caught.value.reason == "readonly" and str(state.path) in str(caught.value)
    assert state.dump() == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only folders")
def test_a_read_only_folder(path: Path) -> None:
    with State(path) as state:
        state.set_note("n", "kept")
    folder = path.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(StateError) as caught:
            State(folder / "other.sqlite3")
        assert caught.value.reason == "readonly"
        # Refused when it is opened, or at the latest when it is written.
        with pytest.raises(StateError) as caught, State(path) as state:
            state.set_note("n", "lost")
        assert caught.value.reason == "readonly" and str(path) in str(caught.value)
    finally:
        folder.chmod(0o755)
    with State(path) as state:
        assert state.note("n") == "kept"


# ---------------------------------------------------------------- backup
def test_dump_and_load_round_trip(tmp_path: Path, state: State) -> None:
    state.set_read(["a", "b"])
    state.set_starred(["b", "c"])
    state.set_note("c", "Қазақстан and Ölçüm")
    state.save_search("first", "theme:energy")
    state.save_search("second", "source:kz")
    state.mark_opened("second", count=7, marker="m-7")
    for query in ["one", "two", "three"]:
        state.add_history(query)
    dumped = json.loads(json.dumps(state.dump()))  # as written to a backup file
    with State(tmp_path / "restored.sqlite3") as restored:
        restored.set_read("stale")
        restored.load(dumped)
        assert restored.dump() == dumped
        assert not restored.is_read("stale")
        assert restored.flags(["a", "b", "c"]) == state.flags(["a", "b", "c"])
        assert restored.note_ids_matching("olcum") == {"c"}
        assert restored.history() == ["three", "two", "one"]
        assert restored.saved_search("second") == state.saved_search("second")


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"format": "something else", "schema": 1},
        {"format": "pressreader-state", "schema": 99},
        {"format": "pressreader-state", "schema": 1, "articles": {"a": {"read_at": "yesterday"}}},
        {"format": "pressreader-state", "schema": 1, "articles": {"a": {"colour": "red"}}},
        {"format": "pressreader-state", "schema": 1, "searches": [{"name": "x", "query": "q"}]},
        {"format": "pressreader-state", "schema": 1, "history": ["bare string"]},
    ],
)
def test_load_refuses_what_is_not_a_dump(state: State, bad: object) -> None:
    state.set_note("kept", "still here")
    before = state.dump()
    with pytest.raises(ValueError, match="not a pressreader state backup"):
        state.load(bad)  # type: ignore[arg-type]
    assert state.dump() == before


def test_a_read_only_library_without_a_state_file_reads_as_empty(tmp_path: Path) -> None:
    state = State(tmp_path / "state.sqlite3", read_only=True)
    assert state.ids_with("starred") == frozenset() and state.history() == []
    with pytest.raises(StateError, match="read-only"):
        state.toggle_star("a")
    state.close()
    assert not (tmp_path / "state.sqlite3").exists()
