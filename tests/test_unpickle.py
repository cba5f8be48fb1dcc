"""Opening a library never runs code from it (issue 12).

Whoosh keeps its TOC, stored fields, postings and positions as pickles, and a
pickle can call anything.  Planted here in real libraries: TOCs whose schema or
segment list calls ``os.system``, ``subprocess.call`` or ``builtins.eval``, and
stored fields that do; each payload would create a file, and none may.  Each
is reported as damage naming the file and what it asked for; ``rebuild`` makes
the library again without reading them.  A real library (the samples and the
tests' fixtures) still opens, searches and exports through the same unpickler.
The ``./index`` lookup opens only a library pressreader marked for this user.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, SAMPLE_DATA
from pressreader import cli, config
from pressreader._whoosh import filestore
from pressreader._whoosh import index as whoosh_index
from pressreader.library import Library, LibraryError
from pressreader.library.export import export_search
from pressreader.library.schema import build_schema, document
from pressreader.ui.app import make_app

SRC = Path(__file__).resolve().parents[1] / "src" / "pressreader"


class _Call:
    """An object whose pickle calls ``function(*args)`` when it is loaded."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function, self.args = function, args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.function, self.args)


def _payloads(flag: Path) -> dict[str, _Call]:
    """Ways a pickle runs code, each creating ``flag``; by the name pickle gives it."""
    code = f"open({str(flag)!r}, 'w').close()"
    payloads = {
        f"{subprocess.call.__module__}.call": _Call(subprocess.call, [sys.executable, "-c", code]),
        "builtins.eval": _Call(eval, code),
        "builtins.exec": _Call(exec, code),
    }
    if os.name == "posix":
        payloads[f"{os.system.__module__}.system"] = _Call(os.system, f"touch '{flag}'")
    return payloads


PAYLOADS = sorted(_payloads(Path("x")))


def _library(tmp_path: Path) -> Path:
    index = tmp_path / "lib"
    with Library.open(index) as library:
        assert library.import_paths([SAMPLE_DATA]).counts["rejected"] == 0
    return index


