"""The library: incremental import, search with filters, snippets, stored themes."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import (
    JAPAN_GRANT,
    SAMPLE_DATA,
    SEED,
    URANIUM_SHIPMENT,
    SampleLibrary,
    copy_files,
    rewrite,
)
from pressreader.ingest import read_file
from pressreader.library import Library
from pressreader.model import FileReport, ImportReport, SearchResult, SortOrder
from pressreader.themes import load_lexicon


def _by_name(report: ImportReport) -> dict[str, FileReport]:
    return {Path(item.path).name: item for item in report.files}


def _ids(result: SearchResult) -> set[str]:
    assert result.error is None, result.error
    return {hit.id for hit in result.hits}


def _dates(result: SearchResult) -> list[str]:
    assert result.error is None, result.error
    return [hit.date for hit in result.hits]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three releases in a folder of their own: the seed and two Markdown files."""
    return copy_files(tmp_path / "releases", SEED, URANIUM_SHIPMENT, JAPAN_GRANT)


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as library:
        yield library


# ------------------------------------------------------------------ importing
def test_sample_data_imports_completely(sample_library: SampleLibrary) -> None:
    report = sample_library.report
    files = sample_library.files
    assert report.counts == {
        "added": len(files),
        "updated": 0,
        "unchanged": 0,
        "duplicate": 0,
        "rejected": 0,
    }
    assert sorted(Path(item.path).name for item in report.files) == sorted(f.name for f in files)
    assert all(item.articles == 1 for item in report.files)
    assert sample_library.library.count() == len(files) == len(sample_library.articles)


def test_reimport_is_all_unchanged(tmp_path: Path, library: Library) -> None:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE_DATA, copy)
    first = library.import_paths([copy])
    again = library.import_paths([copy])
    assert first.counts["added"] == len(first.files) > 0
    assert again.counts["unchanged"] == len(again.files) == len(first.files)
    assert library.count() == len(first.files)


def test_changed_file_is_updated_and_its_article_replaced(folder: Path, library: Library) -> None:
    library.import_paths([folder])
    old = read_file(folder / SEED.name)[0]
    assert library.get(old.id) is not None
    count = library.count()

    seed = folder / SEED.name
    rewrite(seed, seed.read_text(encoding="utf-8").replace("took place in Seoul", "took place in Busan"))
    report = library.import_paths([folder])

    item = _by_name(report)[SEED.name]
    assert item.status == "updated"
    assert item.articles == 1
    assert library.count() == count, "the old version must not stay beside the new one"
    assert library.get(old.id) is None
    new = read_file(seed)[0]
    assert library.get(new.id) is not None
    assert _ids(library.search("Busan")) == {new.id}
    assert _ids(library.search('"took place in Seoul"')) == set()
    assert {_by_name(report)[name].status for name in (URANIUM_SHIPMENT.name, JAPAN_GRANT.name)} == {
        "unchanged"
    }


def test_changed_markdown_with_url_is_reported_updated(folder: Path, library: Library) -> None:
    library.import_paths([folder])
    release = folder / URANIUM_SHIPMENT.name
    rewrite(release, release.read_text(encoding="utf-8").replace("took 37 days", "took 41 days"))
    report = library.import_paths([folder])
    assert _ids(library.search('"41 days"')) == {read_file(release)[0].id}  # the text was replaced...
    assert _by_name(report)[release.name].status == "updated"  # ...so the report must say so


def test_touched_but_identical_file_is_unchanged(folder: Path, library: Library) -> None:
    library.import_paths([folder])
    seed = folder / SEED.name
    rewrite(seed, seed.read_text(encoding="utf-8"))
    report = library.import_paths([folder])
    assert _by_name(report)[SEED.name].status == "unchanged"
    assert library.count() == 3


def test_removed_file_is_reported_and_its_article_goes(folder: Path, library: Library) -> None:
    library.import_paths([folder])
    grant = read_file(JAPAN_GRANT)[0]
    assert library.get(grant.id) is not None
    (folder / JAPAN_GRANT.name).unlink()

    report = library.import_paths([folder])
    item = _by_name(report)[JAPAN_GRANT.name]
    assert item.status == "removed"
    assert library.get(grant.id) is None
    assert grant.id not in _ids(library.search(""))
    assert library.count() == 2


