"""Ingest: files become clean articles, or are rejected with a reason a user can act on."""

from __future__ import annotations

import codecs
import random
import unicodedata
from pathlib import Path

import pytest

from conftest import BLANK_RUN, FIXTURES, SEED, SEED_SHARED
from pressreader.ingest import RejectedInput, read_file, read_text
from pressreader.model import Article

SEED_TITLE_START = 'The 17th "Central Asia - Republic of Korea" Cooperation Forum'


def _raw_paragraphs(raw: str) -> list[str]:
    """The seed's paragraphs as a reader sees them in the file: after the header, split on blank lines."""
    _header, _, body = raw.partition("\n")
    return [chunk.strip() for chunk in BLANK_RUN.split(body) if chunk.strip()]


def _read_bytes(tmp_path: Path, name: str, data: bytes) -> list[Article]:
    path = tmp_path / name
    path.write_bytes(data)
    return read_file(path)


def _single(articles: list[Article]) -> Article:
    assert len(articles) == 1
    return articles[0]


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in "\n" for char in text)


# ------------------------------------------------------------------- the seed
def test_sample_copy_of_the_seed_is_byte_identical() -> None:
    if not SEED_SHARED.is_file():
        pytest.skip(f"the project's seed is not beside this checkout ({SEED_SHARED})")
    assert SEED.read_bytes() == SEED_SHARED.read_bytes()


def test_seed_metadata() -> None:
    article = _single(read_file(SEED))
    assert article.date == "2024-11-24"
    assert article.source == "Kazakh MFA"
    assert article.lang == "en"
    assert article.url == ""


def test_seed_has_the_nine_original_paragraphs() -> None:
    article = _single(read_file(SEED))
    expected = _raw_paragraphs(SEED.read_text(encoding="utf-8"))
    assert len(expected) == 9  # the file itself, as a sanity check of the split above
    assert [p.text for p in article.paragraphs] == expected


def test_seed_title_is_recovered_from_the_first_sentence() -> None:
    article = _single(read_file(SEED))
    title = article.title
    assert title.startswith(SEED_TITLE_START)
    assert len(title) <= 101  # ~100 characters, an ellipsis allowed
    # Cut at a word boundary: what is left (without an ellipsis) is a prefix of the
    # first paragraph that ends where a word ends.
    stem = title.removesuffix("…").rstrip()
    first = article.paragraphs[0].text
    assert first.startswith(stem)
    following = first[len(stem) : len(stem) + 1]
    assert following == "" or not following.isalnum(), f"title cut inside a word: {title!r}"
    assert "press service" not in title.lower()


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("leading-spaces", lambda raw: b"    " + raw.lstrip()),
        ("no-leading-space", lambda raw: raw.lstrip()),
        ("without-images-residue", lambda raw: raw.replace(b" Images |", b" |", 1)),
        ("crlf", lambda raw: raw.replace(b"\n", b"\r\n")),
        ("utf8-bom", lambda raw: codecs.BOM_UTF8 + raw),
        ("bom-and-crlf", lambda raw: codecs.BOM_UTF8 + raw.replace(b"\n", b"\r\n")),
    ],
)
def test_seed_header_variants_read_as_the_same_release(tmp_path: Path, name: str, transform) -> None:
    original = _single(read_file(SEED))
    article = _single(_read_bytes(tmp_path, f"{name}.txt", transform(SEED.read_bytes())))
    assert article.date == "2024-11-24"
    assert article.source == "Kazakh MFA"
    assert len(article.paragraphs) == 9
    assert [p.text for p in article.paragraphs] == [p.text for p in original.paragraphs]
    assert article.title == original.title
    assert article.id == original.id
    assert not any("\r" in p.text or "\ufeff" in p.text for p in article.paragraphs)


def test_seed_with_cr_only_line_endings(tmp_path: Path) -> None:
    article = _single(_read_bytes(tmp_path, "cr.txt", SEED.read_bytes().replace(b"\n", b"\r")))
    assert article.source == "Kazakh MFA"
    assert len(article.paragraphs) == 9


