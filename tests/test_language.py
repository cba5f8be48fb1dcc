"""Script and language of a text, of each paragraph, and a release in three languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressreader import language
from pressreader.ingest import read_text
from pressreader.ingest.normalise import guess_language
from pressreader.library import Library


@pytest.fixture
def library(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Library.open(tmp_path / "library") as library:
        yield library


# Invented sentences, one language each.
TEXTS = {
    "ko": "정부는 올해 새로운 교통 정책을 발표하고 시민들의 의견을 듣기로 했다.",
    "ja": "政府は本日、新しい交通政策を発表し、市民の意見を聞くことにしました。",
    "zh": "政府今天发布了新的交通政策，并将听取市民的意见。",
    "ka": "მთავრობამ დღეს ახალი სატრანსპორტო პოლიტიკა გამოაცხადა.",
    "hy": "Կառավարությունն այսօր հայտարարեց տրանսպորտի նոր քաղաքականության մասին։",
    "he": "הממשלה הודיעה היום על מדיניות תחבורה חדשה ותשמע את דעת הציבור.",
    "el": "Η κυβέρνηση ανακοίνωσε σήμερα μια νέα πολιτική για τις μεταφορές.",
    "th": "รัฐบาลประกาศนโยบายการขนส่งใหม่ในวันนี้และจะรับฟังความคิดเห็นของประชาชน",
    "hi": "सरकार ने आज नई परिवहन नीति की घोषणा की और नागरिकों की राय सुनेगी।",
    "ar": "أعلنت الحكومة اليوم عن سياسة جديدة للنقل وستستمع إلى آراء المواطنين في جميع المدن.",
    "fa": "دولت امروز سیاست جدید حمل و نقل را اعلام کرد و نظرات شهروندان را خواهد شنید.",
    "ur": "حکومت نے آج نقل و حمل کی نئی پالیسی کا اعلان کیا اور شہریوں کی رائے سنے گی۔",
    "ru": "Правительство сегодня объявило о новой транспортной политике.",
    "uk": "Уряд сьогодні оголосив про нову транспортну політику та її її єдність.",
    "kk": "Үкімет бүгін жаңа көлік саясатын жариялап, азаматтардың пікірін тыңдайтын болды.",
    "bg": "Правителството обяви днес нова транспортна политика и ще изслуша мнението на гражданите във "
    "всички градове.",
    "sr": "Влада је данас објавила нову саобраћајну политику и саслушаће мишљење грађана у свим градовима.",
    "mk": "Владата денес објави нова сообраќајна политика и ќе го слушне мислењето на граѓаните.",
    "be": "Урад сёння абвясціў новую транспартную палітыку і выслухае меркаванне грамадзян ва ўсіх гарадах.",
    "de": "Die Bundesregierung hat heute eine neue Verkehrspolitik vorgestellt und will die "
    "Meinung der Bürgerinnen und Bürger in allen Städten hören.",
}


@pytest.mark.parametrize("expected", sorted(TEXTS))
def test_each_script_gives_its_language(expected: str) -> None:
    assert language.guess_language(TEXTS[expected]) == expected


def test_text_without_letters_has_no_language_and_short_latin_is_english() -> None:
    assert language.guess_language("2024 — 17 / 3") == ""
    assert language.guess_language("Das Treffen") == "en"


def test_scripts_by_their_letters() -> None:
    assert language.script(TEXTS["ko"]) == language.HANGUL
    assert language.script(TEXTS["ja"]) == language.KANA
    assert language.script(TEXTS["zh"]) == language.HAN
    assert language.script(TEXTS["ru"]) == language.CYRILLIC
    assert language.script("plain words") == language.LATIN
    assert language.script("") == ""
    # The script with the most letters wins: a Korean sentence naming an English firm.
    assert language.guess_language(TEXTS["ko"] + " Samsung Electronics") == "ko"


def test_ingest_uses_the_same_guess() -> None:
    assert guess_language(TEXTS["ko"]) == "ko"
    assert guess_language(TEXTS["kk"]) == "kk"


def test_a_declared_language_wins_unless_the_script_says_otherwise() -> None:
    assert language.resolve("en", TEXTS["ko"] * 3) == "ko"
    assert language.resolve("en", TEXTS["ru"]) == "ru"
    assert language.resolve("de", TEXTS["de"]) == "de"
    assert language.resolve("kk", TEXTS["ru"]) == "kk"  # same script: the record knows best
    assert language.resolve("", TEXTS["ja"]) == "ja"


KK = (
    "Қазақстан Республикасының Сыртқы істер министрі шетелдік елшілермен "
    "кездесіп, ынтымақтастық туралы әңгімелесті."
)
RU = (
    "Министр иностранных дел провёл встречу с послами в Казахстане и "
    "обсудил сотрудничество в сфере транспорта."
)
EN = (
    "The Minister of Foreign Affairs met foreign ambassadors in Astana and "
    "discussed cooperation in transport."
)


def test_each_paragraph_has_its_language() -> None:
    assert language.paragraph_languages([KK, RU, EN, "2024"], "kk") == ["kk", "ru", "en", "kk"]
    assert language.languages([KK, RU, EN], ["kk", "ru", "en"], "kk") == ["kk", "ru", "en"]
    # A language with a sliver of the text is not one of the article's languages.
    assert language.languages([KK * 9, EN], ["kk", "en"], "kk") == ["kk"]


def test_a_release_in_three_languages_is_stemmed_paragraph_by_paragraph(
    tmp_path: Path, library: Library
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "kk-ru-en.md").write_text(
        f"---\ntitle: Кездесу\nlang: kk\n---\n\n{KK}\n\n{RU}\n\n{EN}\n", encoding="utf-8"
    )
    (folder / "other.md").write_text(
        "---\ntitle: Railway\nlang: en\n---\n\nThe railway company opened a new container terminal "
        "near the port this week.\n",
        encoding="utf-8",
    )
    library.import_paths([folder])
    (hit,) = library.search("Казахстан").hits
    article = library.get(hit.id)
    assert article is not None and article.lang == "kk"  # the main language stays
    # The Russian paragraph is stemmed: "Казахстан" finds "Казахстане", and so does "встречи".
    assert library.search("встречи").total == 1
    # The English one too ("ambassador" finds "ambassadors"), the Kazakh one word for word.
    assert library.search("ambassador").total == 1
    assert library.search("министрі").total == 1
    for lang in ("kk", "ru", "en"):
        assert library.search(f"lang:{lang} Казахстан").total == 1
    assert library.search("lang:ru").total == 1
    assert library.search("lang:en").total == 2
    start, end = library.search("Казахстан", snippets=True).hits[0].snippet_spans[0]
    assert hit.id and library.search("Казахстан").hits[0].snippet[start:end] == "Казахстане"


def test_web_and_mail_addresses_do_not_make_a_release_english() -> None:
    links = " ".join(["[](http://www.krcert.or.kr/ciso)"] * 40)
    text = f"정보보호 교육을 온라인으로 진행한다고 밝혔다. 문의: press@kisa.or.kr {links}"
    assert guess_language(text) == "ko"
    assert language.resolve("", text) == "ko"


def test_cyrillic_languages_by_the_letters_only_they_have() -> None:
    # Ukrainian by its і alone (no ї, є or ґ in the sentence).
    assert (
        language.guess_language("Уряд сьогодні оголосив нову транспортну політику і вислухає думку громадян.")
        == "uk"
    )
    # A declared language written in Cyrillic is believed on Cyrillic text (it was taken for Russian).
    assert language.resolve("bg", TEXTS["bg"]) == "bg"
    assert language.resolve("mn", "Засгийн газар өнөөдөр тээврийн шинэ бодлогоо зарлалаа.") == "mn"
    assert language.resolve("sr", "Vlada je danas objavila novu saobraćajnu politiku.") == "sr"  # Latin too


def test_a_short_paragraph_of_a_bulgarian_release_stays_bulgarian() -> None:
    short = "Изтеглете новата версия от сайта."  # no ъ: nothing tells it from Russian but its article
    assert language.paragraph_languages([TEXTS["bg"], short], "bg") == ["bg", "bg"]
    assert language.paragraph_languages([KK, RU], "kk") == ["kk", "ru"]  # Russian has its ы and э


CHECKSUMS = "\n".join(f"ruby-3.{minor}.0.tar.gz SHA256: {'0123456789abcdef' * 4}" for minor in range(12))


def test_checksums_and_code_do_not_decide_a_release_s_language() -> None:
    prose = "Вышел релиз Ruby 3.3. Этот релиз включает исправления ошибок и обновления безопасности."
    release = f"{prose}\n{CHECKSUMS}"
    assert language.guess_language(release) == "ru"
    # Mostly code, some Bulgarian prose: the prose's language, not English.
    code = "gem install bundler --version 2.5.0 && bundle exec rake test TESTOPTS=--verbose " * 3
    bulgarian = "Излезе новата версия. Препоръчваме ъпгрейд на всички приложения възможно най-скоро."
    assert language.guess_language(f"{bulgarian}\n{code}") == "bg"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("English", "en"),
        ("en-US", "en"),
        ("en_gb", "en"),
        ("spanish", "es"),
        ("Русский", "ru"),
        ("deu", "de"),
        ("Português", "pt"),
        ("한국어", "ko"),
        ("zh-Hant-TW", "zh"),
        ("tlh-klingon", "tlh"),
    ],
)
def test_a_language_named_in_words_or_three_letters_is_its_code(declared: str, expected: str) -> None:
    assert language.code(declared) == expected


def test_a_release_keeps_the_code_of_a_language_its_page_names_in_words() -> None:
    # lang: filters and facets find it under one name, not "english" beside "en".
    page = '<html lang="{}"><head><title>Visit</title></head><body><article><p>{}</p></article></body></html>'
    english = "The Minister of Foreign Affairs met the ambassadors and discussed cooperation in transport."
    (article,) = read_text(page.format("English", english), suffix=".html")
    assert article.lang == "en"
    (article,) = read_text(page.format("German", TEXTS["de"]), suffix=".html")
    assert article.lang == "de"


def test_a_declared_cjk_language_holds_on_a_release_that_is_mostly_code() -> None:
    # A Han letter holds about a word: 20 of them beside 400 Latin letters of code is a Chinese post.
    chinese = "Ruby 3.1.1 已發布。此版本包含安全修正，建議所有使用者更新。"
    code = "gem install ruby-3.1.1 --platform x86_64-linux && bundle exec rake " * 6
    assert language.resolve("zh_tw", f"{chinese}\n{code}") == "zh"
    # Untranslated English in a Chinese site's folder is English.
    english = "Ruby 1.9.1-p430 has been released. This is a security fix for a vulnerability. " * 3
    assert language.resolve("zh_tw", english) == "en"
