"""A feed of 100,000 entries (10 MB): how long parsing it takes, and how much memory.

    .venv/bin/python benchmarks/feed_bench.py [--entries N] [--format rss|atom] [--stage parse|load|import]

Generates the feed in a temporary folder, then, in a fresh child process (so
that the peak RSS is that stage's alone), runs one stage: ``parse`` (the
feed module's parser), ``load`` (ingest.load_file: read, decode, parse,
normalise) or ``import`` (a whole ``pressreader import`` into a new library).
Prints one line: stage, format, entries, seconds, peak RSS in MB.
Results are kept in benchmarks/RESULTS.md ("A feed of 100,000 entries").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

WORDS = tuple(
    [
        "minister",
        "energy",
        "transport",
        "pipeline",
        "railway",
        "delegation",
        "cooperation",
        "agreement",
        "summit",
        "investment",
        "climate",
        "digital",
        "security",
        "culture",
        "visit",
        "talks",
        "port",
        "grain",
        "uranium",
    ]
)


def generate(path: Path, entries: int, fmt: str) -> None:
    """About 100 bytes of text an entry, as a news wire's headline feed has."""
    with open(path, "w", encoding="utf-8") as out:
        if fmt == "rss":
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>')
            out.write("<title>Wire</title><link>https://wire.example/</link><description>d</description>\n")
        else:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')
            out.write('<title>Wire</title><link href="https://wire.example/"/><id>urn:wire</id>\n')
        for n in range(entries):
            words = " ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(9))
            day = 1 + n % 28
            if fmt == "rss":
                out.write(
                    f"<item><title>Release {n}</title><link>https://wire.example/r/{n}</link>"
                    f"<description>Item {n}: the {words}.</description>"
                    f"<pubDate>Mon, {day:02d} Jan 2024 10:00:00 GMT</pubDate></item>\n"
                )
            else:
                out.write(
                    f'<entry><title>Release {n}</title><link href="https://wire.example/r/{n}"/>'
                    f"<id>urn:wire:{n}</id><updated>2024-01-{day:02d}T10:00:00Z</updated>"
                    f"<summary>Item {n}: the {words}.</summary></entry>\n"
                )
        out.write("</channel></rss>\n" if fmt == "rss" else "</feed>\n")


STAGE = """
import json, resource, sys, time
from pathlib import Path
stage, path, index = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
if stage == "parse":
    from pressreader.ingest import feed, read_bytes
    from pressreader.ingest.decode import decode
    count = sum(1 for _ in feed.parse(decode(read_bytes(path))))
elif stage == "load":
    from pressreader.ingest import load_file
    count = len(load_file(path).articles)
else:
    from pressreader.library import Library
    with Library.open(Path(index)) as library:
        report = library.import_paths([path])
        count = library.count()
seconds = time.perf_counter() - start
print(json.dumps({"count": count, "seconds": round(seconds, 1),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--format", choices=("rss", "atom"), default="rss")
    parser.add_argument("--stage", choices=("parse", "load", "import"), default="parse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"wire.{args.format}"
        generate(path, args.entries, args.format)
        size = path.stat().st_size
        child = subprocess.run(
            [sys.executable, "-c", STAGE, args.stage, str(path), str(Path(folder) / "lib")],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(child.stderr)
        result = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"{args.stage:6} {args.format:4} {args.entries} entries ({size / 1e6:.1f} MB): "
        f"{result['count']} read, {result['seconds']} s, peak RSS {result['peak_mb']} MB"
    )


if __name__ == "__main__":
    main()
