"""Commands that only read (issue 12): ``stats``, ``export``, ``search`` and ``show``
never write and never wait for a writer, and only real damage says "damaged", naming
the file that is damaged (a segment file of the index, or the catalog)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA, subprocess_env
from pressreader import cli
from pressreader.library import Library

#: A real import of a folder, stopped inside its first batch (its catalog transaction
#: open, the write lock held) until the parent says go on.
IMPORT_AND_HOLD = """
import sys
from pathlib import Path
from pressreader.library import Library

held = False

def progress(done, total, path):
    global held
    if not held and path:
        held = True
        print("holding", flush=True)
        sys.stdin.readline()

with Library.open(Path(sys.argv[1])) as library:
    report = library.import_paths([Path(sys.argv[2])], progress=progress)
print("done", report.count("added"), flush=True)
"""


def _library(tmp_path: Path, files: int = 10) -> tuple[Path, Path]:
    index = tmp_path / "lib"
    first = tmp_path / "first"
    first.mkdir()
    samples = sorted(SAMPLE_DATA.glob("*.md"))
    for path in samples[:files]:
        shutil.copy2(path, first / path.name)
    rest = tmp_path / "rest"
    rest.mkdir()
    for path in samples[files:]:
        shutil.copy2(path, rest / path.name)
    with Library.open(index) as library:
        library.import_paths([first])
    return index, rest


def test_stats_and_export_while_an_import_holds_its_write_transaction(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index, rest = _library(tmp_path)
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORT_AND_HOLD, str(index), str(rest)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS="0"),
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "holding"
        # The import really holds the catalog's write lock now.
        probe = sqlite3.connect(index / "catalog.sqlite3", timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")
        probe.close()
        before = (index / "catalog.sqlite3").read_bytes()

        assert cli.main(["stats", "--index", str(index), "--json"]) == 0
        captured = capsys.readouterr()
        assert '"articles": 10' in captured.out and captured.err == ""
        output = tmp_path / "all.json"
        assert cli.main(["export", "--index", str(index), "-o", str(output)]) == 0
        captured = capsys.readouterr()
        assert "damaged" not in captured.err and "locked" not in captured.err
        exported = json.loads(output.read_text(encoding="utf-8"))
        assert len(exported) == 10
        word = exported[0]["title"].split()[0]
        assert cli.main(["search", word, "--index", str(index), "--json"]) == 0
        assert exported[0]["id"] in capsys.readouterr().out
        assert cli.main(["show", exported[0]["id"], "--index", str(index)]) == 0
        assert "damaged" not in capsys.readouterr().err
        # The readers wrote nothing to the catalog.
        assert (index / "catalog.sqlite3").read_bytes() == before

        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().split() == ["done", str(len(list(rest.iterdir())))]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)
    assert cli.main(["stats", "--index", str(index), "--json"]) == 0
    assert f'"articles": {10 + len(list(rest.iterdir()))}' in capsys.readouterr().out


def test_a_deleted_segment_file_is_named(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index, _ = _library(tmp_path)
    (terms,) = (index / "whoosh").glob("*.trm")
    terms.unlink()
    for command in (["stats"], ["search", "uranium"], ["export"]):
        assert cli.main([*command, "--index", str(index)]) == 1
        err = capsys.readouterr().err
        assert "damaged" in err and terms.name in err and "pressreader rebuild" in err, err


def test_a_damaged_catalog_is_named_not_blamed_on_the_index(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    index, _ = _library(tmp_path)
    catalog = index / "catalog.sqlite3"
    data = bytearray(catalog.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the schema's
    catalog.write_bytes(bytes(data))
    for command in (["stats"], ["search", "uranium"], ["show", "abc"]):
        assert cli.main([*command, "--index", str(index)]) == 1
        err = capsys.readouterr().err
        assert "damaged" in err and str(catalog) in err and "pressreader rebuild" in err, err
        assert "index of the library" not in err and "unexpected error" not in err, err
