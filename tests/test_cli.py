"""The command line, a contract scripts rely on: JSON shapes, exit codes, plain-text safety.

Most tests call ``pressreader.cli.main(argv)`` in-process (fast); a few run
``python -m pressreader`` in a child process to prove the real entry point.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

import pressreader
from conftest import (
    JAPAN_GRANT,
    PYTHON,
    SEED,
    THEME_IDS,
    URANIUM_SHIPMENT,
    SampleLibrary,
    copy_files,
    subprocess_env,
)
from pressreader import cli
from pressreader.ingest import read_file
from pressreader.library import Library

HOSTILE_RELEASE = (
    "---\n"
    'title: "[bold red]x[/"\n'
    'source: "[blink]Agency[/blink]"\n'
    "date: 2024-01-02\n"
    "---\n\n"
    "Kazakhstan \x1b]0;pwned\x07exports \x1b[31mzirconium\x1b[0m to Korea [link=https://evil.example]here[/link].\n"
)


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


Run = Callable[..., Outcome]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Call the CLI in-process; ``stdin`` bytes stand in for a pipe."""

    def call(*args: str | Path, stdin: bytes | None = None) -> Outcome:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        try:
            code = cli.main([str(arg) for arg in args])
        except SystemExit as leaving:  # argparse: --help, --version, usage errors
            code = leaving.code if isinstance(leaving.code, int) else (0 if leaving.code is None else 2)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return call


