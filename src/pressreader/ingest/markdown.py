"""Markdown with YAML front matter (title, date, source, url, lang, tags).

Real posts (Jekyll, Hugo) mix Markdown with HTML, template tags and Kramdown's
attribute lists.  The body goes through three steps, and what comes out is plain
text only (it is what gets indexed and classified):

1. Template tags go first, as Jekyll and Hugo remove them before Markdown ever
   sees the text: Liquid ``{% … %}`` and ``{{ … }}``, Hugo shortcodes ``{{< … >}}``
   and ``{{% … %}}`` (a paired shortcode keeps its inner text), Kramdown extensions
   (``{::comment}…{:/comment}`` with their content, ``{::options … /}``).  The text
   between ``{% raw %}`` and ``{% endraw %}`` stays as written, ``{% comment %}``
   goes with its content, ``{% highlight %}`` becomes a code block, and an include
   or figure keeps its caption.
2. markdown-it (Rich's own parser, with tables and strikethrough) reads the rest,
   HTML enabled: an HTML block, and the inline HTML of a paragraph, go through the
   project's one HTML extraction (:func:`~pressreader.ingest.feed.html_to_paragraphs`):
   text kept, tags, CSS, scripts, iframes and comments dropped.  A block that opens
   ``<script>`` or ``<style>`` runs until it closes, even across blank lines; a block
   marked ``markdown="1"`` is read as Markdown.
3. Each piece of text loses what is still markup: Kramdown attribute lists
   (``{:.image-caption}``), emphasis markers markdown-it did not pair (``** bold **``),
   and, in text that came out of HTML, Markdown emphasis and links.  Code is kept as
   written.

Headings, list items (bullet lines) and table rows (cells joined by " · ") are
paragraphs of their own; images, thematic breaks and ``<!--more-->`` leave nothing.
Lists and quotes nested deeper than markdown-it reads (it silently skips the rest of
the document there) are read flattened: every paragraph kept, in order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from pressreader.ingest.errors import RejectedInput
from pressreader.ingest.feed import html_to_paragraphs, iso_date
from pressreader.ingest.normalise import Draft, clean_paragraph

NAME = "markdown"
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
#: How deep markdown-it may nest blocks (a list level is two, a quote one).  Past it
#: markdown-it stops reading: it skips the rest of the document without a word, so a
#: document that reaches it is read again flattened (:func:`flatten_containers`).
#: Each level costs about three Python frames: 128 keeps well inside the recursion limit.
MAX_NESTING = 128
_MARKDOWN = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
    ["table", "strikethrough"]
)
#: Inline markup (``[[[…``) keeps markdown-it's own limit: its cost grows with the limit.
_INLINE = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough"])


def _inline_rule(state: StateCore) -> None:
    """markdown-it's inline step, run by :data:`_INLINE`: deep blocks, shallow inlines."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = []
            _INLINE.inline.parse(token.content, _INLINE, state.env, token.children)


_MARKDOWN.core.ruler.at("inline", _inline_rule)
#: For text that came out of HTML: its "<" are text (decoded entities), never tags.
_TEXT_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["strikethrough"])
_CELL_JOIN = " · "


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
            date=iso_date(_text(meta.get("date") or meta.get("published"))),
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


# ------------------------------------------------------------ template tags