def test_same_release_in_two_files_is_one_article(tmp_path: Path, folder: Path, library: Library) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(SEED, other / "a-copy-of-the-seed.txt")
    report = library.import_paths([folder, other])
    items = _by_name(report)
    assert items[SEED.name].status == "added"
    assert items["a-copy-of-the-seed.txt"].status == "duplicate"
    assert items["a-copy-of-the-seed.txt"].reason
    assert library.count() == 3
    assert len(library.search("Nurtleu").hits) == 1

    # and the same when the copy comes in a later import
    again = library.import_paths([other])
    assert _by_name(again)["a-copy-of-the-seed.txt"].status in ("duplicate", "unchanged")
    assert library.count() == 3


def test_same_url_in_two_files_is_one_article(tmp_path: Path, folder: Path, library: Library) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    text = URANIUM_SHIPMENT.read_text(encoding="utf-8").replace("took 37 days", "took about five weeks")
    (other / "shipment-edited.md").write_text(text, encoding="utf-8")
    report = library.import_paths([folder, other])
    assert _by_name(report)["shipment-edited.md"].status == "duplicate"
    assert library.count() == 3


def test_copy_takes_over_when_the_original_is_removed(tmp_path: Path, folder: Path, library: Library) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(SEED, other / "copy.txt")
    first = _by_name(library.import_paths([folder, other]))
    assert first["copy.txt"].status == "duplicate"
    (folder / SEED.name).unlink()
    second = _by_name(library.import_paths([folder, other]))
    assert second[SEED.name].status == "removed"
    assert second["copy.txt"].status == "added"  # the copy now holds the release
    assert len(library.search("Nurtleu").hits) == 1
    third = _by_name(library.import_paths([folder, other]))
    assert third["copy.txt"].status == "unchanged"
    assert len(library.search("Nurtleu").hits) == 1


def test_rejected_file_among_good_ones(folder: Path, library: Library) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "broken.md").write_text("---\ntitle: [oops\n---\n\nBody.\n", encoding="utf-8")
    report = library.import_paths([folder])
    items = _by_name(report)
    assert report.counts["added"] == 3
    assert report.counts["rejected"] == 3
    assert "empty" in items["empty.txt"].reason.lower()
    assert "binary" in items["picture.txt"].reason.lower()
    assert "yaml" in items["broken.md"].reason.lower()
    assert library.count() == 3
    # still rejected, with its reason, on the next import
    assert _by_name(library.import_paths([folder]))["empty.txt"].reason == items["empty.txt"].reason


def test_missing_path_is_rejected(tmp_path: Path, library: Library) -> None:
    report = library.import_paths([tmp_path / "no-such-folder"])
    assert [item.status for item in report.files] == ["rejected"]
    assert report.files[0].reason


def test_good_file_turned_bad_keeps_its_article(folder: Path, library: Library) -> None:
    library.import_paths([folder])
    release = folder / URANIUM_SHIPMENT.name
    article = read_file(release)[0]
    release.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    report = library.import_paths([folder])
    item = _by_name(report)[release.name]
    assert item.status == "rejected"
    assert "binary" in item.reason.lower()
    assert library.get(article.id) is not None
    assert article.id in _ids(library.search("Saryarka"))
    assert library.count() == 3

    shutil.copy2(URANIUM_SHIPMENT, release)  # repaired
    repaired = library.import_paths([folder])
    assert _by_name(repaired)[release.name].status != "rejected"
    assert library.count() == 3


