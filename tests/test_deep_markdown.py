"""Markdown nested deeper than markdown-it reads (issue 12, data loss): every paragraph's
text stays, in order, and nothing after the deep part is dropped; a 100,000-level list or
quote imports its text, in time and memory linear in the text."""

from __future__ import annotations

import tracemalloc

import pytest

from pressreader.ingest import markdown, read_text


def _nested_list(levels: int) -> str:
    lines = []
    for level in range(levels):
        lines += [
            "  " * level + f"- item {level} text",
            "",
            "  " * (level + 1) + f"paragraph {level} text",
            "",
        ]
    return "Intro paragraph.\n\n" + "\n".join(lines) + "\nThe paragraph after the list.\n\nThe last one.\n"


def _in_order(blocks: list[str], words: list[str]) -> bool:
    text = "\n".join(blocks)
    positions = [text.find(word) for word in words]
    return -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize("levels", [10, 50, 80])
def test_a_deep_list_keeps_every_paragraph_and_what_follows(levels: int) -> None:
    blocks = markdown.markdown_paragraphs(_nested_list(levels))
    expected = ["Intro paragraph."]
    for level in range(levels):
        expected += [f"item {level} text", f"paragraph {level} text"]
    expected += ["The paragraph after the list.", "The last one."]
    assert _in_order(blocks, expected)
    assert blocks[-2:] == ["The paragraph after the list.", "The last one."]


def test_a_list_nested_within_limits_keeps_its_shape() -> None:
    blocks = markdown.markdown_paragraphs("- a\n  - b\n    - c\n\nAfter.")
    assert blocks == ["• a\n  • b\n    • c", "After."]


def test_a_deep_quote_keeps_every_paragraph_and_what_follows() -> None:
    text = "\n".join(">" * level + f" quote {level}\n" + ">" * level for level in range(1, 200))
    blocks = markdown.markdown_paragraphs(text + "\n\nAfter the quote.")
    assert _in_order(blocks, [f"quote {level}\n" for level in range(1, 199)] + ["After the quote."])
    assert blocks[-1] == "After the quote."


@pytest.mark.parametrize("marker", ["- ", "> ", ">", "1. ", "* > "])
def test_a_100000_level_container_imports_its_text(marker: str) -> None:
    text = "---\ntitle: Deep\n---\n" + marker * 100_000 + "The minister visited the port of Aktau today.\n"
    text += "\nThe talks covered transit across the Caspian Sea.\n"
    read_text(text.replace(marker * 100_000, marker), suffix=".md")  # models loaded first
    tracemalloc.start()
    try:
        (article,) = read_text(text, suffix=".md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    paragraphs = [paragraph.text for paragraph in article.paragraphs]
    assert "The minister visited the port of Aktau today." in paragraphs[0]
    assert paragraphs[-1] == "The talks covered transit across the Caspian Sea."
    assert peak < 50 * len(text)  # linear: a few copies of the text, not levels x text
