"""Crashes, hangs and wrong messages (issue 12): input that is not a regular file,
file names that are not UTF-8, a full disk for the commands that only read.

Whatever could hang runs in a subprocess with a bounded wait: a regression
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA, subprocess_env
from pressreader import cli, ingest
from pressreader.ingest import RejectedInput, load_text
from pressreader.library import Library
from pressreader.pathnames import on_disk, storable

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and names")
BODY = "The minister of {} met the delegation today, and they discussed the railways and the ports at length."


def _release(folder: Path, name: str | bytes, topic: str) -> None:
    where = os.path.join(os.fsencode(folder), name) if isinstance(name, bytes) else folder / name
    with open(where, "w", encoding="utf-8") as handle:
        handle.write(f"A release on {topic}\n\n{BODY.format(topic)}\n")


def _import(tmp_path: Path, *paths: str, workers: str = "0", timeout: float = 120) -> tuple[int, dict]:
    """``pressreader import PATHS --json`` in a subprocess that may not run longer than ``timeout``."""
    child = subprocess.run(
        [sys.executable, "-m", "pressreader", "import", *paths, "--json", "--index", str(tmp_path / "lib")],
        env=subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS=workers),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in child.stderr and "unexpected error" not in child.stderr, child.stderr
    return child.returncode, json.loads(child.stdout)


def _outcomes(report: dict) -> dict[str, tuple[str, str]]:
    return {Path(item["path"]).name: (item["status"], item["reason"]) for item in report["files"]}


# ------------------------------------------------------------ not regular files
@POSIX
def test_dev_zero_a_symlink_to_it_and_a_fifo_are_rejected_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _release(folder, "good.txt", "transport")
    (folder / "zero").symlink_to("/dev/zero")
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe")  # no writer: an open that blocks would wait forever
    (folder / "loop").symlink_to("..")  # a folder walk must not follow it round
    (folder / "good-link.txt").symlink_to(folder / "good.txt")
    status, report = _import(tmp_path, str(folder), timeout=60)
    assert status == 1
    outcomes = _outcomes(report)
    # A symlink to a file is read (and is the file's duplicate).
    assert sorted([outcomes["good.txt"][0], outcomes["good-link.txt"][0]]) == ["added", "duplicate"]
    assert outcomes["zero"] == outcomes["zero.txt"] == ("rejected", "not a regular file (a character device)")
    assert outcomes["pipe"] == ("rejected", "not a regular file (a FIFO)")
    assert report["rejected"] == 3 and len(report["files"]) == 5
    # Named on the command line, the same.
    status, report = _import(tmp_path, "/dev/zero", str(folder / "pipe"), timeout=60)
    assert status == 1
    assert [item["reason"] for item in report["files"]] == [
        "not a regular file (a character device)",
        "not a regular file (a FIFO)",
    ]


def test_the_read_is_bounded_by_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 3000)
    assert ingest.read_bytes(path, limit=3000) == b"x" * 3000
    with pytest.raises(RejectedInput, match="file too large"):
        ingest.read_bytes(path, limit=2999)
    with pytest.raises(RejectedInput, match="is a folder"):
        ingest.read_bytes(tmp_path)
    with pytest.raises(RejectedInput, match="cannot read"):
        ingest.read_bytes(tmp_path / "missing.txt")


def test_a_release_too_long_says_the_limit_in_millions() -> None:
    with pytest.raises(RejectedInput) as raised:
        load_text("Title\n\n" + "word " * 1_200_000)
    assert "(6 million characters; the limit is 5 million)" in raised.value.reason


# ---------------------------------------------------------- names not UTF-8
@POSIX
def test_a_name_that_is_not_utf8_is_stored_escaped_and_found_again(tmp_path: Path) -> None:
    if sys.getfilesystemencoding().lower() not in ("utf-8", "utf8"):
        pytest.skip("file names are not read as UTF-8 here")
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        _release(folder, f"good{number}.txt", f"topic {number} energy")
    _release(folder, b"bad\xffname.txt", "the bad name")
    name = os.fsdecode(os.path.join(os.fsencode(folder), b"bad\xffname.txt"))
    assert storable(name) == f"{folder}/bad\\xffname.txt" and on_disk(storable(name)) == name
    status, report = _import(tmp_path, str(folder))
    assert status == 0
    outcomes = _outcomes(report)
    assert outcomes["bad\\xffname.txt"][0] == "added"
    assert [outcomes[f"good{n}.txt"][0] for n in range(3)] == ["added"] * 3
    # Found unchanged again; searched and shown under its escaped name.
    status, report = _import(tmp_path, str(folder))
    assert _outcomes(report)["bad\\xffname.txt"][0] == "unchanged"
    with Library.open(tmp_path / "lib") as library:
        hits = library.search('"the bad name"').hits
        assert len(hits) == 1
        assert library.get(hits[0].id).path == storable(name)  # type: ignore[union-attr]
    assert cli.main(["rebuild", "--index", str(tmp_path / "lib")]) == 0
    with Library.open(tmp_path / "lib") as library:
        assert library.count() == 4
    # Gone, it is removed like any file.
    os.unlink(os.fsencode(name))
    status, report = _import(tmp_path, str(folder))
    assert _outcomes(report)["bad\\xffname.txt"] == ("removed", "file no longer exists")


@POSIX
def test_a_name_that_is_not_utf8_imported_by_workers(tmp_path: Path) -> None:
    if sys.getfilesystemencoding().lower() not in ("utf-8", "utf8"):
        pytest.skip("file names are not read as UTF-8 here")
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(4):
        _release(folder, f"good{number}.txt", f"topic {number} energy")
    bad = tmp_path / os.fsdecode(b"bad\xfefolder")
    bad.mkdir()
    _release(bad, b"x\xff.txt", "the bad name")
    status, report = _import(tmp_path, str(folder), str(bad), workers="1")
    assert status == 0, report
    assert report["added"] == 5
    assert {item["path"] for item in report["files"]} >= {f"{tmp_path}/bad\\xfefolder/x\\xff.txt"}
    # No segment left that the index does not list.
    with Library.open(tmp_path / "lib") as library:
        listed = {segment.segid for segment in library._index._segments()}
    for name in os.listdir(tmp_path / "lib" / "whoosh"):
        if name.startswith("articles_") and not name.endswith("WRITELOCK"):
            assert name.split(".")[0].removeprefix("articles_") in listed, name


# ----------------------------------------------------------------- full disk
READ_ON_A_FULL_DISK = """
import resource, signal, sys
from pressreader import cli
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: every write fails as on a full disk
sys.exit(cli.main(sys.argv[1:]))
"""


def _read_commands(index: Path) -> Iterator[list[str]]:
    with Library.open(index) as library:
        some = library.search("uranium", limit=1).hits[0].id
    yield ["stats", "--json"]
    yield ["search", "uranium", "--json"]
    yield ["show", some, "--json"]
    yield ["export", "uranium", "--format", "json"]


@POSIX
def test_reading_commands_work_when_no_file_may_grow(tmp_path: Path) -> None:
    index = tmp_path / "lib"
    assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 0
    before = _files(index)
    env = subprocess_env(tmp_path)
    for command in _read_commands(index):
        child = subprocess.run(
            [sys.executable, "-c", READ_ON_A_FULL_DISK, *command, "--index", str(index)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 0, (command, child.stderr)
        assert child.stdout.strip() and "cannot write" not in child.stderr, (command, child.stderr)
    # An import says why it cannot write, in one line.
    child = subprocess.run(
        [sys.executable, "-c", READ_ON_A_FULL_DISK, "import", str(SAMPLE_DATA), "--index", str(index)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 1
    assert f"cannot write to the library in {index}" in child.stderr and "Traceback" not in child.stderr
    assert _files(index) == before


def _files(folder: Path) -> list[tuple[str, int]]:
    """What a folder holds (the empty files SQLite makes on opening aside)."""
    return sorted((p.name, p.stat().st_size) for p in folder.rglob("*") if p.is_file() and p.stat().st_size)


def _mounted(mount: Path, size: str) -> bool:
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, check=False
    )
    return made.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    if sys.platform == "win32" or not _mounted(mount, "3m"):
        pytest.skip("cannot mount a small file system here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> None:
    try:
        with open(disk / "filler", "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
    except OSError:  # full
        pass


def test_reading_commands_work_on_a_really_full_disk(small_disk: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index = small_disk / "lib"
    assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 0
    _fill(small_disk)
    capsys.readouterr()
    for command in _read_commands(index):
        assert cli.main([*command, "--index", str(index)]) == 0, capsys.readouterr().err
        captured = capsys.readouterr()
        assert captured.out.strip() and "cannot write" not in captured.err


def test_a_worker_import_on_a_full_disk_says_so_once(small_disk: Path, tmp_path: Path) -> None:
    index = small_disk / "lib"
    assert cli.main(["import", str(SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"), "--index", str(index)]) == 0
    free = os.statvfs(small_disk)
    with open(small_disk / "filler", "wb") as handle:  # some room left for the index, not enough
        handle.write(b"\0" * max(0, free.f_bavail * free.f_frsize - 300_000))
    child = subprocess.run(
        [sys.executable, "-m", "pressreader", "import", str(SAMPLE_DATA), "--index", str(index)],
        env=subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS="2"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 1
    lines = [line for line in child.stderr.splitlines() if line.strip()]
    assert lines == [
        f"pressreader: cannot write to the library in {index}: the disk is full. The import stopped; "
        "what it had committed is kept and nothing half-written is; import again when there is room"
    ], child.stderr
    with Library.open(index) as library:
        listed = {segment.segid for segment in library._index._segments()}
        assert library.count() == 1
    for name in os.listdir(index / "whoosh"):
        if name.startswith("articles_") and not name.endswith("WRITELOCK"):
            assert name.split(".")[0].removeprefix("articles_") in listed, name


# ---------------------------------------------------------------- feed hosts
BIDI_HOST = "https://ex\u202eample.com/rss"


def test_a_feed_host_with_a_bidi_character_is_refused_in_words(tmp_path: Path) -> None:
    from pressreader.feeds import Feed, FeedError, add_feed, fetch_feeds

    with pytest.raises(FeedError) as caught:
        add_feed(BIDI_HOST, path=tmp_path / "feeds.toml")
    message = str(caught.value)
    assert "the host name ex\\u202eample.com is not a valid domain name" in message
    assert "\u202e" not in message and "codec" not in message
    # One already listed (an older version let it in) fails alone, in the same words.
    (result,) = fetch_feeds([Feed(BIDI_HOST, "")], tmp_path / "feeds", timeout=1)
    assert result.status == "error" and "is not a valid domain name" in result.message
    assert "latin-1" not in result.message


def test_international_hosts_and_paths_are_sent_as_ascii() -> None:
    from pressreader.feeds import _request_url, url_problem

    url = "https://пример.рф/новости?q=ё"
    assert url_problem(url) == ""
    assert (
        _request_url(url)
        == "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?q=%D1%91"
    )
    assert url_problem("https://xn--e1afmkfd.xn--p1ai/rss") == ""
    assert "not a valid domain name" in url_problem("https://a\u200fb.example/rss")


# ------------------------------------------------------------- themes.toml
@pytest.mark.parametrize(
    ("toml", "where", "what"),
    [
        ("[settings]\nmin_score = nan\n", "line 2 (key settings.min_score)", "from 0 to 1000, not nan"),
        ("[settings]\nmin_score = inf\n", "line 2 (key settings.min_score)", "from 0 to 1000, not inf"),
        ("[settings]\nrelative = 1.5\n", "line 2 (key settings.relative)", "from 0 to 1, not 1.5"),
        ("[settings]\nrelative = -0.1\n", "line 2 (key settings.relative)", "from 0 to 1, not -0.1"),
        (
            '[themes.energy.terms]\n"coal" = 2\n"uranium" = inf\n',
            "line 3 (key themes.energy.terms.uranium)",
            "from -100 to 100 (0 removes the term), not inf",
        ),
        (
            '[themes.energy.terms]\n"coal" = -inf\n',
            "line 2 (key themes.energy.terms.coal)",
            "not -inf",
        ),
        ('[themes.energy.terms]\n"coal" = nan\n', "line 2 (key themes.energy.terms.coal)", "not nan"),
        ('[themes.energy.terms]\n"coal" = 1e9\n', "line 2 (key themes.energy.terms.coal)", "not 1e+09"),
        ('[themes.energy.terms]\n"coal" = true\n', "line 2 (key themes.energy.terms.coal)", "not true"),
    ],
)
def test_numbers_out_of_range_in_themes_toml_are_named(
    tmp_path: Path, toml: str, where: str, what: str
) -> None:
    from pressreader.themes import LexiconError, load_lexicon

    path = tmp_path / "themes.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith(f"{path}, {where}: "), str(caught.value)
    assert what in str(caught.value)


# ------------------------------------------------------- marker, rebuild lock
def test_rebuild_rewrites_a_deleted_marker_of_a_real_library(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from pressreader.config import MARKER

    index = tmp_path / "lib"
    assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 0
    (index / MARKER).unlink()
    capsys.readouterr()
    assert cli.main(["rebuild", "--index", str(index)]) == 0, capsys.readouterr().err
    assert (index / MARKER).is_file()
    with Library.open(index, create=False) as library:
        assert library.count() == 43
    # A folder that is no library is still refused, and left as it was.
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli.main(["rebuild", "--index", str(other)]) == 1
    assert "there is no pressreader library" in capsys.readouterr().err
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


def test_an_import_refused_during_a_rebuild_says_a_rebuild_is_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressreader.library import LibraryError
    from pressreader.library import rebuild as rebuilding

    index = tmp_path / "lib"
    with Library.open(index) as library:
        library.import_paths([SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"])
    monkeypatch.setattr(rebuilding, "WAIT", 0.2)
    refusals: list[str] = []
    rebuild_into = Library._rebuild_into.__func__  # type: ignore[attr-defined]

    def importing_meanwhile(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Another writer, while the rebuild holds the library.
        with Library.open(index) as other:
            try:
                other.import_paths([SAMPLE_DATA])
            except LibraryError as error:
                refusals.append(str(error))
        return rebuild_into(cls, *args, **kwargs)

    monkeypatch.setattr(Library, "_rebuild_into", classmethod(importing_meanwhile))
    Library.rebuild(index)
    assert refusals == [f"a rebuild is running on the library in {index}; try again when it ends"]
    # An import holding the library is still "another import".
    with (
        Library.open(index) as library,
        rebuilding.write_lock(index),
        pytest.raises(LibraryError, match="another import is writing"),
    ):
        library.import_paths([SAMPLE_DATA])


# ------------------------------------------------------------------ big feeds
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_big_feed_is_read_a_chunk_at_a_time_and_whole(tmp_path: Path, fmt: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from feed_bench import generate
    finally:
        sys.path.pop(0)
    from pressreader.ingest import feed

    path = tmp_path / f"wire.{fmt}"
    generate(path, 20_000, fmt)
    data = path.read_bytes()
    spans = feed._entry_spans(data)
    assert spans is not None and len(spans) == 20_000  # cut into entries, so read in chunks
    drafts = feed.parse(data.decode("utf-8"))
    assert [draft.record for draft in drafts] == list(range(1, 20_001))
    assert [draft.title for draft in drafts[:2]] + [drafts[-1].title] == [
        "Release 0",
        "Release 1",
        "Release 19999",
    ]
    assert all(draft.source == "Wire" for draft in drafts)
    assert drafts[-1].url == "https://wire.example/r/19999"


def test_a_feed_declaring_entities_is_not_cut_but_read_whole() -> None:
    from pressreader.ingest import feed

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">]><rss><channel>'
        + ("<item><title>&a;</title><description>text</description></item>" * 10)
        + "</channel></rss>"
    )
    assert feed._entry_spans(bomb.encode()) is None
    assert feed._entry_spans(b"<rss><channel><item>unclosed</channel></rss>") is None
