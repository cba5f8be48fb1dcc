"""pressreader benchmark harness (issue 4): one run, one table, one JSON file.

    python benchmarks/run.py --n 10000 --json /tmp/bench-10k.json [--corpus DIR] [--skip-app]
    python benchmarks/run.py --library /tmp/pressreader-bench/lib-10k --only app --json OUT.json

Measures, in one process and one run: whole-pipeline import into a fresh
library (import_per_s), a no-op reimport (reimport_s), Library.search latency
over a fixed mix of 30 queries (search_p50_ms, search_p95_ms), the same queries
answered by SQLite FTS5 over the same files (fts5_search_p95_ms) and by ripgrep
(rg_search_p95_ms), the Textual app driven headless (app_first_list_s,
keystroke_p95_ms, first_results_after_pause_p95_ms, open_article_p95_ms,
scroll_max_stall_ms: see app_bench.py) and peak memory (peak_rss_mb).
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import pstats
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from app_bench import app_figures, ms, pct

from pressreader.library import Library, LibraryError

#: Timed repetitions of each query (after one untimed warm-up pass).
REPEATS = 5
LIMIT = 50

# (pressreader query, sort, FTS5 MATCH expression or None, extra SQL WHERE, rg plan or None)
# An rg plan is a list of steps: ("all", regex) keeps files matching, ("none", regex)
# drops them; regexes are case-insensitive.  Theme filters have no rg equivalent
# (themes come from the classifier): those queries are None for rg.
QUERIES: list[tuple[str, str, str | None, str, list[tuple[str, str]] | None]] = [
    # rare terms
    ("uranium", "relevance", "uranium", "", [("all", r"\buranium")]),
    ("shardara", "relevance", "shardara", "", [("all", r"\bshardara\b")]),
    ("aluminium", "relevance", "aluminium", "", [("all", r"\baluminium\b")]),
    ("bundesbank", "relevance", "bundesbank", "", [("all", r"\bbundesbank\b")]),
    # common terms
    ("bank", "relevance", "bank", "", [("all", r"\bbanks?\b")]),
    ("said", "relevance", "said", "", [("all", r"\bsaid\b")]),
    ("minister", "relevance", "minister", "", [("all", r"\bministers?\b")]),
    ("oil", "date", "oil", "", [("all", r"\boils?\b")]),
    # AND / OR / NOT
    ("oil prices", "relevance", "oil AND prices", "", [("all", r"\boils?\b"), ("all", r"\bprices?\b")]),
    (
        "central bank interest rates",
        "relevance",
        "central AND bank AND interest AND rates",
        "",
        [("all", r"\bcentral\b"), ("all", r"\bbanks?\b"), ("all", r"\binterests?\b"), ("all", r"\brates?\b")],
    ),
    (
        "wheat OR maize OR sugar",
        "relevance",
        "wheat OR maize OR sugar",
        "",
        [("all", r"\b(wheat|maize|sugar)\b")],
    ),
    ("water OR irrigation", "date", "water OR irrigation", "", [("all", r"\b(water|irrigation)\b")]),
    (
        "trade NOT japan",
        "relevance",
        "trade NOT japan",
        "",
        [("all", r"\btrades?\b"), ("none", r"\bjapan\b")],
    ),
    (
        "gold AND mine AND venture",
        "relevance",
        "gold AND mine AND venture",
        "",
        [("all", r"\bgold\b"), ("all", r"\bmines?\b"), ("all", r"\bventures?\b")],
    ),
    # phrases
    ('"foreign affairs"', "relevance", '"foreign affairs"', "", [("all", r"\bforeign\s+affairs\b")]),
    ('"interest rates"', "relevance", '"interest rates"', "", [("all", r"\binterest\s+rates?\b")]),
    ('"mln dlrs"', "relevance", '"mln dlrs"', "", [("all", r"\bmln\s+dlrs\b")]),
    ('"the company said"', "date", '"the company said"', "", [("all", r"\bthe\s+company\s+said\b")]),
    (
        '"trade deficit" japan',
        "relevance",
        '"trade deficit" AND japan',
        "",
        [("all", r"\btrade\s+deficits?\b"), ("all", r"\bjapan\b")],
    ),
    # wildcards
    ("export*", "relevance", "export*", "", [("all", r"\bexport\w*")]),
    ("petro*", "relevance", "petro*", "", [("all", r"\bpetro\w*")]),
    ("bank* AND credit*", "date", "bank* AND credit*", "", [("all", r"\bbank\w*"), ("all", r"\bcredit\w*")]),
    # filters: theme, date, source
    ("theme:energy", "relevance", "themes:energy", "", None),
    ("theme:energy oil", "relevance", "themes:energy AND oil", "", None),
    ("theme:diplomacy date:2019", "date", "themes:diplomacy", "date LIKE '2019%'", None),
    (
        "date:2021-06 bank",
        "relevance",
        "bank",
        "date LIKE '2021-06%'",
        [("all", r"^date: 2021-06"), ("all", r"\bbanks?\b")],
    ),
    (
        "date:[2018-01-01 to 2018-06-30] oil",
        "date",
        "oil",
        "date BETWEEN '2018-01-01' AND '2018-06-30'",
        [("all", r"^date: 2018-0[1-6]"), ("all", r"\boils?\b")],
    ),
    ("source:japan", "relevance", "source:japan", "", [("all", r"^source: .*japan")]),
    (
        'source:"Ministry of Energy of Norway" prices',
        "relevance",
        "prices",
        "source_name = 'Ministry of Energy of Norway'",
        [("all", r'^source: "Ministry of Energy of Norway"'), ("all", r"\bprices?\b")],
    ),
    (
        "source:kazakhstan theme:economy export*",
        "date",
        "source:kazakhstan AND themes:economy AND export*",
        "",
        None,
    ),
]
assert len(QUERIES) == 30


def rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(kids, 1)


# ---------------------------------------------------------------- pressreader
def time_queries(library: Library, snippets: bool) -> tuple[list[float], dict[str, float], dict[str, int]]:
    for text, sort, *_ in QUERIES:  # warm-up: searcher caches, sort columns
        library.search(text, sort=sort, limit=LIMIT, snippets=snippets)
    samples: list[float] = []
    per_query: dict[str, list[float]] = {text: [] for text, *_ in QUERIES}
    totals: dict[str, int] = {}
    for _ in range(REPEATS):
        for text, sort, *_ in QUERIES:
            started = time.perf_counter()
            result = library.search(text, sort=sort, limit=LIMIT, snippets=snippets)
            elapsed = time.perf_counter() - started
            if result.error:
                raise SystemExit(f"query {text!r} failed: {result.error}")
            samples.append(elapsed)
            per_query[text].append(elapsed)
            totals[text] = result.total
    return samples, {k: ms(statistics.median(v)) for k, v in per_query.items()}, totals


# ---------------------------------------------------------------- FTS5
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def build_fts5(files: list[Path], db_path: Path) -> tuple[sqlite3.Connection, float]:
    """The files into an FTS5 table (front matter parsed by a regex, porter stemming)."""
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE VIRTUAL TABLE a USING fts5(title, body, source, themes, path UNINDEXED, "
        "date UNINDEXED, source_name UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    rows = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        meta = dict(line.split(": ", 1) for line in match.group(1).splitlines()) if match else {}
        title = json.loads(meta.get("title", '""'))
        source = json.loads(meta.get("source", '""'))
        body = text[match.end() :] if match else text
        rows.append((title, body, source, "", str(path), meta.get("date", ""), source))
        if len(rows) >= 1000:
            db.executemany("INSERT INTO a VALUES (?,?,?,?,?,?,?)", rows)
            rows = []
    db.executemany("INSERT INTO a VALUES (?,?,?,?,?,?,?)", rows)
    db.commit()
    return db, time.perf_counter() - started


def fill_fts5_themes(db: sqlite3.Connection, library: Library) -> None:
    """Themes as pressreader's classifier assigned them (not part of the timed FTS5 import)."""
    themes = {}
    for article, _position, _fingerprint in library._catalog.all_articles():
        themes[article.path] = " ".join(article.themes)
    by_rowid = [(themes.get(path, ""), rowid) for rowid, path in db.execute("SELECT rowid, path FROM a")]
    # FTS5 has no UPDATE of one column in place cheaply; rewrite rows.
    db.executemany("UPDATE a SET themes = ? WHERE rowid = ?", by_rowid)
    db.commit()


