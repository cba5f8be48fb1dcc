"""An import spread over worker processes gives the library one process gives.

Workers read files and write Whoosh segments of their own; the importing
process decides duplicates, copies and updates and deletes from those
segments what it does not keep.  Every decision is exercised here across task
boundaries (tasks of 100 files), and the result compared with an import done
entirely in one process: same report, same catalog, same answers to queries.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA
from pressreader.library import Library, loading
from pressreader.model import ImportReport

QUERIES = [
    "",
    "freight",
    "rail freight",
    '"rail freight"',
    "uranium",
    "theme:energy",
    "title:release",
    "bridge",
]


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copytree(SAMPLE_DATA, folder / "sample")
    for number in range(420):
        (folder / f"r{number:04d}.txt").write_text(
            f"Release number {number}\n\nThe ministry reports item {number} on rail freight and trade.\n",
            encoding="utf-8",
        )
    # The same release again, much later in the walk (another task): a duplicate.
    (folder / "z-copy-of-7.txt").write_text(
        "Release number 7\n\nThe ministry reports item 7 on rail freight and trade.\n", encoding="utf-8"
    )
    # A richer copy of release 12 (a URL and a date): it replaces the plain one.
    (folder / "z-richer-12.md").write_text(
        "---\ntitle: Release number 12\ndate: 2024-03-01\nurl: https://example.gov/12\n---\n\n"
        "The ministry reports item 12 on rail freight and trade.\n",
        encoding="utf-8",
    )
    (folder / "z-broken.json").write_text("{not json", encoding="utf-8")
    (folder / "z-records.jsonl").write_text(
        '{"title": "Bridge opens", "body": "The new bridge opens to freight."}\n{"title": 5}\n'
        '{"title": "Bridge opens", "body": "The new bridge opens to freight."}\n',
        encoding="utf-8",
    )
    return folder


def _summary(library: Library, report: ImportReport) -> dict[str, object]:
    files = sorted((Path(f.path).name, f.status, f.articles, f.records_rejected) for f in report.files)
    answers = {}
    for query in QUERIES:
        result = library.search(query, sort="date", limit=None, snippets=False)
        answers[query] = (result.total, sorted(hit.id for hit in result.hits))
    articles = sorted(
        (a.id, a.title, a.date, a.themes) for a in (library.get(i) for i in answers[""][1]) if a
    )
    return {"files": files, "answers": answers, "articles": articles, "count": library.count()}


@pytest.fixture
def small_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MIN_TASK", 100)
    monkeypatch.setattr(loading, "MAX_TASK", 100)
    monkeypatch.setattr(loading, "MIN_FILES_FOR_WORKERS", 50)


def _import_twice(folder: Path, index: Path, workers: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(loading.WORKERS_ENV, workers)
    library = Library.open(index)
    first = _summary(library, library.import_paths([folder]))
    # Then a change: one file edited, one removed, and the copy of 7 left alone.
    (folder / "r0003.txt").write_text("Release number 3\n\nNow about uranium exports.\n", encoding="utf-8")
    (folder / "r0005.txt").unlink()
    second = _summary(library, library.import_paths([folder]))
    library.close()
    return first, second


def test_workers_build_the_library_one_process_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_tasks: None
) -> None:
    alone = _import_twice(_corpus(tmp_path / "a"), tmp_path / "lib-a", "0", monkeypatch)
    spread = _import_twice(_corpus(tmp_path / "b"), tmp_path / "lib-b", "2", monkeypatch)
    # Paths differ (a/ and b/) but not their names; ids come from text or URL.
    for one, other in zip(spread, alone, strict=True):
        for key in one:
            assert one[key] == other[key], (key, _differences(one[key], other[key]))
    first, second = spread
    statuses = {name: status for name, status, *_ in first["files"]}  # type: ignore[union-attr]
    assert statuses["z-copy-of-7.txt"] == "duplicate"
    assert statuses["r0012.txt"] == "duplicate"  # its release is now the richer copy's
    assert statuses["z-broken.json"] == "rejected"
    assert first["count"] == 420 + 43 + 1  # the releases, the samples, the bridge
    assert second["answers"]["uranium"][0] == first["answers"]["uranium"][0] + 1  # type: ignore[index]
    assert second["count"] == first["count"] - 1


def test_a_library_built_by_workers_reopens_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_tasks: None
) -> None:
    folder = _corpus(tmp_path / "c")
    monkeypatch.setenv(loading.WORKERS_ENV, "2")
    with Library.open(tmp_path / "lib") as library:
        library.import_paths([folder])
        count = library.count()
    with Library.open(tmp_path / "lib") as library:
        assert library.count() == count == 464
        everything = library.search("", limit=None, snippets=False).hits
        with_freight = {
            hit.id
            for hit in everything
            if "freight" in (library.get(hit.id).body or "").lower()  # type: ignore[union-attr]
        }
        assert {hit.id for hit in library.search("freight", limit=None).hits} == with_freight
        segments = library._index._read_toc().segments
    # Nothing left behind: no spill folders, and every segment file is one the index lists.
    names = [path.name for path in (tmp_path / "lib" / "whoosh").iterdir()]
    assert not [name for name in names if name.endswith(".tmp")]
    listed = {f"articles_{segment.segment_id().split('_', 1)[-1]}" for segment in segments}
    segment_files = [n for n in names if n.startswith("articles_") and not n.endswith((".toc", "LOCK"))]
    stray = [name for name in segment_files if name.split(".")[0] not in listed]
    assert not stray


def _differences(one: object, other: object) -> object:
    if isinstance(one, list) and isinstance(other, list):
        return [a for a in one if a not in other], [b for b in other if b not in one]
    return one, other


# ------------------------------------------------------- searching many segments
RANKED = [
    "freight",
    "rail freight",
    "rail OR uranium",
    "freight NOT trade",
    '"rail freight"',
    "item AND (rail OR bridge)",
    "fr*",
    "re* AND freight",
    "date:2024 freight",
    "date:[2022 to 2024] (freight OR energy)",
    "item*",
    "theme:energy",
    "theme:energy uranium",
    "date:2024 OR freight",
    "source:kazakh",
    "uranium exports",
    "release",
]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A library of several worker-written segments, with deletions in them."""
    root = tmp_path_factory.mktemp("segmented")
    folder = _corpus(root / "corpus")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "MIN_TASK", 100)
        patch.setattr(loading, "MAX_TASK", 100)
        patch.setattr(loading, "MIN_FILES_FOR_WORKERS", 50)
        patch.setenv(loading.WORKERS_ENV, "2")
        library = Library.open(root / "lib")
        library.import_paths([folder])
        for number in range(0, 400, 7):  # edits and removals: deletions in several segments
            path = folder / f"r{number:04d}.txt"
            if number % 2:
                path.unlink()
            else:
                path.write_text(f"Release {number} revised\n\nNow on uranium exports.\n", encoding="utf-8")
        library.import_paths([folder])
    segments = library._index._read_toc().segments
    assert len(segments) > 3 and any(segment.has_deletions() for segment in segments)
    yield library
    library.close()


