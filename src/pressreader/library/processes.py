"""Worker processes that never outlive the process that started them.

A pool's workers block on a pipe from their parent; when the parent is killed
(``kill -9``, the OOM killer, a closed terminal) nothing tells them, and they
stay, with the parent's stdout open (``pressreader import … | tee log`` never
ends).  So every worker, as it starts:

- on Linux asks the kernel for SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``).  The kernel sends it when the *thread* that
  started the worker ends, not the process: a pool must be used, and shut
  down, in the thread that started it (the importing thread does both);
- everywhere, watches its parent in a daemon thread: multiprocessing hands a
  spawned child a sentinel that becomes ready when the parent is gone (a pipe
  whose writing end only the parent holds; on Windows the parent's process
  handle), and on POSIX a changed ``getppid()`` says the same;
- gives up the parent's standard streams: stdin and stdout are ``/dev/null``,
  and what Python writes to stderr (a warning, a log line) is kept and sent
  back to the parent with each task's result (:func:`said`), which reports it.
  A task's exception travels back with its result as always.

The multiprocessing resource tracker (a process of its own under "spawn" on
POSIX) ends by itself once the parent and every worker are gone: it reads a
pipe whose writing ends only they hold.  It is started here with a stderr it
can be given: inside the reader Textual has replaced ``sys.stderr`` with an
object whose ``fileno()`` is -1, and starting the tracker from there failed
(``ValueError: bad value(s) in fds_to_keep``).
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: How often the watch looks at its parent (seconds): a dead parent's workers end within it.
WATCH_INTERVAL = 0.25
_PR_SET_PDEATHSIG = 1

_tracker_lock = threading.Lock()


def start_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that end when this process does.

    The processes start as tasks are submitted, from the submitting thread:
    submit and shut down from the thread that created the pool."""
    _ensure_tracker()
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_started,
        initargs=(os.getpid(), initializer, initargs),
    )


def _ensure_tracker() -> None:
    """Start the resource tracker now, with a stderr that has a file descriptor."""
    if sys.platform == "win32":  # no tracker process there
        return
    from multiprocessing import resource_tracker

    with _tracker_lock:
        stream = sys.stderr
        if _has_fd(stream):
            resource_tracker.ensure_running()
            return
        fd = os.open(os.devnull, os.O_WRONLY)
        try:
            sys.stderr = _WithFd(stream, fd)  # type: ignore[assignment]
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = stream
        finally:
            os.close(fd)


def _has_fd(stream: Any) -> bool:
    try:
        fd = stream.fileno()
        os.fstat(fd)
    except Exception:  # None, no fileno, -1, closed
        return stream is None or not hasattr(stream, "fileno")  # then the tracker passes nothing
    return True


class _WithFd:
    """``stream`` as it is (its writes go where they went), with a real descriptor."""

    def __init__(self, stream: Any, fd: int) -> None:
        self._stream = stream
        self._fd = fd

    def fileno(self) -> int:
        return self._fd

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# ---------------------------------------------------------------- in a worker
_said = io.StringIO()


def _started(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    _die_with_parent(parent)
    _leave_streams()
    initializer(*initargs)


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no libc to be found: the watch still works
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if _parent_gone(parent):  # died before the request above could cover it
        os._exit(1)
    parent_process = multiprocessing.parent_process()
    sentinel = parent_process.sentinel if parent_process is not None else None
    threading.Thread(target=_watch, args=(parent, sentinel), name="parent-watch", daemon=True).start()


def _parent_gone(parent: int) -> bool:
    return os.name == "posix" and os.getppid() != parent


def _watch(parent: int, sentinel: Any) -> None:
    while True:
        if sentinel is not None:
            with contextlib.suppress(OSError, ValueError):
                if multiprocessing.connection.wait([sentinel], timeout=WATCH_INTERVAL):
                    os._exit(1)
        else:
            threading.Event().wait(WATCH_INTERVAL)
        if _parent_gone(parent):
            os._exit(1)


def _leave_streams() -> None:
    """stdin and stdout on /dev/null; stderr too, with Python's writes to it kept for the parent."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = _said
    sys.stderr = _said


def said() -> str:
    """In a worker: what it wrote to stderr or stdout since the last call."""
    text = _said.getvalue()
    _said.seek(0)
    _said.truncate()
    return text