# ------------------------------------------------------------------ Markdown
def test_front_matter_fields_are_read() -> None:
    article = _single(read_file(FIXTURES / "front_matter.md"))
    assert article.title == "Kazakhstan and Korea sign a digital partnership"
    assert article.date == "2024-03-05"
    assert article.source == "Test Ministry"
    assert article.url == "https://example.org/releases/digital-partnership"
    assert article.lang == "en"
    assert article.tags == ("digital", "Korea", "AI")


def test_markdown_is_rendered_to_readable_plain_text() -> None:
    article = _single(read_file(FIXTURES / "front_matter.md"))
    body = article.body
    assert "**" not in body
    assert "_digital_" not in body and "`" not in body
    assert "](" not in body and "https://example.org/ministry" not in body
    assert "#" not in body
    # link text, emphasised words and the heading text are kept
    first = article.paragraphs[0].text
    assert first == (
        "Kazakhstan and the Republic of Korea signed a memorandum on digital cooperation, "
        "the Ministry of Digital Development reported."
    )
    assert "Areas of cooperation" in [p.text for p in article.paragraphs]
    assert "ministry website" in body


def test_markdown_lists_are_kept_as_lines() -> None:
    article = _single(read_file(FIXTURES / "front_matter.md"))
    bullets = next(p.text for p in article.paragraphs if "artificial intelligence" in p.text)
    lines = bullets.split("\n")
    assert [line.lstrip("•-*· ").strip() for line in lines] == [
        "artificial intelligence and big data",
        "e-government services",
        "training of IT specialists",
    ]
    assert all(line[0] in "•-*·" for line in lines)
    numbered = next(p.text for p in article.paragraphs if "working group" in p.text)
    assert numbered.split("\n") == ["1. a joint working group", "2. an annual forum"]


def test_markdown_without_title_takes_the_first_heading() -> None:
    article = _single(read_text("# Aral Sea talks\n\nThe ministers met in Nukus.\n", suffix=".md"))
    assert article.title == "Aral Sea talks"
    assert [p.text for p in article.paragraphs] == ["The ministers met in Nukus."]


def test_front_matter_tags_as_text_and_datetime_dates() -> None:
    text = "---\ntitle: T\ndate: 2023-07-01T09:30:00Z\ntags: water, Aral Sea\n---\n\nBody text.\n"
    article = _single(read_text(text, suffix=".md"))
    assert article.date == "2023-07-01"
    assert article.tags == ("water", "Aral Sea")


# -------------------------------------------------------------------- ids
def test_ids_are_stable_and_depend_on_the_text(tmp_path: Path) -> None:
    first = _single(read_file(SEED))
    again = _single(read_file(SEED))
    assert first.id == again.id
    changed = SEED.read_text(encoding="utf-8").replace("took place in Seoul", "took place in Busan")
    other = _single(_read_bytes(tmp_path, "changed.txt", changed.encode("utf-8")))
    assert other.id != first.id
    assert _single(read_text("One paragraph.\n")).id == _single(read_text("One paragraph.\n")).id
    assert _single(read_text("One paragraph.\n")).id != _single(read_text("Another paragraph.\n")).id


# ----------------------------------------------------------- text cleaning
def test_unicode_is_normalised_to_nfc() -> None:
    decomposed = "Cafe\u0301 owners in Almaty"
    text = f'---\ntitle: "Cafe\u0301 news"\n---\n\n{decomposed} met the minister.\n'
    article = _single(read_text(text, suffix=".md"))
    assert article.title == "Caf\u00e9 news"
    assert article.paragraphs[0].text == "Caf\u00e9 owners in Almaty met the minister."
    assert "\u0301" not in article.body


def test_control_characters_are_removed() -> None:
    body = "Al\x07ert text with\x0b vertical tab, DEL\x7f, C1\x85 and\x1f unit separator."
    # YAML escapes put control characters into a title as surely as raw bytes do in a body
    article = _single(read_text('---\ntitle: "Con\\x08trol\\x9b"\n---\n\n' + body + "\n", suffix=".md"))
    text = article.paragraphs[0].text
    assert text == "Alert text with vertical tab, DEL, C1 and unit separator."
    assert article.title == "Control"
    assert not _has_control_characters(article.body + article.title)


