"""A folder mixing every format, hostile files included: imported with a correct
report, and a second import changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import SEED, URANIUM_SHIPMENT
from pressreader.library import Library

FIXTURES = Path(__file__).parent / "fixtures"


def _mixed(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    shutil.copy(URANIUM_SHIPMENT, folder / "shipment.md")
    shutil.copy(FIXTURES / "html" / "ministry_press_release.html", folder / "page.html")
    shutil.copy(FIXTURES / "html" / "empty_body.html", folder / "empty.html")
    shutil.copy(FIXTURES / "feeds" / "ministry.rss", folder / "ministry.rss")
    shutil.copy(FIXTURES / "feeds" / "ministry.atom", folder / "ministry.atom")
    shutil.copy(FIXTURES / "feeds" / "xxe.rss", folder / "xxe.rss")
    shutil.copy(FIXTURES / "json" / "releases.json", folder / "releases.json")
    shutil.copy(FIXTURES / "json" / "broken.jsonl", folder / "broken.jsonl")
    (folder / "cp1251.txt").write_bytes(
        "Переговоры в Ташкенте\n\nМинистры обсудили транзит грузов и строительство железной дороги.\n".encode(
            "cp1251"
        )
    )
    (folder / "junk.txt").write_bytes(os.urandom(4096))
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 20_000 + "x" + "</div>" * 20_000 + "</body></html>", encoding="utf-8"
    )
    return folder


def test_a_folder_of_every_format_imports_with_a_correct_report(tmp_path: Path) -> None:
    folder = _mixed(tmp_path / "mixed")
    with Library.open(tmp_path / "library") as library:
        report = library.import_paths([folder])
        items = {Path(item.path).name: item for item in report.files}
        rejected = {name for name, item in items.items() if item.status == "rejected"}
        assert rejected == {"empty.html", "junk.txt", "deep.html"}
        assert all(items[name].reason for name in rejected)
        for name in (
            "seed.txt",
            "shipment.md",
            "page.html",
            "ministry.rss",
            "ministry.atom",
            "releases.json",
        ):
            assert items[name].status == "added" and items[name].articles >= 1, items[name]
        assert items["releases.json"].articles > 1 and items["ministry.rss"].articles > 1
        # The JSON Lines file imports its good lines and names the bad ones by number.
        broken = items["broken.jsonl"]
        assert broken.status == "added" and broken.articles >= 1
        assert "record 4" in broken.reason or "line 4" in broken.reason
        assert "/etc/passwd" not in " ".join(a.body for a in _all(library))
        assert library.search("министров").total == 1  # cp1251 decoded, Russian stemmed
        count = library.count()

        again = library.import_paths([folder])
        statuses = {Path(item.path).name: item.status for item in again.files}
        assert {name for name, status in statuses.items() if status != "unchanged"} == rejected
        assert library.count() == count


def _all(library: Library) -> list:
    return [library.get(hit.id) for hit in library.search("", limit=None).hits]