def fts5_sql(match: str | None, where: str, sort: str) -> tuple[str, tuple]:
    clauses, args = [], []
    if match:
        clauses.append("a MATCH ?")
        args.append(match)
    if where:
        clauses.append(where)
    order = (
        "date DESC"
        if sort == "date" or not match or (match.startswith(("themes:", "source:")) and " AND " not in match)
        else "rank"
    )
    return (
        f"SELECT rowid, title, date FROM a WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT {LIMIT}",
        tuple(args),
    )


def time_fts5(db: sqlite3.Connection) -> tuple[list[float], dict[str, float], dict[str, int]]:
    prepared = [(text, *fts5_sql(match, where, sort)) for text, sort, match, where, _rg in QUERIES]
    for _text, sql, args in prepared:
        db.execute(sql, args).fetchall()
    samples, per_query, counts = [], {t: [] for t, *_ in prepared}, {}
    for _ in range(REPEATS):
        for text, sql, args in prepared:
            started = time.perf_counter()
            rows = db.execute(sql, args).fetchall()
            elapsed = time.perf_counter() - started
            samples.append(elapsed)
            per_query[text].append(elapsed)
            counts[text] = len(rows)
    return samples, {k: ms(statistics.median(v)) for k, v in per_query.items()}, counts


# ---------------------------------------------------------------- ripgrep
def rg_run(rg: str, corpus: Path, plan: list[tuple[str, str]]) -> int:
    """Files matching every step, as `rg -l -i` pipelines (later steps over the earlier files)."""
    files: list[str] | None = None
    for kind, regex in plan:
        flag = "--files-with-matches" if kind == "all" else "--files-without-match"
        if files is None:
            out = subprocess.run(
                [rg, flag, "-i", "--no-messages", "-e", regex, str(corpus)], capture_output=True, text=True
            ).stdout
        else:
            if not files:
                return 0
            # xargs-style: as many paths per rg process as the OS allows (chunks of 2,000).
            out = ""
            for start in range(0, len(files), 2000):
                out += subprocess.run(
                    [rg, flag, "-i", "--no-messages", "-e", regex, *files[start : start + 2000]],
                    capture_output=True,
                    text=True,
                ).stdout
        files = out.split()
    return len(files or [])


