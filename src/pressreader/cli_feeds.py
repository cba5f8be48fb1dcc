"""The feed commands of the command line: ``feeds add|list|remove`` and ``fetch``.

The feed list is in the config folder (``feeds.toml``); what ``fetch``
downloads is kept inside the library (``<library>/feeds``) and imported from
there, so a fetch interrupted before its import is completed by the next one.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, get_args

from rich.console import Console
from rich.text import Text

from pressreader import feeds
from pressreader.library import Library
from pressreader.model import ImportReport
from pressreader.printable import printable, printable_json

EXIT_OK, EXIT_FAILED = 0, 1


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "feeds":
        parser.description = (
            "The feeds `pressreader fetch` downloads (kept in feeds.toml in the config folder)."
        )
        actions = parser.add_subparsers(dest="action", required=True, metavar="add|list|remove")
        add = actions.add_parser("add", help="add a feed by its URL")
        add.add_argument("url", metavar="URL")
        add.add_argument("--name", default="", help="a short name to show and to remove it by")
        listing = actions.add_parser("list", help="list the feeds")
        remove = actions.add_parser("remove", help="remove a feed by its URL or name")
        remove.add_argument("feed", metavar="URL|NAME")
        for action in (add, listing, remove):
            # Also after the action (feeds list --json); SUPPRESS keeps what came before it.
            action.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
            action.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS)
    elif command == "fetch":
        parser.description = (
            "Download the feeds listed with `pressreader feeds add` (conditional requests: only what "
            "changed), keep them in the library and import them."
        )
        parser.add_argument(
            "--timeout", type=_seconds, default=feeds.DEFAULT_TIMEOUT, help="seconds per request (20)"
        )


def run_feeds(args: argparse.Namespace, out: Console, library: Library | None) -> int:
    try:
        if args.action == "add":
            feed = feeds.add_feed(args.url, args.name)
            out.print(Text(printable(f"added {feed.url}" + (f" ({feed.name})" if feed.name else ""))))
        elif args.action == "remove":
            feed = feeds.remove_feed(args.feed)
            out.print(Text(printable(f"removed {feed.url}" + (f" ({feed.name})" if feed.name else ""))))
        else:
            listed = feeds.load_feeds()
            state = feeds.load_state(feeds.feeds_folder(library.path)) if library else {}
            if args.json:
                _print_json([_feed_json(feed, state.get(feed.url, {})) for feed in listed])
            elif not listed:
                where = feeds.feeds_path()
                out.print(Text(printable(f"No feeds yet: add one with pressreader feeds add URL ({where})")))
            for feed in listed if not args.json else []:
                seen = state.get(feed.url, {})
                status = seen.get("last_status", "never fetched")
                line = Text(printable(feed.name or "-"), style="bold")
                line.append(f"  {printable(feed.url)}  ")
                line.append(printable(f"{status} {seen.get('checked_at', '')}".strip()), style="dim")
                out.print(line)
    except feeds.FeedError as error:
        raise _Failed(str(error)) from None
    return EXIT_OK


def _feed_json(feed: feeds.Feed, seen: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": feed.url,
        "name": feed.name,
        "last_status": seen.get("last_status", ""),
        "checked_at": seen.get("checked_at", ""),
    }


def run_fetch(
    args: argparse.Namespace, out: Console, err: Console, library: Library, import_with_progress: Any
) -> tuple[int, ImportReport | None]:
    listed = feeds.load_feeds()
    if not listed:
        where = feeds.feeds_path()
        err.print(Text(printable(f"No feeds to fetch: add one with pressreader feeds add URL ({where})")))
        return EXIT_OK, None
    folder = feeds.feeds_folder(library.path)

    def show(result: feeds.FetchResult) -> None:
        if args.json:
            return
        status = result.status.replace("-", " ")
        line = Text(f"{status:<13}", style="bold red" if result.status == "error" else "")
        line.append(printable(result.name or result.url))
        if result.status == "new":
            line.append(f"  {result.bytes / 1000:.1f} kB")
        if result.message:
            line.append(f"  {printable(result.message)}", style="dim")
        out.print(line)

    try:
        results = feeds.fetch_feeds(listed, folder, timeout=args.timeout, on_result=show)
    except feeds.FeedError as error:
        raise _Failed(str(error)) from None
    counts = {status: sum(r.status == status for r in results) for status in get_args(feeds.Status)}
    report = import_with_progress(library, [folder], err) if folder.is_dir() else ImportReport()
    if args.json:
        payload: dict[str, Any] = dict(counts)
        payload["feeds"] = [result.to_json() for result in results]
        payload["import"] = dict(report.counts)
        payload["import"]["files"] = [
            {"path": f.path, "status": f.status, "reason": f.reason, "articles": f.articles}
            for f in report.files
            if f.status != "unchanged"
        ]
        _print_json(payload)
    else:
        out.print(Text(", ".join(f"{n} {status.replace('-', ' ')}" for status, n in counts.items())))
    failed = counts.get("error", 0) or report.rejected
    return (EXIT_FAILED if failed else EXIT_OK), report


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 600 seconds")
    return seconds


class _Failed(Exception):
    pass


Failed = _Failed


def _print_json(payload: object) -> None:
    sys.stdout.write(printable_json(payload) + "\n")