def spawn(tmp_path: Path, *args: str | Path, stdin: bytes | None = None, **env: str) -> Outcome:
    """Run ``python -m pressreader`` in a child process with everything under tmp_path."""
    done = subprocess.run(
        [PYTHON, "-m", "pressreader", *map(str, args)],
        input=stdin,
        capture_output=True,
        env=subprocess_env(tmp_path, **env),
        cwd=tmp_path,
        timeout=60,
    )
    return Outcome(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_files(tmp_path / "releases", SEED, URANIUM_SHIPMENT, JAPAN_GRANT)


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text, text


# ---------------------------------------------------------------------- import
def test_import_json_shape_and_success(run: Run, tmp_path: Path, folder: Path) -> None:
    result = run("import", folder, "--json", "--index", tmp_path / "lib")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert {k: payload[k] for k in ("added", "updated", "unchanged", "duplicate", "rejected")} == {
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicate": 0,
        "rejected": 0,
    }
    assert len(payload["files"]) == 3
    for item in payload["files"]:
        assert set(item) >= {"path", "status", "reason", "articles"}
        assert item["status"] == "added" and item["articles"] == 1 and item["reason"] == ""
        assert Path(item["path"]).parent == folder.resolve()

    again = json.loads(run("import", folder, "--json", "--index", tmp_path / "lib").out)
    assert again["unchanged"] == 3 and again["added"] == 0


def test_import_with_a_rejected_file_exits_1_and_imports_the_rest(
    run: Run, tmp_path: Path, folder: Path
) -> None:
    (folder / "empty.txt").write_bytes(b"")
    result = run("import", folder, "--json", "--index", tmp_path / "lib")
    assert result.code == 1
    payload = json.loads(result.out)
    assert payload["added"] == 3 and payload["rejected"] == 1
    rejected = [item for item in payload["files"] if item["status"] == "rejected"]
    assert [Path(item["path"]).name for item in rejected] == ["empty.txt"]
    assert "empty" in rejected[0]["reason"]
    stats = json.loads(run("stats", "--json", "--index", tmp_path / "lib").out)
    assert stats["articles"] == 3


def test_import_text_report_names_the_rejected_file(run: Run, tmp_path: Path, folder: Path) -> None:
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    result = run("import", folder, "--index", tmp_path / "lib")
    assert result.code == 1
    assert "picture.txt" in result.out and "binary" in result.out
    assert "3 added" in result.out and "1 rejected" in result.out
    assert "\x1b" not in result.out + result.err


@pytest.mark.parametrize(
    "args",
    [
        ["import", "--no-such-option", "x"],
        ["import"],
        ["search"],
        ["search", "uranium", "--limit", "0"],
        ["search", "uranium", "--limit", "many"],
        ["search", "uranium", "--sort", "size"],
        ["show"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 2
    assert "usage" in result.err.lower() or "error" in result.err.lower()
    _no_traceback(result.err)


# ---------------------------------------------------------------------- search
SEARCH_KEYS = {"id", "title", "date", "source", "score", "themes", "snippet"}


def test_search_json_lines(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "uranium", "--json", "--limit", "50", "--index", sample_library.path)
    assert result.code == 0
    hits = result.json_lines()
    assert sample_library.seed.id in [hit["id"] for hit in hits]
    for hit in hits:
        assert set(hit) >= SEARCH_KEYS
        assert isinstance(hit["themes"], list) and isinstance(hit["score"], (int, float))
        assert hit["snippet"]
    seed = next(hit for hit in hits if hit["id"] == sample_library.seed.id)
    assert seed["date"] == "2024-11-24" and seed["source"] == "Kazakh MFA"
    assert seed["title"] == sample_library.seed.title
    assert "energy" in seed["themes"]


def test_search_with_no_match_says_did_you_mean_on_stderr(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "uranum", "--json", "--index", sample_library.path)
    assert result.code == 0
    assert result.out == ""  # JSON lines stay clean for scripts
    assert "Did you mean: uranium" in result.err


def test_search_limit(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "uranium", "--json", "--limit", "3", "--index", sample_library.path)
    assert len(result.json_lines()) == 3
    everything = run("search", "", "--json", "--limit", "1000", "--index", sample_library.path)
    assert len(everything.json_lines()) == len(sample_library.articles)


def test_search_sort_by_date(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "uranium", "--sort", "date", "--json", "--index", sample_library.path)
    dates = [hit["date"] for hit in result.json_lines()]
    assert len(dates) > 3
    assert dates == sorted(dates, reverse=True)


def test_search_text_output(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "Nurtleu", "--index", sample_library.path)
    assert result.code == 0
    assert sample_library.seed.title in result.out
    assert sample_library.seed.id in result.out
    assert "2024-11-24" in result.out and "Kazakh MFA" in result.out
    assert "1 match" in result.err


def test_search_without_matches_says_so(run: Run, sample_library: SampleLibrary) -> None:
    result = run("search", "zzyzxqq", "--index", sample_library.path)
    assert result.code == 0
    assert result.out == ""
    assert "0 match" in result.err
    assert run("search", "zzyzxqq", "--json", "--index", sample_library.path).out == ""


@pytest.mark.parametrize("query", ["a AND (b", '"unclosed', "theme:nosuch", "foo:bar"])
def test_bad_query_exits_2_with_the_message_on_stderr(
    run: Run, sample_library: SampleLibrary, query: str
) -> None:
    result = run("search", query, "--json", "--index", sample_library.path)
    assert result.code == 2
    assert result.out == ""
    assert "query" in result.err.lower()
    assert sample_library.library.search(query).error in result.err
    _no_traceback(result.err)


# ------------------------------------------------------------------------ show
def test_show_json(run: Run, sample_library: SampleLibrary) -> None:
    seed = sample_library.seed
    result = run("show", seed.id, "--json", "--index", sample_library.path)
    assert result.code == 0
    article = json.loads(result.out)
    assert set(article) >= {"id", "title", "date", "source", "url", "lang", "paragraphs"}
    assert (article["id"], article["title"], article["date"], article["source"]) == (
        seed.id,
        seed.title,
        "2024-11-24",
        "Kazakh MFA",
    )
    assert article["url"] == "" and article["lang"] == "en"
    assert [p["text"] for p in article["paragraphs"]] == [p.text for p in seed.paragraphs]
    for paragraph in article["paragraphs"]:
        for theme in paragraph["themes"]:
            assert set(theme) >= {"id", "score"}
            assert theme["id"] in THEME_IDS
    uranium = next(p for p in article["paragraphs"] if "uranium" in p["text"])
    assert uranium["themes"][0]["id"] == "energy"


def test_show_accepts_a_unique_id_prefix(run: Run, sample_library: SampleLibrary) -> None:
    seed_id = sample_library.seed.id
    prefix = next(
        seed_id[:n]
        for n in range(4, len(seed_id))
        if sample_library.library.resolve(seed_id[:n]) == [seed_id]
    )
    result = run("show", prefix, "--json", "--index", sample_library.path)
    assert result.code == 0
    assert json.loads(result.out)["id"] == seed_id


def test_show_unknown_id_exits_1(run: Run, sample_library: SampleLibrary) -> None:
    result = run("show", "ffffzzzz", "--index", sample_library.path)
    assert result.code == 1
    assert "ffffzzzz" in result.err
    assert result.out == ""
    _no_traceback(result.err)


def test_show_ambiguous_prefix_exits_1(run: Run, sample_library: SampleLibrary) -> None:
    ids = sorted(sample_library.articles)
    prefix = next(a[0] for a, b in pairwise(ids) if a[0] == b[0])
    result = run("show", prefix, "--index", sample_library.path)
    assert result.code == 1
    assert "several" in result.err or "more of the id" in result.err


def test_show_text_output(run: Run, sample_library: SampleLibrary) -> None:
    result = run("show", sample_library.seed.id, "--index", sample_library.path)
    assert result.code == 0
    assert sample_library.seed.title in result.out
    for paragraph in sample_library.seed.paragraphs:
        assert paragraph.text in result.out
    assert "Energy" in result.out and "Transport" in result.out


# -------------------------------------------------------------------- classify
def test_classify_a_file(run: Run, tmp_path: Path) -> None:
    result = run("classify", SEED, "--json")
    assert result.code == 0
    document = json.loads(result.out)
    assert [p["text"] for p in document["paragraphs"]] == [p.text for p in read_file(SEED)[0].paragraphs]
    uranium = next(p for p in document["paragraphs"] if "uranium" in p["text"])
    assert uranium["themes"][0]["id"] == "energy"
    assert not (tmp_path / "env-index").exists(), "classify must not touch the library"


def test_classify_standard_input(run: Run, tmp_path: Path) -> None:
    text = (
        "Kazakhstan and Korea discussed the Trans-Caspian International Transport Route "
        "and cargo transit.\n\n"
        "Стороны обсудили поставки урана и строительство атомной электростанции.\n"
    )
    result = run("classify", "-", "--json", stdin=text.encode("utf-8"))
    assert result.code == 0, result.err
    document = json.loads(result.out)
    primaries = [p["themes"][0]["id"] for p in document["paragraphs"]]
    assert primaries == ["transport", "energy"]
    assert not (tmp_path / "env-index").exists()


def test_classify_rejected_input_exits_1(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("classify", empty)
    assert result.code == 1
    assert "empty" in result.err
    _no_traceback(result.err)
    missing = run("classify", tmp_path / "missing.txt")
    assert missing.code == 2 and "missing.txt" in missing.err  # a bad path: a usage error
    assert missing.err.startswith("usage: pressreader classify")


# ------------------------------------------------------------- themes, stats
def test_themes_json(run: Run) -> None:
    result = run("themes", "--json")
    assert result.code == 0
    payload = json.loads(result.out)
    assert [t["id"] for t in payload["themes"]] == THEME_IDS
    assert all(t["label"] and t["color"].startswith("#") for t in payload["themes"])


def test_themes_reads_the_user_file(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "env-config"
    config.mkdir()
    (config / "themes.toml").write_text(
        '[themes.falconry]\nlabel = "Falconry"\ncolor = "#aa5500"\n[themes.falconry.terms]\n"falconry" = 3\n',
        encoding="utf-8",
    )
    payload = json.loads(run("themes", "--json").out)
    assert [t["id"] for t in payload["themes"]] == [*THEME_IDS, "falconry"]
    text = "The falconry festival drew hunters from five countries."
    result = run("classify", "-", "--json", stdin=text.encode())
    assert json.loads(result.out)["paragraphs"][0]["themes"][0]["id"] == "falconry"


def test_malformed_user_theme_file_is_reported(
    run: Run, tmp_path: Path, sample_library: SampleLibrary
) -> None:
    config = tmp_path / "env-config"
    config.mkdir()
    (config / "themes.toml").write_text('[themes.energy]\ncolor = "orange"\n', encoding="utf-8")
    for args in (["themes"], ["search", "uranium", "--index", str(sample_library.path)]):
        result = run(*args)
        assert result.code == 1
        assert str(config / "themes.toml") in result.err
        assert "themes.energy.color" in result.err and "line 2" in result.err
        _no_traceback(result.err)


def test_stats_json(run: Run, sample_library: SampleLibrary) -> None:
    result = run("stats", "--json", "--index", sample_library.path)
    assert result.code == 0
    stats = json.loads(result.out)
    assert set(stats) >= {"articles", "sources", "oldest", "newest", "themes"}
    articles = sample_library.articles.values()
    assert stats["articles"] == len(sample_library.articles)
    assert stats["sources"]["Kazakh MFA"] == sum(1 for a in articles if a.source == "Kazakh MFA")
    assert stats["oldest"] == min(a.date for a in articles)
    assert stats["newest"] == max(a.date for a in articles)
    assert list(stats["themes"]) == THEME_IDS
    assert stats["themes"]["energy"] == sample_library.library.search("theme:energy").total


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"pressreader {pressreader.__version__}"


# ------------------------------------------------------------------- --index
@pytest.mark.parametrize("where", ["before", "after"])
def test_index_option_works_on_every_command(run: Run, tmp_path: Path, folder: Path, where: str) -> None:
    index = tmp_path / "chosen"

    def call(*args: str | Path) -> Outcome:
        option = ("--index", index)
        outcome = run(*option, *args) if where == "before" else run(*args, *option)
        assert outcome.code == 0, outcome.err
        return outcome

    assert json.loads(call("import", folder, "--json").out)["added"] == 3
    seed = read_file(SEED)[0]
    assert seed.id in [hit["id"] for hit in call("search", "Nurtleu", "--json").json_lines()]
    assert json.loads(call("show", seed.id, "--json").out)["id"] == seed.id
    assert json.loads(call("stats", "--json").out)["articles"] == 3
    assert len(json.loads(call("themes", "--json").out)["themes"]) == 10
    assert json.loads(call("classify", SEED, "--json").out)["paragraphs"]
    assert not (tmp_path / "env-index").exists(), "--index must win over PRESSREADER_INDEX"
    # Without --index the environment variable is used; a read-only command says
    # there is no library there rather than creating one at a mistyped path.
    missing = run("stats", "--json")
    assert missing.code == 1
    assert "no pressreader library" in missing.err and "env-index" in missing.err
    assert not (tmp_path / "env-index").exists()


# ---------------------------------------------------------- untrusted text
@pytest.fixture
def hostile_library(tmp_path: Path) -> Path:
    releases = tmp_path / "hostile"
    releases.mkdir()
    (releases / "hostile.md").write_text(HOSTILE_RELEASE, encoding="utf-8")
    index = tmp_path / "hostile-library"
    with Library.open(index) as library:
        assert library.import_paths([releases]).counts["added"] == 1
    return index


def test_markup_and_escapes_come_out_as_plain_text(run: Run, hostile_library: Path) -> None:
    search = run("search", "zirconium", "--index", hostile_library)
    article_id = json.loads(run("search", "zirconium", "--json", "--index", hostile_library).out)["id"]
    show = run("show", article_id, "--index", hostile_library)
    for result in (search, show):
        assert result.code == 0
        assert "[bold red]x[/" in result.out
        assert "[blink]Agency[/blink]" in result.out
        assert "[link=https://evil.example]here[/link]" in result.out
        assert "\x1b" not in result.out and "\x07" not in result.out
        assert "pwned" not in result.out
    shown = json.loads(run("show", article_id, "--json", "--index", hostile_library).out)
    assert shown["title"] == "[bold red]x[/"
    assert shown["paragraphs"][0]["text"] == (
        "Kazakhstan exports zirconium to Korea [link=https://evil.example]here[/link]."
    )


# ------------------------------------------------- the real entry point
def test_entry_point_import_piped_prints_a_plain_summary(tmp_path: Path, folder: Path) -> None:
    first = spawn(tmp_path, "import", folder)
    assert first.code == 0, first.err
    assert "\x1b" not in first.out + first.err, "no progress bar or colour when piped"
    lines = first.out.strip().splitlines()
    assert len(lines) == 1, "piped, a good import prints only its summary"
    assert "3 added" in lines[0] and "0 rejected" in lines[0]

    (folder / "empty.txt").write_bytes(b"")
    second = spawn(tmp_path, "import", folder)
    assert second.code == 1
    assert "\x1b" not in second.out + second.err
    lines = second.out.strip().splitlines()
    assert len(lines) == 2, "piped: the rejected file with its reason, then the summary"
    assert "empty.txt" in lines[0] and "empty file" in lines[0]
    assert "3 unchanged" in lines[1] and "1 rejected" in lines[1]


def test_entry_point_search_show_and_errors(tmp_path: Path, folder: Path) -> None:
    assert spawn(tmp_path, "import", folder, "--json").code == 0
    hits = spawn(tmp_path, "search", "uranium", "--json", "--limit", "2").json_lines()
    assert len(hits) == 2 and all(set(hit) >= SEARCH_KEYS for hit in hits)
    shown = spawn(tmp_path, "show", hits[0]["id"][:10], "--json")
    assert shown.code == 0 and json.loads(shown.out)["id"] == hits[0]["id"]

    bad = spawn(tmp_path, "search", "a AND (b")
    assert bad.code == 2
    assert "unclosed parenthesis" in bad.err
    _no_traceback(bad.err)

    usage = spawn(tmp_path, "import", "--no-such-option", folder)
    assert usage.code == 2 and "usage" in usage.err.lower()

    unknown = spawn(tmp_path, "show", "ffffzzzz")
    assert unknown.code == 1 and "ffffzzzz" in unknown.err
    _no_traceback(unknown.err)


def test_entry_point_version_and_stdin(tmp_path: Path) -> None:
    version = spawn(tmp_path, "--version")
    assert version.code == 0 and version.out.strip() == f"pressreader {pressreader.__version__}"
    classified = spawn(
        tmp_path,
        "classify",
        "-",
        "--json",
        stdin=b"Kazakhstan mines uranium for nuclear power plants.\n",
    )
    assert classified.code == 0, classified.err
    assert json.loads(classified.out)["paragraphs"][0]["themes"][0]["id"] == "energy"


def test_entry_point_on_a_colour_terminal_keeps_release_text_inert(
    tmp_path: Path, hostile_library: Path
) -> None:
    """Even when Rich styles its output, brackets in a release are text and no escape from it survives."""
    colour = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "200"}
    search = spawn(tmp_path, "search", "zirconium", "--index", hostile_library, **colour)
    assert search.code == 0, search.err
    assert "\x1b[" in search.out, "the colour terminal was not simulated"
    article_id = read_file(tmp_path / "hostile" / "hostile.md")[0].id
    show = spawn(tmp_path, "show", article_id, "--index", hostile_library, **colour)
    for result in (search, show):
        assert "[bold red]x[/" in result.out
        assert "[blink]Agency[/blink]" in result.out
        assert "\x1b]" not in result.out and "\x07" not in result.out and "pwned" not in result.out


# ------------------------------------------------------- review regressions
def test_control_sequences_in_file_names_never_reach_the_terminal(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "a\x1b]0;pwned\x07\x1b[31mRED.md").write_bytes(b"")
    (folder / "b\x1b[2J.txt").write_text("hello.\n\nbody.\n", encoding="utf-8")
    result = run("import", folder)
    assert result.code == 1
    assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
    assert "\\x1b]0;pwned" in result.out  # shown, escaped, so the user sees what the name holds


def test_an_option_value_is_never_taken_for_a_command() -> None:
    assert cli._find_command(["-q", "stats"]) is None  # the reader, opened on the query "stats"
    assert cli._find_command(["--query", "search"]) is None
    assert cli._find_command(["--index", "import", "stats", "--json"]) == "stats"


def test_a_mistyped_command_is_a_usage_error_not_a_silent_reader(run: Run, tmp_path: Path) -> None:
    result = run("serach", "uranium", "--index", tmp_path / "lib")
    assert result.code == 2
    assert "no such file or folder: serach" in result.err and "'search'" in result.err


def test_the_summary_counts_removed_files(run: Run, tmp_path: Path, folder: Path) -> None:
    index = tmp_path / "lib"
    run("import", folder, "--index", index)
    (folder / SEED.name).unlink()
    result = run("import", folder, "--index", index)
    assert "1 removed" in result.out


@pytest.mark.parametrize(
    "command", [("import", "/no/such/folder"), ("classify", "/no/such/file.txt"), ("/no/such/folder",)]
)
def test_a_bad_path_gets_the_usage_line_and_exit_2(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    index = tmp_path / "lib"
    result = run(*command, "--index", index)
    assert result.code == 2
    assert result.err.startswith("usage: pressreader") and "no such file" in result.err
    assert not index.exists()  # found before anything was written
