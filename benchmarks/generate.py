"""Deterministic benchmark corpus for pressreader (issue 4).

Recombines real sentences from the Reuters-21578 sample in ../shared/corpora and
from sample_data/*.md into N press releases of realistic shape (median ~3 KB,
3 to 20 paragraphs, dates over ten years, 50 sources), written as front-matter
Markdown files under OUT/corpus/<source-slug>/<year>/ (a few hundred files per
folder at N = 100k).  OUT/manifest.json records what was generated so that
run.py can reuse a corpus.  The same N and seed give byte-identical files.

    python benchmarks/generate.py --n 10000 [--seed 4] [--out /tmp/pressreader-bench/10000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REUTERS = Path("/work/shared/corpora/reuters21578.txt.gz")
SAMPLE_DATA = REPO / "sample_data"
GENERATOR_VERSION = 1
DEFAULT_SEED = 4

COUNTRIES = [
    "Kazakhstan",
    "Uzbekistan",
    "Kyrgyzstan",
    "Tajikistan",
    "Turkmenistan",
    "Azerbaijan",
    "Georgia",
    "Armenia",
    "Mongolia",
    "Japan",
    "Germany",
    "France",
    "Norway",
    "Finland",
    "Poland",
    "Italy",
    "Spain",
    "Canada",
    "Brazil",
    "Chile",
    "India",
    "Indonesia",
    "Malaysia",
    "Singapore",
    "Kenya",
    "Nigeria",
    "Egypt",
    "Morocco",
    "Turkey",
    "Austria",
]
BODIES = [
    "Ministry of Foreign Affairs of {c}",
    "Ministry of Energy of {c}",
    "Ministry of Economy of {c}",
    "Embassy of {c} in Astana",
    "Ministry of Transport of {c}",
]


def sources() -> list[str]:
    """50 invented, distinct source names (fixed order)."""
    names: list[str] = []
    for index, country in enumerate(COUNTRIES):
        names.append(BODIES[0].format(c=country))
        if index < 20:
            names.append(BODIES[1 + index % 4].format(c=country))
    return names[:50]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")


def _sentences(paragraph: str) -> list[str]:
    return [
        s.strip()
        for s in _SENTENCE_END.split(paragraph)
        if len(s.strip()) > 25 and s.strip()[-1] in ".!?\"')"
    ]


def load_pools() -> tuple[list[str], list[str]]:
    """(sentences, titles), in a fixed order."""
    sentences: list[str] = []
    titles: list[str] = []
    with gzip.open(REUTERS, "rt", encoding="latin-1") as handle:
        for line in handle:
            if "\t" not in line:
                continue
            _day, story = line.rstrip("\n").split("\t", 1)
            paragraphs = [p.strip() for p in re.split(r"\s{3,}", story) if p.strip()]
            if not paragraphs:
                continue
            # The headline is the leading run of words without lowercase letters.
            words = paragraphs[0].split(" ")
            cut = 0
            while cut < len(words) and not re.search(r"[a-z]", words[cut]):
                cut += 1
            headline = " ".join(words[:cut]).strip()
            if len(headline) > 15:
                titles.append(headline.title())
            paragraphs[0] = " ".join(words[cut:])
            for paragraph in paragraphs:
                paragraph = re.sub(r"\s*REUTER\s*\S*\s*$", "", paragraph)
                sentences.extend(_sentences(paragraph))
    for path in sorted(SAMPLE_DATA.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text
        if re.search(r"^lang:\s*(?!en\b)\S", text[:800], re.M):
            continue  # English releases only: the corpus is lang: en
        if text.startswith("---"):
            end = text.find("\n---", 3)
            front, body = text[3:end], text[end + 4 :]
            match = re.search(r"^title:\s*\"?(.*?)\"?\s*$", front, re.M)
            if match:
                titles.append(match.group(1))
        for paragraph in re.split(r"\n\s*\n", body):
            paragraph = " ".join(paragraph.split())
            if paragraph and not paragraph.startswith(("#", "-", "*", "|", ">")):
                sentences.extend(_sentences(paragraph))
    return sentences, titles


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def generate(n: int, out: Path, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write the corpus; returns the manifest (also written to out/manifest.json)."""
    started = time.perf_counter()
    corpus = out / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    manifest_path = out / "manifest.json"
    manifest_path.unlink(missing_ok=True)
    corpus.mkdir(parents=True)
    rng = random.Random(seed)
    sentences, titles = load_pools()
    names = sources()
    slugs = [slug(name) for name in names]
    first_day = date(2015, 1, 1)
    days = (date(2024, 12, 31) - first_day).days + 1
    made: set[Path] = set()
    total_bytes = 0
    sizes: list[int] = []
    paragraph_counts: list[int] = []
    for number in range(n):
        source = rng.randrange(len(names))
        day = first_day + timedelta(days=rng.randrange(days))
        title = rng.choice(titles)
        target = min(14000.0, max(900.0, rng.lognormvariate(math.log(2700), 0.45)))
        paragraphs: list[str] = []
        size = 0
        while len(paragraphs) < 3 or (size < target and len(paragraphs) < 20):
            paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        folder = corpus / slugs[source] / str(day.year)
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        url = f"https://{slugs[source]}.example.org/press/{day.year}/{number:07d}"
        text = (
            "---\n"
            f"title: {_quote(title)}\n"
            f"date: {day.isoformat()}\n"
            f"source: {_quote(names[source])}\n"
            f"url: {url}\n"
            "lang: en\n"
            "---\n\n" + "\n\n".join(paragraphs) + "\n"
        )
        data = text.encode("utf-8")
        (folder / f"{day.isoformat()}-{number:07d}.md").write_bytes(data)
        total_bytes += len(data)
        sizes.append(len(data))
        paragraph_counts.append(len(paragraphs))
    sizes.sort()
    paragraph_counts.sort()
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "files": n,
        "bytes": total_bytes,
        "median_bytes": sizes[len(sizes) // 2] if sizes else 0,
        "median_paragraphs": paragraph_counts[len(paragraph_counts) // 2] if sizes else 0,
        "sources": len(names),
        "folders": len(made),
        "sentence_pool": len(sentences),
        "title_pool": len(titles),
        "seconds": round(time.perf_counter() - started, 2),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def ensure(n: int, out: Path, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Reuse out/ when its manifest matches (n, seed, version), else generate."""
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (manifest.get("n"), manifest.get("seed"), manifest.get("generator_version")) == (
            n,
            seed,
            GENERATOR_VERSION,
        ):
            return manifest
    return generate(n, out, seed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="default /tmp/pressreader-bench/N")
    args = parser.parse_args()
    out = args.out or Path("/tmp/pressreader-bench") / str(args.n)
    if out.resolve().is_relative_to(REPO):
        parser.error("write corpora outside the repository")
    print(json.dumps(generate(args.n, out, args.seed), indent=2))


if __name__ == "__main__":
    main()