def test_control_characters_are_removed_from_plain_text() -> None:
    article = _single(read_text("Nu\x00ll, back\x08space and\x1b escape\x9c here.\n"))
    assert article.paragraphs[0].text == "Null, backspace and escape here."


def test_tabs_and_line_breaks_inside_paragraphs() -> None:
    article = _single(read_text("Heading line\n\nFirst\tsecond\ncontinued line.\n\nNext paragraph.\n"))
    texts = [p.text for p in article.paragraphs]
    assert texts == ["First second continued line.", "Next paragraph."]
    assert article.title == "Heading line"
    assert "\t" not in article.body


def test_escape_sequences_are_removed_with_their_payload() -> None:
    body = (
        "Breaking \x1b]0;pwned\x07news: \x1b[31mred\x1b[0m alert and "
        "\x1b]8;;https://evil.example\x1b\\a link\x1b]8;;\x1b\\ here."
    )
    front = '---\ntitle: "\\x1b[1mBold\\x1b[0m title\\x1b]0;pwned\\x07"\n---\n\n'
    article = _single(read_text(front + body + "\n", suffix=".md"))
    text = article.paragraphs[0].text
    assert "\x1b" not in text and "\x1b" not in article.title
    assert "pwned" not in text and "]0;" not in text
    assert "[31m" not in text and "[0m" not in text
    assert "evil.example" not in text
    assert "red alert" in text and "a link here." in text
    assert article.title == "Bold title"


def test_escape_sequences_in_a_seed_format_file(tmp_path: Path) -> None:
    data = b"date 2024-01-02 | Test\n\nHello \x1b]0;pwned\x07world, \x1b[31mred\x1b[0m.\n"
    article = _single(_read_bytes(tmp_path, "esc.txt", data))
    assert article.paragraphs[0].text == "Hello world, red."


def test_whitespace_is_normalised() -> None:
    text = "  Lots   of\u00a0 spaces\u2003here  \n   and   there.  \n\n\n\n   Second\t\tparagraph.   \n"
    article = _single(read_text(text))
    assert [p.text for p in article.paragraphs] == ["Lots of spaces here and there.", "Second paragraph."]


def test_language_is_guessed_from_the_script() -> None:
    article = _single(read_text("Министр иностранных дел провел переговоры в Астане.\n"))
    assert article.lang == "ru"


# --------------------------------------------------------------- rejections
_RANDOM_JUNK = random.Random(20241124).randbytes(4096)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.txt", b"", ("empty",)),
        ("blank.txt", b"  \n\n\t \r\n", ("empty",)),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(200), ("binary",)),
        ("nuls.txt", b"text\x00\x00\x00\x01\x02" * 300, ("binary", "nul")),
        ("random.txt", _RANDOM_JUNK, ("binary", "decode", "utf-8")),
        ("no-body.md", b"---\ntitle: Only a title\ndate: 2024-01-01\n---\n", ("body",)),
        ("no-body-blank.md", b"---\ntitle: Only a title\n---\n\n   \n\n", ("body",)),
        ("bad-yaml.md", b"---\ntitle: [unclosed\ndate: 2024-01-01\n---\n\nBody text.\n", ("yaml",)),
        ("list-yaml.md", b"---\n- just\n- a list\n---\n\nBody text.\n", ("front matter",)),
        ("header-only.txt", b"date 2024-11-24 Images | Kazakh MFA\n\n\n", ("body",)),
    ],
)
def test_unusable_files_are_rejected_with_a_reason(tmp_path: Path, name: str, data: bytes, words) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(RejectedInput) as caught:
        read_file(path)
    reason = caught.value.reason
    assert reason and reason == str(caught.value)
    assert any(word in reason.lower() for word in words), reason


def test_a_folder_given_as_a_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput, match="folder"):
        read_file(tmp_path)


# --------------------------------------------------- front matter as written
def test_front_matter_values_are_kept_as_written() -> None:
    text = "---\ntitle: 12:30\nlang: no\nsource: NO\ntags: {a: 1}\ndate: 2024-02-30\n---\n\nBody text.\n"
    article = read_text(text, suffix=".md")[0]
    assert article.title == "12:30"  # not 750 (YAML 1.1 sexagesimal)
    assert article.lang == "no"  # Norwegian, not False
    assert article.source == "NO"
    assert article.date == ""  # no such day: unknown, not a crash
    assert article.tags == ()


