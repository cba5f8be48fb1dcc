"""Chinese, Japanese and Korean: words found inside runs of letters, with particles
attached, by wildcards and phrases, and marked where they stand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressreader import analysis
from pressreader.library import Library

# Invented releases.
KO_PARTICLES = (
    "금융위원회는 오늘 새로운 대출 규제를 발표했다. 금융위원회의 결정은 다음 달부터 시행된다.\n\n"
    "시장은 이번 결정을 환영했다."
)
KO_ALONE = "정부와 금융위원회 관계자가 회의를 열고 결정 사항을 공유했다. 모든 기관이 참석했다."
KO_OTHER = "교육부는 새 학기 교과서 배포 일정을 안내했다. 학교마다 일정이 조금씩 다르다."
ZH = "中华人民共和国外交部发言人今天表示，中方愿同各方加强合作，共同维护地区和平与稳定。"
JA = "東京都は本日、新しい経済対策を発表しました。中小企業を支援するための予算を増やします。"
EN = "The energy ministry said the new power plants will open next year in three regions."


@pytest.fixture
def library(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "cjk"
    folder.mkdir()
    releases = {
        "ko-particles": ("ko", "금융 소식", KO_PARTICLES),
        "ko-alone": ("ko", "관계 기관 회의", KO_ALONE),
        "ko-other": ("en", "교과서 배포 일정", KO_OTHER),  # declared English: the script says Korean
        "zh": ("zh", "外交部发言", ZH),
        "ja": ("ja", "経済対策の発表", JA),
        "en": ("en", "Power plants", EN),
    }
    for name, (lang, title, body) in releases.items():
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {title}\nlang: {lang}\n---\n\n{body}\n", encoding="utf-8"
        )
    with Library.open(tmp_path / "library") as library:
        library.import_paths([folder])
        yield library


def _names(library: Library, query: str) -> set[str]:
    result = library.search(query)
    assert result.error is None, result.error
    found = set()
    for hit in result.hits:
        article = library.get(hit.id)
        assert article is not None
        found.add(Path(article.path).stem)
    return found


def test_a_korean_word_is_found_with_particles_attached(library: Library) -> None:
    assert _names(library, "금융위원회") == {"ko-particles", "ko-alone"}
    # The query may carry a particle too.
    assert _names(library, "금융위원회는") == {"ko-particles", "ko-alone"}
    assert _names(library, "결정") == {"ko-particles", "ko-alone"}
    assert _names(library, "교과서") == {"ko-other"}
    assert _names(library, "위원회") == {"ko-particles", "ko-alone"}
    assert _names(library, "금융위원장") == set()


def test_korean_matches_are_marked_in_snippets_and_by_find_terms(library: Library) -> None:
    result = library.search("금융위원회", snippets=True)
    hit = next(h for h in result.hits if "오늘" in h.snippet)
    marked = [hit.snippet[start:end] for start, end in hit.snippet_spans]
    assert marked == ["금융위원회", "금융위원회"]
    assert result.terms == frozenset({"금융위원회"})
    text = "금융위원회에서는 개인정보보호위원회와 달리"
    assert [text[s:e] for s, e in analysis.find_terms(text, result.terms)] == ["금융위원회"]
    spans = analysis.term_spans(text)
    assert analysis.find_terms(text, result.terms, spans) == analysis.find_terms(text, result.terms)


def test_chinese_and_japanese_substrings_are_found(library: Library) -> None:
    assert _names(library, "外交部") == {"zh"}
    assert _names(library, "合作") == {"zh"}
    assert _names(library, "和平 稳定") == {"zh"}
    assert _names(library, "経済対策") == {"ja"}
    assert _names(library, "中小企業") == {"ja"}
    assert _names(library, "外交部长") == set()
    hit = library.search("中小企業", snippets=True).hits[0]
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["中小企業"]


def test_wildcards_over_cjk(library: Library) -> None:
    assert _names(library, "금융*") == {"ko-particles", "ko-alone"}
    assert _names(library, "금융위*") == {"ko-particles", "ko-alone"}
    assert _names(library, "교*") == {"ko-other"}
    assert _names(library, "経済*") == {"ja"}
    assert library.search("금융*").terms >= {"금융"}


def test_cjk_phrases_and_words_together(library: Library) -> None:
    # Particles and endings inside a phrase: "규제를 발표했다".
    assert _names(library, '"규제 발표"') == {"ko-particles"}
    assert _names(library, '"대출 규제를"') == {"ko-particles"}
    assert _names(library, '"발표 규제"') == set()
    assert _names(library, "금융위원회 공유") == {"ko-alone"}
    assert _names(library, "금융위원회 OR 교과서") == {"ko-particles", "ko-alone", "ko-other"}
    assert _names(library, "금융위원회 NOT 환영") == {"ko-alone"}
    assert _names(library, '"新しい経済対策"') == {"ja"}


def test_cjk_languages_are_filtered(library: Library) -> None:
    assert _names(library, "lang:ko") == {"ko-particles", "ko-alone", "ko-other"}
    assert _names(library, "lang:zh") == {"zh"}
    assert _names(library, "lang:ja") == {"ja"}
    assert _names(library, "lang:en") == {"en"}


def test_english_is_stemmed_as_before(library: Library) -> None:
    assert _names(library, "plant") == {"en"}
    assert _names(library, '"power plants"') == {"en"}
    assert analysis.terms("The power plants") == ["power", "plant"]


def test_bigrams_of_a_korean_run() -> None:
    assert analysis.cjk_terms("금융위원회에서는") == ("금융", "융위", "위원", "원회")
    assert analysis.cjk_terms("물") == ("물",)
    assert analysis.terms("삼성SDS는 2024년") == ["삼성", analysis.stem("sds"), "는", "2024", "년"]
