"""Plain text: paragraphs split on blank lines; a short first line becomes the title."""

from __future__ import annotations

from pressreader.ingest.normalise import Draft, split_paragraphs

NAME = "text"
SUFFIXES = (".txt", ".text")


def sniff(text: str, suffix: str) -> bool:
    return True


def parse(text: str) -> list[Draft]:
    paragraphs = split_paragraphs(text)
    title = ""
    if len(paragraphs) > 1 and len(paragraphs[0]) <= 150 and not paragraphs[0].endswith((".", ":")):
        title = paragraphs.pop(0)
    return [Draft(paragraphs=paragraphs, title=title)]
