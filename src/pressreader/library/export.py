"""Export articles as Markdown, JSON or CSV: what ``pressreader export`` and the reader both call.

Formats
    ``md``   one section per article: a ``#`` title, a metadata line (date · source
             · url · id), then each paragraph preceded by its theme labels
             (``*[Energy, Transport]*``); articles separated by ``---``; an export
             of a search starts with the query.
    ``json`` one article: exactly the object ``pressreader show ID --json`` prints
             (:func:`article_json`); several (an export of a search): a JSON array of
             those objects, one a line.  With ``paragraphs_with`` an object keeps
             only the paragraphs carrying that theme.
    ``csv``  one row a paragraph: ``id, title, date, source, url, paragraph, themes,
             text``; ``paragraph`` counts from 1 in the article as stored (a filtered
             export keeps the original numbers), ``themes`` is ``energy;transport``.

Files are written whole or not at all (a temporary file in the same folder, then
``os.replace``); an existing file is never replaced without ``force``, and a folder
is never written into.  Everything is UTF-8.

Release text is untrusted.  Ingest already removes control characters and escape
sequences; export removes them again (``clean_text``: an article that did not come
through ingest is no different), so no terminal command reaches ``cat out.md``.
JSON keeps the text as stored, but writes control, bidi and invisible characters
as ``\\uXXXX`` escapes (the same object, safe bytes).  Markdown escapes what would
give release text structure of its own: headings, quotes, lists, rules, code,
HTML, links and emphasis (so a paragraph cannot fake a title, an article
separator or a theme label), and entity references.  CSV cells that a
spreadsheet would take for a formula (starting ``= + - @``, tab or CR) get a
leading ``'``.
"""

from __future__ import annotations

import csv
import os
import re
import secrets
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from pressreader.ingest.normalise import clean_line, clean_text
from pressreader.model import Article, Paragraph, SortOrder, Theme
from pressreader.printable import printable_json

if TYPE_CHECKING:
    from pressreader.library.library import Library

Format = Literal["md", "json", "csv"]
FORMATS: tuple[Format, ...] = ("md", "json", "csv")
#: File suffixes that name a format (``-o energy.csv``); any other suffix gets the default.
SUFFIXES: dict[str, Format] = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv"}
CSV_HEADER = ("id", "title", "date", "source", "url", "paragraph", "themes", "text")


class ExportError(Exception):
    """An export that could not be written (the message names the file)."""


class ExportExists(ExportError):
    """The target file exists and ``force`` was not given: the reader asks, the CLI says --force."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} exists; use --force to overwrite")
        self.path = path


class BadQuery(ExportError):
    """The query of :func:`export_search` is malformed (the message says why)."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote: articles and paragraphs, where (``None``: a stream)."""

    count: int
    paragraphs: int
    path: Path | None
    fmt: Format
    #: For an export of a search: how many articles the query matched, and
    #: words that would find something when it matched none.
    matches: int = 0
    suggestions: tuple[str, ...] = ()


# ------------------------------------------------------------------ choices
def format_for(path: Path | str | None, default: Format = "md") -> Format:
    """The format a file name asks for by its suffix (``.md``, ``.json``, ``.csv``), else ``default``."""
    if path is None:
        return default
    return SUFFIXES.get(Path(path).suffix.lower(), default)


def resolve_theme(name: str, themes: Mapping[str, Theme]) -> str | None:
    """The theme id that ``name`` means: an id or a label, in any case; ``None`` if none."""
    wanted = name.strip().casefold()
    for theme in themes.values():
        if wanted in (theme.id.casefold(), theme.label.casefold()):
            return theme.id
    return None


def numbered_paragraphs(article: Article, theme: str | None = None) -> list[tuple[int, Paragraph]]:
    """The paragraphs with their numbers (from 1); with ``theme``, only those carrying it."""
    return [
        (number, paragraph)
        for number, paragraph in enumerate(article.paragraphs, start=1)
        if theme is None or any(hit.theme == theme for hit in paragraph.themes)
    ]


def _label(theme_id: str, themes: Mapping[str, Theme]) -> str:
    theme = themes.get(theme_id)
    return theme.label if theme is not None else theme_id


# --------------------------------------------------------------------- JSON
def article_json(article: Article) -> dict[str, Any]:
    """The object ``pressreader show ID --json`` prints for ``article``."""
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "lang": article.lang,
        "tags": list(article.tags),
        "paragraphs": [
            {
                "text": p.text,
                "themes": [{"id": h.theme, "score": h.score, "terms": list(h.terms)} for h in p.themes],
            }
            for p in article.paragraphs
        ],
    }


#: Compact JSON, control, bidi and invisible characters as ``\\uXXXX`` escapes: the
#: one JSON writer of every front end (``show --json`` prints what an export writes).
dumps = printable_json