@pytest.mark.parametrize(
    "front",
    ["x: !!int abc", "x: !!float abc", "when: !!timestamp 2024-99-99", "deep: " + "[" * 3000],
)
def test_hostile_front_matter_is_rejected_or_read_never_raises_otherwise(front: str) -> None:
    try:
        articles = read_text(f"---\n{front}\n---\n\nBody text.\n", suffix=".md")
    except RejectedInput as error:
        assert error.reason
    else:
        assert articles[0].paragraphs[0].text == "Body text."


def test_a_stray_escape_never_swallows_the_rest_of_the_text() -> None:
    text = (
        "Title line\n\nFirst para.\x1bPresident visited.\n\n"
        "Second para about uranium.\n\nThird \x1b]8;;http://x para.\n"
    )
    paragraphs = [p.text for p in read_text(text)[0].paragraphs]
    assert "Second para about uranium." in paragraphs
    assert any("President visited." in p for p in paragraphs)
    assert any(p.startswith("Third") and p.endswith("para.") for p in paragraphs)
    assert not any("\x1b" in p for p in paragraphs)


def test_invisible_characters_do_not_split_words() -> None:
    article = read_text("Title\n\nura\u200bnium and \u200egas.\n")[0]
    assert article.paragraphs[0].text == "uranium and gas."


def test_markdown_headings_and_numbered_lists_keep_their_text() -> None:
    text = "# Heading one\n\nText.\n\n5. five\n6. six\n\n\\# 1 priority is this\n"
    article = read_text(text, suffix=".md")[0]
    assert article.title == "Heading one"
    assert [p.text for p in article.paragraphs] == ["Text.", "5. five\n6. six", "# 1 priority is this"]


# ---------------------------------------------------------------- encodings
RUSSIAN_RELEASE = (
    "Переговоры министров иностранных дел\n\n"
    "Министерство иностранных дел Республики Казахстан сообщает о переговорах с министром. "
    "Стороны обсудили сотрудничество в области транспорта и энергетики.\n\n"
    "Второй абзац текста о поставках урана и строительстве атомной электростанции.\n"
)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "utf-16", "utf-16-le", "utf-8-sig"])
def test_russian_in_legacy_code_pages_and_utf16_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"release-{encoding}.txt"
    path.write_bytes(RUSSIAN_RELEASE.encode(encoding))
    article = read_file(path)[0]
    assert article.title == "Переговоры министров иностранных дел"
    assert "урана" in article.paragraphs[-1].text
    assert article.lang == "ru"


def test_western_code_page_and_crlf_are_read(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Visite officielle\r\n\r\nCafé crème, déjà vu à Genève.\r\n".encode("latin-1"))
    article = read_file(path)[0]
    assert article.paragraphs[0].text == "Café crème, déjà vu à Genève."


def test_very_long_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Title\n\n" + "word " * 200_000 + "\n", encoding="utf-8")
    article = read_file(path)[0]
    assert len(article.paragraphs[0].text) > 900_000


def test_a_50_mb_file_is_rejected_quickly_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = "The ministry reports on rail freight, oil exports and water management. " * 10 + "\n\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    assert path.stat().st_size >= 50_000_000
    with pytest.raises(RejectedInput, match="too large for one release"):
        read_file(path)


def test_utf8_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(
        "Визит министра\n\nМинистр прибыл в Астану.".encode() + b" \xff " + "Переговоры.\n".encode()
    )
    article = read_file(path)[0]
    assert article.title == "Визит министра" and "Переговоры" in article.paragraphs[0].text


def test_a_page_declaring_latin1_is_read_as_windows_1252(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"><title>T</title></head><body><p>x</p></body></html>'
    from pressreader.ingest.decode import decode

    text = decode(page.replace("<p>x</p>", "<p>the ministry\u2019s \u2013 statement</p>").encode("cp1252"))
    assert "ministry\u2019s \u2013 statement" in text


def test_a_single_nul_in_a_small_file_is_not_binary() -> None:
    from pressreader.ingest.decode import decode

    assert "NUL" in decode(b"Title\r\n\r\nBody with a NUL\x00 here.\r\n")