def _plant_toc(index: Path, *, schema: object = None, segments: object = None) -> Path:
    """A new generation of the TOC, as Whoosh writes one, with a hostile schema or segment list."""
    storage = filestore.FileStorage(str(index / "whoosh"))
    toc = whoosh_index.TOC.read(storage, "articles")
    generation = toc.generation + 1
    name = whoosh_index.TOC._filename("articles", generation)
    stream = storage.create_file(name)
    for size in (whoosh_index._INT_SIZE, whoosh_index._LONG_SIZE, whoosh_index._FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(whoosh_index._CURRENT_TOC_VERSION)
    for number in (2, 7, 4):
        stream.write_varint(number)
    stream.write_string(pickle.dumps(build_schema() if schema is None else schema, 2))
    stream.write_int(generation)
    stream.write_int(0)
    stream.write_pickle(toc.segments if segments is None else segments)
    stream.close()
    return index / "whoosh" / name


def _plant_stored_fields(index: Path, query: str, value: object) -> str:
    """The first article ``query`` finds written again with ``value`` as its stored title."""
    with Library.open(index) as library:
        article = library.get(library.search(query, limit=1).hits[0].id)
    assert article is not None
    fields = document(article)
    fields["title_text"] = value
    writer = whoosh_index.open_dir(str(index / "whoosh"), indexname="articles").writer()
    writer.update_document(**fields)
    writer.commit()
    return article.id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ------------------------------------------------------------ no door around
def test_no_whoosh_or_pressreader_module_unpickles_past_the_restricted_unpickler() -> None:
    import _pickle

    import pressreader._unpickle as unpickle
    import pressreader.cli
    import pressreader.library.export  # noqa: F401

    unrestricted = {
        id(value): name
        for name, value in (
            ("pickle", pickle),
            ("_pickle", _pickle),
            ("pickle.loads", pickle.loads),
            ("pickle.load", pickle.load),
            ("pickle.Unpickler", pickle.Unpickler),
            ("pickle._Unpickler", pickle._Unpickler),
            ("pickle._loads", pickle._loads),
            ("pickle._load", pickle._load),
        )
    }
    found = []
    for module_name, module in list(sys.modules.items()):
        if module is None or module_name.split(".")[0] not in ("whoosh", "pressreader"):
            continue
        if module in (unpickle, sys.modules["pressreader._whoosh"]):
            continue  # the restricted unpickler, and the door that hands it to Whoosh
        for key, value in vars(module).items():
            if id(value) in unrestricted:
                found.append(f"{module_name}.{key} is {unrestricted[id(value)]}")
            elif (
                isinstance(value, type)
                and issubclass(value, (pickle.Unpickler, pickle._Unpickler))
                and not issubclass(value, unpickle.Unpickler)
            ):
                found.append(f"{module_name}.{key} is an unrestricted Unpickler")
    assert not found
    # Nor does pressreader's own code reach pickle some other way (a local import).
    sources = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "_unpickle.py"
        and re.search(r"^\s*(import|from)\s+_?c?[pP]ickle\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert sources == ["_whoosh.py"]  # which hands Whoosh the restricted names


@pytest.mark.parametrize(
    "door",
    [
        "whoosh.index.pickle.loads",
        "whoosh.compat.loads",
        "whoosh.compat.load",
        "whoosh.formats.loads",
        "whoosh.columns.loads",
        "whoosh.codec.whoosh3.loads",
        "whoosh.codec.plaintext.loads",
        "whoosh.filedb.structfile.load_pickle",
        "whoosh.externalsort.load",
        "whoosh.multiproc.pickle.load",
        "pressreader.library.phrase.loads",
        "pressreader.library.ranking.loads",
    ],
)
def test_every_way_whoosh_and_pressreader_unpickle_refuses_a_payload(door: str, tmp_path: Path) -> None:
    import io

    import pressreader.cli  # noqa: F401

    module_name, _, attribute = door.rpartition(".")
    if module_name.endswith(".pickle"):
        module_name, _, holder = module_name.rpartition(".")
        function = getattr(getattr(sys.modules[module_name], holder), attribute)
    else:
        function = getattr(sys.modules[module_name], attribute)
    flag = tmp_path / "ran"
    for what, payload in _payloads(flag).items():
        data = pickle.dumps(payload, 2)
        with pytest.raises(pickle.UnpicklingError, match=f"refuses to load {re.escape(what)}"):
            function(io.BytesIO(data) if attribute in ("load", "load_pickle") else data)
    # What a library holds is read as ever (positions: pickles of integers).
    for value in ([3, 1, 4], {"id": "5e8c", "title_text": "Uranium", "lang": "en"}):
        data = pickle.dumps(value, 2)
        assert function(io.BytesIO(data) if attribute in ("load", "load_pickle") else data) == value
    assert not flag.exists()


# ---------------------------------------------------------- hostile libraries
@pytest.mark.parametrize("what", PAYLOADS)
@pytest.mark.parametrize("where", ["schema", "segments"])
def test_a_hostile_toc_is_damage_named_never_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str, where: str
) -> None:
    index = _library(tmp_path)
    flag = tmp_path / "ran"
    toc = _plant_toc(index, **{where: _payloads(flag)[what]})
    for argv in (
        ["stats"],
        ["stats", "--json"],
        ["search", "uranium"],
        ["search", "uranium", "--json"],
        ["show", "5e8c", "--json"],
        ["export", "uranium", "--format", "json"],
    ):
        status, out, err = _run(capsys, *argv, "--index", str(index))
        assert status == 1, argv
        assert out == "", argv  # nothing half-said on stdout, JSON or not
        assert f"{toc}: refuses to load {what} (not something a library holds)" in err, argv
        assert "damaged" in err and "pressreader rebuild" in err and "unexpected error" not in err
    # The reader's core, and the reader itself (it opens the core first).
    with pytest.raises(LibraryError, match=f"{re.escape(str(toc))}: refuses to load {re.escape(what)}"):
        Library.open(index)
    status, _, err = _run(capsys, "--index", str(index))
    assert status == 1 and "refuses to load" in err
    assert not flag.exists()

    # The way out: rebuild reads the catalog and the source files, never the TOC.
    status, out, err = _run(capsys, "rebuild", "--index", str(index))
    assert status == 0, err
    assert "43 articles" in out
    status, out, _ = _run(capsys, "search", "uranium", "--json", "--index", str(index))
    assert status == 0 and len(out.splitlines()) >= 8
    assert not flag.exists()


def test_a_read_only_library_with_a_hostile_toc_is_damage_too(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root writes read-only folders")
    index = _library(tmp_path)
    flag = tmp_path / "ran"
    toc = _plant_toc(index, schema=_payloads(flag)["builtins.eval"])
    folders = [index, index / "whoosh"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        with pytest.raises(LibraryError, match=f"{re.escape(str(toc))}: refuses to load builtins.eval"):
            Library.open(index)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert not flag.exists()


@pytest.mark.parametrize("what", PAYLOADS)
def test_hostile_stored_fields_are_damage_named_never_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    index = _library(tmp_path)
    flag = tmp_path / "ran"
    _plant_stored_fields(index, "uranium", _payloads(flag)[what])
    for argv in (["search", "uranium", "--json"], ["export", "uranium", "--format", "csv"]):
        status, out, err = _run(capsys, *argv, "--index", str(index))
        assert status == 1 and out == "", argv
        said = re.search(r"\((/\S+): refuses to load (\S+) \(not something a library holds\)\)", err)
        assert said is not None, err
        assert said.group(2) == what
        # The segment's file that holds them, in the library's index folder.
        assert Path(said.group(1)).parent == index / "whoosh" and Path(said.group(1)).is_file()
        assert "pressreader rebuild" in err
    assert not flag.exists()
    status, out, err = _run(capsys, "rebuild", "--index", str(index))
    assert status == 0, err
    status, out, _ = _run(capsys, "search", "uranium", "--json", "--index", str(index))
    assert status == 0 and len(out.splitlines()) >= 8
    assert not flag.exists()


async def test_the_reader_says_hostile_stored_fields_are_damage(tmp_path: Path) -> None:
    from test_ui import WAIT

    index = _library(tmp_path)
    flag = tmp_path / "ran"
    _plant_stored_fields(index, "uranium", _payloads(flag)["builtins.eval"])
    library = Library.open(index)
    app = make_app(library, query="uranium")
    try:
        async with app.run_test(size=(160, 40)) as pilot:

            def said() -> list[str]:
                return [str(n.message) for n in app._notifications if "refuses to load" in str(n.message)]

            # Not test_ui.until: it waits for the workers too, and this search's worker
            # failed on purpose (its failure is what the notice says).
            deadline = time.monotonic() + WAIT
            while not said() and time.monotonic() < deadline:
                await pilot.pause(0.02)
            assert said(), "no notice said the stored fields are damage"
            assert "builtins.eval" in said()[0] and "pressreader rebuild" in said()[0]
    finally:
        library.close()
    assert not flag.exists()


# ------------------------------------------------------- real libraries work
def test_a_real_library_reads_through_the_restricted_unpickler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything a library's pickles name is on the list: the samples and every
    fixture imported (in worker processes too), then searched, shown, counted,
    suggested, exported and rebuilt, with no refusal and every name seen."""
    import pressreader._unpickle as unpickle

    seen: set[str] = set()
    find_class = unpickle.Unpickler.find_class

    def recording(self: unpickle.Unpickler, module: str, name: str) -> Any:
        found = find_class(self, module, name)  # raises Refused for anything not listed
        seen.add(f"{found.__module__}.{found.__qualname__}")
        return found

    monkeypatch.setattr(unpickle.Unpickler, "find_class", recording)
    sources = tmp_path / "sources"
    shutil.copytree(SAMPLE_DATA, sources / "samples")
    shutil.copytree(FIXTURES, sources / "fixtures")
    index = tmp_path / "lib"
    monkeypatch.setenv("PRESSREADER_IMPORT_WORKERS", "2")
    with Library.open(index) as library:
        report = library.import_paths([sources])
        assert report.counts["added"] > 43
    with Library.open(index) as library:
        for text in (
            "uranium",
            '"nuclear power plant"',
            "urani*",
            "theme:energy date:2024",
            "source:kazakh",
            "lang:ru министра",
            "uranium OR lithium",
            "",
        ):
            for sort in ("relevance", "date"):
                result = library.search(text, sort=sort, limit=None)
                assert not result.error and result.total > 0, text
            assert not library.facets(text).error
        assert library.search("uranum").suggestions
        hit = library.search("uranium").hits[0]
        assert library.get(hit.id) is not None
        export_search(library, "uranium", "json", tmp_path / "uranium.json")
        assert len(json.loads((tmp_path / "uranium.json").read_text(encoding="utf-8"))) >= 8
    status, out, err = _run(capsys, "rebuild", "--index", str(index))
    assert status == 0, err
    for argv in (["search", "uranium", "--json"], ["show", hit.id, "--json"], ["stats", "--json"]):
        status, out, err = _run(capsys, *argv, "--index", str(index))
        assert status == 0 and out, (argv, err)
        [json.loads(line) for line in out.splitlines()]
    assert "whoosh.fields.Schema" in seen and "whoosh.codec.whoosh3.W3Segment" in seen
    listed = {f"{module}.{name}" for module, names in unpickle.ALLOWED.items() for name in names}
    assert seen <= listed | {"codecs.encode"}


# ------------------------------------------------------------ ./index lookup
@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to run pressreader in, with no $PRESSREADER_INDEX: ./index is looked up."""
    folder = tmp_path / "clone"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("PRESSREADER_INDEX")
    return folder


def test_an_index_folder_pressreader_did_not_mark_is_not_opened(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A repository or archive holding a library, hostile TOC and all, with a
    # marker like the one pressreader writes (copied along with it).
    shutil.copytree(_library(tmp_path), here / "index")
    (here / "index" / config.MARKER).write_text(json.dumps({"schema": 6}) + "\n", encoding="utf-8")
    flag = tmp_path / "ran"
    _plant_toc(here / "index", schema=_payloads(flag)["builtins.eval"])
    for argv in (["stats"], ["search", "uranium", "--json"], ["show", "5e8c"]):
        status, out, err = _run(capsys, *argv)
        assert not flag.exists(), argv
        assert "./index was not opened" in err and "--index index" in err
        assert out == ""
        # The user's own library is used instead (here: there is none yet).
        assert status == 1 and "there is no pressreader library in" in err
        assert str(here / "index") not in err.replace("./index", "")
    assert config.locate_library().origin == "user"
    # Named on purpose, it is opened: the unpickler is what keeps its payload from running.
    status, _, err = _run(capsys, "stats", "--index", "index")
    assert status == 1 and "refuses to load builtins.eval" in err and not flag.exists()


def test_an_index_folder_pressreader_marked_is_opened_and_said(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(here / "index") as library:
        library.import_paths([SAMPLE_DATA])
    status, out, err = _run(capsys, "search", "uranium", "--json")
    assert status == 0
    assert [json.loads(line)["id"] for line in out.splitlines()]  # stdout: JSON lines only
    assert "library: ./index (found in this folder)" in err
    status, out, err = _run(capsys, "stats", "--json")
    assert status == 0 and json.loads(out)["path"] == str(here / "index")
    assert "library: ./index (found in this folder)" in err
    # A library marked by another user's pressreader (another key) is passed over.
    os.environ["PRESSREADER_CONFIG"] = str(here.parent / "someone-else")
    status, out, err = _run(capsys, "stats", "--json")
    assert status == 1 and out == "" and "./index was not opened" in err


def test_a_checkout_index_folder_with_no_library_yet_is_used_and_then_marked(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As this repository ships index/: a marker, a README, a .gitignore; nothing a pickle could be in.
    (here / "index").mkdir()
    (here / "index" / config.MARKER).write_text('{"schema": 1}\n', encoding="utf-8")
    (here / "index" / "README.md").write_text("The library of this checkout.\n", encoding="utf-8")
    status, _, err = _run(capsys, "import", str(SAMPLE_DATA), "--json")
    assert status == 0, err
    assert "library: ./index (found in this folder)" in err
    assert config.sealed(here / "index")
    status, out, err = _run(capsys, "search", "uranium", "--json")
    assert status == 0 and out and "library: ./index (found in this folder)" in err


def test_a_library_opened_by_name_is_marked_for_the_index_lookup(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A library of an older pressreader (its marker has no seal): --index opens it, and marks it.
    shutil.copytree(_library(tmp_path), here / "index")
    (here / "index" / config.MARKER).write_text('{"schema": 6}\n', encoding="utf-8")
    assert _run(capsys, "stats", "--json")[0] == 1
    status, _, err = _run(capsys, "stats", "--json", "--index", "index")
    assert status == 0, err
    status, out, err = _run(capsys, "stats", "--json")
    assert status == 0 and json.loads(out)["articles"] == 43
    assert "library: ./index (found in this folder)" in err
