"""The command line: ``pressreader [PATH ...]`` opens the reader; subcommands script the library.

Exit codes: 0 success, 1 some input was rejected or the command failed, 2 usage errors.
Every text that came from a library, a config file, a feed's state or the command
line is printed as plain text (Rich ``Text`` or JSON), never as markup, and through
:mod:`pressreader.printable` (no control character reaches the terminal raw, even
from a library that was never imported here).
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TextIO

from rich.console import Console
from rich.text import Text

from pressreader import __version__, cli_feeds, config
from pressreader.ingest import RejectedInput, read_file, read_text
from pressreader.library import Library, LibraryError, Progress
from pressreader.library.export import (
    FORMATS,
    BadQuery,
    ExportError,
    article_json,
    export_search,
    format_for,
    resolve_theme,
)
from pressreader.library.notices import take as take_notices
from pressreader.library.state import StateError
from pressreader.model import Article, FileReport, ImportReport
from pressreader.printable import printable, printable_json, printable_spans
from pressreader.themes import Lexicon, LexiconError, load_lexicon

COMMANDS = (
    "import", "search", "show", "export", "classify", "themes", "stats", "rebuild", "feeds", "fetch"
)  # fmt: skip
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report in one line (exit 1)."""


class UsageError(Exception):
    """A mistake in the command line itself, reported in one line (exit 2)."""


class _Console(Console):
    """A Rich console for which a closed pipe (``| head``) is not an error."""

    def on_broken_pipe(self) -> None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_OK)


