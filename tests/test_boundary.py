"""The core's boundaries: it never imports Textual, and Whoosh's warnings never reach the user."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import PYTHON, SEED, subprocess_env

CORE = (
    "pressreader.cli",
    "pressreader.library",
    "pressreader.ingest",
    "pressreader.themes",
    "pressreader.model",
)


def _python(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *args],
        capture_output=True,
        text=True,
        env=subprocess_env(tmp_path, **env),
        cwd=tmp_path,
        timeout=60,
    )


def test_core_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        f"import {', '.join(CORE)}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    done = _python(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_probe_sees_textual_when_it_is_imported(tmp_path: Path) -> None:
    """The same probe does notice Textual once something imports it."""
    code = (
        "import json, sys\n"
        f"import {', '.join(CORE)}, textual.app\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    done = _python(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert "textual" in json.loads(done.stdout)


@pytest.mark.parametrize(
    "fresh_bytecode",
    [False, True],
    ids=["installed-bytecode", "bytecode-compiled-anew"],
)
def test_importing_the_core_is_silent_even_with_warnings_as_errors(
    tmp_path: Path, fresh_bytecode: bool
) -> None:
    env = {}
    if fresh_bytecode:
        # No cached bytecode: every Whoosh module is compiled again, which is when
        # Python emits its SyntaxWarnings / DeprecationWarnings ("is" with a literal, bad escapes).
        env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    done = _python(tmp_path, "-W", "error", "-c", "import pressreader.library, pressreader.cli", **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == ""


def test_whoosh_compiled_anew_would_warn_without_the_guard(tmp_path: Path) -> None:
    """Proof that the test above exercises something: bare Whoosh, compiled anew, does warn."""
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    code = (
        "import importlib, pkgutil, whoosh\n"
        "for m in pkgutil.walk_packages(whoosh.__path__, 'whoosh.'):\n"
        "    try:\n"
        "        importlib.import_module(m.name)\n"
        "    except ImportError:\n"
        "        pass\n"
    )
    done = _python(tmp_path, "-W", "always", "-c", code, **env)
    assert "Warning" in done.stderr


def test_a_cli_run_is_silent_on_stderr_with_warnings_as_errors(tmp_path: Path) -> None:
    """Whole commands (import, then search) with fresh bytecode and -W error say nothing on stderr."""
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    done = _python(tmp_path, "-W", "error", "-m", "pressreader", "import", str(SEED), "--json", **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    done = _python(tmp_path, "-W", "error", "-m", "pressreader", "search", "uranium", "--json", **env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout.splitlines()[0])["source"] == "Kazakh MFA"
