"""Feeds: the feed list in feeds.toml, and fetching from a local HTTP server (never the internet)."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import PYTHON, finishes, subprocess_env
from pressreader.feeds import (
    DEFAULT_USER_AGENT,
    STATE_NAME,
    Feed,
    FeedError,
    FetchResult,
    add_feed,
    feed_slug,
    feeds_path,
    fetch_feeds,
    load_feeds,
    load_state,
    remove_feed,
    toml_string,
)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Ministry</title><link>https://example.org/</link>
<item><title>Minister meets counterpart</title><link>https://example.org/1</link>
<description>The ministers discussed trade.</description></item>
</channel></rss>
"""
ETAG = '"v1-abc"'
LAST_MODIFIED = "Tue, 02 Jan 2024 03:00:00 GMT"
T0 = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)


# ================================================================ the server
Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    #: (path, request headers) for each request, in order
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def feed(self, path: str) -> Feed:
        return Feed(self.base + path, path.strip("/"))

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.seen if seen == path]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    if "Content_Length" not in headers and status not in (204, 304):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    served = Server(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.seen.append((self.path, dict(self.headers.items())))
            route = served.routes.get(self.path)
            if route is None:
                send(self, 404, b"no such feed")
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    served.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=2)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not take the requests to 127.0.0.1 elsewhere."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


def conditional_feed(body: bytes = RSS) -> Route:
    """A feed with an ETag and a Last-Modified, answering 304 when the client has it."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == ETAG or handler.headers.get("If-Modified-Since") == (
            LAST_MODIFIED
        ):
            send(handler, 304, ETag=ETAG)
        else:
            send(
                handler, 200, body, Content_Type="application/rss+xml", ETag=ETAG, Last_Modified=LAST_MODIFIED
            )

    return route


def plain_feed(bodies: list[bytes]) -> Route:
    """No validators; each request gets the next body (the last one repeats)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        body = bodies.pop(0) if len(bodies) > 1 else bodies[0]
        send(handler, 200, body, Content_Type="application/rss+xml")

    return route


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != STATE_NAME)


def one(feed: Feed, folder: Path, **options: object) -> FetchResult:
    [result] = fetch_feeds([feed], folder, **options)  # type: ignore[arg-type]
    return result


# ================================================================== fetching
def test_first_fetch_saves_the_feed_then_a_conditional_request_gets_304(
    server: Server, tmp_path: Path
) -> None:
    server.routes["/rss"] = conditional_feed()
    feed, folder = server.feed("/rss"), tmp_path / "library" / "feeds"

    first = one(feed, folder, now=T0)
    assert (first.status, first.message, first.bytes) == ("new", "", len(RSS))
    assert first.path == folder / feed_slug(feed.url) / "20240102T030405Z.xml"
    assert first.path.read_bytes() == RSS
    assert "If-None-Match" not in server.seen[0][1] and "If-Modified-Since" not in server.seen[0][1]

    # A second run (nothing kept in memory: the state comes back from the folder).
    second = one(feed, folder, now=T1)
    assert (second.status, second.path, second.bytes) == ("not-modified", None, 0)
    sent = server.seen[1][1]
    assert sent["If-None-Match"] == ETAG
    assert sent["If-Modified-Since"] == LAST_MODIFIED
    assert files_in(folder) == [first.path]

    state = load_state(folder)[feed.url]
    assert state["etag"] == ETAG and state["last_modified"] == LAST_MODIFIED
    assert state["file"] == first.path.relative_to(folder).as_posix()
    assert state["fetched_at"] == "2024-01-02T04:04:05Z" and state["last_status"] == "not-modified"
    assert json.loads((folder / STATE_NAME).read_text("utf-8"))["version"] == 1


def test_the_user_agent_names_pressreader(server: Server, tmp_path: Path) -> None:
    server.routes["/rss"] = conditional_feed()
    one(server.feed("/rss"), tmp_path / "feeds")
    agent = server.seen[0][1]["User-Agent"]
    assert agent == DEFAULT_USER_AGENT
    assert agent.startswith("pressreader/") and "feed fetch" in agent


def test_same_body_without_validators_is_unchanged(server: Server, tmp_path: Path) -> None:
    server.routes["/plain"] = plain_feed([RSS])
    feed, folder = server.feed("/plain"), tmp_path / "feeds"
    assert one(feed, folder, now=T0).status == "new"
    again = one(feed, folder, now=T1)
    assert (again.status, again.path, again.bytes) == ("unchanged", None, len(RSS))
    assert "If-None-Match" not in server.seen[1][1] and "If-Modified-Since" not in server.seen[1][1]
    assert len(files_in(folder)) == 1


