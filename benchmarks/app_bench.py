"""The reader's own figures (issue 4): the Textual app driven headless, keys sent as a terminal would.

Every interval ends at a *painted frame*: a ``Probe`` wraps ``App._display`` (called with
each compositor update, after the dirty widgets have rendered their lines) and, at each
frame, checks the conditions the harness waits for.  An interval is "key sent" to "first
frame at which the screen shows the answer".  Keys go straight to the driver's queue
(``Driver.send_message``, as the terminal's input thread does), not through
``Pilot.press``, which waits for the whole process to go idle (20 ms sleeps at least, and
as long as a search thread runs) and would hide or add latency.

Used by run.py (``app_figures``); see benchmarks/README.md for what each key means.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from pressreader.library import Library

#: Typed letter by letter, waiting for each keystroke's list (keystroke_p95_ms).
TYPED = ["oil prices", "uranium export", "central bank"]
#: Typed at a steady rhythm without waiting; the clock runs from the last key (after the pause).
PAUSE_QUERIES = [
    "uranium",
    "oil prices",
    "minister",
    "export",
    "gold mine",
    "wheat",
    "bank",
    "foreign affairs",
    "trade deficit",
    "interest rates",
    "energy",
    "water",
]
#: Milliseconds between keys for the after-the-pause figure: a fast typist, an average one.
TYPING_RHYTHMS_MS = (80, 160)
SIZE = (120, 35)
TIMEOUT = 30.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


class Probe:
    """Frame timestamps, and conditions checked as each frame is painted."""

    def __init__(self, app: Any) -> None:
        self.frames = 0
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        display = app._display

        def probed(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            self.frames += 1
            still = []
            for condition, future in self._waiting:
                if future.done():
                    continue
                try:
                    met = condition()
                except Exception:  # a widget not mounted yet, a result not set yet
                    met = False
                if met:
                    future.set_result(now)
                else:
                    still.append((condition, future))
            self._waiting = still

        app._display = probed

    def painted(self, condition: Callable[[], bool]) -> asyncio.Future[float]:
        """A future for the time of the first frame painted while ``condition()`` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((condition, future))
        return future

    async def wait(self, condition: Callable[[], bool], timeout: float = TIMEOUT) -> float:
        return await asyncio.wait_for(self.painted(condition), timeout)


class SearchLog:
    """Every ``Library.search`` the app makes, timed (in the worker threads)."""

    def __init__(self, library: Library) -> None:
        self.calls: list[tuple[str, str, int, float]] = []
        search = library.search

        def timed(text: str, **options: Any) -> Any:
            started = time.perf_counter()
            result = search(text, **options)
            elapsed = time.perf_counter() - started
            self.calls.append((text, options.get("sort", ""), options.get("offset", 0), elapsed))
            return result

        library.search = timed  # type: ignore[method-assign]

    def summary(self, since: int = 0) -> dict[str, object]:
        calls = self.calls[since:]
        if not calls:
            return {}
        seconds = [call[3] for call in calls]
        slowest = sorted(calls, key=lambda call: -call[3])[:5]
        return {
            "calls": len(calls),
            "p50_ms": ms(pct(seconds, 0.5)),
            "p95_ms": ms(pct(seconds, 0.95)),
            "max_ms": ms(max(seconds)),
            "slowest": [
                {"query": text, "sort": sort, "offset": offset, "ms": ms(seconds)}
                for text, sort, offset, seconds in slowest
            ],
        }


