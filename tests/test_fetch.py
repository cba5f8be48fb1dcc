"""`pressreader feeds add` and `fetch` end to end, against a feed served on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pressreader import cli

FEED = Path(__file__).parent / "fixtures" / "feeds" / "ministry.rss"


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    body = FEED.read_bytes()
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/press/rss.xml", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_downloads_imports_and_asks_again_conditionally(
    server: tuple[str, list[dict[str, str]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, seen = server
    index = str(tmp_path / "library")
    assert _run(capsys, "feeds", "add", url, "--name", "Ministry")[0] == 0
    code, out, _err = _run(capsys, "fetch", "--json", "--index", index)
    assert code == 0, out
    first = json.loads(out)
    assert first["new"] == 1 and first["import"]["added"] >= 1
    assert "pressreader/" in seen[0]["User-Agent"]
    code, out, _err = _run(capsys, "search", "", "--json", "--limit", "100", "--index", index)
    articles = [json.loads(line) for line in out.splitlines()]
    assert len(articles) >= 2 and all(article["title"] for article in articles)
    # The second fetch is conditional, gets 304, and imports nothing new.
    code, out, _err = _run(capsys, "fetch", "--json", "--index", index)
    second = json.loads(out)
    assert seen[-1].get("If-None-Match") == '"v1"'
    assert second["not-modified"] == 1 and second["import"]["added"] == 0
    listed = _run(capsys, "feeds", "list", "--json", "--index", index)[1]
    assert json.loads(listed)[0]["name"] == "Ministry"
