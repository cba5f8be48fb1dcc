"""How long the facets of a query take (issue 6), beside the search of the same query.

    python benchmarks/facets_bench.py --library /tmp/pressreader-bench/lib-100k [--runs 7] [--json OUT]

For each query of ``run.py``'s ``QUERIES`` (and the blank query): ``Library.facets(q)``
and ``Library.search(q, sort=..., limit=200, snippets=False)`` (a page of the reader's
list), one untimed warm-up pass, then ``--runs`` timed passes; a query's figure is the
median of its runs (the machine is noisy), and p50/p95 are taken over those medians.
The first call of each after opening the library is timed apart ("cold"): it reads the
per-segment arrays (dates, sources, themes; BM25 lengths) that later calls reuse.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_bench import ms, pct
from run import QUERIES

from pressreader.library import Library

LIMIT = 200


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--library", type=Path, required=True, help="an existing library (not changed)")
    parser.add_argument("--runs", type=int, default=7, help="timed passes over the queries")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    library = Library.open(args.library, create=False)
    queries = [("", "date"), *((text, sort) for text, sort, *_ in QUERIES)]
    started = time.perf_counter()
    library.facets("")
    cold_facets = time.perf_counter() - started
    started = time.perf_counter()
    library.search("", sort="date", limit=LIMIT, snippets=False)
    cold_search = time.perf_counter() - started

    for text, sort in queries:  # warm-up: each query's own arrays (lengths, prefixes)
        library.facets(text)
        library.search(text, sort=sort, limit=LIMIT, snippets=False)
    facet_runs: dict[str, list[float]] = {text: [] for text, _ in queries}
    search_runs: dict[str, list[float]] = {text: [] for text, _ in queries}
    totals: dict[str, int] = {}
    for _ in range(args.runs):
        for text, sort in queries:
            started = time.perf_counter()
            found = library.facets(text)
            facet_runs[text].append(time.perf_counter() - started)
            started = time.perf_counter()
            result = library.search(text, sort=sort, limit=LIMIT, snippets=False)
            search_runs[text].append(time.perf_counter() - started)
            if found.error or result.error:
                raise SystemExit(f"query {text!r} failed: {found.error or result.error}")
            if found.total != result.total:
                raise SystemExit(f"query {text!r}: facets count {found.total}, search {result.total}")
            totals[text] = found.total
    articles = library.count()
    library.close()

    facet_ms = {text: ms(statistics.median(runs)) for text, runs in facet_runs.items()}
    search_ms = {text: ms(statistics.median(runs)) for text, runs in search_runs.items()}
    print(f"library: {args.library} ({articles:,} articles); {args.runs} runs; medians in ms")
    print(f"{'query':45} {'matches':>8} {'facets':>8} {'search':>8}")
    for text, _ in queries:
        print(f"{(text or '(blank)')[:45]:45} {totals[text]:>8} {facet_ms[text]:>8} {search_ms[text]:>8}")
    figures = {
        "library": str(args.library),
        "articles": articles,
        "runs": args.runs,
        "facets_p50_ms": round(pct(list(facet_ms.values()), 0.5), 1),
        "facets_p95_ms": round(pct(list(facet_ms.values()), 0.95), 1),
        "facets_max_ms": max(facet_ms.values()),
        "search_p50_ms": round(pct(list(search_ms.values()), 0.5), 1),
        "search_p95_ms": round(pct(list(search_ms.values()), 0.95), 1),
        "search_max_ms": max(search_ms.values()),
        "facets_cold_ms": ms(cold_facets),
        "search_cold_after_facets_ms": ms(cold_search),
        "queries": [
            {"query": text, "total": totals[text], "facets_ms": facet_ms[text], "search_ms": search_ms[text]}
            for text, _ in queries
        ],
    }
    print()
    print(f"{'':20} {'p50':>8} {'p95':>8} {'max':>8}")
    for name in ("facets", "search"):
        p50, p95, most = (figures[f"{name}_{key}_ms"] for key in ("p50", "p95", "max"))
        print(f"{name:20} {p50:>8} {p95:>8} {most:>8}")
    print(f"first facets('') after open: {figures['facets_cold_ms']} ms (reads the per-segment arrays)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