def test_changed_content_is_saved_beside_the_old(server: Server, tmp_path: Path) -> None:
    changed = RSS.replace(b"trade", b"trade and energy")
    server.routes["/plain"] = plain_feed([RSS, changed])
    feed, folder = server.feed("/plain"), tmp_path / "feeds"
    first, second = one(feed, folder, now=T0), one(feed, folder, now=T1)
    assert (first.status, second.status) == ("new", "new")
    assert second.path is not None and second.path.name == "20240102T040405Z.xml"
    assert second.path.read_bytes() == changed
    assert files_in(folder) == [first.path, second.path]
    # Same second, new content again: a second name, never an overwrite.
    server.routes["/plain"] = plain_feed([RSS])
    third = one(feed, folder, now=T1)
    assert third.path is not None and third.path.name == "20240102T040405Z-2.xml"
    assert second.path.read_bytes() == changed


def test_a_lost_file_is_fetched_again_without_conditions(server: Server, tmp_path: Path) -> None:
    server.routes["/rss"] = conditional_feed()
    feed, folder = server.feed("/rss"), tmp_path / "feeds"
    first = one(feed, folder, now=T0)
    assert first.path is not None
    first.path.unlink()
    again = one(feed, folder, now=T1)
    assert again.status == "new" and again.path is not None and again.path.read_bytes() == RSS
    assert "If-None-Match" not in server.seen[1][1]


@pytest.mark.parametrize(
    ("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_http_errors(server: Server, tmp_path: Path, status: int, message: str) -> None:
    server.routes["/bad"] = lambda h: send(h, status, b"<html>oops</html>")
    result = one(server.feed("/bad"), tmp_path / "feeds")
    assert (result.status, result.message, result.path) == ("error", message, None)
    assert files_in(tmp_path / "feeds") == []
    assert load_state(tmp_path / "feeds")[result.url]["last_error"] == message


def test_a_slow_server_times_out(server: Server, tmp_path: Path) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        server.release.wait(5)
        send(handler, 200, RSS)

    server.routes["/slow"] = slow
    # The server answers after 5 s at the earliest: a result that says timed out came first.
    result = finishes(lambda: one(server.feed("/slow"), tmp_path / "feeds", timeout=0.5))
    assert (result.status, result.message) == ("error", "timed out after 0.5 s")


def test_a_trickling_download_is_stopped_by_the_total_timeout(server: Server, tmp_path: Path) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        for _ in range(50):
            if server.release.wait(0.05):
                return
            handler.wfile.write(b"<")
            handler.wfile.flush()

    server.routes["/trickle"] = trickle
    # Each byte comes within the 1 s timeout, so only the total timeout can stop it.
    result = finishes(
        lambda: one(server.feed("/trickle"), tmp_path / "feeds", timeout=1.0, total_timeout=0.4)
    )
    assert result.status == "error"
    assert result.message.startswith("timed out")


def test_a_closed_port_is_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = one(Feed(f"http://127.0.0.1:{port}/rss"), tmp_path / "feeds")
    assert (result.status, result.message) == ("error", "connection refused")


def test_redirects_are_followed(server: Server, tmp_path: Path) -> None:
    server.routes["/rss"] = conditional_feed()
    server.routes["/old"] = lambda h: send(h, 301, Location="/rss")
    result = one(server.feed("/old"), tmp_path / "feeds")
    assert result.status == "new" and result.path is not None and result.path.read_bytes() == RSS
    assert [path for path, _ in server.seen] == ["/old", "/rss"]
    assert server.seen[1][1]["User-Agent"] == DEFAULT_USER_AGENT


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml"])
def test_a_redirect_away_from_http_is_refused(server: Server, tmp_path: Path, target: str) -> None:
    server.routes["/evil"] = lambda h: send(h, 302, Location=target)
    result = one(server.feed("/evil"), tmp_path / "feeds")
    assert result.status == "error"
    assert result.message.startswith("HTTP 302") and "refused" in result.message
    assert files_in(tmp_path / "feeds") == []


def test_a_redirect_loop_is_an_error(server: Server, tmp_path: Path) -> None:
    server.routes["/loop"] = lambda h: send(h, 302, Location="/loop")
    result = one(server.feed("/loop"), tmp_path / "feeds")
    assert (result.status, result.message) == ("error", "HTTP 302 too many redirects")


def test_gzip_is_asked_for_and_decoded(server: Server, tmp_path: Path) -> None:
    server.routes["/gz"] = lambda h: send(h, 200, gzip.compress(RSS), Content_Encoding="gzip")
    result = one(server.feed("/gz"), tmp_path / "feeds")
    assert "gzip" in server.seen[0][1]["Accept-Encoding"]
    assert (result.status, result.bytes) == ("new", len(RSS))
    assert result.path is not None and result.path.read_bytes() == RSS


def test_a_damaged_gzip_body_is_an_error(server: Server, tmp_path: Path) -> None:
    server.routes["/gz"] = lambda h: send(h, 200, b"\x1f\x8b\x08\x00garbage" * 3, Content_Encoding="gzip")
    result = one(server.feed("/gz"), tmp_path / "feeds")
    assert result.status == "error" and "gzip" in result.message


def big_without_length(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.end_headers()  # HTTP/1.0, no Content-Length: the body ends when the connection closes
    handler.wfile.write(b"<rss>" + b"x" * 5000 + b"</rss>")


@pytest.mark.parametrize(
    "route",
    [
        pytest.param(lambda h: send(h, 200, b"<rss>" + b"x" * 5000 + b"</rss>"), id="content-length"),
        pytest.param(big_without_length, id="no-content-length"),
        pytest.param(
            lambda h: send(h, 200, gzip.compress(b"<rss>" + b" " * 100_000), Content_Encoding="gzip"),
            id="gzip-bomb",
        ),
    ],
)
def test_a_body_over_the_cap_is_an_error(server: Server, tmp_path: Path, route: Route) -> None:
    server.routes["/big"] = route
    result = one(server.feed("/big"), tmp_path / "feeds", max_bytes=1000)
    assert result.status == "error"
    assert "larger than 1000 bytes" in result.message
    assert files_in(tmp_path / "feeds") == []


def test_a_body_at_the_cap_is_fine(server: Server, tmp_path: Path) -> None:
    body = b"<rss>" + b"x" * 989 + b"</rss>"
    assert len(body) == 1000
    server.routes["/rss"] = lambda h: send(h, 200, body)
    assert one(server.feed("/rss"), tmp_path / "feeds", max_bytes=1000).status == "new"


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"  \n", "empty body"), (b"<!DOCTYPE html><html><body>Home</body></html>", "HTML page")],
)
def test_an_empty_body_or_a_web_page_is_not_saved(
    server: Server, tmp_path: Path, body: bytes, message: str
) -> None:
    server.routes["/x"] = lambda h: send(h, 200, body, Content_Type="text/html")
    result = one(server.feed("/x"), tmp_path / "feeds")
    assert result.status == "error" and message in result.message
    assert files_in(tmp_path / "feeds") == []


