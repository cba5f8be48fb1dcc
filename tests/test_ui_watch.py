"""The reader and another terminal (issue 5): while an import or a rebuild runs
in another process the app stays usable, and when it ends the list shows what
arrived, with a word of what changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_DATA, subprocess_env
from pressreader.library import Library
from pressreader.library import rebuild as rebuilding
from pressreader.ui.app import make_app
from pressreader.ui.screens import reader as reader_screen
from test_ui import article_text, open_hit, results, search, started, until

NEW_RELEASE = (
    "---\ntitle: Zanzibar port agreement signed\ndate: 2025-03-04\nsource: Test Ministry\n---\n\n"
    "The ministry signed an agreement on the port of Zanzibar and its grain terminal.\n"
)


def _run(tmp_path: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pressreader", *args],
        env=subprocess_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(notification.message) for notification in app._notifications]


async def test_an_import_in_another_terminal_shows_up_when_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_screen, "WATCH_INTERVAL", 0.1)
    index = tmp_path / "lib"
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLE_DATA, sources)
    with Library.open(index) as setup:
        setup.import_paths([sources])
    library = Library.open(index)
    app = make_app(library)
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            await started(pilot)
            await open_hit(pilot, "Saryarka Uranium Company")
            opened = article_text(app)
            assert len(results(app).hits) == 43

            # Another terminal imports while the reader is open.
            (tmp_path / "incoming").mkdir()
            (tmp_path / "incoming" / "zanzibar.md").write_text(NEW_RELEASE, encoding="utf-8")
            _run(tmp_path, "import", str(tmp_path / "incoming"), "--index", str(index))
            await until(pilot, lambda: len(results(app).hits) == 44)
            assert any("another terminal: 1 new article(s)" in m for m in _messages(app))
            assert article_text(app) == opened  # the open article stays open
            await search(pilot, "zanzibar")
            assert [hit.title for hit in results(app).hits] == ["Zanzibar port agreement signed"]

            # Another terminal rebuilds the library: a new catalog and index in place of the old.
            # (Waiting on the message itself: a notification expires after a few seconds, so
            # counting them fails when the rebuild takes longer than that on a busy machine.)
            _run(tmp_path, "rebuild", "--index", str(index))
            await until(pilot, lambda: "The library changed in another terminal." in _messages(app))
            await search(pilot, "uranium")
            assert len(results(app).hits) == 9
            await open_hit(pilot, "Saryarka Uranium Company")
            assert "uranium" in article_text(app).lower()
    finally:
        library.close()


async def test_nothing_is_shown_while_the_other_writer_is_still_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_screen, "WATCH_INTERVAL", 0.05)
    index = tmp_path / "lib"
    with Library.open(index) as setup:
        setup.import_paths([SAMPLE_DATA / "000_5e8c0fbe594480b4.txt"])
    library = Library.open(index)
    app = make_app(library)
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            await started(pilot)
            with Library.open(index) as other:
                # A long import, half-way: one batch committed, the lock still held.
                with rebuilding.write_lock(index):
                    other._locked = False
                    with other._batch() as (writer, db):
                        other._import_file(
                            SAMPLE_DATA / "2022-12-14-saryarka-uranium-trans-caspian-shipment.md",
                            writer,
                            db,
                            {},
                        )
                    assert library.outdated() and library.writing()
                    await pilot.pause(0.4)
                    assert len(results(app).hits) == 1  # not yet: the writer is not done
                await until(pilot, lambda: len(results(app).hits) == 2)
    finally:
        library.close()