def send_key(app: Any, key: str) -> None:
    """One key press into the app's queue, as the terminal driver sends it; no waiting."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    app._driver.send_message(events.Key(key, char))


def key_for(char: str) -> str:
    return "space" if char == " " else char


async def settle(app: Any, quiet: float = 0.15) -> None:
    """Until no worker runs, then ``quiet`` seconds more (timers fire, late pages land)."""
    deadline = time.perf_counter() + TIMEOUT
    while any(worker.is_running for worker in app.workers) and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    await asyncio.sleep(quiet)


def loaded_hits(items: Any) -> tuple[Any, ...]:
    return tuple(items.hits)


def row_count(items: Any) -> int:
    """Rows in the list, loaded or not (older readers had no paging: every row is a hit)."""
    return int(getattr(items, "row_count", len(items.hits)))


def hit_at(items: Any, index: int) -> Any:
    if hasattr(items, "hit_at"):
        return items.hit_at(index)
    hits = items.hits
    return hits[index] if 0 <= index < len(hits) else None


def article_shown(view: Any, article_id: str) -> bool:
    """The article view shows ``article_id``, whole (paragraphs mounted and laid out)."""
    article = view.article
    if article is None or article.id != article_id:
        return False
    if hasattr(view, "shown_id"):  # a Line API view: it knows what it has drawn
        return bool(view.shown_id == article_id)
    paragraphs = view.paragraphs  # one widget a paragraph
    return len(paragraphs) == len(article.paragraphs) and (not paragraphs or paragraphs[0].region.height > 0)


async def blank_query(app: Any, probe: Probe, screen: Any, box: Any) -> None:
    """Empty the search box and wait until the whole library is listed again."""
    box.value = ""
    await probe.wait(lambda: screen.result is not None and screen.result.query == "" and box.value == "")
    await settle(app)


async def measure_launches(library_path: Path, launches: int) -> tuple[list[float], list[float]]:
    from pressreader.ui.app import make_app
    from pressreader.ui.widgets.result_list import ResultList

    first, excl_open = [], []
    for _ in range(launches):
        started = time.perf_counter()
        library = Library.open(library_path, create=False)
        opened = time.perf_counter()
        app = make_app(library)
        probe = Probe(app)
        async with app.run_test(size=SIZE):
            screen = app.screen
            done = await probe.wait(lambda screen=screen: len(loaded_hits(screen.query_one(ResultList))) > 0)
            first.append(done - started)
            excl_open.append(done - opened)
        library.close()
    return first, excl_open


async def app_figures(
    library_path: Path, launches: int = 5, scroll_presses: int = 300, articles: int = 20
) -> dict[str, object]:
    from textual.widgets import Input

    from pressreader.ui.app import make_app
    from pressreader.ui.screens.reader import ReaderScreen
    from pressreader.ui.widgets.article_view import ArticleView
    from pressreader.ui.widgets.result_list import ResultList

    first_lists, first_excl_open = await measure_launches(library_path, launches)
    figures: dict[str, object] = {
        "app_first_list_s": round(statistics.median(first_lists), 3),
        "app_first_list_p95_s": round(pct(first_lists, 0.95), 3),
        "app_first_list_excl_open_s": round(statistics.median(first_excl_open), 3),
        "app_launches": launches,
    }

    library = Library.open(library_path, create=False)
    searches = SearchLog(library)
    app = make_app(library)
    probe = Probe(app)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        box = screen.query_one("#search", Input)
        items = screen.query_one(ResultList)
        view = screen.query_one(ArticleView)
        await probe.wait(lambda: len(loaded_hits(items)) > 0)
        await settle(app)

        def shows(text: str) -> Callable[[], bool]:
            return lambda: box.value == text and screen.result is not None and screen.result.query == text

        # -- keystroke to list updated, for the text typed so far (each key waits for its list)
        keystrokes: list[float] = []
        echo: list[float] = []
        box.focus()
        typing_from = len(searches.calls)
        for query in TYPED:
            await blank_query(app, probe, screen, box)
            typed = ""
            for char in query:
                typed += char
                echoed = probe.painted(lambda text=typed: box.value == text)  # type: ignore[misc]
                listed = probe.painted(shows(typed))
                started = time.perf_counter()
                send_key(app, key_for(char))
                echo.append(await asyncio.wait_for(echoed, TIMEOUT) - started)
                keystrokes.append(await asyncio.wait_for(listed, TIMEOUT) - started)
        figures.update(
            keystroke_p95_ms=ms(pct(keystrokes, 0.95)),
            keystroke_p50_ms=ms(pct(keystrokes, 0.5)),
            keystroke_max_ms=ms(max(keystrokes)),
            keystroke_echo_p95_ms=ms(pct(echo, 0.95)),
            keystrokes_timed=len(keystrokes),
        )

        # -- after the pause: typed at a steady rhythm, timed from the last key
        after_pause: list[float] = []
        by_rhythm: dict[str, float] = {}
        for rhythm in TYPING_RHYTHMS_MS:
            samples = []
            for query in PAUSE_QUERIES:
                await blank_query(app, probe, screen, box)
                listed = probe.painted(shows(query))
                began = time.perf_counter()
                for position, char in enumerate(query):
                    await asyncio.sleep(max(began + position * rhythm / 1000 - time.perf_counter(), 0))
                    last = time.perf_counter()
                    send_key(app, key_for(char))
                samples.append(await asyncio.wait_for(listed, TIMEOUT) - last)
            after_pause.extend(samples)
            by_rhythm[f"{rhythm}ms"] = ms(pct(samples, 0.95))
        figures["app_library_search_while_typing"] = searches.summary(typing_from)
        figures.update(
            first_results_after_pause_p95_ms=ms(pct(after_pause, 0.95)),
            first_results_after_pause_p50_ms=ms(pct(after_pause, 0.5)),
            first_results_after_pause_max_ms=ms(max(after_pause)),
            first_results_after_pause_by_rhythm_p95_ms=by_rhythm,
            first_results_after_pause_queries=len(after_pause),
        )

        # -- fast burst, no waits: is any keystroke lost, and when does the list settle?
        await blank_query(app, probe, screen, box)
        fast = "central bank interest"
        listed = probe.painted(shows(fast))
        started = time.perf_counter()
        for char in fast:
            send_key(app, key_for(char))
        try:
            settled = await asyncio.wait_for(listed, 10)
            dropped = False
        except TimeoutError:
            settled, dropped = time.perf_counter(), True
        figures.update(
            keystrokes_dropped_fast_typing=dropped or box.value != fast,
            fast_typing_settle_ms=ms(settled - started),
        )

        # -- opening articles: Enter on a row, to the article drawn whole
        await blank_query(app, probe, screen, box)
        items.focus()
        await settle(app)
        figures.update(await open_articles(app, probe, library, items, view, articles))

        # -- scrolling the whole library (blank query), page by page, then to the end
        items.focus()
        send_key(app, "home")
        await probe.wait(lambda: items.cursor == 0)
        await settle(app)
        scrolling_from = len(searches.calls)
        figures.update(await scroll_list(app, probe, items, scroll_presses))
        await settle(app)
        figures["app_library_search_while_scrolling"] = searches.summary(scrolling_from)
    library.close()
    return figures


async def open_articles(
    app: Any, probe: Probe, library: Library, items: Any, view: Any, count: int
) -> dict[str, object]:
    """Enter on ``count`` rows: spread over the first rows, plus the longest articles found there."""
    rows = min(row_count(items), 200)
    while len(loaded_hits(items)) < rows:  # the first rows of the list, loaded
        await asyncio.sleep(0.01)
    candidates = [hit_at(items, index) for index in range(rows)]
    sizes = {}
    for index, hit in enumerate(candidates):
        article = library.get(hit.id)
        sizes[index] = sum(len(p.text) for p in article.paragraphs) if article else 0
    longest = sorted(sizes, key=lambda i: -sizes[i])[: max(count // 4, 1)]
    spread = [i for i in range(0, rows, max(rows // count, 1)) if i not in longest]
    chosen = (longest + spread)[:count]
    opens: list[float] = []
    paragraphs: list[int] = []
    for index in chosen:
        hit = candidates[index]
        items.focus()
        while app.focused is not items:
            await asyncio.sleep(0.001)
        items.cursor = index
        started = time.perf_counter()
        send_key(app, "enter")
        opens.append(await probe.wait(lambda hit_id=hit.id: article_shown(view, hit_id)) - started)
        article = view.article
        paragraphs.append(len(article.paragraphs) if article else 0)
        await settle(app, 0.05)
    long_opens = opens[: len(longest)]
    return {
        "open_article_p95_ms": ms(pct(opens, 0.95)),
        "open_article_p50_ms": ms(pct(opens, 0.5)),
        "open_article_max_ms": ms(max(opens)),
        "open_article_long_max_ms": ms(max(long_opens)),
        "open_article_long_paragraphs": paragraphs[: len(longest)],
        "open_article_long_chars": [sizes[i] for i in longest],
        "open_articles_timed": len(opens),
    }


async def scroll_list(app: Any, probe: Probe, items: Any, presses: int) -> dict[str, object]:
    """PgDn ``presses`` times (each waits for its frame), then End: the longest wait a key took."""
    total = row_count(items)
    stalls: list[float] = []
    placeholders = 0
    for _ in range(presses):
        before = items.cursor
        if before >= total - 1:
            break
        started = time.perf_counter()
        send_key(app, "pagedown")
        stalls.append(await probe.wait(lambda before=before: items.cursor > before) - started)
        top = int(items.scroll_offset.y) // items.row_height
        if any(hit_at(items, i) is None for i in range(top, min(top + 10, total))):
            placeholders += 1
    rows_paged = items.cursor
    moved = probe.painted(lambda: items.cursor == total - 1)
    filled = probe.painted(lambda: items.cursor == total - 1 and hit_at(items, total - 1) is not None)
    started = time.perf_counter()
    send_key(app, "end")
    end_moved = await asyncio.wait_for(moved, TIMEOUT) - started
    end_filled = await asyncio.wait_for(filled, TIMEOUT) - started
    return {
        "scroll_max_stall_ms": ms(max([*stalls, end_moved])),
        "scroll_p95_ms": ms(pct(stalls, 0.95)),
        "scroll_pagedowns": len(stalls),
        "scroll_rows_paged": rows_paged,
        "scroll_rows_total": total,
        "scroll_presses_showing_placeholders": placeholders,
        "scroll_end_ms": ms(end_moved),
        "scroll_end_filled_ms": ms(end_filled),
    }
