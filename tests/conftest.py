"""Shared fixtures: every test runs with its library, config and logs in a temporary folder.

The sample library (``sample_data/`` imported once) is built once per session
and only read by the tests that use it; tests that change a library build
their own, small one in ``tmp_path``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pressreader.ingest import SUFFIXES, read_file
from pressreader.library import Library
from pressreader.model import Article, ImportReport

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
#: The ten default theme ids, in lexicon order: a contract scripts rely on.
THEME_IDS = [
    "diplomacy",
    "economy",
    "transport",
    "energy",
    "environment",
    "digital",
    "culture",
    "security",
    "humanitarian",
    "consular",
]
SAMPLE_DATA = ROOT / "sample_data"
SEED_NAME = "000_5e8c0fbe594480b4.txt"
#: The seed as the project keeps it, beside the repository (as on CI); tests skip when absent.
SEED_SHARED = ROOT.parent / "shared" / "seed" / SEED_NAME
SEED = SAMPLE_DATA / SEED_NAME
#: A release of the sample set dated inside the first half of 2024.
JAPAN_GRANT = SAMPLE_DATA / "2024-02-20-mofa-japan-grant-digital-education.md"
URANIUM_SHIPMENT = SAMPLE_DATA / "2022-12-14-saryarka-uranium-trans-caspian-shipment.md"
LABELLED = Path(__file__).resolve().parent / "data" / "labelled_paragraphs.jsonl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

_COLOUR_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")


@pytest.fixture(autouse=True)
def _isolate_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real home directory or the checkout's ./index."""
    monkeypatch.setenv("PRESSREADER_INDEX", str(tmp_path / "env-index"))
    monkeypatch.setenv("PRESSREADER_CONFIG", str(tmp_path / "env-config"))
    monkeypatch.setenv("PRESSREADER_LOG_DIR", str(tmp_path / "env-logs"))
    for name, folder in (
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_STATE_HOME", "xdg-state"),
        ("XDG_CACHE_HOME", "xdg-cache"),
    ):
        monkeypatch.setenv(name, str(tmp_path / folder))
    for name in _COLOUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def sample_files() -> list[Path]:
    """The files a folder import of sample_data/ picks up."""
    return sorted(
        p for p in SAMPLE_DATA.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


@dataclass(frozen=True)
class SampleLibrary:
    path: Path
    library: Library
    report: ImportReport
    files: list[Path]
    #: every sample article as ingest reads it, by id
    articles: dict[str, Article]
    seed: Article
    japan_grant: Article


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleLibrary]:
    """sample_data/ imported once into a temporary library; tests must only read it."""
    path = tmp_path_factory.mktemp("sample-library") / "library"
    library = Library.open(path)
    report = library.import_paths([SAMPLE_DATA])
    assert report.counts["rejected"] == 0, report.rejected
    files = sample_files()
    articles = {article.id: article for file in files for article in read_file(file)}
    yield SampleLibrary(
        path=path,
        library=library,
        report=report,
        files=files,
        articles=articles,
        seed=read_file(SEED)[0],
        japan_grant=read_file(JAPAN_GRANT)[0],
    )
    library.close()


def copy_files(target: Path, *files: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy2(file, target / file.name)
    return target


def rewrite(path: Path, text: str) -> None:
    """Write new content and make sure the modification time moves, whatever the clock resolution."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    after = path.stat().st_mtime_ns
    if after == before:
        os.utime(path, ns=(after + 1_000_000, after + 1_000_000))


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for running pressreader in a child process: everything in tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in _COLOUR_VARIABLES and not k.startswith("PYTEST")}
    env.update(
        PRESSREADER_INDEX=str(tmp_path / "env-index"),
        PRESSREADER_CONFIG=str(tmp_path / "env-config"),
        PRESSREADER_LOG_DIR=str(tmp_path / "env-logs"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return env


PYTHON = sys.executable

#: Paragraphs of a raw release file: split on runs of blank lines.
BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def finishes(call: Callable[[], T], *, within: float = 120.0) -> T:
    """``call()``'s result, or a failure if it is still running after ``within`` seconds.

    A guard against runaway work (a quadratic parser, an entity bomb, a missed
    timeout), not a speed claim: the limit is far above any normal run, even on a
    busy machine, and speed is measured in ``benchmarks/``, never here.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = call()
        except BaseException as error:  # handed to the test's thread
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), f"still running after {within:.0f} s: runaway work"
    if "error" in box:
        raise box["error"]
    return box["result"]