# ----------------------------------------------------------------- Markdown
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|#])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: Characters that open a block (heading, quote, list, rule, setext underline, fence) at a line start.
_MD_LINE_START = re.compile(r"^([>+=~-])")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def _md_inline(text: str) -> str:
    """One line of untrusted text as literal Markdown: no links, HTML, emphasis or code."""
    return _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", clean_line(text)))


def _md_block(text: str) -> str:
    """A paragraph as literal Markdown; its lines (a list in the release) kept apart by hard breaks."""
    lines = []
    for raw in clean_text(text).split("\n"):
        line = _md_inline(raw)
        if line:
            lines.append(_MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", line)))
    return "\\\n".join(lines)


def _md_url(url: str) -> str:
    url = clean_line(url)
    return f"<{url}>" if _URL.fullmatch(url) else _md_inline(url)


def markdown_header(query: str, *, paragraphs_with: str | None = None, themes: Mapping[str, Theme]) -> str:
    """The top of a search's Markdown export: the query (and the paragraph filter)."""
    line = f"**Search:** {_md_inline(query) or '(all articles)'}"
    if paragraphs_with is not None:
        line += f" · only paragraphs with {_md_inline(_label(paragraphs_with, themes))}"
    return line + "\n"


def render_markdown(
    article: Article, themes: Mapping[str, Theme], *, paragraphs_with: str | None = None
) -> str:
    """One article as Markdown: title, metadata, each paragraph after its theme labels."""
    return _markdown(article, numbered_paragraphs(article, paragraphs_with), themes)


def _markdown(article: Article, numbered: list[tuple[int, Paragraph]], themes: Mapping[str, Theme]) -> str:
    parts = [f"# {_md_inline(article.title) or '(untitled)'}"]
    meta = [_md_inline(article.date), _md_inline(article.source), _md_url(article.url)]
    meta.append(f"id {_md_inline(article.id)}" if article.id else "")
    parts.append(" · ".join(part for part in meta if part))
    for _number, paragraph in numbered:
        text = _md_block(paragraph.text)
        labels = [_md_inline(_label(hit.theme, themes)) for hit in paragraph.themes]
        parts.append(f"*[{', '.join(labels)}]*\n{text}" if labels else text)
    return "\n\n".join(part for part in parts if part) + "\n"


# ---------------------------------------------------------------------- CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(article: Article, *, paragraphs_with: str | None = None) -> list[list[str | int]]:
    """The CSV rows of one article (see :data:`CSV_HEADER`), one a paragraph."""
    return _rows(article, numbered_paragraphs(article, paragraphs_with))


def _rows(article: Article, numbered: list[tuple[int, Paragraph]]) -> list[list[str | int]]:
    head = [_cell(clean_line(value)) for value in (article.id, article.title, article.date, article.source)]
    url = _cell(clean_line(article.url))
    return [
        [
            *head,
            url,
            number,
            _cell(";".join(clean_line(hit.theme) for hit in paragraph.themes)),
            _cell(clean_text(paragraph.text).strip()),
        ]
        for number, paragraph in numbered
    ]


# ------------------------------------------------------------------ writing
def export_articles(
    articles: Iterable[Article],
    fmt: Format,
    path: Path | str | None,
    *,
    force: bool = False,
    themes: Mapping[str, Theme],
    query: str | None = None,
    paragraphs_with: str | None = None,
    stream: TextIO | None = None,
) -> ExportReport:
    """Write ``articles`` in ``fmt`` to ``path`` (``None`` or ``"-"``: to ``stream``, else stdout).

    ``query`` (an export of a search) is recorded at the top of Markdown.  With
    ``paragraphs_with`` (a theme id) only the paragraphs carrying that theme are
    written, and articles left with none are skipped.  JSON is always an array
    here (see :func:`export_article` for one article's object).

    Raises :class:`ExportExists` when the file exists and not ``force``, and
    :class:`ExportError` for a folder, a missing parent folder or a failed write;
    a file is then left as it was.
    """
    return _export(
        articles, fmt, path, force=force, themes=themes, query=query, theme=paragraphs_with, stream=stream
    )


def export_article(
    article: Article,
    fmt: Format,
    path: Path | str | None,
    *,
    force: bool = False,
    themes: Mapping[str, Theme],
    stream: TextIO | None = None,
) -> ExportReport:
    """Write one article (the reader's open article): JSON is then ``show --json``'s object, not an array."""
    return _export([article], fmt, path, force=force, themes=themes, single=True, stream=stream)


def export_search(
    library: Library,
    text: str,
    fmt: Format,
    path: Path | str | None,
    *,
    sort: SortOrder = "relevance",
    limit: int | None = None,
    force: bool = False,
    paragraphs_with: str | None = None,
    stream: TextIO | None = None,
) -> ExportReport:
    """Export every article ``text`` finds (at most ``limit``), in the order of ``sort``.

    Raises :class:`BadQuery` for a malformed query, before anything is written.
    """
    _check_target(path, force)  # a mistake in the target shows before a long search
    result = library.search(text, sort=sort, limit=limit, snippets=False)
    if result.error is not None:
        raise BadQuery(result.error)
    found = (library.get(hit.id) for hit in result.hits)
    report = _export(
        (article for article in found if article is not None),
        fmt,
        path,
        force=force,
        themes=library.lexicon.themes,
        query=text,
        theme=paragraphs_with,
        stream=stream,
    )
    return replace(report, matches=result.total, suggestions=result.suggestions)


def _export(
    articles: Iterable[Article],
    fmt: Format,
    path: Path | str | None,
    *,
    force: bool,
    themes: Mapping[str, Theme],
    query: str | None = None,
    theme: str | None = None,
    single: bool = False,
    stream: TextIO | None = None,
) -> ExportReport:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    target = _check_target(path, force)
    writer = _Writer(fmt, themes, query=query, theme=theme, single=single)
    if target is None:
        writer.write(articles, stream if stream is not None else sys.stdout)
    else:
        try:
            with _atomic(target, force=force, newline="" if fmt == "csv" else None) as handle:
                writer.write(articles, handle)
        except ExportError:
            raise
        except OSError as error:
            raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
    return ExportReport(count=writer.count, paragraphs=writer.paragraphs, path=target, fmt=fmt)


class _Writer:
    """Streams articles in one format (a library of 100k articles is never held whole)."""

    def __init__(
        self, fmt: Format, themes: Mapping[str, Theme], *, query: str | None, theme: str | None, single: bool
    ) -> None:
        self.fmt, self.themes, self.query, self.theme, self.single = fmt, themes, query, theme, single
        self.count = 0
        self.paragraphs = 0

    def _selected(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[tuple[int, Paragraph]]]]:
        """Each article with the paragraphs to write; an article left with none is skipped."""
        for article in articles:
            kept = numbered_paragraphs(article, self.theme)
            if self.theme is not None and not kept:
                continue
            self.count += 1
            self.paragraphs += len(kept)
            yield article, kept

    def write(self, articles: Iterable[Article], out: TextIO) -> None:
        selected = self._selected(articles)
        if self.fmt == "csv":
            rows = csv.writer(out)
            rows.writerow(CSV_HEADER)
            for article, kept in selected:
                rows.writerows(_rows(article, kept))
        elif self.fmt == "json":
            objects = (
                article_json(article if self.theme is None else replace(article, paragraphs=_only(kept)))
                for article, kept in selected
            )
            if self.single:
                for payload in objects:
                    out.write(dumps(payload) + "\n")
                return
            out.write("[")
            for number, payload in enumerate(objects):
                out.write(("\n" if number == 0 else ",\n") + dumps(payload))
            out.write("\n]\n" if self.count else "]\n")
        else:
            if self.query is not None:
                out.write(markdown_header(self.query, paragraphs_with=self.theme, themes=self.themes))
            for number, (article, kept) in enumerate(selected):
                if number or self.query is not None:
                    out.write("\n---\n\n")
                out.write(_markdown(article, kept, self.themes))


