"""Two writers, and a writer that died (issue 5).

The write lock is an operating-system lock on a file in the index folder
(Whoosh's, held by pressreader for a whole import): a process that dies holding
it, even by SIGKILL, leaves the file but not the lock, and the next import
goes ahead.  While a live process holds it, a second import waits a few
seconds and then says clearly that another import is writing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE_DATA, subprocess_env
from pressreader import cli
from pressreader.library import Library
from pressreader.library import rebuild as rebuilding

HOLD_LOCK = (
    "import sys, time; from pathlib import Path; from pressreader.library import Library;"
    "lib = Library.open(Path(sys.argv[1])); lock = lib._index.lock('WRITELOCK');"
    "assert lock.acquire(); print('held', flush=True); time.sleep(120)"
)


def _holder(tmp_path: Path, index: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index)],
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(tmp_path),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_a_second_import_says_one_is_running_then_a_killed_holder_frees_the_library(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rebuilding, "WAIT", 1.0)  # how long a writer waits (5 s by default)
    index = tmp_path / "lib"
    with Library.open(index) as library:
        library.import_paths([SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"])
    child = _holder(tmp_path, index)
    try:
        code = cli.main(["import", str(SAMPLE_DATA), "--index", str(index)])
        err = capsys.readouterr().err
        assert code == 1
        assert "another import is writing to the library" in err and str(index) in err
        with Library.open(index) as library:
            assert library.count() == 1  # nothing half-done
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    # The holder died without letting go: its lock went with it.
    assert (index / "whoosh" / "articles_WRITELOCK").exists()
    code = cli.main(["import", str(SAMPLE_DATA), "--index", str(index), "--json"])
    assert code == 0, capsys.readouterr().err
    with Library.open(index) as library:
        assert library.count() == 43