# ------------------------------------------------------------------ parsers
class _Parser(argparse.ArgumentParser):
    """argparse, with what it quotes back from the command line made printable:
    an argument holding an escape sequence is shown, not sent to the terminal."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {printable(message)}\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index",
        metavar="DIR",
        help="the library folder (default: $PRESSREADER_INDEX, else ./index if it is a "
        "pressreader library, else your user data folder)",
    )


def _open_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pressreader",
        description="An offline, keyboard-first terminal reader for press releases. "
        "Imports PATHs (files or folders) into the library, then opens the reader.",
        epilog="commands: "
        + ", ".join(COMMANDS)
        + " (pressreader COMMAND --help for each). Example: pressreader search 'theme:energy uranium'",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders of releases to import first"
    )
    _common(parser)
    parser.add_argument(
        "--sample",
        action="store_true",
        help="open the bundled sample library (kept apart from your own library unless --index is given)",
    )
    parser.add_argument("--query", "-q", default="", help="start with this query")
    parser.add_argument("--version", action="version", version=f"pressreader {__version__}")
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    # A command that writes files takes its options as spelt, never a guess from a prefix.
    parser = _Parser(prog=f"pressreader {command}", allow_abbrev=command != "export")
    _common(parser)
    if command == "import":
        parser.description = "Import files and folders into the library and report each file's outcome."
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--field",
            action="append",
            default=None,
            metavar="ROLE=NAME",
            help=(
                "the field of a JSON record that holds ROLE (text, title, date, url, source, lang, tags), "
                "e.g. --field text=data --field date=target_timestamp; remembered for these paths "
                "(later imports and rebuild use it); ROLE= goes back to the usual names"
            ),
        )
    elif command == "search":
        parser.description = "Search the library; one result a line (JSON lines with --json)."
        parser.add_argument(
            "query", metavar="QUERY", help='e.g. uranium, "nuclear power", theme:energy date:2024'
        )
        parser.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N results (20)")
        parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    elif command == "show":
        parser.description = "Show one article with the themes of each paragraph."
        parser.add_argument("id", metavar="ID", help="an article id (a unique prefix will do)")
    elif command == "export":
        _export_arguments(parser)
        return parser
    elif command == "classify":
        parser.description = "Classify the paragraphs of a document without touching the library."
        parser.add_argument("path", metavar="PATH|-", help="a file, or - to read standard input")
    elif command == "themes":
        parser.description = "List the themes of the lexicon, and where to edit them."
    elif command == "stats":
        parser.description = "Describe the library: articles, sources, dates, themes, size."
    elif command == "rebuild":
        parser.description = (
            "Make the library again from its source files, after damage to its index or catalog. "
            "Articles whose files are gone are kept from the old catalog; read, starred and notes "
            "are not touched. The old library stays in place until the new one is whole."
        )
    else:
        cli_feeds.add_arguments(command, parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export the articles a query finds (all of them unless --limit) as Markdown (theme labels "
        "on each paragraph), JSON (an array of what show --json prints) or CSV (one row a paragraph)."
    )
    parser.epilog = (
        "Example: pressreader export --paragraphs-with energy -o energy.csv  "
        "(the energy paragraphs of the whole library)"
    )
    parser.add_argument(
        "query",
        nargs="?",
        default="",
        metavar="QUERY",
        help="what to export, as in search (none: everything)",
    )
    parser.add_argument(
        "--format", "-f", choices=FORMATS, help="md, json or csv (default: from the suffix of FILE, else md)"
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="the file to write (default, or -: standard output)"
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--limit", type=_positive, default=None, metavar="N", help="at most N articles (all)")
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    parser.add_argument(
        "--paragraphs-with",
        metavar="THEME",
        help="keep only the paragraphs with this theme (an id or label), and the articles that have one",
    )


def _field_mapping(values: list[str] | None) -> dict[str, str] | None:
    """``--field ROLE=NAME`` options as {role: name}; None when none was given."""
    if values is None:
        return None
    from pressreader.ingest.records import ROLES

    mapping: dict[str, str] = {}
    for value in values:
        role, equals, name = value.partition("=")
        role = role.strip().lower()
        if not equals or not role:
            raise UsageError(f"--field {value!r}: expected ROLE=NAME, e.g. --field text=data")
        if role not in ROLES:
            raise UsageError(f"--field {value!r}: unknown role {role!r} (one of {', '.join(ROLES)})")
        if role in mapping and mapping[role] != name.strip():
            raise UsageError(f"--field: two fields for {role!r} ({mapping[role]!r} and {name.strip()!r})")
        mapping[role] = name.strip()
    return mapping


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


#: Options of the reader and of the commands that take a value as the next argument.
_VALUED_OPTIONS = frozenset(
    {"--index", "--query", "-q", "--limit", "--sort", "--format", "-f", "--output", "-o", "--paragraphs-with"}
)


def _find_command(argv: Sequence[str]) -> str | None:
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in _VALUED_OPTIONS:
            skip = True
            continue
        if token == "--":
            return None
        if token.startswith("-"):
            continue
        return token if token in COMMANDS else None
    return None


# --------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = _Console(highlight=False, soft_wrap=True)
    err = _Console(stderr=True, highlight=False, soft_wrap=True)
    parser: argparse.ArgumentParser | None = None
    try:
        command = _find_command(args_list)
        if command is None:
            parser = _open_parser()
            return _open(parser.parse_args(args_list), err)
        rest = list(args_list)
        rest.remove(command)
        parser = _command_parser(command)
        args = parser.parse_args(rest)
        handler = {
            "import": _import,
            "search": _search,
            "show": _show,
            "export": _export,
            "classify": _classify,
            "themes": _themes,
            "stats": _stats,
            "rebuild": _rebuild,
            "feeds": _feeds,
            "fetch": _fetch,
        }[command]
        return handler(args, out, err)
    except (CommandError, LibraryError, LexiconError, StateError, cli_feeds.Failed) as error:
        err.print(Text(printable(f"pressreader: {error}")))
        return EXIT_FAILED
    except UsageError as error:
        if parser is not None:
            for line in parser.format_usage().rstrip().splitlines():
                err.print(Text(printable(line)))
        err.print(Text(printable(f"pressreader: {error}")))
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.print(Text("pressreader: interrupted"))
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug: say so briefly, keep the trace
        log = _write_crash_log()
        err.print(
            Text(printable(f"pressreader: unexpected error: {error!r}") + f"\nThe full trace is in {log}")
        )
        return EXIT_FAILED
    finally:
        # What the library had to say once (a state restored from its backup, changes lost).
        for notice in take_notices():
            err.print(Text(printable(f"pressreader: {notice}")))


def _write_crash_log() -> str:
    import platformdirs

    folder = Path(
        os.environ.get("PRESSREADER_LOG_DIR") or platformdirs.user_log_dir("pressreader", appauthor=False)
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        path.write_text(traceback.format_exc(), encoding="utf-8")
        return str(path)
    except OSError:
        sys.stderr.write(traceback.format_exc())
        return "the output above"


def _lexicon() -> Lexicon:
    return load_lexicon(config.themes_path())


def _library(args: argparse.Namespace, *, create: bool = False, reader: bool = False) -> Library:
    """The library for a command; only ``import`` creates one where there is none.
    ``reader``: a command that only reads, which never writes nor waits for a writer."""
    return Library.open(_library_path(args.index), lexicon=_lexicon(), create=create, reader=reader)


def _library_path(index: str | os.PathLike[str] | None) -> Path:
    """The library folder for ``--index`` (or None), saying on stderr (stdout is a
    command's, JSON maybe) when it is an ``./index`` found in this folder, or when
    one here was passed over."""
    located = config.locate_library(index)
    err = _Console(stderr=True, highlight=False, soft_wrap=True)
    for note in (located.passed_over, located.said()):
        if note:
            err.print(Text(f"pressreader: {note}" if note is located.passed_over else note))
    return located.path


def sample_path() -> Path:
    """The bundled sample releases: inside the installed package, or the checkout's sample_data/."""
    packaged = Path(str(resources.files("pressreader").joinpath("sample_data")))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "sample_data"
    if checkout.is_dir():
        return checkout
    raise CommandError("the sample releases are not installed with this copy of pressreader")


# ----------------------------------------------------------------- commands
def _open(args: argparse.Namespace, err: Console) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [p for p in args.paths if not Path(p).expanduser().exists()]
    if missing:
        # Opening the reader would hide this behind the screen: stop here instead.
        close = difflib.get_close_matches(missing[0], COMMANDS, n=1)
        hint = f" (did you mean the command {close[0]!r}?)" if close else ""
        raise UsageError(f"no such file or folder: {missing[0]}{hint}")
    index = args.index
    if args.sample:
        paths.insert(0, sample_path())
        if index is None:
            index = config.sample_library_path()
    located = config.locate_library(index)
    library = Library.open(_library_path(index), lexicon=_lexicon())
    status = EXIT_OK
    startup = "\n".join(note for note in (located.passed_over, located.said()) if note)
    try:
        if paths:
            report = _run_import(library, paths, err)
            _print_report(report, err, brief=True)
            if report.rejected:
                status = EXIT_FAILED
                first = report.rejected[0]
                more = f" and {len(report.rejected) - 1} more" if len(report.rejected) > 1 else ""
                startup += "\n" if startup else ""
                startup += (
                    f"{len(report.rejected)} file(s) rejected: {printable(first.path)}: "
                    f"{printable(first.reason)}{more}. `pressreader import PATH` lists them all."
                )
        from pressreader.ui.app import make_app  # the core never imports Textual

        make_app(library, query=args.query, message=startup).run()
    finally:
        library.close()
    return status


def _run_import(
    library: Library, paths: list[Path], err: Console, *, fields: dict[str, str] | None = None
) -> ImportReport:
    with _progress(err, "Importing") as update:
        return library.import_paths(paths, progress=update, fields=fields)


@contextmanager
def _progress(err: Console, label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal (else no progress callback)."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, _path: str) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _print_report(report: ImportReport, console: Console, *, brief: bool = False) -> None:
    """On a terminal: a line for each file that changed or failed, then the summary.
    Piped, or ``brief`` (before the reader opens): only the problems and the summary."""
    changes = ("added", "updated", "duplicate", "rejected", "removed")
    shown = changes if console.is_terminal and not brief else ("rejected",)
    for item in report.files:
        if item.status in shown or item.records_rejected:
            console.print(_report_line(item))
    console.print(Text(f"{len(report.files)} file(s): {_summary(report)}"))


def _summary(report: ImportReport, *, skip_zero: bool = False) -> str:
    """The counts of files, then the records rejected inside files that imported
    (a JSON Lines line, a feed entry): the line says every input that was rejected."""
    summary = report.summary(skip_zero=skip_zero)
    records = report.records_rejected
    if records:
        holding = sum(1 for item in report.files if item.records_rejected)
        summary += f"; {records} record(s) rejected in {holding} of them"
    return summary


def _report_line(item: FileReport) -> Text:
    line = Text(f"{item.status:<9} ", style="bold red" if item.status == "rejected" else "")
    line.append(printable(item.path))
    if item.reason:
        line.append(f": {printable(item.reason)}")
    elif item.articles > 1:
        line.append(f" ({item.articles} articles)")
    return line


def _import(args: argparse.Namespace, out: Console, err: Console) -> int:
    # A path that is not there is a mistake in the command line (exit 2), found before
    # anything is written; input that is there but cannot be used is rejected (exit 1).
    missing = [p for p in args.paths if not os.path.lexists(Path(p).expanduser())]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    fields = _field_mapping(args.field)
    with _library(args, create=True) as library:
        paths = [Path(p) for p in args.paths]
        report = (
            library.import_paths(paths, fields=fields)
            if args.json
            else _run_import(library, paths, err, fields=fields)
        )
    if args.json:
        payload: dict[str, Any] = dict(report.counts)
        payload["records_rejected"] = report.records_rejected
        payload["files"] = [
            {
                "path": f.path,
                "status": f.status,
                "reason": f.reason,
                "articles": f.articles,
                "records_rejected": f.records_rejected,
            }
            for f in report.files
        ]
        _print_json(payload)
    else:
        _print_report(report, out)
    return EXIT_FAILED if report.rejected or report.records_rejected else EXIT_OK


def _search(args: argparse.Namespace, out: Console, err: Console) -> int:
    with _library(args, reader=True) as library:
        result = library.search(args.query, sort=args.sort, limit=args.limit)
    if result.error:
        err.print(Text(printable(f"pressreader: bad query: {result.error}")))
        return EXIT_USAGE
    for hit in result.hits:
        if args.json:
            _print_json(
                {
                    "id": hit.id,
                    "title": hit.title,
                    "date": hit.date,
                    "source": hit.source,
                    "score": hit.score,
                    "themes": list(hit.themes),
                    "snippet": hit.snippet,
                }
            )
        else:
            line = Text(f"{hit.date or '----------'}  ", style="dim")
            line.append(printable(hit.source), style="cyan")
            line.append("  ")
            line.append(printable(hit.title), style="bold")
            if hit.themes:
                line.append(printable(f"  [{', '.join(hit.themes)}]"), style="dim")
            line.append(printable(f"  {hit.id}"), style="dim")
            out.print(line)
            shown, spans = printable_spans(hit.snippet, hit.snippet_spans)
            snippet = Text("    " + shown)
            for start, end in spans:
                snippet.stylize("bold underline", start + 4, end + 4)
            out.print(snippet)
    if not args.json:
        shown = len(result.hits)
        more = f" (showing {shown}; --limit N for more)" if result.total > shown else ""
        err.print(Text(f"{result.total} match(es){more}", style="dim"))
    if not result.hits:
        if result.suggestions:
            err.print(Text(printable(f"Did you mean: {' · '.join(result.suggestions)}")))
        elif not args.json:
            tips = "Try fewer words, other spellings, or drop filters (theme:, source:, date:)."
            err.print(Text(f"No matches. {tips}"))
    return EXIT_OK


def _print_article(article: Article, lexicon: Lexicon, out: Console) -> None:
    out.print(Text(printable(article.title or "(untitled)"), style="bold"))
    meta = " · ".join(part for part in (article.date, article.source, article.lang) if part)
    out.print(Text(printable(meta), style="dim"))
    if article.url:
        out.print(Text(printable(article.url), style="dim"))
    if article.id:
        out.print(Text(printable(f"id {article.id}"), style="dim"))
    for paragraph in article.paragraphs:
        out.print()
        labels = [
            lexicon.themes[h.theme].label if h.theme in lexicon.themes else h.theme for h in paragraph.themes
        ]
        if labels:
            color = lexicon.themes.get(paragraph.primary or "")
            style = f"bold {color.color}" if color else "bold"
            out.print(Text(printable(f"[{' · '.join(labels)}]"), style=style))
        out.print(Text(printable(paragraph.text, newlines=True)))


def _show(args: argparse.Namespace, out: Console, err: Console) -> int:
    with _library(args, reader=True) as library:
        ids = library.resolve(args.id)
        if not ids:
            raise CommandError(f"no article with id {args.id!r} in {library.path}")
        if len(ids) > 1:
            raise CommandError(
                f"{args.id!r} matches several articles ({', '.join(ids)}); give more of the id"
            )
        article = library.get(ids[0])
        lexicon = library.lexicon
    assert article is not None
    if args.json:
        _print_json(article_json(article))
    else:
        _print_article(article, lexicon, out)
    return EXIT_OK


def _export(args: argparse.Namespace, out: Console, err: Console) -> int:
    # The name as given (a str, not a Path): "new/" names a folder, and must not become a file "new".
    path = None if args.output in (None, "-") else args.output
    fmt = args.format or format_for(path)
    with _library(args, reader=True) as library:
        theme = None
        if args.paragraphs_with is not None:
            theme = resolve_theme(args.paragraphs_with, library.lexicon.themes)
            if theme is None:
                known = ", ".join(library.lexicon.themes)
                raise UsageError(f"no theme {args.paragraphs_with!r} (themes: {known})")
        try:
            with nullcontext(None) if path is not None else _utf8_stdout(fmt) as stream:
                report = export_search(
                    library,
                    args.query,
                    fmt,
                    path,
                    sort=args.sort,
                    limit=args.limit,
                    force=args.force,
                    paragraphs_with=theme,
                    stream=stream,
                )
        except BadQuery as error:
            err.print(Text(printable(f"pressreader: bad query: {error}")))
            return EXIT_USAGE
        except ExportError as error:
            raise CommandError(str(error)) from None
    if report.path is not None:
        noun = "article" if report.count == 1 else "articles"
        err.print(Text(printable(f"exported {report.count} {noun} to {report.path}")))
    if not report.matches:
        if report.suggestions:
            err.print(Text(printable(f"No matches. Did you mean: {' · '.join(report.suggestions)}")))
        else:
            err.print(Text("No matches. Try fewer words, other spellings, or drop filters."))
    return EXIT_OK


@contextmanager
def _utf8_stdout(fmt: str) -> Iterator[TextIO]:
    """Standard output as UTF-8 whatever the terminal's encoding (an export is read by programs);
    CSV's line ends untranslated, as the csv module wants."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a StringIO standing in for stdout
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="" if fmt == "csv" else None)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()


def _classify(args: argparse.Namespace, out: Console, err: Console) -> int:
    lexicon = _lexicon()
    try:
        if args.path == "-":
            try:
                data = sys.stdin.buffer.read()
            except (OSError, ValueError) as error:  # closed, or not readable
                raise CommandError(f"cannot read standard input: {error}") from None
            from pressreader.ingest.decode import decode

            articles = read_text(decode(data), path="-")
        else:
            path = Path(args.path)
            if path.is_dir():
                raise CommandError(f"{args.path}: is a folder; classify reads one file (or - for stdin)")
            if not path.is_file():
                raise UsageError(f"no such file: {args.path}")
            articles = read_file(path)
    except RejectedInput as error:
        raise CommandError(f"{args.path}: {error.reason}") from None
    for article in articles:
        classified = lexicon.classify_article(article)
        if args.json:
            _print_json(article_json(classified))
        else:
            _print_article(classified, lexicon, out)
    return EXIT_OK


def _themes(args: argparse.Namespace, out: Console, err: Console) -> int:
    lexicon = _lexicon()
    user_file = config.themes_path()
    if args.json:
        _print_json(
            {
                "themes": [
                    {
                        "id": t.id,
                        "label": t.label,
                        "color": t.color,
                        "description": t.description,
                        "terms": len(lexicon.spec.themes[t.id].terms),
                    }
                    for t in lexicon.themes.values()
                ],
                "default_file": str(lexicon.spec.sources[0]),
                "user_file": str(user_file),
                "user_file_exists": user_file.is_file(),
            }
        )
        return EXIT_OK
    for theme in lexicon.themes.values():
        line = Text("██ ", style=theme.color)
        line.append(f"{printable(theme.id):<13}", style="bold")
        line.append(f"{printable(theme.label):<14}")
        line.append(f"{len(lexicon.spec.themes[theme.id].terms):>4} terms  ", style="dim")
        line.append(printable(theme.description), style="dim")
        out.print(line)
    out.print()
    out.print(Text(printable(f"Default lexicon: {lexicon.spec.sources[0]}")))
    state = "in use" if user_file.is_file() else "absent; create it to add themes or change terms"
    out.print(Text(printable(f"Your theme file: {user_file} ({state})")))
    return EXIT_OK


def _rebuild(args: argparse.Namespace, out: Console, err: Console) -> int:
    path = _library_path(args.index)
    with _progress(err, "Rebuilding") as update:
        report = Library.rebuild(path, lexicon=_lexicon(), progress=update)
    imported = report.imported
    if args.json:
        _print_json(
            {
                "articles": report.articles,
                "path": str(path),
                "files": len(imported.files),
                **imported.counts,
                "records_rejected": imported.records_rejected,
                "carried": report.carried,
                "catalog_error": report.catalog_error,
                "from_roots": report.from_roots,
            }
        )
        return EXIT_OK
    for item in imported.rejected:
        err.print(_report_line(item))
    where = "the folders and files it was given" if report.from_roots else "its catalog's list of files"
    if report.catalog_error:
        err.print(Text(printable(f"the old catalog could not be read ({report.catalog_error})")))
    lines = [
        f"rebuilt the library in {path}: {report.articles} articles",
        f"read again from {where}: {len(imported.files)} file(s): {_summary(imported, skip_zero=True)}",
    ]
    if report.carried:
        lines.append(
            f"kept from the old catalog: {report.carried} article(s) whose files are gone or unreadable"
        )
    for line in lines:
        out.print(Text(printable(line)))
    return EXIT_OK


def _stats(args: argparse.Namespace, out: Console, err: Console) -> int:
    with _library(args, reader=True) as library:
        stats = library.stats()
    if args.json:
        _print_json(
            {
                "articles": stats.articles,
                "sources": stats.sources,
                "oldest": stats.oldest,
                "newest": stats.newest,
                "themes": stats.themes,
                "index_bytes": stats.index_bytes,
                "path": stats.path,
            }
        )
        return EXIT_OK
    out.print(Text(printable(f"Library {stats.path}")))
    out.print(
        Text(
            f"{stats.articles} articles, {len(stats.sources)} sources, "
            f"{stats.oldest or '?'} to {stats.newest or '?'}, {stats.index_bytes / 1e6:.1f} MB"
        )
    )
    out.print(Text("\nSources", style="bold"))
    for source, count in stats.sources.items():
        out.print(Text(printable(f"{count:>7}  {source or '(unknown)'}")))
    out.print(Text("\nThemes", style="bold"))
    for theme, count in stats.themes.items():
        out.print(Text(printable(f"{count:>7}  {theme}")))
    return EXIT_OK


def _feeds(args: argparse.Namespace, out: Console, err: Console) -> int:
    if args.action != "list":
        return cli_feeds.run_feeds(args, out, None)
    try:
        library = _library(args)
    except LibraryError:
        return cli_feeds.run_feeds(args, out, None)  # no library yet: nothing fetched yet
    with library:
        return cli_feeds.run_feeds(args, out, library)


def _fetch(args: argparse.Namespace, out: Console, err: Console) -> int:
    with _library(args, create=True) as library:
        status, report = cli_feeds.run_fetch(args, out, err, library, _run_import)
    if report is not None and not args.json:
        _print_report(report, out)
    return status


def _print_json(payload: object) -> None:
    sys.stdout.write(printable_json(payload) + "\n")


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