def test_one_feed_failing_never_stops_the_others(server: Server, tmp_path: Path) -> None:
    server.routes["/rss"] = conditional_feed()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    feeds = [
        Feed(f"http://127.0.0.1:{closed}/rss", "closed"),
        server.feed("/missing"),
        Feed("ftp://example.org/feed", "bad url"),
        server.feed("/rss"),
    ]
    seen: list[str] = []
    results = fetch_feeds(feeds, tmp_path / "feeds", on_result=lambda r: seen.append(r.status))
    assert [r.status for r in results] == ["error", "error", "error", "new"] == seen
    assert [r.name for r in results] == ["closed", "missing", "bad url", "rss"]
    assert results[2].message.startswith("only http:// and https://")
    assert set(load_state(tmp_path / "feeds")) == {f.url for f in feeds}


def test_feeds_get_their_own_folders(server: Server, tmp_path: Path) -> None:
    server.routes["/a/rss.xml"] = plain_feed([RSS])
    server.routes["/b/rss.xml?lang=ru"] = plain_feed([RSS.replace(b"trade", b"torgovlya")])
    results = fetch_feeds([server.feed("/a/rss.xml"), server.feed("/b/rss.xml?lang=ru")], tmp_path / "feeds")
    assert [r.status for r in results] == ["new", "new"]
    folders = [r.path.parent.name for r in results if r.path]
    assert folders[0].startswith("127.0.0.1-") and "-a-rss.xml-" in folders[0]
    assert "-b-rss.xml-lang-ru-" in folders[1]
    assert len(set(folders)) == 2
    assert not any(name.startswith(".") for name in folders)


def test_a_damaged_state_file_names_itself(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / STATE_NAME).write_text('{\n  "feeds": {\n  oops\n', encoding="utf-8")
    with pytest.raises(FeedError) as caught:
        fetch_feeds([Feed("http://127.0.0.1:9/rss")], folder)
    assert str(folder / STATE_NAME) in str(caught.value) and "line 3" in str(caught.value)


def test_the_feeds_module_does_not_import_textual(tmp_path: Path) -> None:
    code = "import sys, pressreader.feeds; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    done = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=subprocess_env(tmp_path), timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# ============================================================== the feed list
