"""Feeds: the list of feed URLs (``feeds.toml`` in the config folder) and downloading them.

This is pressreader's only use of the network.  :func:`fetch_feeds` makes one
GET a feed (conditional on the ETag / Last-Modified it saw last time, with a
timeout, a size cap and a clear User-Agent) and keeps what changed as a file in
the feeds folder of the library, ``<folder>/<host-and-path slug>/<UTC time>.xml``;
importing those files is the caller's business.  A network problem never
raises: it becomes a :class:`FetchResult` with status ``"error"`` and a
one-line message, and the other feeds are still fetched.

Standard library only, and no Textual.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import time
import tomllib
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, OpenerDirector, Request, build_opener

from pressreader import __version__
from pressreader.config import config_dir
from pressreader.printable import printable

FEEDS_FILE = "feeds.toml"
#: The library's sub-folder for downloaded feeds (the caller passes ``library / FEEDS_FOLDER``).
FEEDS_FOLDER = "feeds"
#: Per-feed state in the feeds folder.  A dot name, so a folder import never takes it for input.
STATE_NAME = ".state.json"
DEFAULT_TIMEOUT = 20.0
MAX_BYTES = 20 * 1024 * 1024
DEFAULT_USER_AGENT = f"pressreader/{__version__} (+offline press release reader; feed fetch)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_CHUNK = 64 * 1024
_STATE_VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")

Status = Literal["new", "not-modified", "unchanged", "error"]


class FeedError(Exception):
    """A feed list or state file that cannot be used, or a refused change; the message names the file."""


@dataclass(frozen=True)
class Feed:
    url: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class FetchResult:
    url: str
    name: str
    status: Status
    #: "" on success; for errors one line: "HTTP 404 Not Found", "timed out after 20 s", ...
    message: str = ""
    #: the file saved by this fetch (status "new"), else None
    path: Path | None = None
    #: bytes of feed received (after gzip decoding); 0 for "not-modified"
    bytes: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "path": str(self.path) if self.path else None,
            "bytes": self.bytes,
        }


# =================================================================== the list
def feeds_path() -> Path:
    """The feed list: ``feeds.toml`` in the config folder ($PRESSREADER_CONFIG overrides it)."""
    return config_dir() / FEEDS_FILE


def feeds_folder(library: Path) -> Path:
    """Where a library keeps its downloaded feeds."""
    return Path(library) / FEEDS_FOLDER


def load_feeds(path: Path | None = None) -> list[Feed]:
    """The feeds listed in ``path`` (default :func:`feeds_path`); none when the file does not exist."""
    path = Path(path) if path is not None else feeds_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise FeedError(f"{path}: cannot read the feed list: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FeedError(f"{path}, line {line}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise FeedError(_toml_error(path, error)) from None

    headers = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*feed\s*\]\]", line)]

    def where(index: int) -> str:
        line = f", line {headers[index]}" if index < len(headers) else ""
        return f"{path}{line} (feed {index + 1})"

    unknown = sorted(set(data) - {"feed"})
    if unknown:
        raise FeedError(f"{path}: unknown key {unknown[0]!r}; the file holds [[feed]] tables only")
    tables = data.get("feed", [])
    if not isinstance(tables, list):
        raise FeedError(f"{path}: 'feed' must be an array of tables: write [[feed]], not [feed]")
    feeds: list[Feed] = []
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            raise FeedError(f"{where(index)}: a feed must be a table with url and name")
        extra = sorted(set(table) - {"url", "name"})
        if extra:
            raise FeedError(f"{where(index)}: unknown key {extra[0]!r}; a feed has url and an optional name")
        url, name = table.get("url"), table.get("name", "")
        if not isinstance(url, str):
            raise FeedError(f"{where(index)}: " + ("url must be a string" if url is not None else "no url"))
        if not isinstance(name, str):
            raise FeedError(f"{where(index)}: name must be a string")
        problem = url_problem(url) or _name_problem(name)
        if problem:
            raise FeedError(f"{where(index)}: {problem}")
        feed = Feed(url.strip(), name.strip())
        clash = _clash(feeds, feed)
        if clash:
            raise FeedError(f"{where(index)}: {clash}")
        feeds.append(feed)
    return feeds


def add_feed(url: str, name: str = "", path: Path | None = None) -> Feed:
    """Add a feed to the list and return it; :class:`FeedError` for a bad URL or a duplicate."""
    path = Path(path) if path is not None else feeds_path()
    url, name = url.strip(), name.strip()
    problem = url_problem(url) or _name_problem(name)
    if problem:
        raise FeedError(f"cannot add {url!r} to {path}: {problem}")
    feeds = load_feeds(path)
    feed = Feed(url, name)
    clash = _clash(feeds, feed)
    if clash:
        raise FeedError(f"cannot add {url} to {path}: {clash}")
    _write_feeds(path, [*feeds, feed])
    return feed


def remove_feed(url_or_name: str, path: Path | None = None) -> Feed:
    """Remove the feed with this URL or name and return it; :class:`FeedError` if there is none."""
    path = Path(path) if path is not None else feeds_path()
    key = url_or_name.strip()
    feeds = load_feeds(path)
    found = [f for f in feeds if _same_url(f.url, key) or (f.name and f.name.casefold() == key.casefold())]
    if not found:
        listed = f"{len(feeds)} feed{'s' if len(feeds) != 1 else ''} listed" if feeds else "no feeds listed"
        raise FeedError(f"{path}: no feed has the URL or name {key!r} ({listed})")
    if len(found) > 1:
        raise FeedError(f"{path}: {key!r} names more than one feed; remove it by URL")
    _write_feeds(path, [f for f in feeds if f is not found[0]])
    return found[0]


def url_problem(url: str) -> str:
    """Why ``url`` cannot be a feed URL, or "" when it can (http or https, with a host)."""
    url = url.strip()
    if not url:
        return "the URL is empty"
    if "://" not in url:
        domain = re.match(r"[\w-]+(\.[\w-]+)+(:\d+)?(/\S*)?$", url)
        return "a feed URL starts with http:// or https://" + (f" (https://{url}?)" if domain else "")
    if any(ch.isspace() or _is_control(ch) for ch in url):
        return "a URL cannot contain spaces or control characters"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a bad port
    except ValueError as error:
        return f"not a valid URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http:// and https:// feeds can be fetched, not {parts.scheme}://"
    if not parts.hostname:
        return "the URL has no host name"
    if _ascii_host(parts.hostname) is None:
        return (
            f"the host name {printable(parts.hostname)} is not a valid domain name "
            "(an international name must be one IDNA can write, without invisible or bidi characters)"
        )
    if parts.username is not None or parts.password is not None:
        return "user names and passwords in feed URLs are not supported"
    return ""


def _name_problem(name: str) -> str:
    if any(_is_control(ch) or 0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return "a feed name cannot contain control characters"
    if len(name) > 200:
        return "a feed name is at most 200 characters"
    return ""


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def _clash(feeds: list[Feed], feed: Feed) -> str:
    for other in feeds:
        if _same_url(other.url, feed.url):
            return f"{feed.url} is already listed" + (f" (as {other.name!r})" if other.name else "")
        if feed.name and other.name.casefold() == feed.name.casefold():
            return f"the name {feed.name!r} is already used by {other.url}"
    return ""


def _url_key(url: str) -> str | None:
    """A URL compared as a feed: scheme and host in lower case, no default port, no fragment."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    host = parts.hostname + (f":{port}" if port and port != default else "")
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def _same_url(a: str, b: str) -> bool:
    key = _url_key(a)
    return key is not None and key == _url_key(b)


