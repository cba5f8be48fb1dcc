"""The scraped format of the seed release.

A first line ``date YYYY-MM-DD <anything> | <Source>`` (leading spaces and
scraping residue such as "Images" tolerated), then paragraphs separated by one
or more blank lines, and no title line: the title is recovered from the text.
"""

from __future__ import annotations

import re

from pressreader.ingest.errors import RejectedInput
from pressreader.ingest.normalise import Draft, parse_date, split_paragraphs

NAME = "seed"
SUFFIXES = (".txt",)
_HEADER = re.compile(
    r"^\ufeff?\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\b[^|\n]*\|\s*(?P<source>[^\n]*?)\s*$",
    re.IGNORECASE,
)


def sniff(text: str, suffix: str) -> bool:
    first_line = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    return bool(_HEADER.match(first_line))


def parse(text: str) -> list[Draft]:
    header, _, body = text.lstrip("\ufeff\r\n").partition("\n")
    match = _HEADER.match(header)
    if match is None:
        raise RejectedInput("first line is not a 'date YYYY-MM-DD ... | Source' header")
    date = parse_date(match["date"])
    if not date:
        raise RejectedInput(f"invalid date {match['date']!r} in the header line")
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        raise RejectedInput("no body text after the header line")
    return [Draft(paragraphs=paragraphs, date=date, source=match["source"])]
