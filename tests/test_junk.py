"""Pages that are not releases, and paragraphs of a release that are not its text (issue 11).

What a user sees: the import report's reasons, the paragraphs kept, no theme on
contact lines, a source on every article.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEED, sample_files
from pressreader.ingest import RejectedInput, junk, load_file, load_text, read_file, read_text
from pressreader.library import Library
from pressreader.themes import load_lexicon

FIXTURES = Path(__file__).parent / "fixtures" / "junk"


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "library") as library:
        yield library


def _texts(article: object) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]  # type: ignore[attr-defined]


def _import(library: Library, *paths: Path) -> dict[str, object]:
    report = library.import_paths(list(paths))
    return {Path(item.path).name: item for item in report.files}


# ------------------------------------------------------------ import reports
def test_the_import_report_says_which_records_are_not_releases(tmp_path: Path, library: Library) -> None:
    shutil.copy(FIXTURES / "records.json", tmp_path / "records.json")
    item = _import(library, tmp_path / "records.json")["records.json"]
    reasons = str(item.reason)  # type: ignore[attr-defined]
    assert "record 2: not a release: a page-not-found page (title '404 Not Found')" in reasons
    assert "record 3: not a release: a navigation page (title 'Menu')" in reasons
    assert "record 4: not a release: an attachment stub ('annual-report-2023.pdf (2 MB)')" in reasons
    assert "record 5: not a release: only a title" in reasons
    assert "record 6: not a release: the body is shorter than a sentence (10 characters)" in reasons
    assert "record 1:" not in reasons and "record 7:" not in reasons
    assert library.count() == 2


def test_a_scraped_404_page_is_rejected_with_its_reason(tmp_path: Path, library: Library) -> None:
    shutil.copy(FIXTURES / "not_found.html", tmp_path / "gone.html")
    item = _import(library, tmp_path / "gone.html")["gone.html"]
    assert item.status == "rejected"  # type: ignore[attr-defined]
    assert str(item.reason).startswith("not a release: a page-not-found page")  # type: ignore[attr-defined]
    assert library.count() == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"title": "Страница не найдена", "text": "Вернитесь на главную."}', "a page-not-found page"),
        (
            '{"title": "Notice", "text": "페이지를 찾을 수 없습니다. 주소를 확인해 주세요."}',
            "a page-not-found page",
        ),
        ('{"title": "找不到页面", "text": "请返回首页。"}', "a page-not-found page"),
        (
            '{"title": "ページが見つかりません", "text": "トップページへお戻りください。"}',
            "a page-not-found page",
        ),
        ('{"title": "Skip to main content", "text": "Home\\n\\nNews"}', "a navigation page"),
        ('{"title": "English", "text": "Русский\\n\\nQazaqsha\\n\\nMenu"}', "a navigation page"),
        ('{"title": "+44 20 7946 0000", "text": "Open Monday to Friday."}', "a navigation page"),
        ('{"title": "Report", "text": "Read more\\n\\nShare\\n\\nPrint"}', "a navigation page (only links"),
        ('{"title": "첨부", "text": "첨부파일\\n\\n☆붙임 자료.hwp\\n\\n파일다운로드"}', "an attachment stub"),
    ],
)
def test_not_a_release_in_every_language(text: str, reason: str) -> None:
    with pytest.raises(RejectedInput) as raised:
        load_text(text, suffix=".json")
    assert raised.value.reason.startswith(f"not a release: {reason}")


def test_an_empty_markdown_stub_and_a_title_only_record_are_both_rejected() -> None:
    with pytest.raises(RejectedInput, match="no body text"):
        load_text("---\ntitle: Coming soon\n---\n", suffix=".md")
    with pytest.raises(RejectedInput, match="not a release: only a title"):
        load_text("---\ntitle: Coming soon\n---\n\nComing soon!\n", suffix=".md")
    with pytest.raises(RejectedInput, match="not a release: only a title"):
        load_text('{"title": "Coming soon", "text": "Coming soon"}', suffix=".json")


def test_a_short_real_release_is_kept() -> None:
    (article,) = load_file(FIXTURES / "short_release.txt").articles
    assert article.source == "Example Embassy"
    assert _texts(article) == ["The embassy will be closed on 3 June for the national holiday."]
    (minister,) = read_text(
        '{"title": "Minister receives ambassador", "text": "The minister received the ambassador."}'
    )
    assert _texts(minister) == ["The minister received the ambassador."]
    assert junk.DOUBT_TAG not in minister.tags


def test_the_seed_and_the_samples_all_import_with_their_sources(library: Library) -> None:
    files = [SEED, *sample_files()]
    report = library.import_paths(files)
    assert report.counts["rejected"] == 0
    sources = {article.source for file in files for article in read_file(file)}
    assert "Kazakh MFA" in sources and "" not in sources


# ------------------------------------------------------------------ paragraphs
def test_navigation_lines_go_and_contact_lines_stay_without_a_theme() -> None:
    articles = load_file(FIXTURES / "records.json").articles
    corridor = next(article for article in articles if article.title.startswith("Ministers"))
    # The title repeated as the first paragraph, "Read more" and the share bar are gone.
    assert _texts(corridor) == [
        "The ministers of transport agreed on Tuesday to open a rail corridor between the two capitals"
        " by 2026.",
        "Contact: +44 20 7946 0000",
        "E-mail: press@mfa.example.org",
    ]
    classified = load_lexicon().classify_article(corridor)
    assert classified.paragraphs[0].themes  # transport
    assert [p.themes for p in classified.paragraphs[1:]] == [(), ()]


def test_a_korean_release_loses_its_download_lines_and_its_title_line() -> None:
    (article,) = load_file(FIXTURES / "korean.json").articles
    assert article.title == "전기차 충전 인프라 확대 방안 발표"
    assert _texts(article) == [
        "정부는 2030년까지 전기차 충전기를 두 배로 늘리고 "
        "고속도로 휴게소마다 급속 충전소를 설치한다고 밝혔다.",
        "문의: 예시 위원회 교통과 (02-1234-5678)",
    ]
    assert load_lexicon().classify("문의: 예시 위원회 교통과 (02-1234-5678)") == ()


def test_a_title_line_that_repeats_the_title_goes() -> None:
    for line in ("제목: Aral Sea programme", "Title: Aral Sea programme", "Тема: Aral Sea programme"):
        text = f'{{"title": "Aral Sea programme", "text": "{line}\\n\\nThe council approved the programme."}}'
        (article,) = read_text(text, suffix=".json")
        assert _texts(article) == ["The council approved the programme."]
    (other,) = read_text('{"title": "A", "text": "Title: B is another thing\\n\\nThe text."}', suffix=".json")
    assert _texts(other)[0] == "Title: B is another thing"


@pytest.mark.parametrize(
    "line",
    [
        "Read more",
        "목록으로",
        "파일다운로드",
        "이전글",
        "다음글 금융위원회 인사",
        "Share this: Facebook | Twitter | LinkedIn",
        "Skip to main content",
        "Home > News > Press releases",
        "Tags: energy, water",
        "© 2024 Ministry of Example Affairs. All rights reserved.",
        "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
        "Подробнее",
        "Версия для печати",
        "返回列表",
        "上一篇：部长会见大使",
        "ページの先頭へ",
        "• Facebook\n• Twitter",
        "(856 KB)",
        "☆보도자료_충전 인프라 확대.hwp",
        "<!-- more -->",
    ],
)
def test_navigation_lines(line: str) -> None:
    assert junk.is_dropped(line)


@pytest.mark.parametrize(
    "line",
    [
        "Contact: +44 20 7946 0000",
        "(+998 71) 233-73-40 (visa issues)",
        "Tel./Fax: +7 7172 72 05 18",
        "E-mail: press@mfa.example.org",
        "Consular queries: +44 20 7946 0000",
        "Press service of the Ministry of Foreign Affairs",
        "Photo: Ministry of Example Affairs",
        "Пресс-служба МИД",
        "‣ 전 화 : 1577-0088",
        "联系电话：010-12345678",
        "お問い合わせ先：広報課 03-1234-5678",
    ],
)
def test_contact_lines_are_kept_but_never_themed(line: str) -> None:
    assert not junk.is_dropped(line)
    assert junk.is_boilerplate(line)
    assert load_lexicon().is_boilerplate(line)


@pytest.mark.parametrize(
    "text",
    [
        "Read more about our work in Africa, where the ministry opened three offices this year.",
        "Share prices rose after the minister announced the new rail corridor.",
        "Home to 20 million people, the region exports grain.",
        "The full report is attached to this release.",
        "Copyright reform was discussed at the meeting.",
        "2024-03-14 10:30",
        "Tuesday's talks on transport",
    ],
)
def test_text_that_only_mentions_navigation_words_is_text(text: str) -> None:
    assert junk.paragraph_kind(text) is None


def test_a_long_body_that_mentions_a_missing_page_is_kept_and_marked() -> None:
    body = "The page you requested is not available, the minister said of the old portal. " * 12
    (article,) = read_text(
        f'{{"title": "Ministry retires its old portal", "text": "{body}"}}', suffix=".json"
    )
    assert junk.DOUBT_TAG in article.tags


# --------------------------------------------------------------------- sources
def _md(folder: Path, name: str = "2024-05-02-post.md", front: str = "title: Council meets") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front}\n---\n\nThe council met on Tuesday.\n", encoding="utf-8")
    return path


def test_a_source_from_front_matter_then_host_then_folder(tmp_path: Path) -> None:
    site = tmp_path / "mofa-press"
    given = _md(site, "a.md", "title: A\nsource: Kazakh MFA\nurl: https://www.mofa.go.kr/a")
    hosted = _md(site, "b.md", "title: B\nurl: https://www.mofa.go.kr/b")
    foldered = _md(site, "c.md", "title: C")
    assert [load_file(path).articles[0].source for path in (given, hosted, foldered)] == [
        "Kazakh MFA",
        "mofa.go.kr",
        "mofa-press",
    ]


def test_meaningless_folders_are_walked_up(tmp_path: Path) -> None:
    post = _md(tmp_path / "example-embassy" / "_posts" / "2024")
    assert load_file(post).articles[0].source == "example-embassy"
    scraped = _md(tmp_path / "www.example.gov" / "downloads" / "data")
    assert load_file(scraped).articles[0].source == "example.gov"


def test_a_jekyll_site_s_title_is_its_source(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site).mkdir()
    (site / "_config.yml").write_text("title: Example Embassy News\nbaseurl: /\n", encoding="utf-8")
    post = _md(site / "_posts")
    assert load_file(post).articles[0].source == "Example Embassy News"
    own = _md(site / "_posts", "own.md", "title: X\nsource: Given")
    assert load_file(own).articles[0].source == "Given"


def test_a_config_without_a_usable_title_falls_back_to_the_folder(tmp_path: Path) -> None:
    site = tmp_path / "example-site"
    site.mkdir()
    (site / "_config.yml").write_text("title: !!python/object:os.system ls\n: [\n", encoding="utf-8")
    assert load_file(_md(site / "_posts")).articles[0].source == "example-site"
    other = tmp_path / "other-site"
    other.mkdir()
    (other / "_config.yml").write_text("title: [a, list]\n", encoding="utf-8")
    assert load_file(_md(other / "_posts")).articles[0].source == "other-site"