#: One template tag.  Each body stops at the next "{%" or "{{", so a run of tags that
#: never close costs one pass over the text, not one pass per tag.
_TEMPLATE = re.compile(
    r"\{%-?\s*(?P<liquid>\w*)(?P<lbody>(?:(?!\{[{%])[^%]|%(?!\}))*)%\}"
    r"|\{\{(?P<mbody>(?:(?!\{[{%])[^}]|\}(?!\}))*)\}\}"
    r"|\{::(?P<kramdown>\w+)[^{}\n]{0,2000}\}"
    r"|\{:/(?P<kclose>\w*)\}"
)
_CAPTION = re.compile(r"""\b(?:caption|description)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Where a block that hides its content opens; it is dropped only when it also closes.
_CLOSES = {"raw": "endraw", "comment": "endcomment"}
_HIDING_ENDS = (("comment", "endcomment"), ("kcomment", "comment"))


#: A Liquid raw block: what it holds is shown as written, template tags and all.
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<body>.*?)\{%-?\s*endraw\s*-?%\}", re.S | re.I)


def strip_templates(text: str) -> str:
    """The text without Liquid, Hugo and Kramdown template tags (see the module's notes);
    what a ``{% raw %}`` block holds stays as written (``{% raw %}{{{% endraw %} name }}``
    is how a post shows ``{{ name }}``)."""
    if "{" not in text:
        return text
    end = text.rfind("endraw")
    if end < 0:
        return _strip_templates(text)
    # Only up to the last endraw: every raw opener before it finds its end (linear),
    # and one after it is an ordinary tag.
    limit = text.find("}", end) + 1 or len(text)
    pieces: list[str] = []
    position = 0
    for match in _RAW_BLOCK.finditer(text, 0, limit):
        pieces.append(_strip_templates(text[position : match.start()]))
        pieces.append(match["body"])
        position = match.end()
    pieces.append(_strip_templates(text[position:]))
    return "".join(pieces)


def _strip_templates(text: str) -> str:
    if "{" not in text:
        return text
    out: list[str] = []
    position = 0
    hiding = ""  # "raw", "comment" or "kcomment": inside such a block
    last_close = {name: text.rfind(name) for name in ("endraw", "endcomment", "{:/comment}")}
    for match in _TEMPLATE.finditer(text):
        liquid = (match["liquid"] or "").lower()
        if hiding == "raw":
            if liquid != "endraw":
                continue
            out.append(text[position : match.start()])
        elif hiding:
            if (hiding, liquid or match["kclose"]) not in (
                ("comment", "endcomment"),
                ("kcomment", "comment"),
            ):
                continue
        else:
            out.append(text[position : match.start()])
            if liquid in _CLOSES and last_close[_CLOSES[liquid]] > match.end():
                hiding = liquid
            elif match["kramdown"] == "comment" and last_close["{:/comment}"] > match.end():
                hiding = "kcomment"
            else:
                out.append(_replacement(match, liquid))
            position = match.end()
            continue
        hiding = ""
        position = match.end()
    if hiding != "raw" and hiding:
        position = len(text)
    out.append(text[position:])
    return "".join(out)


def _replacement(match: re.Match[str], liquid: str) -> str:
    """What a template tag leaves: a code fence for highlight, a caption, or nothing."""
    if liquid == "highlight":
        return "\n\n~~~~~~~~\n"
    if liquid == "endhighlight":
        return "\n~~~~~~~~\n\n"
    body = match["lbody"] if match["liquid"] is not None else match["mbody"]
    if body and (liquid == "include" or body.lstrip("<% ").startswith("figure")):
        caption = _CAPTION.search(body)
        if caption:
            return html.escape(caption.group(1) or caption.group(2) or "", quote=False)
    return ""


# ------------------------------------------------------------ leftover markup

#: Kramdown attribute lists: ``{:.caption}``, ``{: .a.b #id key="v"}``, ``{:ref: .x}``.
_IAL = re.compile(
    r"\{:\s*+(?:(?:[.#][\w.-]++|[\w-]++=(?:\"[^\"\n]{0,500}\"|'[^'\n]{0,500}'|[^\s}\"']++)|[\w-]++:?)\s*+)*+\}"
)
#: Emphasis markers markdown-it left: runs of "**", "__" (not "____" lines to fill in).
_MARKER_RUN = re.compile(r"(?<!\d)\*{2,}|\*{2,}(?!\d)|(?<!_)_{2,3}(?!_)")
#: A "*word*" or "_a phrase_" pair that opens after a space and closes before one.
_STAR_PAIR = re.compile(r"(?<![\w*\\])\*([^\s*](?:[^*\n]{0,300}[^\s*\\])?)\*(?![\w*])")
_UNDERSCORE_PAIR = re.compile(r"(?<![\w_\\])_([^\s_](?:[^_\n]{0,300}[^\s_\\])?)_(?![\w_])")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]{1,40})\]:?")
_EMPHASIS_HINT = re.compile(r"[*_\[`~]")


def clean_markup(text: str) -> str:
    """A piece of prose without Kramdown attribute lists and stray emphasis markers;
    footnote marks read ``[1]``.  Never used on code."""
    if "{:" in text:
        text = _IAL.sub("", text)
    if "[^" in text:
        text = _FOOTNOTE.sub(r"[\1]", text)
    if "*" in text:
        text = _STAR_PAIR.sub(r"\1", text)
    if "_" in text:
        text = _UNDERSCORE_PAIR.sub(r"\1", text)
    if "*" in text or "__" in text:
        text = _MARKER_RUN.sub("", text)
    return text


# ------------------------------------------------------------------ blocks


def markdown_paragraphs(text: str) -> list[str]:
    """Plain-text paragraphs of a Markdown document."""
    return [block for _kind, block in markdown_blocks(text)]


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """The blocks of a Markdown document as plain text: ``(kind, text)`` with kind
    ``h1`` for a top-level heading, else ``p``."""
    text = strip_templates(text.replace("\r\n", "\n").replace("\r", "\n"))
    return _Blocks(text).read()


#: HTML elements whose content is never text, and those of them whose content is
#: raw text (no tags inside: only their own closing tag ends them).
_HIDDEN = ("script", "style", "iframe", "svg", "object", "template", "noscript", "textarea", "math")
_RAW_TEXT = frozenset({"script", "style", "textarea", "noscript"})
_HIDDEN_TAG = re.compile(r"<(/?)(" + "|".join(_HIDDEN) + r")(?![\w-])", re.I)
_MARKDOWN_ATTRIBUTE = re.compile(
    r"\A\s*<([A-Za-z][\w-]*)[^<>]*?\smarkdown\s*=\s*[\"']?(?:1|block|span)\b[^<>]*>", re.I
)
#: Elements that hold blocks and always close: what an indented line inside is part of.
_CONTAINER_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|figure|blockquote|table|header|footer|nav|main|details"
    r"|center|form|ul|ol|dl)(?![\w-])([^<>]*)>",
    re.I,
)
#: HTML with no text at all (``<div>``, ``</figure>``, ``<img …>``): nothing to parse.
_TAGS_ONLY = re.compile(r"(?:\s*+<[^<>]*+>)*+\s*+")
_CODE_IN_HTML = re.compile(r"<(?:pre|code)[\s>]", re.I)


def _open_hidden(fragment: str, stack: list[str]) -> list[str]:
    """``stack`` (the hidden elements still open) after reading ``fragment``."""
    for match in _HIDDEN_TAG.finditer(fragment):
        closing, tag = match.group(1), match.group(2).lower()
        if stack and stack[-1] in _RAW_TEXT:
            if closing and tag == stack[-1]:
                stack.pop()
        elif not closing:
            stack.append(tag)
        elif stack and (stack[-1] == tag or tag in stack[-64:]):  # a stray close is text
            while stack.pop() != tag:
                pass
    return stack


def _open_containers(fragment: str, depth: int) -> int:
    """How many container elements are open after ``fragment``; one marked
    ``markdown="1"`` holds Markdown, so it does not count."""
    if "<" not in fragment:
        return depth
    for match in _CONTAINER_TAG.finditer(fragment):
        if match.group(1):
            depth = max(depth - 1, 0)
        elif not match.group(2).endswith("/") and "markdown" not in match.group(2).lower():
            depth += 1
    return depth


#: The container markers that open a line: quote marks and list markers, with their spaces.
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|\Z)))++[ \t]*+")
#: A line that opens more containers than markdown-it reads.
_DEEP_LINE = re.compile(rf"^(?:[ \t]*+(?:>|(?:[-*+]|\d{{1,9}}[.)])(?=[ \t]|$))){{{MAX_NESTING // 2}}}", re.M)
_LIST_MARKER = re.compile(r"(?:\A|[ \t>])(?:[-*+]|\d{1,9}[.)])(?=[ \t]|\Z)")


def flatten_containers(text: str) -> str:
    """``text`` with its quotes and lists one level deep: every line loses its quote marks,
    list markers and indentation; a line that opened a list item is an item of one flat
    list.  For documents nested deeper than markdown-it reads (:data:`MAX_NESTING`):
    their text stays whole and in order, in time linear in the text."""
    out: list[str] = []
    for line in text.split("\n"):
        prefix = _CONTAINER_PREFIX.match(line)
        if prefix is None or not prefix.group():
            out.append(line.lstrip(" \t"))
            continue
        rest = line[prefix.end() :]
        if _LIST_MARKER.search(prefix.group()):
            out.append(f"- {rest}" if rest else "")
        else:
            out.append(rest)
    return "\n".join(out)


def _parse(text: str) -> tuple[str, list[Token]]:
    """markdown-it's tokens for ``text``, and the text they were read from: the text itself,
    or, when it nests deeper than markdown-it reads, the text flattened."""
    try:
        if _DEEP_LINE.search(text):  # flattened anyway: markdown-it would cost levels x line
            raise RecursionError
        tokens = _MARKDOWN.parse(text)
    except RecursionError:
        tokens = []
    else:
        if not any(token.nesting == 1 and token.level >= MAX_NESTING - 1 for token in tokens):
            return text, tokens
    text = flatten_containers(text)
    return text, _MARKDOWN.parse(text)


class _Blocks:
    """One pass over markdown-it's tokens, collecting ``(kind, text)`` blocks."""

    def __init__(self, text: str, nested: bool = False) -> None:
        text, self.tokens = _parse(text)
        self.lines = text.replace("\0", "\ufffd").split("\n")
        self.nested = nested
        self.blocks: list[tuple[str, str]] = []
        self.bullets: list[str] = []
        self.counters: list[int] = []  # per open list: -1 for a bullet list, else the last number
        self.row: list[str] | None = None
        self.open_html = 0  # <div>s and the like that top-level HTML left open

    def read(self) -> list[tuple[str, str]]:
        heading = False
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            index += 1
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = token.attrGet("start") if kind == "ordered_list_open" else None
                self.counters.append(-1 if kind == "bullet_list_open" else int(start or 1) - 1)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.counters.pop()
                if not self.counters and self.bullets:
                    self.blocks.append(("p", "\n".join(self.bullets)))
                    self.bullets = []
            elif kind == "list_item_open" and self.counters and self.counters[-1] >= 0:
                self.counters[-1] += 1
            elif kind == "heading_open":
                heading = token.tag == "h1"
            elif kind == "tr_open":
                self.row = []
            elif kind == "tr_close" and self.row is not None:
                if any(self.row):
                    self.blocks.append(("p", clean_paragraph(_CELL_JOIN.join(self.row))))
                self.row = None
            elif kind == "inline" and self.row is not None:
                self.row.append(clean_paragraph(_inline_text(token)))
            elif kind == "inline":
                self._add("h1" if heading else "p", _inline_text(token))
                heading = False
                if self.open_html and token.level == 1:
                    self.open_html = _open_containers(token.content, self.open_html)
            elif token.level == 0 and (kind == "html_block" or (kind == "code_block" and self.open_html)):
                fragment, index = self._html_run(index - 1)
                for paragraph in self._html_block(fragment):
                    self._add("p", paragraph)
            elif kind in ("code_block", "fence"):
                self._add("p", token.content)
            elif kind == "html_block":  # inside a list item or a quote
                for paragraph in self._html_block(token.content):
                    self._add("p", paragraph)
        if self.bullets:
            self.blocks.append(("p", "\n".join(self.bullets)))
        return self.blocks

    def _html_run(self, index: int) -> tuple[str, int]:
        """The top-level HTML from ``tokens[index]`` on as one fragment, parsed once: the
        HTML blocks in a row, and, inside a ``<div>`` they left open, the indented lines a
        blank line made code blocks of.  A block marked ``markdown="1"`` stands alone."""
        pieces: list[str] = []
        while index < len(self.tokens):
            token = self.tokens[index]
            if token.level != 0 or not (
                token.type == "html_block" or (token.type == "code_block" and self.open_html)
            ):
                break
            if pieces and _MARKDOWN_ATTRIBUTE.match(token.content):
                break
            index += 1
            fragment = token.content
            if token.type == "html_block" and token.map and _open_hidden(fragment, []):
                fragment, index = self._through_close(token, index)
            self.open_html = _open_containers(fragment, self.open_html)
            pieces.append(fragment)
            if _MARKDOWN_ATTRIBUTE.match(fragment):
                break
        return "\n".join(pieces), index

    def _through_close(self, token: Token, index: int) -> tuple[str, int]:
        """An HTML block that leaves ``<script>``, ``<style>`` or the like open, with the
        source of the top-level blocks after it up to the one that closes it."""
        assert token.map is not None
        stack = _open_hidden(token.content, [])
        end = token.map[1]
        while stack and index < len(self.tokens):
            following = self.tokens[index]
            index += 1
            if following.level != 0 or not following.map:
                continue
            _open_hidden("\n".join(self.lines[end : following.map[1]]), stack)
            end = following.map[1]
        while index < len(self.tokens) and self.tokens[index].level != 0:
            index += 1  # the closing tokens of the last block taken
        if index < len(self.tokens) and self.tokens[index].type.endswith("_close"):
            index += 1
        return "\n".join(self.lines[token.map[0] : end]), index

    def _html_block(self, fragment: str) -> list[str]:
        """An HTML block's paragraphs; one marked ``markdown="1"`` is read as Markdown."""
        opening = _MARKDOWN_ATTRIBUTE.match(fragment)
        if opening and not self.nested:
            inner = fragment[opening.end() :].rstrip()
            closing = f"</{opening.group(1).lower()}>"
            if inner.lower().endswith(closing):
                inner = inner[: -len(closing)]
            return [text for _kind, text in _Blocks(inner, nested=True).read()]
        return html_paragraphs(fragment)

    def _add(self, kind: str, content: str) -> None:
        content = clean_paragraph(content)
        if not content:
            return
        if self.counters:
            number = self.counters[-1]
            marker = f"{number}." if number > 0 else "•"
            self.bullets.append(f"{'  ' * (len(self.counters) - 1)}{marker} {content}")
        else:
            self.blocks.append((kind, content))


def html_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of embedded HTML, with the Markdown its author wrote inside it
    (``**bold**``, ``[link](url)``) flattened, unless the HTML holds code."""
    if _TAGS_ONLY.fullmatch(fragment):
        return []
    paragraphs = html_to_paragraphs(fragment)
    if _CODE_IN_HTML.search(fragment):
        return paragraphs
    return [_markdown_in_text(paragraph) for paragraph in paragraphs]


def _markdown_in_text(paragraph: str) -> str:
    if not _EMPHASIS_HINT.search(paragraph) and "{:" not in paragraph:
        return paragraph
    lines = []
    for line in paragraph.split("\n"):  # bullet lines stay lines
        tokens = [token for token in _TEXT_MARKDOWN.parseInline(line) if token.type == "inline"]
        lines.append(" ".join(_inline_text(token) for token in tokens))
    return "\n".join(lines)


def _inline_text(token: Token) -> str:
    """An inline token's text: prose cleaned of leftover markup, code as written,
    images dropped, inline HTML through the HTML extraction in the flow of the text."""
    pieces = list(_inline_pieces(token.children or []))
    if not any(kind == "html" for kind, _text in pieces):
        return "".join(text for _kind, text in pieces)
    fragment = "".join(text if kind == "html" else html.escape(text, quote=False) for kind, text in pieces)
    return " ".join(html_to_paragraphs(fragment))


def _inline_pieces(children: list[Token]) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` of an inline token's children: ``prose`` (a run of text and line
    breaks, cleaned as one, so that markup a line break cut in two, ``{:`` then
    ``.icon}``, still goes), ``code`` as written, ``html`` as written; images dropped."""
    prose: list[str] = []
    for child in children:
        if child.type == "text":
            prose.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            prose.append(" ")
        elif child.type in ("code_inline", "html_inline"):
            if prose:
                yield "prose", clean_markup("".join(prose))
                prose = []
            yield ("code" if child.type == "code_inline" else "html"), child.content
    if prose:
        yield "prose", clean_markup("".join(prose))


def _inline_markdown(text: str) -> str:
    """A one-line Markdown string (a title) as plain text: "**New** [route](u)" -> "New route"."""
    if not text:
        return ""
    tokens = [token for token in _MARKDOWN.parseInline(strip_templates(text)) if token.type == "inline"]
    return clean_paragraph(" ".join(_inline_text(token) for token in tokens))