def time_rg(rg: str, corpus: Path) -> tuple[list[float], dict[str, float | None], dict[str, int]]:
    samples, per_query, counts = [], {}, {}
    for text, _sort, _match, _where, plan in QUERIES:
        if plan is None:
            per_query[text] = None
            continue
        rg_run(rg, corpus, plan)  # warm the page cache
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            counts[text] = rg_run(rg, corpus, plan)
            runs.append(time.perf_counter() - started)
        samples.extend(runs)
        per_query[text] = ms(statistics.median(runs))
    return samples, per_query, counts


# ---------------------------------------------------------------- main
def profile_to(path: Path, func, *args):  # type: ignore[no-untyped-def]
    profiler = cProfile.Profile()
    result = profiler.runcall(func, *args)
    with path.open("w") as handle:
        pstats.Stats(profiler, stream=handle).sort_stats("cumulative").print_stats(40)
    return result


PARTS = ("import", "search", "app")
#: Every figure the JSON always holds (a contract); ``None`` when that part did not run.
CONTRACT = (
    "import_per_s",
    "reimport_s",
    "search_p50_ms",
    "search_p95_ms",
    "fts5_search_p95_ms",
    "rg_search_p95_ms",
    "app_first_list_s",
    "keystroke_p95_ms",
    "first_results_after_pause_p95_ms",
    "open_article_p95_ms",
    "scroll_max_stall_ms",
    "peak_rss_mb",
)


