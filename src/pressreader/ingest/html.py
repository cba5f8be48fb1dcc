"""Saved web pages: the article's text and metadata, extracted with trafilatura.

The page is parsed once with lxml (from UTF-8 bytes, so a leftover
``<meta charset=windows-1251>`` or XML declaration cannot re-decode the text
the core already decoded; no network, libxml2's depth and size limits kept),
then trafilatura finds the article and drops navigation, cookie banners, share
buttons, related-news boxes and footers.  Its body tree is flattened to
paragraphs: a ``<p>`` or heading is a paragraph, a ``<br>`` starts a new one
unless it only broke a sentence, a list becomes one paragraph of bullet lines.

Metadata: trafilatura's title (og:title, the single ``<h1>`` or ``<title>``)
without a trailing or leading " | Site name"; its date (htmldate) as ISO; the
source from og:site_name or the JSON-LD publisher, else the site part of the
title, else the canonical URL's host name; the canonical URL; the page's
declared language (primary subtag), unless its script contradicts the text.

trafilatura is imported on first use (start-up does not pay for it) and its
loggers and warnings are silenced: nothing it says reaches the terminal.  It
never touches the network here: it is given a parsed tree, not a URL.
"""

from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from pressreader.ingest.errors import RejectedInput
from pressreader.ingest.normalise import Draft, guess_language, parse_date, strip_controls

NAME = "html"
SUFFIXES = (".html", ".htm", ".xhtml")

NO_TEXT = "no article text found in the page"
#: trafilatura's own limit for a page (its MAX_FILE_SIZE); extraction takes about a second a megabyte.
MAX_CHARACTERS = 20_000_000
#: Where sniffing looks: a page's first tag comes well before this.
_SNIFF_WINDOW = 64 * 1024
#: Whitespace, comments and an XML declaration before the first tag.
_PREAMBLE = re.compile(r"(?:\s+|<!--.*?-->|<\?xml[^>]*>)*", re.S)
_DOCUMENT_START = re.compile(r"<(?:html|!doctype\s+html)\b", re.I)
_TAG_START = re.compile(r"<[a-z]", re.I)
_BODY_TAG = re.compile(r"<(?:body|article)(?:\s[^<>]*)?>", re.I)
_DOCTYPE = re.compile(r"<!doctype[^>]*>", re.I)
#: Characters libxml2 refuses (it turns them into U+FFFD, and the page may then yield nothing).
_NONCHARACTERS = re.compile(r"[\ufffe\uffff]")
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
#: What separates a page title from the site's name: "Title | Site", "Site – Title".
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•»:/-]\s+|\s*\|\s*")
#: A line that ends mid-sentence (a ``<br>`` inside a sentence): the next one goes on with it
#: when it starts with a lower-case letter.
_OPEN_END = re.compile(r"[\w,;(\-–—]$")
#: trafilatura's block elements (its XML body: p, head, list/item, quote, code, table/row/cell).
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "code", "table", "row", "div", "lb"})
_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")
_CYRILLIC_LANGUAGES = frozenset({"ru", "kk"})
#: A paragraph that is only a numeric date (and time): "14.03.2024", "2024-03-14 10:30".
_DATE_LINE = re.compile(r"[\d\s./:,-]{6,32}")
#: Parts of a page that say, in ARIA, that they are not its text: menus, search,
#: dialogs (cookie banners), the site's footer.  Pruned before extraction (metadata is
#: read before).  Not "banner" nor "complementary": on real pages they can wrap the article.
_PRUNE = (
    "//*[@role='navigation' or @role='menu' or @role='menubar' or @role='search'"
    " or @role='dialog' or @role='alertdialog' or @role='contentinfo']"
)


def sniff(text: str, suffix: str) -> bool:
    """By extension, or a document that starts with ``<html`` / ``<!doctype html``
    (after whitespace, comments, an XML declaration), or that starts with a tag and
    has a ``<body>`` or ``<article>`` early.  Text that merely mentions a tag does
    not start with one."""
    if suffix in SUFFIXES:
        return True
    head = text[:_SNIFF_WINDOW].lstrip("\ufeff")
    start = _PREAMBLE.match(head)
    position = start.end() if start else 0
    if _DOCUMENT_START.match(head, position):
        return True
    return bool(_TAG_START.match(head, position) and _BODY_TAG.search(head, position))