def _toml_error(path: Path, error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if found:
        reason = message[: found.start()]
        return f"{path}, line {found[1]}, column {found[2]}: invalid TOML: {reason}"
    found = re.search(r"\s*\(at end of document\)\s*$", message)
    if found:
        line = max(1, len(path.read_text("utf-8", errors="replace").splitlines()))
        return f"{path}, line {line} (end of file): invalid TOML: {message[: found.start()]}"
    return f"{path}: invalid TOML: {message}"


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string."""
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for ch in value:
        if ch in escapes:
            out.append(escapes[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _write_feeds(path: Path, feeds: list[Feed]) -> None:
    lines = [
        "# pressreader feeds: one [[feed]] table a feed, with url and an optional name.",
        "# `pressreader feeds add` and `feeds remove` rewrite this file (comments are not kept).",
    ]
    for feed in feeds:
        lines += ["", "[[feed]]", f"url = {toml_string(feed.url)}"]
        if feed.name:
            lines.append(f"name = {toml_string(feed.name)}")
    try:
        _atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))
    except OSError as error:
        raise FeedError(f"{path}: cannot write the feed list: {error.strerror or error}") from None


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` (a dot name), then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ================================================================== fetching
def fetch_feeds(
    feeds: Iterable[Feed],
    folder: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str = DEFAULT_USER_AGENT,
    now: datetime | None = None,
    max_bytes: int = MAX_BYTES,
    total_timeout: float | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Fetch each feed once into ``folder`` (the library's feeds folder); one result a feed, in order.

    ``timeout`` bounds connecting and each read; ``total_timeout`` (default
    ``max(60, 6 * timeout)``) the whole download of one feed.  ``now`` fixes the
    time used for file names and the state (tests).  ``on_result`` is called as
    each feed is done.  Raises :class:`FeedError` only when the state file is
    unreadable; network and per-feed disk problems are results with status "error".
    """
    folder = Path(folder)
    state_path = folder / STATE_NAME
    state = load_state(folder)
    opener = build_opener(_RedirectHandler())
    total = total_timeout if total_timeout is not None else max(60.0, 6 * timeout)
    results = []
    for feed in feeds:
        when = _utc(now)
        entry = dict(state.get(feed.url, {}))
        result, entry = _fetch_one(
            feed,
            folder,
            entry,
            opener,
            when,
            timeout=timeout,
            total=total,
            max_bytes=max_bytes,
            agent=user_agent,
        )
        state[feed.url] = entry
        try:
            _atomic_write(state_path, _dump_state(state))
        except OSError as error:
            result = FetchResult(
                feed.url, feed.name, "error", f"cannot write {state_path}: {error.strerror or error}",
                result.path, result.bytes,
            )  # fmt: skip
        results.append(result)
        if on_result:
            on_result(result)
    return results


def load_state(folder: Path) -> dict[str, dict[str, Any]]:
    """The saved state of each feed URL in ``folder``: etag, last_modified, sha256, file,
    fetched_at (last answer from the server), checked_at (last try), last_status, last_error."""
    path = Path(folder) / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise FeedError(f"{path}: cannot read the feed state: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = f", line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise FeedError(
            f"{path}{line}: the feed state is damaged ({error}); delete the file to start over"
        ) from None
    feeds = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(feeds, dict) or not all(isinstance(v, dict) for v in feeds.values()):
        raise FeedError(
            f"{path}: the feed state is damaged (no 'feeds' table); delete the file to start over"
        )
    return feeds


def _dump_state(state: dict[str, dict[str, Any]]) -> bytes:
    payload = {"version": _STATE_VERSION, "feeds": state}
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
    # A lone surrogate (a hand-edited state file's "\ud800", kept as read) as its escape:
    # UTF-8 cannot hold it, and the state must still be written.
    return (_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n").encode("utf-8")


def feed_slug(url: str) -> str:
    """The folder name of a feed: its host and path in plain ASCII, and a short hash of the whole URL."""
    parts = urlsplit(_request_url(url))
    raw = (parts.hostname or "") + (f"-{parts.port}" if parts.port else "") + parts.path
    raw += f"-{parts.query}" if parts.query else ""
    slug = re.sub(r"[^a-z0-9.]+", "-", raw.lower()).strip(".-")[:80].strip(".-")
    return f"{slug or 'feed'}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


class _Stop(Exception):
    """Give up on this feed with this message."""


def _fetch_one(
    feed: Feed,
    folder: Path,
    entry: dict[str, Any],
    opener: OpenerDirector,
    when: datetime,
    *,
    timeout: float,
    total: float,
    max_bytes: int,
    agent: str,
) -> tuple[FetchResult, dict[str, Any]]:
    stamp = when.isoformat(timespec="seconds").replace("+00:00", "Z")
    entry["checked_at"] = stamp
    problem = url_problem(feed.url)
    if problem:
        entry.update(last_status="error", last_error=problem)
        return FetchResult(feed.url, feed.name, "error", problem), entry
    feed_dir = folder / feed_slug(feed.url)
    last_file, last_sha = _last_saved(folder, feed_dir, entry)

    def fail(message: str, received: int = 0) -> tuple[FetchResult, dict[str, Any]]:
        entry.update(last_status="error", last_error=message)
        return FetchResult(feed.url, feed.name, "error", message, None, received), entry

    headers = {"User-Agent": agent, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    if last_file is not None:  # only ask "changed since?" when we still have what we had
        if entry.get("etag"):
            headers["If-None-Match"] = entry["etag"]
        if entry.get("last_modified"):
            headers["If-Modified-Since"] = entry["last_modified"]
    started = time.monotonic()
    try:
        request = Request(_request_url(feed.url), headers=headers)
        with opener.open(request, timeout=timeout) as response:
            status, reason = response.status, response.reason
            answer = response.headers
            body = _read_body(response, max_bytes, started + total, total)
    except HTTPError as error:
        error.close()
        if error.code == HTTPStatus.NOT_MODIFIED:
            entry.update(_validators(error.headers, entry), fetched_at=stamp, last_status="not-modified")
            entry.pop("last_error", None)
            return FetchResult(feed.url, feed.name, "not-modified"), entry
        return fail(_http_message(error.code, error.reason))
    except _Stop as stop:
        return fail(str(stop))
    except (OSError, http.client.HTTPException, ValueError) as error:  # URLError is an OSError
        return fail(_network_message(error, timeout, feed.url))

    if status not in (HTTPStatus.OK, HTTPStatus.NON_AUTHORITATIVE_INFORMATION):
        return fail(f"{_http_message(status, reason)}: expected 200 with the feed", len(body))
    if not body.strip():
        return fail("the server sent an empty body", len(body))
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return fail("the server sent an HTML page, not a feed", len(body))
    digest = hashlib.sha256(body).hexdigest()
    entry.update(_validators(answer, {}), fetched_at=stamp)
    entry.pop("last_error", None)
    if digest == last_sha:
        entry.update(last_status="unchanged", sha256=digest)
        return FetchResult(feed.url, feed.name, "unchanged", "", None, len(body)), entry
    try:
        saved = _free_name(feed_dir, when.strftime("%Y%m%dT%H%M%SZ"))
        _atomic_write(saved, body)
    except OSError as error:
        return fail(f"cannot save the feed in {feed_dir}: {error.strerror or error}", len(body))
    entry.update(last_status="new", sha256=digest, file=saved.relative_to(folder).as_posix())
    return FetchResult(feed.url, feed.name, "new", "", saved, len(body)), entry


def _last_saved(folder: Path, feed_dir: Path, entry: dict[str, Any]) -> tuple[Path | None, str | None]:
    """The file saved last for this feed and its sha256: from the state, else the newest file there."""
    if entry.get("file") and (folder / entry["file"]).is_file():
        path = folder / entry["file"]
        return path, entry.get("sha256") or _sha256(path)
    try:
        newest = max(feed_dir.glob("[0-9]*.xml"), key=lambda p: (p.stat().st_mtime_ns, p.name), default=None)
        return (newest, _sha256(newest)) if newest else (None, None)
    except OSError:
        return None, None


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _free_name(feed_dir: Path, stamp: str) -> Path:
    path = feed_dir / f"{stamp}.xml"
    number = 1
    while path.exists():
        number += 1
        path = feed_dir / f"{stamp}-{number}.xml"
    return path


def _validators(headers: Any, old: dict[str, Any]) -> dict[str, Any]:
    """ETag and Last-Modified from a response; a 304 may omit them, then the old ones stay."""
    out = {}
    for key, header in (("etag", "ETag"), ("last_modified", "Last-Modified")):
        value = headers.get(header) if headers is not None else None
        out[key] = value.strip() if value else old.get(key)
    return out


def _read_body(response: Any, max_bytes: int, deadline: float, total: float) -> bytes:
    """The response body, decoded from gzip or deflate, at most ``max_bytes`` before and after decoding."""
    too_big = f"the feed is larger than {_size(max_bytes)}; stopped"
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _Stop(f"{too_big} (Content-Length {_size(int(length))})")
    coding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if coding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(wbits=31)
    elif coding == "deflate":
        inflater = None  # zlib-wrapped or raw: decided on the whole body below
    elif coding == "identity":
        inflater = None
    else:
        raise _Stop(f"the server sent an unsupported Content-Encoding {coding!r}")
    raw, out = bytearray(), bytearray()
    while True:
        chunk = response.read1(_CHUNK)  # whatever arrived: a trickle cannot hold a read for long
        if not chunk:
            break
        raw += chunk
        if len(raw) > max_bytes:
            raise _Stop(too_big)
        if inflater is not None:
            pending = chunk
            try:
                while pending:
                    out += inflater.decompress(pending, max_bytes + 1 - len(out))
                    if len(out) > max_bytes:
                        raise _Stop(f"{too_big} (after gzip decoding)")
                    pending = inflater.unconsumed_tail
            except zlib.error as error:
                raise _Stop(f"the gzip-encoded body is damaged ({error})") from None
        if time.monotonic() > deadline:
            raise _Stop(f"timed out: the download took longer than {total:g} s")
    if inflater is not None:
        if not inflater.eof:
            raise _Stop("the gzip-encoded body is cut short")
        return bytes(out)
    if coding == "deflate":
        for wbits in (15, -15):
            inflater = zlib.decompressobj(wbits=wbits)
            try:
                data = inflater.decompress(bytes(raw), max_bytes + 1)
            except zlib.error:
                continue
            if len(data) > max_bytes:
                raise _Stop(f"{too_big} (after deflate decoding)")
            return data
        raise _Stop("the deflate-encoded body is damaged")
    return bytes(raw)


def _ascii_host(host: str) -> str | None:
    """``host`` as ASCII (an international name in IDNA: ``xn--e1afmkfd.xn--p1ai``), or
    None when it cannot be one (a bidi or invisible character, an empty label, ...):
    HTTP would send it as Latin-1, and fail with an encoder's error."""
    if host.isascii():
        return host if all(32 < ord(ch) < 127 for ch in host) else None
    try:
        encoded = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return encoded


def _request_url(url: str) -> str:
    """``url`` as plain ASCII: the host in IDNA, the rest percent-encoded (what is encoded stays)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    host = _ascii_host(host) or host  # url_problem() refused a host that cannot be ASCII
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    safe = "/%:@!$&'()*+,;=~-._"
    return urlunsplit(
        (parts.scheme.lower(), netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe + "?"), "")
    )


class _RedirectHandler(HTTPRedirectHandler):
    """Follow redirects (as urllib does), but only to http and https."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("Location") or headers.get("URI")
        if location:
            target = urljoin(req.full_url, location.strip())
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                raise HTTPError(req.full_url, code, f"redirect to {target} refused", headers, fp)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _http_message(code: int, reason: object) -> str:
    text = _one_line(str(reason or ""))
    if "infinite loop" in text:
        text = "too many redirects"
    if not text:
        try:
            text = HTTPStatus(code).phrase
        except ValueError:
            text = ""
    return f"HTTP {code} {text}".rstrip()


def _network_message(error: BaseException, timeout: float, url: str) -> str:
    """One line about a failed request: "timed out after 20 s", "connection refused", ..."""
    if isinstance(error, URLError) and isinstance(error.reason, BaseException):
        return _network_message(error.reason, timeout, url)
    if isinstance(error, URLError):
        return _one_line(str(error.reason))
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(error, socket.gaierror):
        return f"cannot find the host {urlsplit(url).hostname} ({error.strerror or error})"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {error.verify_message or error.reason}"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or error}"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without an answer"
    if isinstance(error, http.client.IncompleteRead):
        return f"the server closed the connection mid-download ({len(error.partial)} bytes received)"
    if isinstance(error, http.client.HTTPException):
        return _one_line(f"bad HTTP answer: {type(error).__name__}: {error}")
    if isinstance(error, OSError) and error.strerror:
        return _one_line(error.strerror.lower() if error.strerror[:1].isupper() else error.strerror)
    return _one_line(f"{type(error).__name__}: {error}")


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join("".join(" " if _is_control(ch) else ch for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("kB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC).replace(microsecond=0)
    return (now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)).replace(microsecond=0)