def test_add_list_remove_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "feeds.toml"
    assert load_feeds(path) == []
    odd = "MFA \"news\" \\ Ёлки ''' # not a comment"
    first = add_feed("https://example.org/rss", odd, path=path)
    second = add_feed("  http://example.net/feed.xml?lang=en  ", path=path)
    assert first == Feed("https://example.org/rss", odd)
    assert second == Feed("http://example.net/feed.xml?lang=en", "")
    assert load_feeds(path) == [first, second]
    assert tomllib.loads(path.read_text("utf-8"))["feed"][0]["name"] == odd
    assert [p.name for p in path.parent.iterdir()] == ["feeds.toml"]  # no temporary file left

    assert remove_feed(odd, path=path) == first
    assert load_feeds(path) == [second]
    assert remove_feed("HTTP://EXAMPLE.NET:80/feed.xml?lang=en", path=path) == second
    assert load_feeds(path) == []


def test_the_default_list_is_in_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSREADER_CONFIG", str(tmp_path / "cfg"))
    assert feeds_path() == tmp_path / "cfg" / "feeds.toml"
    add_feed("https://example.org/rss", "Example")
    assert load_feeds() == [Feed("https://example.org/rss", "Example")]
    assert (tmp_path / "cfg" / "feeds.toml").is_file()
    remove_feed("example")  # names match regardless of case
    assert load_feeds() == []


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://example.org/rss", ""),
        ("HTTPS://Example.org:443/rss#top", ""),
        ("https://example.org/other", "Example"),
        ("https://example.org/other", "EXAMPLE"),
    ],
)
def test_duplicates_are_refused(tmp_path: Path, url: str, name: str) -> None:
    path = tmp_path / "feeds.toml"
    add_feed("https://example.org/rss", "Example", path=path)
    before = path.read_bytes()
    with pytest.raises(FeedError, match="already") as caught:
        add_feed(url, name, path=path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed", "only http:// and https://"),
        ("not a url", "starts with http:// or https://"),
        ("example.org/rss", "(https://example.org/rss?)"),
        ("file:///etc/passwd", "not file://"),
        ("https://", "no host"),
        ("http://user:secret@example.org/rss", "passwords"),
        ("http://example.org:99999/rss", "not a valid URL"),
        ("http://example.org/a b", "spaces"),
        ("", "empty"),
    ],
)
def test_invalid_urls_are_refused(tmp_path: Path, url: str, reason: str) -> None:
    path = tmp_path / "feeds.toml"
    with pytest.raises(FeedError) as caught:
        add_feed(url, path=path)
    assert reason in str(caught.value) and str(path) in str(caught.value)
    assert not path.exists()


def test_a_name_with_control_characters_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="control characters"):
        add_feed("https://example.org/rss", "bad\x1b]0;pwned\x07", path=tmp_path / "feeds.toml")


def test_removing_an_unknown_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    with pytest.raises(FeedError, match="no feed has the URL or name 'nothing'"):
        remove_feed("nothing", path=path)
    add_feed("https://example.org/rss", "Example", path=path)
    with pytest.raises(FeedError) as caught:
        remove_feed("https://example.org/other", path=path)
    assert str(path) in str(caught.value) and "1 feed listed" in str(caught.value)
    assert len(load_feeds(path)) == 1


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('[[feed]]\nurl = "https://example.org/rss"\nname = "unterminated\n', "line 3", "invalid TOML"),
        ('[[feed]]\nurl = "https://example.org/rss"\n[[feed]\n', "line 3", "invalid TOML"),
        ('[[feed]]\nurl = "https://a.example/rss"\n\n[[feed]]\nurl = "x"\n', "line 4 (feed 2)", "http://"),
        ('[[feed]]\nurl = "https://a.example/rss"\nnmae = "A"\n', "line 1 (feed 1)", "unknown key 'nmae'"),
        ('[[feed]]\nname = "A"\n', "line 1 (feed 1)", "no url"),
        ('[feed]\nurl = "https://a.example/rss"\n', "feeds.toml", "[[feed]]"),
        ("feeds = []\n", "feeds.toml", "unknown key 'feeds'"),
        (
            '[[feed]]\nurl = "https://a.example/rss"\n[[feed]]\nurl = "https://A.example/rss"\n',
            "line 3 (feed 2)",
            "already listed",
        ),
    ],
)
def test_a_malformed_list_names_the_file_and_line(tmp_path: Path, text: str, where: str, what: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedError) as caught:
        load_feeds(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and where in message and what in message, message
    with pytest.raises(FeedError):  # and nothing is written over it
        add_feed("https://b.example/rss", path=path)
    assert path.read_text("utf-8") == text


@pytest.mark.parametrize(
    "value", ['a"b', "back\\slash", "\x00\x01\x1f\x7f", "tab\tnew\nline\r", "Ёлки ✓ 𝄞", ""]
)
def test_toml_strings_round_trip(value: str) -> None:
    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value
