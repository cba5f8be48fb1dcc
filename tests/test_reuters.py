"""Real newswire text: the Reuters-21578 slice in ../shared/corpora, converted to
front-matter files in the test, imported and searched."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from conftest import ROOT
from pressreader.library import Library

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578.txt.gz"
_HEADLINE = re.compile(r"^((?:[A-Z0-9<>&.,'/()-]+\s)+?)(?=[A-Z][a-z])")


def _convert(target: Path) -> list[tuple[str, str]]:
    """Each story to a Markdown file; returns (headline, date) of each."""
    stories = []
    # The slice is ASCII but for one stray byte (0xfc): read it as Latin-1, as it was written.
    with gzip.open(CORPUS, "rt", encoding="latin-1") as handle:
        for number, line in enumerate(handle):
            stamp, _, text = line.rstrip("\n").partition("\t")
            match = _HEADLINE.match(text)
            headline = match.group(1).strip() if match else text[:60]
            body = text[len(match.group(1)) :] if match else text
            paragraphs = [p.strip() for p in re.split(r"\s{4,}", body) if p.strip()]
            date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
            title = headline.replace('"', "'")
            front = f'---\ntitle: "{title}"\ndate: {date}\nsource: Reuters\n---\n\n'
            (target / f"reuters-{number:03d}.md").write_text(front + "\n\n".join(paragraphs) + "\n", "utf-8")
            stories.append((headline, date))
    return stories


@pytest.mark.skipif(not CORPUS.is_file(), reason="the shared corpora are not beside this checkout")
def test_the_reuters_stories_import_and_are_found(tmp_path: Path) -> None:
    folder = tmp_path / "reuters"
    folder.mkdir()
    stories = _convert(folder)
    assert len(stories) > 400
    with Library.open(tmp_path / "library") as library:
        report = library.import_paths([folder])
        assert report.counts["rejected"] == 0, report.rejected[:3]
        # A few stories of the slice are the same text twice: kept once.
        assert report.counts["added"] + report.counts["duplicate"] == len(stories)
        assert library.count() == report.counts["added"]
        hit = library.search("Sumitomo merger").hits[0]
        assert "SUMITOMO" in hit.title and hit.date == "1987-04-08" and hit.source == "Reuters"
        assert library.search('"money market" date:1987-04').total > 3
        assert library.search("source:reuters theme:economy").total > 100
