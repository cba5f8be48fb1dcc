"""Which script a text is written in, and which language, for a whole release or one paragraph.

A leaf module (the standard library and py3langid only): ingest guesses an
article's language with it, and the index picks each paragraph's analyser by
it.  Letters are counted per script and the script with the most decides:

* a script that one language writes (Hangul, Georgian, Armenian, Hebrew,
  Greek, Thai, Devanagari, ...) gives that language; Han and Kana count as
  one script, which is Japanese when Kana holds a real share, else Chinese;
* Cyrillic is told apart by its letters (Kazakh ә ғ қ ң ө ұ ү һ, Belarusian ў,
  Ukrainian і ї є ґ, Macedonian ѓ ќ ѕ, Serbian ђ ћ ј љ њ џ, Bulgarian a
  frequent ъ and no ы or э, else Russian), more reliable on short releases
  than a model;
* Arabic script and Latin go to py3langid (a well-kept fork of langid.py):
  Arabic, Persian or Urdu; for Latin, short or doubtful text is English.

py3langid's model takes most of a second to load: it is loaded the first
time Latin or Arabic text of some length needs it, never at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: Script names, as :func:`script` returns them.
HANGUL = "hangul"
HAN = "han"
KANA = "kana"
CYRILLIC = "cyrillic"
LATIN = "latin"
ARABIC = "arabic"

#: Letters of the scripts written without spaces between words (Han, Kana) or
#: with particles attached (Hangul): such a run of letters is split into bigrams.
CJK_LETTERS = (
    "\u1100-\u11ff\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3"
    "\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)


def _prefixes(*spans: str) -> tuple[bytes, ...]:
    """UTF-8 prefixes: ``"e0a4-e0a5"`` is E0 A4 and E0 A5."""
    out: list[bytes] = []
    for span in spans:
        first, _, last = span.partition("-")
        low, high = bytes.fromhex(first), bytes.fromhex(last or first)
        out.extend(low[:-1] + bytes([byte]) for byte in range(low[-1], high[-1] + 1))
    return tuple(out)


#: Letters are counted in the UTF-8 bytes of the text by the blocks they are
#: in: one byte scan per script present, where a regular expression per
#: script (or a look at each character) takes ten times as long.  A block's
#: few signs and digits hardly ever add up to much.
#: Scripts whose blocks a character's lead byte tells (two-byte characters, and
#: three-byte ones from U+4000 on), with those lead bytes:
_LEAD_SCRIPTS: tuple[tuple[str, bytes], ...] = (
    (LATIN, bytes.fromhex("c3c4c5c6c7c8c9")),  # U+00C0-027F
    ("greek", bytes.fromhex("cecf")),  # U+0380-03FF
    (CYRILLIC, bytes.fromhex("d0d1d2d3d4")),  # U+0400-053F
    ("armenian", bytes.fromhex("d5d6")),  # U+0540-05BF
    ("hebrew", bytes.fromhex("d7")),  # U+05C0-05FF
    (ARABIC, bytes.fromhex("d8d9dadbdd")),  # U+0600-06FF, U+0740-077F
    (HAN, bytes.fromhex("e4e5e6e7e8e9")),  # U+4000-9FFF
    (HANGUL, bytes.fromhex("ebeced")),  # U+B000-D7FF
)
#: Lead bytes of mixed blocks, and the scripts their second byte tells.
_PAIR_SCRIPTS: tuple[tuple[bytes, tuple[tuple[str, tuple[bytes, ...]], ...]], ...] = (
    (
        b"\xe0",  # U+0800-0FFF
        (
            ("devanagari", _prefixes("e0a4-e0a5")),
            ("bengali", _prefixes("e0a6-e0a7")),
            ("gurmukhi", _prefixes("e0a8-e0a9")),
            ("gujarati", _prefixes("e0aa-e0ab")),
            ("tamil", _prefixes("e0ae-e0af")),
            ("telugu", _prefixes("e0b0-e0b1")),
            ("kannada", _prefixes("e0b2-e0b3")),
            ("malayalam", _prefixes("e0b4-e0b5")),
            ("sinhala", _prefixes("e0b6-e0b7")),
            ("thai", _prefixes("e0b8-e0b9")),
            ("lao", _prefixes("e0ba-e0bb")),
            ("tibetan", _prefixes("e0bc-e0bf")),
        ),
    ),
    (
        b"\xe1",  # U+1000-1FFF
        (
            ("myanmar", _prefixes("e180-e181")),
            ("georgian", _prefixes("e183")),
            (HANGUL, _prefixes("e184-e187")),
            ("ethiopic", _prefixes("e188-e18d")),
            ("khmer", _prefixes("e19e-e19f")),
            (LATIN, _prefixes("e1b8-e1bb")),
            ("greek", _prefixes("e1bc-e1bf")),
        ),
    ),
    (b"\xe3", ((KANA, _prefixes("e381-e383")), (HANGUL, _prefixes("e385")))),  # U+3000-3FFF
    (b"\xea", ((HANGUL, _prefixes("eab0-eabf")),)),  # U+A000-AFFF
)
SCRIPTS = (
    *(name for name, _leads in _LEAD_SCRIPTS),
    *(name for _lead, scripts in _PAIR_SCRIPTS for name, _p in scripts),
)
SCRIPTS = tuple(dict.fromkeys(SCRIPTS))
_LEADS = tuple((bytes([lead]), name) for name, leads in _LEAD_SCRIPTS for lead in leads)
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_NOT_LEAD = bytes(range(0xC0))

#: The language of a script that (nearly) one language writes.
SCRIPT_LANGUAGES = {
    HANGUL: "ko",
    "hebrew": "he",
    "greek": "el",
    "georgian": "ka",
    "armenian": "hy",
    "thai": "th",
    "devanagari": "hi",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "sinhala": "si",
    "lao": "lo",
    "tibetan": "bo",
    "myanmar": "my",
    "ethiopic": "am",
    "khmer": "km",
}
#: Languages written in Arabic script that py3langid tells apart.
ARABIC_LANGUAGES = ("ar", "fa", "ur", "ps", "ug", "ku", "sd")
#: Languages written in Cyrillic that :func:`guess_language` tells apart by their letters.
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "kk", "be", "bg", "sr", "mk"})
#: Other languages written in Cyrillic (a declared one is believed on Cyrillic text).
_OTHER_CYRILLIC = ("ky", "tg", "mn", "tt", "ba", "cv", "os", "ce", "sah", "ab", "av", "udm")
#: The script each language is written in (for the languages this module names).
LANGUAGE_SCRIPTS = {
    **{language: name for name, language in SCRIPT_LANGUAGES.items()},
    **dict.fromkeys((*CYRILLIC_LANGUAGES, *_OTHER_CYRILLIC), CYRILLIC),
    **dict.fromkeys(ARABIC_LANGUAGES, ARABIC),
    "ja": KANA,
    "zh": HAN,
}
#: Languages written in a second script as well (Serbian in Latin too, Uzbek in Cyrillic too).
ALSO_WRITTEN = {
    "sr": LATIN,
    "kk": LATIN,
    "uz": CYRILLIC,
    "az": CYRILLIC,
    "tk": CYRILLIC,
    "bs": CYRILLIC,
    "ku": LATIN,
    "pa": ARABIC,
}

_KAZAKH = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_BELARUSIAN = re.compile(r"[ўЎ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")  # і is Belarusian and Kazakh too: they are asked first
_MACEDONIAN = re.compile(r"[ѓќѕЃЌЅ]")
_SERBIAN = re.compile(r"[ђћјљњџЂЋЈЉЊЏ]")  # ј љ њ џ are Macedonian too: asked first
_RUSSIAN = re.compile(r"[ыэЫЭ]")  # neither Bulgarian nor Serbian nor Macedonian has them
#: ъ as a vowel (before a consonant or at a word's end: във, път, също), one letter in
#: 50 of Bulgarian; Russian writes ъ only before е, ё, ю, я (объявить, подъезд).
_HARD_SIGN = re.compile(r"[ъЪ](?![еёюяЕЁЮЯ])")
#: Cyrillic languages without ы and э, told from Russian by letters a short text may lack.
_WITHOUT_RUSSIAN_LETTERS = frozenset({"bg", "sr", "mk"})
#: What :func:`guess_language` reads of a long text.
SAMPLE = 4000
#: Fewer Latin letters than this is English (py3langid is unreliable on so little).
MIN_LATIN = 60
#: A declared language whose script holds less than this share of the letters
#: of a text mostly in one other script is not the text's language.
DECLARED_MIN_SHARE = 0.1
#: A language holding at least this share of an article's letters is one of its languages.
LANGUAGE_MIN_SHARE = 0.2


#: Web and e-mail addresses: Latin letters that say nothing of the text's language
#: (a Korean release ending in a hundred links to www.krcert.or.kr read as English).
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]*|[\w.+-]+@[\w-]+\.[\w.-]+")
#: Checksums and hashes (a release's SHA-256 list): letters of no language.
_HEX_RUN = re.compile(r"\b[0-9a-fA-F]{16,}\b")


def _prose(text: str) -> str:
    """The first :data:`SAMPLE` characters of ``text`` once checksums are out: what a
    whole text's language is judged by (a paragraph is not worth the scan)."""
    sample = _HEX_RUN.sub(" ", text[: SAMPLE * 2])
    return sample[:SAMPLE]