def existing_library(path: Path | None) -> Library | None:
    """The library in ``path`` when there is one with articles in it."""
    if path is None:
        return None
    try:
        library = Library.open(path, create=False)
    except LibraryError:
        return None
    if library.count() == 0:
        library.close()
        return None
    return library


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, help="corpus size (not needed with --library and --only app)")
    parser.add_argument("--json", type=Path, required=True, help="where to write the figures")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default /tmp/pressreader-bench/N)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--library",
        type=Path,
        help="library folder to keep: the corpus is imported into it when it holds no library yet, "
        "else it is reused as it is (no import figures), so search and app runs take seconds",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only this part (repeatable): import, search (with FTS5 and rg), app",
    )
    parser.add_argument("--skip-app", action="store_true", help="leave out the app measurements")
    parser.add_argument("--skip-import", action="store_true", help="never import: --library must hold one")
    parser.add_argument("--launches", type=int, default=5, help="app launches for app_first_list_s")
    parser.add_argument("--scroll-presses", type=int, default=300, help="PgDn presses (scroll_max_stall_ms)")
    parser.add_argument("--articles", type=int, default=20, help="articles opened (open_article_p95_ms)")
    parser.add_argument(
        "--profile", type=Path, help="folder for cProfile reports (import of 2,000 files, slowest query)"
    )
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    if args.skip_app:
        parts.discard("app")
    if args.skip_import:
        parts.discard("import")

    work = Path(tempfile.mkdtemp(prefix="pressreader-bench-"))
    library_path = args.library or work / "library"
    library = existing_library(args.library)
    if library is not None:
        print(f"library: {library.count()} articles in {library_path} (reused, not imported)", flush=True)
        parts.discard("import")
    elif "import" not in parts:
        parser.error("nothing to measure on: without the import part, --library must name a library")
    if args.n is None:
        if library is None:
            parser.error("--n is needed to generate the corpus")
        args.n = library.count()

    manifest: dict = {}
    corpus = files = None
    if "import" in parts or "search" in parts:
        out = args.corpus or Path("/tmp/pressreader-bench") / str(args.n)
        t0 = time.perf_counter()
        manifest = generate.ensure(args.n, out, args.seed)
        gen_s = time.perf_counter() - t0
        corpus = out / "corpus"
        files = sorted(corpus.rglob("*.md"))
        print(
            f"corpus: {len(files)} files, {manifest['bytes'] / 1e6:.1f} MB in {corpus} "
            f"(ready in {gen_s:.1f} s)",
            flush=True,
        )

    figures: dict[str, object] = dict.fromkeys(CONTRACT)
    try:
        if "import" in parts:
            assert corpus is not None
            started = time.perf_counter()
            library = Library.open(library_path)
            report = library.import_paths([corpus])
            import_s = time.perf_counter() - started
            counts = report.counts
            print(f"import: {import_s:.1f} s {dict(counts)}", flush=True)
            started = time.perf_counter()
            again = library.import_paths([corpus])
            reimport_s = time.perf_counter() - started
            print(f"reimport: {reimport_s:.2f} s {dict(again.counts)}", flush=True)
            figures.update(
                import_per_s=round(args.n / import_s, 1),
                import_s=round(import_s, 2),
                import_counts=dict(counts),
                reimport_s=round(reimport_s, 3),
                reimport_counts=dict(again.counts),
            )
        assert library is not None
        figures.update(
            library_articles=library.count(),
            library_mb=round(sum(f.stat().st_size for f in library_path.rglob("*") if f.is_file()) / 1e6, 1),
        )
        if "search" in parts:
            assert corpus is not None and files is not None
            figures.update(search_figures(library, corpus, files, work, args.n, args.profile))
        if args.profile and "import" in parts:
            assert files is not None
            args.profile.mkdir(parents=True, exist_ok=True)
            lib2 = Library.open(work / "profile-library")
            profile_to(args.profile / "import_2000.txt", lib2.import_paths, files[:2000])
            lib2.close()
        library.close()
        if "app" in parts:
            figures.update(
                asyncio.run(app_figures(library_path, args.launches, args.scroll_presses, args.articles))
            )
            print("app: done", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    own, children = rss_mb()
    figures.update(peak_rss_mb=own, peak_rss_children_mb=children)
    figures.update(
        n=args.n,
        seed=args.seed,
        parts=sorted(parts),
        library=str(library_path) if args.library else None,
        corpus=str(corpus) if corpus else None,
        corpus_mb=round(manifest["bytes"] / 1e6, 1) if manifest else None,
        corpus_median_bytes=manifest.get("median_bytes"),
        date=time.strftime("%Y-%m-%d %H:%M"),
        machine={
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        command=" ".join([Path(sys.executable).name, *sys.argv]),
        repeats=REPEATS,
        limit=LIMIT,
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print_table(figures)


def search_figures(
    library: Library, corpus: Path, files: list[Path], work: Path, n: int, profile: Path | None
) -> dict[str, object]:
    """Library.search, FTS5 and ripgrep over the same 30 queries."""
    figures: dict[str, object] = {}
    samples, per_query, totals = time_queries(library, snippets=False)
    snip_samples, snip_per_query, _ = time_queries(library, snippets=True)
    print("search: done", flush=True)
    db, fts_build_s = build_fts5(files, work / "fts5.sqlite3")
    fill_fts5_themes(db, library)
    fts_samples, fts_per_query, fts_counts = time_fts5(db)
    db.close()
    print(f"fts5: built in {fts_build_s:.1f} s", flush=True)
    rg = shutil.which("rg")
    if rg is None:
        subprocess.run(["apt-get", "install", "-y", "ripgrep"], capture_output=True)
        rg = shutil.which("rg")
    if rg:
        rg_samples, rg_per_query, rg_counts = time_rg(rg, corpus)
        rg_version = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    else:
        rg_samples, rg_per_query, rg_counts, rg_version = [], {}, {}, None
    print("rg: done", flush=True)
    figures.update(
        search_p50_ms=ms(pct(samples, 0.5)),
        search_p95_ms=ms(pct(samples, 0.95)),
        search_max_ms=ms(max(samples)),
        search_snippets_p50_ms=ms(pct(snip_samples, 0.5)),
        search_snippets_p95_ms=ms(pct(snip_samples, 0.95)),
        fts5_import_per_s=round(n / fts_build_s, 1),
        fts5_search_p50_ms=ms(pct(fts_samples, 0.5)),
        fts5_search_p95_ms=ms(pct(fts_samples, 0.95)),
        rg_search_p50_ms=ms(pct(rg_samples, 0.5)) if rg_samples else None,
        rg_search_p95_ms=ms(pct(rg_samples, 0.95)) if rg_samples else None,
        rg_version=rg_version,
        rg_queries=sum(1 for v in rg_per_query.values() if v is not None),
        queries=[
            {
                "query": text,
                "sort": sort,
                "fts5": match,
                "fts5_where": where,
                "total": totals[text],
                "ms": per_query[text],
                "snippets_ms": snip_per_query[text],
                "fts5_ms": fts_per_query[text],
                "fts5_rows": fts_counts[text],
                "rg_ms": rg_per_query.get(text),
                "rg_files": rg_counts.get(text),
            }
            for text, sort, match, where, _plan in QUERIES
        ],
    )
    queries: list[dict] = figures["queries"]  # type: ignore[assignment]
    figures["queries_slower_than_rg"] = [
        q["query"] for q in queries if q["rg_ms"] is not None and q["ms"] > q["rg_ms"]
    ]
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
        slowest = max(queries, key=lambda q: q["ms"])
        profile_to(
            profile / "slowest_query.txt",
            lambda: library.search(slowest["query"], sort=slowest["sort"], limit=LIMIT, snippets=False),
        )
    return figures


TARGETS = {
    "import_per_s": (">=", 500),
    "reimport_s": ("<=", 5),
    "search_p50_ms": ("<=", 50),
    "search_p95_ms": ("<=", 300),
    "app_first_list_s": ("<=", 1),
    "keystroke_p95_ms": ("<=", 150),
    "first_results_after_pause_p95_ms": ("<=", 100),
    "open_article_p95_ms": ("<=", 50),
    "peak_rss_mb": ("<=", 400),
}


def print_table(f: dict) -> None:
    corpus = "no corpus"
    if f.get("corpus_mb"):
        corpus = f"{f['corpus_mb']} MB, median {f['corpus_median_bytes']} B"
    print(f"\nN = {f['n']}  ({corpus}; parts: {', '.join(f['parts'])})")
    print(f"{'figure':36} {'value':>12}  {'target@100k':>12}  met")
    for key in [
        "import_per_s",
        "fts5_import_per_s",
        "reimport_s",
        "search_p50_ms",
        "search_p95_ms",
        "search_snippets_p50_ms",
        "search_snippets_p95_ms",
        "fts5_search_p50_ms",
        "fts5_search_p95_ms",
        "rg_search_p50_ms",
        "rg_search_p95_ms",
        "app_first_list_s",
        "keystroke_p95_ms",
        "keystroke_echo_p95_ms",
        "first_results_after_pause_p95_ms",
        "open_article_p95_ms",
        "open_article_long_max_ms",
        "scroll_max_stall_ms",
        "scroll_end_filled_ms",
        "keystrokes_dropped_fast_typing",
        "peak_rss_mb",
    ]:
        if key not in f:
            continue
        value = f.get(key)
        target = TARGETS.get(key)
        met = ""
        if target and value is not None:
            met = "yes" if (value >= target[1] if target[0] == ">=" else value <= target[1]) else "NO"
        shown = "n/a" if value is None else value
        print(f"{key:36} {shown!s:>12}  {(target[0] + str(target[1])) if target else '':>12}  {met}")
    if f.get("queries"):
        print(f"\n{'query':45} {'hits':>6} {'pr ms':>8} {'fts5 ms':>8} {'rg ms':>8}")
        for q in f["queries"]:
            rg = "n/a" if q["rg_ms"] is None else q["rg_ms"]
            print(f"{q['query'][:45]:45} {q['total']:>6} {q['ms']:>8} {q['fts5_ms']:>8} {rg!s:>8}")


if __name__ == "__main__":
    main()