@pytest.mark.parametrize("query", RANKED)
def test_counts_are_whooshs_counts(segmented: Library, query: str) -> None:
    from pressreader.library.counting import count

    parsed = segmented._parser.parse(query)
    searcher = segmented._fresh_searcher()
    matches = set(searcher.docs_for_query(parsed))
    assert count(searcher, parsed) == len(matches)
    assert segmented.search(query, snippets=False).total == len(matches)
    assert matches or query in ("source:kazakh",)


@pytest.mark.parametrize("query", [q for q in RANKED if q not in ("theme:energy", "source:kazakh")])
def test_the_top_hits_are_the_best_scored_of_all(segmented: Library, query: str) -> None:
    """Block skipping and the pruned query find what scoring every match finds."""
    parsed = segmented._parser.parse(query)
    searcher = segmented._fresh_searcher()
    everything = searcher.search(parsed, limit=None, optimize=False)
    best = sorted((round(hit.score, 6) for hit in everything), reverse=True)[:10]
    found = segmented.search(query, limit=10, snippets=False)
    assert found.order == "relevance"
    assert [round(hit.score, 3) for hit in found.hits] == [round(score, 3) for score in best]


@pytest.mark.parametrize(
    "words",
    [
        ["rail", "freight"],
        ["freight", "rail"],
        ["report", "item"],
        ["ministri", "report", "item"],
        ["uranium"],
    ],
)
@pytest.mark.parametrize("field", ["body", "title"])
def test_the_quick_phrase_matches_and_scores_as_whooshs(
    segmented: Library, words: list[str], field: str
) -> None:
    from pressreader._whoosh import query as wq
    from pressreader.library.phrase import Phrase

    searcher = segmented._fresh_searcher()
    theirs = searcher.search(wq.Phrase(field, words), limit=None, optimize=False)
    ours = searcher.search(Phrase(field, words), limit=None, optimize=False)
    assert {hit.docnum: round(hit.score, 6) for hit in ours} == {
        hit.docnum: round(hit.score, 6) for hit in theirs
    }
    assert set(Phrase(field, words).docs(searcher)) == set(wq.Phrase(field, words).docs(searcher))
    if field == "body" and words in (["rail", "freight"], ["report", "item"]):
        assert len(theirs) > 100


@pytest.mark.parametrize(
    "query", ["", "freight", "theme:energy", "date:2024", "re*", "rail NOT trade", "item*"]
)
def test_newest_first_is_whooshs_date_order(segmented: Library, query: str) -> None:
    """Ties (many releases share a date, or have none) keep Whoosh's order too."""
    from pressreader._whoosh import query as wq

    parsed = segmented._parser.parse(query) if query else wq.Every()
    searcher = segmented._fresh_searcher()
    theirs = [hit["id"] for hit in searcher.search(parsed, limit=None, sortedby="date", reverse=True)]
    ours = segmented.search(query, sort="date", limit=None, snippets=False)
    assert [hit.id for hit in ours.hits] == theirs
    assert ours.total == len(theirs) > 0
    page = segmented.search(query, sort="date", limit=7, offset=5, snippets=False)
    assert [hit.id for hit in page.hits] == theirs[5:12]