def _only(numbered: list[tuple[int, Paragraph]]) -> tuple[Paragraph, ...]:
    return tuple(paragraph for _number, paragraph in numbered)


def _check_target(path: Path | str | None, force: bool) -> Path | None:
    """The file to write (``None`` for the standard output), after the checks that need no writing."""
    if path is None or str(path) == "-":
        return None
    text = os.fspath(path)
    if not text:
        raise ExportError("no file name given; name a file to write, or - for standard output")
    target = Path(path).expanduser()
    if text.endswith(("/", os.sep)) or target.is_dir():
        raise ExportError(f"{text} is a folder; name a file to write")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: no folder {target.parent}")
    if not force and os.path.lexists(target):
        raise ExportExists(target)
    return target


@contextmanager
def _atomic(target: Path, *, force: bool, newline: str | None) -> Iterator[TextIO]:
    """A file that becomes ``target`` when the block ends well, and vanishes otherwise."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
    try:
        with open(descriptor, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(temporary, target, force=force)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _put_in_place(temporary: Path, target: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, target)
        return
    # A hard link never replaces a file that appeared meanwhile; where links are
    # not supported, the check (made before writing) is made again.
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise ExportExists(target) from None
    except OSError:
        if os.path.lexists(target):
            raise ExportExists(target) from None
        os.replace(temporary, target)
    else:
        os.unlink(temporary)