def test_another_library_instance_sees_new_imports(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "shared-library"
    with Library.open(path) as writer, Library.open(path) as reader:
        assert reader.search("Nurtleu").hits == ()
        writer.import_paths([folder])
        seed = read_file(SEED)[0]
        assert _ids(reader.search("Nurtleu")) == {seed.id}
        assert reader.count() == 3
        assert reader.get(seed.id) is not None


# -------------------------------------------------------------- stored themes
def test_themes_are_stored_at_import(sample_library: SampleLibrary) -> None:
    lexicon = load_lexicon()
    stored = sample_library.library.get(sample_library.seed.id)
    assert stored is not None
    assert [p.text for p in stored.paragraphs] == [p.text for p in sample_library.seed.paragraphs]
    assert [p.themes for p in stored.paragraphs] == [lexicon.classify(p.text) for p in stored.paragraphs]
    uranium = next(p for p in stored.paragraphs if "uranium" in p.text)
    assert uranium.primary == "energy"


def test_reopened_library_reads_the_stored_themes(sample_library: SampleLibrary, tmp_path: Path) -> None:
    before = sample_library.library.get(sample_library.seed.id)
    # A lexicon in which nothing is about uranium: reading must not classify again.
    themes = tmp_path / "themes.toml"
    themes.write_text('[themes.energy.terms]\n"uranium" = 0\n"nuclear power plant" = 0\n', encoding="utf-8")
    with Library.open(sample_library.path, lexicon=load_lexicon(themes)) as reopened:
        after = reopened.get(sample_library.seed.id)
    assert after == before


def test_next_import_applies_a_changed_lexicon(tmp_path: Path, folder: Path) -> None:
    path = tmp_path / "library"
    with Library.open(path) as library:
        library.import_paths([folder])
        assert library.search("theme:energy").error is None
    themes = tmp_path / "themes.toml"
    themes.write_text(
        '[themes.korea]\nlabel = "Korea"\ncolor = "#224488"\n[themes.korea.terms]\n"seoul" = 3\n',
        encoding="utf-8",
    )
    with Library.open(path, lexicon=load_lexicon(themes)) as library:
        library.import_paths([folder])
        seed = read_file(SEED)[0]
        assert _ids(library.search("theme:korea")) == {seed.id}
        stored = library.get(seed.id)
        assert stored is not None and "korea" in stored.themes


# ---------------------------------------------------------------------- search
def test_search_finds_the_seed_by_a_word(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("uranium")
    assert sample_library.seed.id in _ids(result)
    assert result.total == len(result.hits)
    for hit in result.hits:
        article = sample_library.articles[hit.id]
        assert "uranium" in (article.title + " " + article.body).lower()
    # the release with the word in its title comes first
    assert "uranium" in result.hits[0].title.lower()


def test_search_by_theme(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("theme:energy")
    assert sample_library.seed.id in _ids(result)
    assert all("energy" in hit.themes for hit in result.hits)
    others = _ids(sample_library.library.search("")) - _ids(result)
    assert all("energy" not in sample_library.library.get(i).themes for i in others)


@pytest.mark.parametrize("query", ['source:"Kazakh MFA"', "source:kazakh", 'source:"kazakh mfa"'])
def test_search_by_source(sample_library: SampleLibrary, query: str) -> None:
    expected = {a.id for a in sample_library.articles.values() if a.source == "Kazakh MFA"}
    assert len(expected) > 1
    assert _ids(sample_library.library.search(query)) == expected


def test_search_by_year(sample_library: SampleLibrary) -> None:
    expected = {a.id for a in sample_library.articles.values() if a.date.startswith("2024")}
    assert _ids(sample_library.library.search("date:2024")) == expected


@pytest.mark.parametrize("query", ["date:[2024-01-01 to 2024-06-30]", "date:[2024-01 to 2024-06]"])
def test_search_by_date_range(sample_library: SampleLibrary, query: str) -> None:
    result = sample_library.library.search(query)
    dates = _dates(result)
    assert dates and all("2024-01-01" <= d <= "2024-06-30" for d in dates)
    assert sample_library.japan_grant.id in _ids(result)
    expected = {a.id for a in sample_library.articles.values() if "2024-01-01" <= a.date <= "2024-06-30"}
    assert _ids(result) == expected


def test_search_after_a_month(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("date:>2024-05")
    expected = {a.id for a in sample_library.articles.values() if a.date >= "2024-06-01"}
    assert _ids(result) == expected
    assert sample_library.seed.id in expected


def test_filters_combine_with_words(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("uranium theme:energy date:2024")
    assert sample_library.seed.id in _ids(result)
    for hit in result.hits:
        assert hit.date.startswith("2024") and "energy" in hit.themes


def test_phrase_search(sample_library: SampleLibrary) -> None:
    phrase = _ids(sample_library.library.search('"nuclear power"'))
    both = _ids(sample_library.library.search("nuclear AND power"))
    assert sample_library.seed.id in phrase
    assert phrase <= both
    for article_id in phrase:
        article = sample_library.articles[article_id]
        assert re.search(r"nuclear\W+power", article.title + " " + article.body, re.IGNORECASE)
    # an article with both words apart is found by AND but not by the phrase
    apart = {
        i for i in both if not re.search(r"nuclear\W+power", sample_library.articles[i].body, re.IGNORECASE)
    }
    assert apart and not (apart & phrase)


def test_wildcard_search(sample_library: SampleLibrary) -> None:
    wildcard = sample_library.library.search("urani*")
    assert _ids(sample_library.library.search("uranium")) <= _ids(wildcard)
    for hit in wildcard.hits:
        article = sample_library.articles[hit.id]
        assert re.search(r"\burani", article.title + " " + article.body, re.IGNORECASE)


def test_boolean_operators(sample_library: SampleLibrary) -> None:
    search = sample_library.library.search
    uranium, transport = _ids(search("uranium")), _ids(search("transport"))
    assert uranium & transport and uranium - transport
    assert _ids(search("uranium AND transport")) == uranium & transport
    assert _ids(search("uranium transport")) == uranium & transport
    assert _ids(search("uranium OR transport")) == uranium | transport
    assert _ids(search("uranium NOT transport")) == uranium - transport
    assert _ids(search("(uranium OR visa) AND NOT transport")) == (uranium | _ids(search("visa"))) - transport


def test_empty_query_lists_everything_newest_first(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("")
    assert result.error is None
    assert _ids(result) == set(sample_library.articles)
    assert result.total == len(sample_library.articles)
    dates = _dates(result)
    assert dates == sorted(dates, reverse=True)


def test_sort_by_date(sample_library: SampleLibrary) -> None:
    relevance = sample_library.library.search("uranium")
    by_date = sample_library.library.search("uranium", sort="date")
    assert _ids(by_date) == _ids(relevance)
    dates = _dates(by_date)
    assert dates == sorted(dates, reverse=True)
    assert dates != _dates(relevance)  # the sample makes the two orders differ


def test_limit(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("", limit=5)
    assert len(result.hits) == 5
    assert result.total == len(sample_library.articles)


@pytest.mark.parametrize(
    ("query", "prefixes"),
    [
        ("uranium", ("uranium",)),
        ("urani*", ("urani",)),
        ('"nuclear power"', ("nuclear", "power")),
        ("Nurtleu", ("nurtleu",)),
        ("transport theme:energy", ("transport",)),
    ],
)
def test_snippets_mark_the_matching_words(sample_library: SampleLibrary, query: str, prefixes) -> None:
    result = sample_library.library.search(query)
    assert result.hits
    for hit in result.hits:
        assert hit.snippet.strip()
        assert hit.snippet_spans, f"no match marked in the snippet of {hit.title!r}"
        for start, end in hit.snippet_spans:
            assert 0 <= start < end <= len(hit.snippet)
            assert hit.snippet[start:end].lower().startswith(prefixes), hit.snippet[start:end]


def test_filter_only_query_still_has_snippets(sample_library: SampleLibrary) -> None:
    result = sample_library.library.search("theme:consular")
    assert result.hits
    assert all(hit.snippet.strip() for hit in result.hits)


@pytest.mark.parametrize(
    "query",
    ["a AND (b", '"unclosed', "theme:nosuch", "date:2024-13", "foo:bar", "theme:", "date:[2024 to", ")"],
)
def test_malformed_queries_give_an_error_not_an_exception(sample_library: SampleLibrary, query: str) -> None:
    result = sample_library.library.search(query)
    assert result.error
    assert len(result.error) > 10
    assert result.hits == ()


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("theme:nosuch", "nosuch"),
        ("foo:bar", "foo"),
        ("date:2024-13", "2024-13"),
        ('"unclosed', "quote"),
        ("a AND (b", "parenthes"),
    ],
)
def test_query_errors_say_what_is_wrong(sample_library: SampleLibrary, query: str, word: str) -> None:
    assert word in (sample_library.library.search(query).error or "").lower()


# --------------------------------------------------------------------- Russian
def test_russian_inflected_queries(tmp_path: Path, library: Library) -> None:
    docs = tmp_path / "ru"
    docs.mkdir()
    (docs / "talks.txt").write_text(
        "Министр иностранных дел Казахстана провел переговоры с министром экономики Узбекистана.\n",
        encoding="utf-8",
    )
    (docs / "rounds.txt").write_text(
        "В переговорах участвовали делегации пяти государств региона.\n", encoding="utf-8"
    )
    (docs / "carpets.txt").write_text(
        "На выставке в Алматы представили ковры и керамику.\n", encoding="utf-8"
    )
    report = library.import_paths([docs])
    assert report.counts["added"] == 3
    ids = {path.name: read_file(path)[0].id for path in docs.iterdir()}

    assert _ids(library.search("министра")) == {ids["talks.txt"]}
    assert _ids(library.search("переговорах")) == {ids["talks.txt"], ids["rounds.txt"]}
    assert _ids(library.search("министры переговоры")) == {ids["talks.txt"]}
    hit = library.search("министра").hits[0]
    marked = {hit.snippet[s:e].lower() for s, e in hit.snippet_spans}
    assert marked == {"министр", "министром"}


# ----------------------------------------------------------------- reading
def test_stats(sample_library: SampleLibrary) -> None:
    stats = sample_library.library.stats()
    articles = sample_library.articles.values()
    assert stats.articles == len(sample_library.articles)
    assert stats.oldest == min(a.date for a in articles if a.date)
    assert stats.newest == max(a.date for a in articles if a.date)
    assert stats.sources["Kazakh MFA"] == sum(1 for a in articles if a.source == "Kazakh MFA")
    assert sum(stats.sources.values()) == stats.articles
    assert stats.themes["energy"] == sample_library.library.search("theme:energy").total
    assert stats.index_bytes > 0


def test_id_prefixes_resolve(sample_library: SampleLibrary) -> None:
    seed_id = sample_library.seed.id
    assert sample_library.library.resolve(seed_id) == [seed_id]
    assert sample_library.library.resolve(seed_id[:8].upper()) == [seed_id]
    assert sample_library.library.resolve("zzzz") == []


# ------------------------------------------------------------- did you mean
@pytest.mark.parametrize(
    ("typed", "meant"),
    [("uranum", "uranium"), ("nucler", "nuclear"), ("theme:energy uranum", "theme:energy uranium")],
)
def test_a_misspelled_query_that_finds_nothing_suggests_the_library_word(
    sample_library: SampleLibrary, typed: str, meant: str
) -> None:
    result = sample_library.library.search(typed)
    assert result.total == 0
    assert result.suggestions[0] == meant
    # Every suggestion is a query that finds something.
    for suggestion in result.suggestions:
        assert sample_library.library.search(suggestion).total > 0


def test_suggestions_are_real_words_not_index_stems(sample_library: SampleLibrary) -> None:
    # The index holds the stem "energi"; a person typed a word and should get one back.
    result = sample_library.library.search("enrgy")
    assert result.suggestions and result.suggestions[0] == "energy"


def test_no_suggestions_for_a_query_that_finds_something_or_for_nonsense(
    sample_library: SampleLibrary,
) -> None:
    assert sample_library.library.search("uranium").suggestions == ()
    assert sample_library.library.search("xqzzyv").suggestions == ()


# ------------------------------------------------------- nothing is lost, ever
def test_a_front_matter_value_yaml_cannot_build_rejects_only_that_file(
    folder: Path, library: Library
) -> None:
    (folder / "bad-month.md").write_text(
        "---\ndate: 2024-13-01\nx: !!int abc\n---\nbody.\n", encoding="utf-8"
    )
    (folder / "deep.md").write_text("---\nx: " + "[" * 5000 + "\n---\nbody.\n", encoding="utf-8")
    report = library.import_paths([folder])
    items = _by_name(report)
    assert report.counts["added"] >= 3
    assert items["deep.md"].status == "rejected" and items["deep.md"].reason
    assert library.count() == report.counts["added"]


def test_an_unreadable_folder_is_reported_and_its_articles_stay(
    folder: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = folder / "sub"
    sub.mkdir()
    (sub / "inner.txt").write_text("Railway news\n\nA new railway line opens.\n", encoding="utf-8")
    library.import_paths([folder])
    assert library.search("railway").total == 1
    # Now the subfolder cannot be read (as after chmod 000; simulated, since tests may run as root).
    real_walk, real_lstat = os.walk, os.lstat
    blocked = str(sub.resolve())

    def walk(top, onerror=None, **kwargs):  # type: ignore[no-untyped-def]
        for root, dirs, names in real_walk(top, onerror=onerror, **kwargs):
            if str(root) == blocked:
                if onerror:
                    onerror(PermissionError(13, "Permission denied", blocked))
                continue
            yield root, dirs, names

    def lstat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).startswith(blocked + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "walk", walk)
    monkeypatch.setattr(os, "lstat", lstat)
    report = library.import_paths([folder])
    assert report.count("removed") == 0
    assert any(item.status == "rejected" and "cannot read folder" in item.reason for item in report.files)
    assert library.search("railway").total == 1


def test_a_file_taking_the_old_text_of_a_file_changed_in_the_same_import_keeps_it(
    tmp_path: Path, library: Library
) -> None:
    folder = tmp_path / "inc"
    folder.mkdir()
    (folder / "b.txt").write_text("Title one\n\nOld body about uranium exports.\n", encoding="utf-8")
    library.import_paths([folder])
    shutil.copy(folder / "b.txt", folder / "a.txt")
    (folder / "b.txt").write_text("Title one\n\nNew body about railways.\n", encoding="utf-8")
    items = _by_name(library.import_paths([folder]))
    assert items["a.txt"].status == "added"
    assert items["b.txt"].status == "updated"
    assert library.search("uranium").total == 1
    assert library.search("railways").total == 1


def test_a_file_edited_into_another_files_text_is_one_article(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: A\nurl: https://u.example/a\n---\n\nAlpha text.\n", encoding="utf-8"
    )
    (folder / "b.md").write_text("---\ntitle: B\n---\n\nBeta text.\n", encoding="utf-8")
    library.import_paths([folder])
    (folder / "a.md").write_text(
        "---\ntitle: A\nurl: https://u.example/a\n---\n\nBeta text.\n", encoding="utf-8"
    )
    items = _by_name(library.import_paths([folder]))
    assert items["a.md"].status == "duplicate"
    assert library.search("beta").total == 1
    assert library.count() == 1


def test_the_library_folder_itself_is_not_imported(library: Library) -> None:
    (library.path / "README.md").write_text("# Not a release\n\nJust notes.\n", encoding="utf-8")
    report = library.import_paths([library.path])
    assert [item.status for item in report.files] == ["rejected"]
    assert "library folder" in report.files[0].reason
    assert library.count() == 0


# ----------------------------------------------------------- query details
@pytest.mark.parametrize(("typed", "plain"), [("Theme:energy", "theme:energy"), ("DATE:2024", "date:2024")])
def test_field_names_are_not_case_sensitive(sample_library: SampleLibrary, typed: str, plain: str) -> None:
    assert sample_library.library.search(typed).total == sample_library.library.search(plain).total > 0


@pytest.mark.parametrize("query", ["date:>", "title:>", "theme:<="])
def test_a_field_with_only_an_operator_needs_a_value(sample_library: SampleLibrary, query: str) -> None:
    assert "needs a value" in (sample_library.library.search(query).error or "")


def test_internal_parser_errors_become_a_plain_message(sample_library: SampleLibrary) -> None:
    error = sample_library.library.search("NOT NOT x").error or ""
    assert error and "index out of range" not in error


def test_lang_and_accents_are_matched_loosely(sample_library: SampleLibrary) -> None:
    library = sample_library.library
    assert library.search("lang:RU").total == library.search("lang:ru").total > 0
    assert library.search("Turkiye").total == library.search("Türkiye").total > 0


def test_names_with_digits_are_not_corrected(sample_library: SampleLibrary) -> None:
    assert sample_library.library.search("COVID-19").suggestions == ()


# ---------------------------------------------------------------- languages
def test_each_language_is_searchable_its_own_way(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "languages"
    folder.mkdir()
    (folder / "ru.txt").write_text(
        "Переговоры в Астане\n\nМинистр провёл переговоры с министром иностранных дел Германии.\n",
        encoding="utf-8",
    )
    (folder / "kk.txt").write_text(
        "Кездесу\n\nҚазақстан Республикасының Сыртқы істер министрі елшімен кездесті.\n", encoding="utf-8"
    )
    (folder / "de.txt").write_text(
        "Rohstoffpartnerschaft\n\nDie Bundesregierung und Kasachstan vereinbaren eine umfassende "
        "Partnerschaft für kritische Rohstoffe und grünen Wasserstoff.\n",
        encoding="utf-8",
    )
    library.import_paths([folder])
    langs = {Path(a.path).stem: a.lang for a in (library.get(h.id) for h in library.search("").hits) if a}
    assert langs == {"ru": "ru", "kk": "kk", "de": "de"}
    # Russian: inflected forms meet through the stemmer.
    assert library.search("министра").total == 1
    assert library.search("переговорах").total == 1
    # Kazakh and German: found by the exact word (no stemmer), case and accents aside.
    assert library.search("министрі").total == 1
    assert library.search("Partnerschaft").total == 1
    assert library.search("grunen").total == 1
    hit = library.search("Partnerschaft", snippets=True).hits[0]
    start, end = hit.snippet_spans[0]
    assert hit.snippet[start:end] == "Partnerschaft"


# ------------------------------------------------------------- interruptions
def _many_releases(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"release-{number:04d}.txt").write_text(
            f"Release number {number}\n\nThe ministry reports item {number} on rail freight and trade.\n",
            encoding="utf-8",
        )
    return folder


def test_ctrl_c_leaves_the_library_as_before_the_batch_and_the_next_import_completes(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pressreader.library.library as library_module

    monkeypatch.setattr(library_module, "BATCH_FILES", 10)
    folder = _many_releases(tmp_path / "many", 35)

    def interrupt(done: int, total: int, path: str) -> None:
        if done == 25:  # in the third batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        library.import_paths([folder], progress=interrupt)
    assert library.count() == 20  # two whole batches, nothing of the third
    assert library.search("freight").total == 20
    report = library.import_paths([folder])
    assert report.counts["added"] == 15 and report.counts["unchanged"] == 20
    assert library.count() == 35


def test_a_killed_import_leaves_a_library_that_opens_and_completes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    folder = _many_releases(tmp_path / "many", 1500)
    index = tmp_path / "killed"
    script = (
        "import sys; from pathlib import Path; import pressreader.library.library as m;"
        "m.BATCH_FILES = m.loading.MIN_TASK = m.loading.MAX_TASK = 100;"
        "lib = m.Library.open(Path(sys.argv[1]));"
        "lib.import_paths([Path(sys.argv[2])])"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(index), str(folder)])
    deadline = time.monotonic() + 30
    # Kill it once some batches have landed, in the middle of the import.
    while time.monotonic() < deadline and child.poll() is None:
        catalog = index / "catalog.sqlite3"
        if catalog.exists() and catalog.stat().st_size > 200_000:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    with Library.open(index) as library:
        whole = library.count()
        assert whole % 100 == 0 or whole == 1500  # whole batches only
        assert library.search("freight").total == whole
        library.import_paths([folder])
        assert library.count() == 1500


# --------------------------------------------------- richer and newer copies
def test_the_richer_copy_wins_in_one_import_and_stays(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "dup"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Bridge opens\nurl: https://example.gov/press/bridge\n---\n\nThe new bridge opens.\n",
        encoding="utf-8",
    )
    (folder / "b.jsonl").write_text(
        '{"title": "Bridge opens", "url": "https://example.gov/press/bridge", "source": "Example MFA",'
        ' "date": "2025-03-01",'
        ' "text": "The new bridge opens.\\n\\nIt carries rail freight.\\n\\nTolls are free."}\n',
        encoding="utf-8",
    )
    os.utime(folder / "a.md", (1_700_000_000, 1_700_000_000))  # same age: richness decides
    os.utime(folder / "b.jsonl", (1_700_000_000, 1_700_000_000))
    first = _by_name(library.import_paths([folder]))
    assert library.count() == 1
    article = library.get(library.search("bridge").hits[0].id)
    assert article is not None and article.source == "Example MFA" and len(article.paragraphs) == 3
    assert first["a.md"].status == "duplicate"
    for _ in range(2):
        again = _by_name(library.import_paths([folder]))
        assert again["b.jsonl"].status == "unchanged"
        assert library.count() == 1


def test_a_corrected_feed_entry_replaces_the_earlier_one(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    entry = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>MFA</title><link>https://mfa.example/</link>'
        '<item><title>Timetables</title><guid isPermaLink="false">press-117</guid>'
        "<description>{}</description></item></channel></rss>"
    )
    old = folder / "20250101T000000Z.xml"
    old.write_text(entry.format("New timetables start in 2025."), encoding="utf-8")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    library.import_paths([folder])
    (folder / "20250102T000000Z.xml").write_text(
        entry.format("New timetables start in 2026."), encoding="utf-8"
    )
    library.import_paths([folder])
    assert library.count() == 1
    hits = library.search("timetables", snippets=True).hits
    assert len(hits) == 1 and "2026" in hits[0].snippet


def test_a_folder_import_reads_saved_pages_whatever_their_names(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    page = (Path(__file__).parent / "fixtures" / "html" / "ministry_press_release.html").read_text("utf-8")
    for name in ("noext", "news.php", "index.html?id=5", "page.shtml"):
        (folder / name).write_text(page.replace("</title>", f" {name}</title>"), encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff" + bytes(100))  # not read at all
    report = library.import_paths([folder])
    names = {Path(item.path).name for item in report.files}
    assert names == {"noext", "news.php", "index.html?id=5", "page.shtml"}


@pytest.mark.parametrize("query, sort", [("", "date"), ("energy", "relevance"), ("energy", "date")])
def test_pages_of_a_long_list_join_up(sample_library: SampleLibrary, query: str, sort: SortOrder) -> None:
    """A list read page by page (as the reader scrolls) is the list read at once."""
    whole = sample_library.library.search(query, sort=sort, limit=None, snippets=False)
    assert whole.total > 12
    pages = [
        sample_library.library.search(query, sort=sort, limit=5, offset=start, snippets=False)
        for start in range(0, whole.total, 5)
    ]
    assert [hit.id for page in pages for hit in page.hits] == [hit.id for hit in whole.hits]
    assert {page.total for page in pages} == {whole.total}
    assert [page.offset for page in pages] == list(range(0, whole.total, 5))


def test_a_word_only_in_a_title_is_suggested(tmp_path: Path) -> None:
    folder = tmp_path / "titles"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Uranium exports resume\ndate: 2024-05-01\n---\n\nThe ministry reports on trade.\n",
        encoding="utf-8",
    )
    with Library.open(tmp_path / "lib") as library:
        library.import_paths([folder])
        assert library.suggestions("uranum") == ("uranium",)
        assert library.search("uranum").suggestions == ("uranium",)
        assert library.search("uranum", suggest_words=False).suggestions == ()


def test_a_search_no_longer_wanted_gives_up(sample_library: SampleLibrary) -> None:
    from pressreader.library import SearchStopped

    library = sample_library.library
    asked: list[bool] = []

    def stop() -> bool:
        asked.append(True)
        return True

    with pytest.raises(SearchStopped):
        library.search("uranium", should_stop=stop)
    assert asked
    assert library.search("uranium", should_stop=lambda: False).total == library.search("uranium").total
