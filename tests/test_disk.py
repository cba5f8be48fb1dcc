"""A full disk and a read-only library folder (issue 5): a clear message, no
half-written state, and nothing already in the library lost.

The full disk is made two ways: a limit on file size for the importing
process (RLIMIT_FSIZE, anywhere on POSIX; writes past it fail as a full disk's
do), and, where the tests may mount file systems, a real 400 KB tmpfs.  The
read-only folder is a read-only mount, or a folder without write permission
when the tests do not run as root.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA, subprocess_env
from pressreader import cli
from pressreader.library import Library
from pressreader.library.state import StateError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits and mounts")

#: File size limits tried: from "not even the catalog" to "several batches in".
LIMITS = (20_000, 60_000, 150_000, 300_000, 400_000)

FULL_DISK_IMPORT = """
import resource, signal, sys
from pathlib import Path
import pressreader.library.library as library
from pressreader import cli, ingest
library.BATCH_FILES = 5
# Warm up first: the language identifier unpacks its model into a temporary file.
ingest.load_file(Path(sys.argv[2]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(cli.main(sys.argv[3:]))
"""


def _whole(index: Path) -> int:
    """The library opens; every hit is a whole article of the catalog; no file
    of the index folder is left over from a segment the index does not list."""
    with Library.open(index) as library:
        count = library.count()
        result = library.search("", limit=None)
        assert result.total == count == len(result.hits)
        for hit in result.hits:
            article = library.get(hit.id)
            assert article is not None and article.paragraphs
        listed = {segment.segid for segment in library._index._segments()}
    for name in os.listdir(index / "whoosh"):
        if name.startswith("articles_") and not name.endswith("WRITELOCK"):
            assert name.split(".")[0].removeprefix("articles_") in listed, name
    return count


def test_a_full_disk_stops_the_import_cleanly_at_every_size(tmp_path: Path) -> None:
    env = subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS="0")
    counts = []
    for limit in LIMITS:
        index = tmp_path / f"lib-{limit}"
        seed = str(SAMPLE_DATA / "000_5e8c0fbe594480b4.txt")
        command = ["import", str(SAMPLE_DATA), "--index", str(index)]
        child = subprocess.run(
            [sys.executable, "-c", FULL_DISK_IMPORT, str(limit), seed, *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 1, child.stderr
        assert f"cannot write to the library in {index}" in child.stderr, child.stderr
        assert "unexpected error" not in child.stderr and "Traceback" not in child.stderr
        assert "rejected" not in child.stdout  # the disk's fault is never blamed on a file
        counts.append(_whole(index))
        # With room again, the next import completes the work.
        with Library.open(index) as library:
            report = library.import_paths([SAMPLE_DATA])
        assert not report.rejected
        assert _whole(index) == 43
    assert counts == sorted(counts) and counts[0] == 0 and counts[-1] > 0, counts


def _mounted(mount: Path, size: str) -> bool:
    """A tmpfs of ``size`` at ``mount`` (needs root and the right to mount)."""
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, check=False
    )
    return made.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 400 KB file system of its own."""
    mount = tmp_path / "disk"
    if not _mounted(mount, "400k"):
        pytest.skip("cannot mount a small file system here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _remount(mount: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount)], check=True)


# Whoosh's column writer (CompoundWriter.save_as_files) leaves the file it failed to
# write to the garbage collector, which closes it (and says so): not pressreader's.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_really_full_disk_says_so_and_keeps_what_was_there(
    small_disk: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    index = small_disk / "lib"
    assert cli.main(["import", str(SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"), "--index", str(index)]) == 0
    assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert f"cannot write to the library in {index}: the disk is full" in err
    assert _whole(index) == 1  # the seed, imported before the disk filled
    _remount(small_disk, "size=8m")
    assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 0
    assert _whole(index) == 43


def _read_only(folder: Path, mount: Path | None) -> None:
    if mount is not None:
        _remount(mount, "ro")
    else:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)


def test_a_read_only_library_is_read_and_never_changed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    mount: Path | None = None
    if os.geteuid() == 0:  # root writes through permissions: it takes a read-only mount
        mount = tmp_path / "disk"
        if not _mounted(mount, "8m"):
            pytest.skip("running as root, and cannot mount a read-only file system here")
        index = mount / "lib"
    else:
        index = tmp_path / "lib"
    try:
        assert cli.main(["import", str(SAMPLE_DATA), "--index", str(index)]) == 0
        with Library.open(index) as library:  # the reader's own marks, made before
            starred = library.search("uranium", limit=1).hits[0].id
            library.state.toggle_star(starred)
        before = sorted((p.name, p.stat().st_size) for p in index.rglob("*") if p.is_file())
        _read_only(index, mount)
        capsys.readouterr()
        # Searched, shown and counted as ever...
        assert cli.main(["search", "uranium", "--index", str(index), "--json"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 9
        assert cli.main(["stats", "--index", str(index), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"] == 43
        # ...the marks read as ever, and not changed...
        assert cli.main(["search", "is:starred", "--index", str(index), "--json"]) == 0
        assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [starred]
        with Library.open(index) as library:
            assert library.read_only
            with pytest.raises(StateError, match="read-only"):
                library.state.toggle_star(starred)
        # ...and every change refused in one clear line.
        for command in (["import", str(SAMPLE_DATA)], ["rebuild"]):
            assert cli.main([*command, "--index", str(index)]) == 1
            err = capsys.readouterr().err
            assert str(index) in err and "read-only" in err and "unexpected" not in err
        after = sorted((p.name, p.stat().st_size) for p in index.rglob("*") if p.is_file())
        assert after == before
    finally:
        if mount is not None:
            subprocess.run(["umount", "-l", str(mount)], check=False)
        else:
            for path in [index, *index.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_no_room_for_a_temporary_file_is_the_disk_s_fault_not_the_file_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressreader.library import LibraryError, loading

    with Library.open(tmp_path / "lib") as library:
        library.import_paths([SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"])

        def no_room(path: Path, **_options: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device", "/tmp/tmpmodel")

        monkeypatch.setattr(loading.ingest, "load_file", no_room)
        with pytest.raises(LibraryError, match="the disk is full"):
            library.import_paths([SAMPLE_DATA])
    assert _whole(tmp_path / "lib") == 1
