"""Nothing left behind (issue 12): an import's worker processes and the
multiprocessing resource tracker end when the importing process is killed
(``kill -9``), and none of them keeps its stdout open.

Each test starts a real import large enough for workers in a child process,
waits until its workers exist (the process tree, read from /proc), kills the
child with SIGKILL and waits, bounded, until every process it had started is
gone.  Linux only: elsewhere there is no /proc to read the tree from.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import subprocess_env

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc"
)

#: Far above any wait on a busy machine: a guard, never a speed claim.
WAIT = 60.0
FILES = 1500

#: An import started from a thread that is not the main one, as the reader starts it.
THREADED = """
import sys, threading
from pathlib import Path
from pressreader.library import Library
library = Library.open(Path(sys.argv[1]))
thread = threading.Thread(target=library.import_paths, args=([Path(sys.argv[2])],))
thread.start()
thread.join()
"""


def releases(folder: Path, count: int = FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    words = ("grain", "corridor", "port", "freight", "rail", "uranium", "treaty", "summit", "water", "energy")
    for number in range(count):
        body = " ".join(words[(number + k) % len(words)] for k in range(40))
        text = (
            f"Release {number} on the {words[number % len(words)]} programme\n\n"
            f"The ministry reports item {number}: {body}.\n\nShipment {number * 7} left the port.\n"
        )
        (folder / f"r{number:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a live process; None when it is gone (a zombie is gone)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    state, ppid = fields[0], int(fields[1])
    return None if state in ("Z", "X") else (ppid, state)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> dict[int, str]:
    """Every live process under ``root``, with its command line."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            parents[int(entry)] = stat[0]
    found: dict[int, str] = {}
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in found}
        found.update({pid: _cmdline(pid) for pid in frontier})
    return found


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def workers_of(pid: int) -> dict[int, str]:
    """The child's pool workers and resource tracker, once all three exist."""
    found: dict[int, str] = {}

    def started() -> bool:
        found.clear()
        found.update(descendants(pid))
        workers = [p for p, cmd in found.items() if "spawn_main" in cmd]
        trackers = [p for p, cmd in found.items() if "resource_tracker" in cmd]
        return len(workers) == 2 and len(trackers) == 1

    wait_for(started, "the import's workers to start")
    return found


@pytest.fixture
def reaper() -> Iterator[set[int]]:
    """Pids this test started: whatever is left of them is killed at the end."""
    pids: set[int] = set()
    yield pids
    for pid in pids:
        if _stat(pid) is not None:
            os.kill(pid, signal.SIGKILL)


def _start(tmp_path: Path, how: str, **popen: object) -> subprocess.Popen[bytes]:
    folder = releases(tmp_path / "releases")
    index = tmp_path / "lib"
    env = subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS="2")
    if how == "cli":
        command = [sys.executable, "-m", "pressreader", "import", "--index", str(index), str(folder)]
    else:
        command = [sys.executable, "-c", THREADED, str(index), str(folder)]
    return subprocess.Popen(command, env=env, **popen)  # type: ignore[call-overload,no-any-return]


@pytest.mark.parametrize("how", ["cli", "thread"])
def test_killing_the_importer_ends_its_workers_and_the_resource_tracker(
    tmp_path: Path, how: str, reaper: set[int]
) -> None:
    child = _start(tmp_path, how, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    reaper.add(child.pid)
    started = workers_of(child.pid)
    reaper.update(started)
    child.kill()
    assert child.wait(timeout=WAIT) == -signal.SIGKILL
    wait_for(lambda: all(_stat(pid) is None for pid in started), f"{sorted(started.values())} to end")


def test_a_pipe_from_a_killed_import_ends(tmp_path: Path, reaper: set[int]) -> None:
    # `pressreader import … 2>&1 | tee log`: tee ends when no process holds the pipe.
    child = _start(tmp_path, "cli", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    reaper.add(child.pid)
    reaper.update(workers_of(child.pid))
    assert child.stdout is not None
    ended = threading.Event()

    def read_to_the_end() -> None:
        assert child.stdout is not None
        child.stdout.read()
        ended.set()

    threading.Thread(target=read_to_the_end, daemon=True).start()
    child.kill()
    assert child.wait(timeout=WAIT) == -signal.SIGKILL
    wait_for(ended.is_set, "the end of the pipe")