def parse(text: str) -> list[Draft]:
    if len(text) > MAX_CHARACTERS:
        raise RejectedInput(
            f"page too large for article extraction ({len(text) // 1_000_000} million characters; "
            f"the limit is {MAX_CHARACTERS // 1_000_000} million)"
        )
    tree, too_deep = _parse_tree(text)
    document = _extract(tree, too_deep)
    blocks = _blocks(document.body)
    url = _clean(document.url)
    host = _host(url)
    title, source = _title_and_site(document, tree, blocks, host)
    if blocks and (_same(blocks[0][1], title) or (not title and blocks[0][0] == "head")):
        title = title or blocks[0][1]
        blocks = blocks[1:]  # the title, repeated as the page's heading
    while blocks and _DATE_LINE.fullmatch(blocks[0][1]):
        blocks = blocks[1:]  # "14.03.2024": the date, shown above the text
    paragraphs = [block for _kind, block in blocks]
    if not paragraphs:
        raise RejectedInput(NO_TEXT)
    return [
        Draft(
            paragraphs=paragraphs,
            title=title,
            date=parse_date(document.date),
            source=source or host,
            url=url,
            lang=_language(tree, paragraphs),
        )
    ]


# ------------------------------------------------------------------ extraction
@functools.cache
def _trafilatura() -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import trafilatura
    for name in _LOGGERS:
        # Above CRITICAL: nothing these libraries log reaches a handler, the
        # app's own or Python's last-resort one that writes to stderr.
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    return trafilatura


def _parse_tree(text: str) -> tuple[Any, bool]:
    """The page as an lxml tree, and whether libxml2 stopped at its nesting limit."""
    from lxml import etree, html

    start = _PREAMBLE.match(text[:_SNIFF_WINDOW])
    doctype = _DOCTYPE.match(text, start.end() if start else 0)
    if doctype:
        # libxml2 needs no doctype, and some ("<!DOCTYPE html ... />") make it drop the page.
        text = text[: doctype.start()] + text[doctype.end() :]
    text = _NONCHARACTERS.sub("", strip_controls(_NUMERIC_REFERENCE.sub(_control_reference, text)))
    parser = html.HTMLParser(
        encoding="utf-8",
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
    )
    try:
        tree = html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:  # "Document is empty"
        raise RejectedInput(NO_TEXT) from None
    except (etree.LxmlError, ValueError) as error:
        raise RejectedInput(f"the HTML could not be parsed ({_short(error)})") from None
    too_deep = any(
        entry.type_name == "ERR_RESOURCE_LIMIT" or "depth" in entry.message.lower()
        for entry in parser.error_log
    )
    return tree, too_deep


def _control_reference(match: re.Match[str]) -> str:
    """``&#27;`` and the other references to control characters, as the characters.

    Left to lxml they would reach trafilatura, which then drops the whole page;
    as characters, :func:`strip_controls` removes them with the escape sequence they
    start (``&#27;]0;title&#7;`` goes whole), as it does in a plain-text file.
    ``&#128;``-``&#159;`` are what browsers show: the windows-1252 characters.
    """
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code in (9, 10, 13) or code > 0x9F:
        return match.group()
    if code >= 0x80:
        return bytes([code]).decode("cp1252", errors="ignore")
    return chr(code)


def _extract(tree: Any, too_deep: bool) -> Any:
    trafilatura = _trafilatura()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = trafilatura.bare_extraction(
                tree,
                output_format="python",
                with_metadata=True,
                favor_precision=True,
                include_comments=False,
                include_tables=False,
                include_images=False,
                include_links=False,
                include_formatting=False,
                deduplicate=False,
                prune_xpath=_PRUNE,
            )
    except RecursionError:
        raise RejectedInput("the page is nested too deeply to be read") from None
    except Exception as error:  # a bug of trafilatura or lxml on a hostile page
        raise RejectedInput(f"the HTML could not be read ({_short(error)})") from None
    if document is None or document.body is None:
        if too_deep:
            raise RejectedInput(
                f"{NO_TEXT}: it is nested too deeply (more than 255 levels) for the HTML parser"
            )
        raise RejectedInput(NO_TEXT)
    return document


def _short(error: BaseException) -> str:
    message = " ".join(str(error).split())
    message = message[:160] + "…" if len(message) > 160 else message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


# ------------------------------------------------------------------ paragraphs
def _blocks(body: Any) -> list[tuple[str, str]]:
    """trafilatura's body as ``(kind, text)`` paragraphs; kind is the element's tag."""
    blocks: list[tuple[str, str]] = []
    if body is None:
        return blocks
    if body.text and body.text.strip():
        blocks.extend(("p", line) for line in _join_lines([body.text]))
    for element in body:
        if element.tag == "list":
            bullets = _bullets(element)
            if bullets:
                blocks.append(("list", bullets))
        elif element.tag not in ("graphic", "table"):
            blocks.extend((element.tag, line) for line in _join_lines(_lines(element)))
        if element.tail and element.tail.strip():
            blocks.extend(("p", line) for line in _join_lines([element.tail]))
    return blocks


