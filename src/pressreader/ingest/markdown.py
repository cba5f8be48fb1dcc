"""Markdown with YAML front matter (title, date, source, url, lang, tags).

The body is parsed with markdown-it (Rich's own Markdown parser) and flattened
to plain paragraphs: emphasis markers dropped, links reduced to their text,
list items kept as bullet lines, headings as paragraphs of their own.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pressreader.ingest.errors import RejectedInput
from pressreader.ingest.normalise import Draft, clean_paragraph, parse_date

NAME = "markdown"
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def sniff(text: str, suffix: str) -> bool:
    return suffix in SUFFIXES or bool(_FRONT_MATTER.match(text))


def parse(text: str) -> list[Draft]:
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        meta = _front_matter(match.group(1))
        text = text[match.end() :]
    blocks = markdown_blocks(text)
    title = _inline_markdown(_text(meta.get("title")))
    if not title and blocks and blocks[0][0] == "h1":
        title = blocks.pop(0)[1]
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tag.strip() for tag in tags.split(",")]
    return [
        Draft(
            paragraphs=[block for _kind, block in blocks],
            title=title,
            date=parse_date(_text(meta.get("date") or meta.get("published"))),
            source=_text(meta.get("source") or meta.get("publisher")),
            url=_text(meta.get("url") or meta.get("link")),
            lang=_text(meta.get("lang") or meta.get("language")),
            tags=[_text(tag) for tag in tags] if isinstance(tags, list) else [],
        )
    ]


def _front_matter(block: str) -> dict[str, Any]:
    """The front matter's keys and values, every scalar as written.

    YAML's BaseLoader keeps scalars as strings: ``title: 12:30`` stays "12:30"
    (not 750), ``lang: no`` stays "no" (not False), and no tag (``!!int abc``)
    is ever constructed, so no value can raise anything but a YAML error.
    """
    try:
        loaded = yaml.load(block, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise RejectedInput(f"front matter is not valid YAML{where}") from None
    except RecursionError:
        raise RejectedInput("front matter is nested too deeply") from None
    if loaded is not None and not isinstance(loaded, dict):
        raise RejectedInput("front matter is not a mapping of keys to values")
    return loaded or {}


def _text(value: object) -> str:
    """A front-matter value as one line of text: strings as written, lists joined."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(item.strip() for item in value if isinstance(item, str))
    return ""


def markdown_paragraphs(text: str) -> list[str]:
    """Plain-text paragraphs of a Markdown document."""
    return [block for _kind, block in markdown_blocks(text)]


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """The blocks of a Markdown document as plain text: ``(kind, text)`` with kind
    ``h1`` for a top-level heading, else ``p``."""
    paragraphs: list[tuple[str, str]] = []
    bullets: list[str] = []
    list_depth = 0
    ordered_counters: list[int] = []
    heading = False
    for token in _MARKDOWN.parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            start = token.attrGet("start") if token.type == "ordered_list_open" else None
            ordered_counters.append(-1 if token.type == "bullet_list_open" else int(start or 1) - 1)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            ordered_counters.pop()
            if list_depth == 0 and bullets:
                paragraphs.append(("p", "\n".join(bullets)))
                bullets = []
        elif token.type == "list_item_open" and ordered_counters and ordered_counters[-1] >= 0:
            ordered_counters[-1] += 1
        elif token.type == "heading_open":
            heading = token.tag == "h1"
        elif token.type in ("inline", "code_block", "fence"):
            content = _inline_text(token) if token.type == "inline" else token.content
            content = clean_paragraph(content)
            if not content:
                continue
            if list_depth:
                number = ordered_counters[-1]
                marker = f"{number}." if number > 0 else "•"
                bullets.append(f"{'  ' * (list_depth - 1)}{marker} {content}")
            else:
                paragraphs.append(("h1" if heading else "p", content))
            heading = False
    if bullets:
        paragraphs.append(("p", "\n".join(bullets)))
    return paragraphs


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content or "")
    return "".join(parts)


def _inline_markdown(text: str) -> str:
    """A one-line Markdown string (a title) as plain text: "**New** [route](u)" -> "New route"."""
    if not text:
        return ""
    tokens = [token for token in _MARKDOWN.parseInline(text) if token.type == "inline"]
    return " ".join(_inline_text(token) for token in tokens).strip() or text