def script_counts(text: str) -> dict[str, int]:
    """How many letters of ``text`` each script has (scripts without any left out);
    the letters of web and e-mail addresses are not counted."""
    if "://" in text or "www." in text or "@" in text:
        text = _ADDRESS.sub(" ", text)
    data = text.encode("utf-8", "surrogatepass")
    counts: dict[str, int] = {}
    latin = len(data.translate(None, _NOT_ASCII_LETTER))
    if latin:
        counts[LATIN] = latin
    if len(data) == len(text):  # ASCII only
        return counts
    leads = data.translate(None, _NOT_LEAD)  # one byte for each character past ASCII
    for lead, name in _LEADS:
        if lead in leads:  # most are not: a quick scan each
            counts[name] = counts.get(name, 0) + leads.count(lead)
    for lead, scripts in _PAIR_SCRIPTS:
        if lead in leads:
            for name, prefixes in scripts:
                count = sum(data.count(prefix) for prefix in prefixes)
                if count:
                    counts[name] = counts.get(name, 0) + count
    return counts


def script(text: str) -> str:
    """The script with the most letters in ``text`` (Han and Kana together are
    :data:`KANA` when Kana holds a real share, else :data:`HAN`); ``""`` for none."""
    return _dominant(script_counts(text))


def _dominant(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    counts = dict(counts)
    kana, han = counts.pop(KANA, 0), counts.pop(HAN, 0)
    if kana + han:
        # Japanese writes Han and Kana together; Chinese has no Kana.
        counts[KANA if kana * 20 >= kana + han else HAN] = kana + han
    return max(counts, key=lambda name: (counts[name], -SCRIPTS.index(name)))


def guess_language(text: str) -> str:
    """The language of ``text`` as an ISO 639-1 code; ``""`` when it has no letters.

    The script with the most letters decides (see the module's note); a long
    text is judged by its first :data:`SAMPLE` characters.
    """
    sample = _prose(text)
    counts = script_counts(sample)
    return _language(_dominant(counts), sample, counts)


def _language(name: str, sample: str, counts: dict[str, int]) -> str:
    if not name:
        return ""
    if name in SCRIPT_LANGUAGES:
        return SCRIPT_LANGUAGES[name]
    if name == KANA:
        return "ja"
    if name == HAN:
        return "zh"
    if name == CYRILLIC:
        return _cyrillic(sample, counts[CYRILLIC])
    if name == ARABIC:
        return _ranked(sample, ARABIC_LANGUAGES) if counts[ARABIC] >= 20 else "ar"
    if name == LATIN and counts[LATIN] >= MIN_LATIN:
        return _latin(sample, counts)
    return "en"


def _cyrillic(sample: str, letters: int) -> str:
    """Which Cyrillic language ``sample`` (with ``letters`` Cyrillic letters) is in, by
    the letters only some of them have."""
    if len(_KAZAKH.findall(sample)) * 50 > letters:
        return "kk"
    if len(_BELARUSIAN.findall(sample)) * 200 > letters:
        return "be"
    if len(_UKRAINIAN.findall(sample)) * 100 > letters:
        return "uk"
    if len(_MACEDONIAN.findall(sample)) * 300 > letters:
        return "mk"
    if len(_SERBIAN.findall(sample)) * 100 > letters:
        return "sr"
    if len(_HARD_SIGN.findall(sample)) * 200 > letters and len(_RUSSIAN.findall(sample)) * 500 <= letters:
        return "bg"
    return "ru"


def _latin(sample: str, counts: dict[str, int]) -> str:
    import py3langid  # loaded on the first Latin text of some length

    language, _score = py3langid.classify(sample)
    language = str(language)
    written = LANGUAGE_SCRIPTS.get(language, LATIN)
    if written == LATIN:
        return language
    # Mostly Latin letters, taken for a language of another script: right when the
    # text holds a real share of that script (a Bulgarian release that is half
    # code and checksums), else a romanised reading of English.
    if counts.get(written, 0) >= DECLARED_MIN_SHARE * sum(counts.values()):
        return _cyrillic(sample, counts[CYRILLIC]) if written == CYRILLIC else language
    return "en"


def _ranked(sample: str, among: Sequence[str]) -> str:
    import py3langid

    for language, _score in py3langid.rank(sample):
        if language in among:
            return str(language)
    return among[0]


#: Languages as records name them in words or in three letters (ISO 639-2/3):
#: ``lang="english"``, ``language: Русский``, ``lang: deu``.
_NAMED = {
    "en": "english eng anglais englisch inglés ingles английский",
    "ru": "russian rus русский russe russisch ruso",
    "uk": "ukrainian ukr українська украинский",
    "kk": "kazakh kaz қазақ қазақша казахский",
    "be": "belarusian bel беларуская",
    "bg": "bulgarian bul български",
    "sr": "serbian srp српски srpski",
    "mk": "macedonian mkd mac македонски",
    "de": "german deu ger deutsch allemand alemán",
    "fr": "french fra fre français francais französisch francés",
    "es": "spanish spa español espanol castellano espagnol spanisch",
    "it": "italian ita italiano",
    "pt": "portuguese por português portugues",
    "nl": "dutch nld dut nederlands",
    "pl": "polish pol polski",
    "cs": "czech ces cze čeština",
    "tr": "turkish tur türkçe",
    "uz": "uzbek uzb oʻzbek o'zbek ўзбек",
    "ko": "korean kor 한국어 조선말",
    "ja": "japanese jpn 日本語",
    "zh": "chinese zho chi 中文 汉语 漢語 简体中文 繁體中文",
    "ar": "arabic ara العربية",
    "fa": "persian farsi fas per فارسی",
    "he": "hebrew heb עברית",
    "ka": "georgian kat geo ქართული",
    "hy": "armenian hye arm հայերեն",
    "el": "greek ell gre ελληνικά",
    "hi": "hindi hin हिन्दी",
}
_CODES = {name: code for code, names in _NAMED.items() for name in names.split()}


def code(declared: str) -> str:
    """A declared language as its code: "en-US" and "en_us" → "en", "English" → "en",
    "deu" → "de"; an unknown word is kept (lower case, at most 8 letters)."""
    value = " ".join(declared.split()).lower()
    if value in _CODES:
        return _CODES[value]
    primary = re.split(r"[-_ ]", value, maxsplit=1)[0] if value else ""
    return _CODES.get(primary, primary[:8])


def resolve(declared: str, text: str) -> str:
    """The language of a release whose record declares ``declared``: the declared
    one wins, unless the text is nearly all in a script that language is not
    written in (a template's ``lang="en"`` on a Korean or Russian page); then
    the guess from the text.  ``""`` declared: the guess."""
    declared = code(declared)
    if not declared:
        return guess_language(text)
    sample = _prose(text)
    counts = script_counts(sample)
    total = sum(counts.values())
    if total < 20:
        return declared
    primary = declared.split("-")[0]
    own = LANGUAGE_SCRIPTS.get(primary, LATIN)
    share = counts.get(own, 0) + (counts.get(HAN, 0) + counts.get(KANA, 0) if own in (HAN, KANA) else 0)
    if primary in ALSO_WRITTEN and own != ALSO_WRITTEN[primary]:
        share += counts.get(ALSO_WRITTEN[primary], 0)
    if own in (HAN, KANA, HANGUL):
        share *= 3  # a Han or Hangul letter holds about as much as a word of Latin ones
    if share >= DECLARED_MIN_SHARE * total:
        return declared
    return _language(_dominant(counts), sample, counts)


def paragraph_languages(texts: Iterable[str], main: str) -> list[str]:
    """The language of each paragraph of an article whose language is ``main``.

    By script alone, so that it costs little at import: a paragraph in the
    article's own script has the article's language (Cyrillic ones are told
    apart by their letters), one in a script that one language writes has that
    language, and a Latin paragraph in an article of another script is English.
    A paragraph without letters has the article's language.
    """
    main_script = LANGUAGE_SCRIPTS.get(main.split("-")[0], LATIN) if main else ""
    out = []
    for text in texts:
        counts = script_counts(text)
        name = _dominant(counts)
        if not name:
            out.append(main)
        elif name == CYRILLIC:
            guessed = _cyrillic(text, counts[CYRILLIC])
            if guessed == "ru" and main in _WITHOUT_RUSSIAN_LETTERS and not _RUSSIAN.search(text):
                guessed = main  # a short Bulgarian paragraph may lack its ъ; a Russian one has ы or э
            out.append(guessed)
        elif name == main_script:
            out.append(main)
        elif name == LATIN:
            out.append("en")  # py3langid on each paragraph would cost more than the rest of an import
        else:
            out.append(_language(name, text[:SAMPLE], counts))
    return out


def languages(texts: Sequence[str], paragraph_langs: Sequence[str], main: str) -> list[str]:
    """The article's languages: ``main`` first, then each other language whose
    paragraphs hold at least :data:`LANGUAGE_MIN_SHARE` of its text."""
    sizes: dict[str, int] = {}
    for text, language in zip(texts, paragraph_langs, strict=True):
        if language:
            sizes[language] = sizes.get(language, 0) + len(text)
    total = sum(sizes.values())
    found = [main] if main else []
    for language, size in sorted(sizes.items(), key=lambda item: -item[1]):
        if language not in found and size >= LANGUAGE_MIN_SHARE * total:
            found.append(language)
    return found