def _lines(element: Any) -> list[str]:
    """The text of one block, broken into lines at ``<lb/>`` and nested blocks.

    Iterative (``iterwalk``), so a deep tree cannot exhaust Python's stack.
    Newlines inside text are source formatting, spaces to a browser.
    """
    from lxml import etree

    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node is not element and node.tag in _BLOCKS:
                parts.append("\n")
            if node.text:
                parts.append(node.text.replace("\n", " "))
        elif node is not element:
            if node.tag in _BLOCKS and node.tag != "lb":
                parts.append("\n")
            if node.tail:
                parts.append(node.tail.replace("\n", " "))
    return "".join(parts).split("\n")


def _join_lines(lines: list[str]) -> list[str]:
    """Lines as paragraphs: a line that goes on with a lower-case word after one
    that ended mid-sentence (a ``<br>`` inside a sentence) joins it."""
    paragraphs: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if paragraphs and _OPEN_END.search(paragraphs[-1]) and (line[0].islower() or line[0] == "("):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def _bullets(element: Any) -> str:
    """A list as bullet lines, nested lists' items as lines of their own."""
    lines = []
    for item in element.iter("item"):
        parts = [item.text or ""]
        for child in item:
            if child.tag != "list":
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        text = " ".join("".join(parts).split())
        if text:
            lines.append(f"• {text}")
    return "\n".join(lines)


# ------------------------------------------------------------------- metadata
def _clean(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _same(a: str, b: str) -> bool:
    return a.casefold().strip(" .") == b.casefold().strip(" .")


def _title_and_site(document: Any, tree: Any, blocks: list[tuple[str, str]], host: str) -> tuple[str, str]:
    """The article's title without the site's name, and the site's name.

    trafilatura's site name (og:site_name, the JSON-LD publisher) is dropped
    when it is only the host name (its fallback) or a copy of the title (some
    CMSs); its title (og:title, the single ``<h1>``, ``<title>``) when it is a
    copy of the site name.  "Title | Site" is then cut, and the page's
    ``<title>`` still tells the site's name when the title was clean already.
    """
    title = _clean(document.title)
    site = _clean(document.sitename)
    if site and (("." in site and " " not in site) or (_same(site, title) and not _names_host(site, host))):
        site = ""
    if title and _same(title, site):
        title = ""
    page_title = _clean(tree.findtext(".//head/title"))
    headings = [_clean(h1.text_content()) for h1 in tree.iterfind(".//body//h1")][:8]
    if blocks and blocks[0][0] == "head":
        headings.insert(0, blocks[0][1])

    def is_site(part: str) -> bool:
        if site and (_same(part, site) or part.casefold() in site.casefold()):
            return True
        return _names_host(part, host)

    title, cut = _cut_site(title or page_title, is_site, headings)
    if not site and page_title:
        cut = cut or _cut_site(page_title, is_site, [title, *headings])[1]
    return title, site or cut


def _cut_site(title: str, is_site: Callable[[str], bool], anchors: list[str]) -> tuple[str, str]:
    """Split "Title | Site" or "Site – Title" at a spaced separator (so that
    "Kazakhstan-Korea" stays whole).  An end part is the site's name when the
    other end is one of ``anchors`` (the article's title or headings), or when
    ``is_site`` says so."""
    parts = [part.strip() for part in _TITLE_SEPARATOR.split(title) if part.strip()]
    if len(parts) < 2:
        return title, ""
    for index, far in ((0, -1), (-1, 0)):
        if any(anchor and _same(parts[index], anchor) for anchor in anchors):
            return parts[index], parts[far]
    for index in (-1, 0):
        if is_site(parts[index]):
            return _rejoin(title, parts[:-1] if index == -1 else parts[1:]), parts[index]
    return title, ""


def _names_host(name: str, host: str) -> bool:
    """ "BMJV" for bmjv.de, "Bundespolizei" for bundespolizei.de."""
    label = host.split(".")[0] if host.count(".") else ""
    return len(label) > 2 and re.sub(r"\W", "", name.casefold()) == label.casefold()


def _rejoin(title: str, kept: list[str]) -> str:
    """The title with the site part cut, its inner separators as written."""
    first, last = kept[0], kept[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    return title[start:end] if 0 <= start < end else " ".join(kept)


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _language(tree: Any, paragraphs: list[str]) -> str:
    """The page's declared language (primary subtag), unless the text's script says otherwise."""
    declared = tree.get("lang") or tree.get("xml:lang") or ""
    if not declared:
        for meta in tree.iterfind(".//meta[@content]"):
            key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
            if key in ("content-language", "og:locale", "language"):
                declared = meta.get("content") or ""
                break
    primary = re.split(r"[-_,;\s]", declared.strip().lower(), maxsplit=1)[0][:8]
    if not primary.isalpha():
        return ""
    guessed = guess_language(" ".join(paragraphs))
    if (
        guessed
        and (primary == "en") != (guessed == "en")
        and {primary, guessed} <= {"en", *_CYRILLIC_LANGUAGES}
    ):
        return guessed  # a template's lang="en" on the Russian page, or the other way round
    return primary
