"""An import killed with SIGKILL at 20 different moments (issue 5).

Each time: the library opens, a search returns only whole articles (each hit
is in the catalog with its text), and the next import completes the work.
The moments: between files of a batch, and inside a commit, after the index
has committed and before the catalog has (the one moment the two disagree:
the index is rebuilt from the catalog when the library is next opened).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import subprocess_env
from pressreader.library import Library

FILES = 60
CHILD = """
import os, signal, sys
from pathlib import Path
import pressreader.library.library as m
m.BATCH_FILES = 4
target, where = int(sys.argv[3]), sys.argv[4]
lib = m.Library.open(Path(sys.argv[1]))
if where == "commit":
    commit = m._BatchWriter.commit
    def dying_commit(self):
        commit(self)  # the index has committed; the catalog has not
        os.kill(os.getpid(), signal.SIGKILL)
    m._BatchWriter.commit = dying_commit
def progress(done, total, path):
    if where == "file" and done == target:
        os.kill(os.getpid(), signal.SIGKILL)
lib.import_paths([Path(sys.argv[2])], progress=progress)
"""


def _releases(folder: Path) -> Path:
    folder.mkdir()
    for number in range(FILES):
        text = f"Release {number} on grain corridors\n\nThe ministry reports shipment {number} of grain.\n"
        (folder / f"r{number:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def _check_whole(index: Path) -> int:
    with Library.open(index) as library:
        count = library.count()
        result = library.search("grain", limit=None, snippets=True)
        assert result.total == count == len(result.hits)
        for hit in result.hits:
            article = library.get(hit.id)
            assert article is not None and "grain" in article.body
        return count


def test_twenty_kills_never_cost_the_library(tmp_path: Path) -> None:
    # In one process (60 files is below the import's threshold for workers); a
    # kill during an import spread over workers is in test_library.py.
    folder = _releases(tmp_path / "releases")
    index = tmp_path / "lib"
    env = subprocess_env(tmp_path, PRESSREADER_IMPORT_WORKERS="0")
    moments = [("file", n) for n in (1, 3, 5, 6, 9, 13, 18, 22, 27, 31, 38, 44, 50, 57)] + [("commit", 0)] * 6
    counts = []
    for where, target in moments:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(index), str(folder), str(target), where],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert child.returncode == -9, child.stderr.decode()
        counts.append(_check_whole(index))
    assert len(moments) == 20
    assert counts == sorted(counts) and len(set(counts)) >= 10, counts  # each kill a different moment
    assert counts[-1] < FILES  # killed before the end each time
    with Library.open(index) as library:
        report = library.import_paths([folder])
        assert report.counts["rejected"] == 0
    assert _check_whole(index) == FILES
