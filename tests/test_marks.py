"""Query filters on what the reader did (issue 6): ``is:read``, ``is:unread``,
``is:starred``, ``has:note``, ``note:word``, in the library and on the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA
from pressreader import cli
from pressreader.library import Library


@pytest.fixture
def marked(tmp_path: Path) -> Iterator[tuple[Library, list[str]]]:
    """The samples in several segments (one import a file group), some marked."""
    library = Library.open(tmp_path / "lib")
    files = sorted(SAMPLE_DATA.iterdir())
    for start in range(0, len(files), 10):
        library.import_paths(files[start : start + 10])
    uranium = [hit.id for hit in library.search("uranium", limit=None).hits]
    assert len(uranium) == 9
    library.state.set_read(uranium[:4])
    library.state.toggle_star(uranium[0])
    library.state.toggle_star(uranium[5])
    library.state.set_note(uranium[1], "Ölçüm: ask the Aktau port desk")
    yield library, uranium
    library.close()


def _ids(library: Library, query: str) -> set[str]:
    result = library.search(query, limit=None)
    assert not result.error, result.error
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


def test_each_filter_finds_what_was_marked(marked: tuple[Library, list[str]]) -> None:
    library, uranium = marked
    every = _ids(library, "")
    assert _ids(library, "is:read") == set(uranium[:4])
    assert _ids(library, "is:unread") == every - set(uranium[:4])
    assert _ids(library, "is:starred") == {uranium[0], uranium[5]}
    assert _ids(library, "is:unstarred") == every - {uranium[0], uranium[5]}
    assert _ids(library, "has:note") == {uranium[1]}
    assert _ids(library, "note:aktau") == _ids(library, "note:olcum") == {uranium[1]}
    assert _ids(library, "note:nothing") == set()


def test_filters_combine_with_words_and_each_other(marked: tuple[Library, list[str]]) -> None:
    library, uranium = marked
    assert _ids(library, "uranium is:unread") == set(uranium[4:])
    assert _ids(library, "uranium NOT is:read") == set(uranium[4:])
    assert _ids(library, "is:starred is:read") == {uranium[0]}
    assert _ids(library, "is:starred OR has:note") == {uranium[0], uranium[1], uranium[5]}
    # A wildcard on text runs through Whoosh's own matchers: the same answer.
    assert _ids(library, "urani* is:read") == set(uranium[:4])
    # Relevance order is the words' alone: a filter adds no score.
    ranked = [hit.id for hit in library.search("uranium", limit=None).hits]
    filtered = [hit.id for hit in library.search("uranium is:unread", limit=None).hits]
    assert filtered == [i for i in ranked if i in set(uranium[4:])]


def test_marks_made_after_opening_are_seen_by_the_next_search(marked: tuple[Library, list[str]]) -> None:
    library, uranium = marked
    assert uranium[8] not in _ids(library, "is:starred")
    library.state.toggle_star(uranium[8])
    assert uranium[8] in _ids(library, "is:starred")


def test_a_wrong_value_says_which_ones_there_are(marked: tuple[Library, list[str]]) -> None:
    library, _ = marked
    result = library.search("is:bogus")
    assert result.error and "is:read" in result.error and "is:starred" in result.error
    assert "has:note" in (library.search("has:stars").error or "")


def test_the_command_line_filters_the_same(marked: tuple[Library, list[str]], capsys) -> None:  # type: ignore[no-untyped-def]
    library, uranium = marked
    code = cli.main(["search", "is:starred", "--json", "--index", str(library.path)])
    assert code == 0
    found = {json.loads(line)["id"] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert found == {uranium[0], uranium[5]}


def test_new_since_counts_only_what_was_added_or_changed(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    files = sorted(SAMPLE_DATA.glob("*.md"))
    for path in files[:20]:
        (sources / path.name).write_bytes(path.read_bytes())
    with Library.open(tmp_path / "lib") as library:
        library.import_paths([sources])
        marker = library.marker()
        assert library.new_matches("", marker) == 0
        with library._catalog.transaction() as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    # Opened by another schema: the index is made again and every article written
    # again, classified anew; nothing is new for that.
    with Library.open(tmp_path / "lib") as library:
        assert library.new_matches("", marker) == 0
        # Three new files, and one changed: four new.
        for path in files[20:23]:
            (sources / path.name).write_bytes(path.read_bytes())
        changed = sources / files[0].name
        changed.write_text(
            changed.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8"
        )
        library.import_paths([sources])
        assert library.new_matches("", marker) == 4
        assert library.new_matches("", library.marker()) == 0
        # A marker of another catalog (this library before a rebuild, say) means nothing here.
        other = marker.split(":")[0][::-1] + ":0"
        assert library.new_matches("", other) is None
        assert library.new_matches("", None) is None


def test_a_catalog_from_before_new_since_is_upgraded(tmp_path: Path) -> None:
    import sqlite3

    with Library.open(tmp_path / "lib") as library:
        library.import_paths([SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"])
    db = sqlite3.connect(tmp_path / "lib" / "catalog.sqlite3")
    db.execute("DROP INDEX articles_seq")
    db.execute("ALTER TABLE articles DROP COLUMN seq")
    db.execute("DELETE FROM meta WHERE key IN ('uuid', 'seq')")
    db.commit()
    db.close()
    with Library.open(tmp_path / "lib") as library:
        marker = library.marker()
        assert library.count() == 1 and library.new_matches("", marker) == 0
        library.import_paths([SAMPLE_DATA / "2022-12-14-saryarka-uranium-trans-caspian-shipment.md"])
        assert library.new_matches("", marker) == 1
