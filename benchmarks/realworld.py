"""Real-world check (issue 11): import corpora no one here wrote and measure what pressreader makes of them.

Usage::

    .venv/bin/python benchmarks/realworld.py PATH [PATH ...] [--json OUT] [--pressreader CMD]

Each PATH is a corpus: a folder (or one file) of releases in whatever shape they were found
(a data package's JSON, a Jekyll or Hugo ``_posts`` folder, scraped HTML pages, ...). The
corpora themselves stay outside the repository; ``benchmarks/README.md`` says where ours
came from.

pressreader is driven through its command line only, so the same script measures the
current code and any older install (``--pressreader /other/venv/bin/pressreader``; the
default is the ``pressreader`` next to ``sys.executable``). Each corpus gets a fresh
temporary library::

    CMD --index TMP import PATH --json                 per-file outcome: status, reason
    CMD --index TMP export --format json -o FILE       every article: title, source, lang, paragraphs
    CMD --index TMP search WORD --json --limit 100000  one JSON object a line, with "id"

What is printed per corpus (and written to ``--json``, keyed by PATH):

* **import**: files by status; rejected files grouped by reason, and rejected records of
  multi-record files (JSON, JSON Lines, feeds) grouped by the reasons the report names.
  Reasons are normalised (paths and numbers taken out) so identical reasons group.
* **articles**: how many, how many with no source, no date, no title; the top sources.
* **markup**: paragraphs that still hold markup: ``<`` followed by a letter, ``/`` or ``!``
  (a tag, a comment, a doctype), Liquid/Jinja ``{%`` and ``{{``, kramdown ``{:``, Markdown
  ``**bold**`` and ``__bold__`` (as pairs: a lone ``**`` is a footnote mark in Korean
  releases, ``a__b`` a file name), or a line that opens with a ``*``/``_`` emphasis pair
  (``_like this_``). Paragraphs and articles are counted, per kind too, with five examples.
  **list snippets**: articles whose title or first paragraph starts with a tag or
  ``{%``, ``{{``, ``{:``, ``{"`` (what the result list shows; ``<2025년 백서>`` is text).
* **language**: each article's script is guessed from its letters by Unicode range (title
  and paragraphs); the dominant script wins, a Han or Kana character weighing 3 Latin
  letters and a Hangul syllable 2 (one of them carries about as much as a short word).
  URLs, tags, inline code and ASCII tokens with a digit (versions, hashes) are left out.
  Hangul -> ko; Han with Hiragana/Katakana -> ja; Han alone -> zh; Cyrillic -> kk
  (Kazakh letters) / be (ў) / uk (і ї є ґ, few ы э ё) / sr or mk (ј љ њ ...) / bg (ъ
  common, no ы or э) / else ru; Arabic -> any of ar, fa, ur, ps; Hebrew -> he (or yi);
  Greek -> el; Georgian -> ka; Armenian -> hy; Thai -> th; Devanagari -> hi (or mr, ne);
  Bengali -> bn (or as); Tamil -> ta; Latin -> any language written in Latin script. An
  article whose ``lang`` (primary subtag, so ``zh_cn`` is ``zh``) is not one the guess
  accepts is counted, by (expected, got) pair; so are articles with an empty ``lang``.
* **search recall of bare words**: about 30 words a corpus, picked deterministically from
  the stored text and split between the corpus's script groups by their share of articles:

  - space-delimited scripts (Latin, Cyrillic, ...): words of 4+ letters found in at least
    3 articles and in at most 30% of them (the commonest words are left out), spread over
    the frequency ranking. Truth: the articles holding the word as a whole word (case
    folded; a word is a run of letters and digits).
  - Korean: an all-Hangul word W (2+ syllables) that stands alone in 3+ articles (and at most
    30%) and has a particle attached (``W는``, ``W의``, ``W에서``: ``PARTICLES``) in 3+.
    Truth: the articles with a word (a run of letters and digits) that is W or W + a
    particle (neither the compound ``전문가`` for ``전문`` nor ``5년간`` for ``년간``).
  - Chinese/Japanese: 2-4 character substrings of Han runs and whole Katakana words
    (``リリース``), found in 3+ articles and at most 30% of them, neither a piece of a
    longer substring nearly always seen with it (``換性`` of ``互換性``), nor starting or
    ending with a function character (``的``, ``了``, ...), nor a substring of another
    pick. Truth: the articles that hold it as a substring.

  Recall = |truth ∩ hits| / |truth|, micro-averaged over the words (the sum of the found
  over the sum of the truths); the five worst words are shown with a place where a missed
  article holds them. The word is searched bare, as a person would type it.

The text scanned is what pressreader stored (the export), so recall measures the index
against the library's own text, not the extraction against the source.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

WORDS_PER_CORPUS = 30
MIN_DF = 3
MAX_DF_SHARE = 0.30
EXAMPLES = 5
EXAMPLE_CHARS = 100

# --- markup ------------------------------------------------------------------------------

#: What a result-list line must not start with: a tag, a template tag, a JSON object.
SNIPPET_MARKUP = re.compile(r"\s*(?:<[a-zA-Z/!]|\{[%{:\"])")
#: ``**`` and ``__`` count as a pair around text (``**bold**``), the ``**`` that opens it
#: not following a letter unless a letter follows it (``これは**重要**``): a lone ``**`` is a
#: footnote mark in Korean releases (``운영인력**(5점)``), and ``__`` is common in file names.
MARKUP_KINDS: dict[str, re.Pattern[str]] = {
    "<tag": re.compile(r"<[a-zA-Z/!]"),
    "{%": re.compile(r"\{%"),
    "{{": re.compile(r"\{\{"),
    "{:": re.compile(r"\{:"),
    "**": re.compile(r"(?:(?<![^\W_])\*\*(?=[^\s*])|\*\*(?=[^\W_]))[^\n]*?[^\s*]\*\*"),
    "__": re.compile(r"(?<![^\W_])__(?=[^\s_])[^\n]*?[^\s_]__(?![^\W_])"),
    "*emphasis*": re.compile(r"(?m)^[*_](?=[^\s*_])[^*_\n]*[^\s*_][*_](?![*_])"),
}

# --- scripts -----------------------------------------------------------------------------

#: (script, first code point, last code point)
_RANGES: tuple[tuple[str, int, int], ...] = (
    ("latin", 0x41, 0x5A),
    ("latin", 0x61, 0x7A),
    ("latin", 0xC0, 0x24F),
    ("latin", 0x1E00, 0x1EFF),
    ("greek", 0x370, 0x3FF),
    ("cyrillic", 0x400, 0x52F),
    ("armenian", 0x531, 0x58F),
    ("hebrew", 0x591, 0x5FF),
    ("arabic", 0x600, 0x6FF),
    ("arabic", 0x750, 0x77F),
    ("arabic", 0xFB50, 0xFDFF),
    ("arabic", 0xFE70, 0xFEFF),
    ("devanagari", 0x900, 0x97F),
    ("bengali", 0x980, 0x9FF),
    ("tamil", 0xB80, 0xBFF),
    ("thai", 0xE00, 0xE7F),
    ("georgian", 0x10A0, 0x10FF),
    ("hangul", 0x1100, 0x11FF),
    ("kana", 0x3040, 0x30FF),
    ("han", 0x3400, 0x4DBF),
    ("han", 0x4E00, 0x9FFF),
    ("hangul", 0x3130, 0x318F),
    ("hangul", 0xAC00, 0xD7AF),
    ("han", 0xF900, 0xFAFF),
    ("kana", 0xFF66, 0xFF9F),
)
_WEIGHT = {"han": 3, "kana": 3, "hangul": 2}
_SCRIPT_CLASS = {
    script: re.compile(
        "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for s, lo, hi in _RANGES if s == script) + "]"
    )
    for script in {s for s, _lo, _hi in _RANGES}
}
# Latin: letters only (not the multiplication and division signs in the Latin-1 block).
_SCRIPT_CLASS["latin"] = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")

#: Left out of the guess: URLs, template and HTML tags, inline code, and ASCII tokens
#: with a digit (versions, hashes, CVE numbers), which would make any release look Latin.
_NOT_PROSE = re.compile(
    r"https?://\S+|\{%.*?%\}|\{\{.*?\}\}|<[^<>\n]{0,300}>|`[^`\n]*`|[A-Za-z0-9_.\-]*\d[A-Za-z0-9_.\-]*"
)
_KAZAKH = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэёЫЭЁ]")
_BELARUSIAN = re.compile(r"[ўЎ]")
_SOUTH_SLAVIC = re.compile(r"[јљњђћџѓќѕЈЉЊЂЋЏЃЌЅ]")
_RUSSIAN_ONLY = re.compile(r"[ыэЫЭ]")
_HARD_SIGN = re.compile(r"[ъЪ]")

#: Languages not written in Latin script (any other non-empty code is accepted for Latin text).
_NON_LATIN_CODES = (
    "ko ja zh ru uk kk be bg mk sr mn ky tg tt ba cv ce os ab ar fa ur ps sd ug ku he yi el ka hy "
    "th lo km my hi mr ne sa bn as pa gu or ta te kn ml si am ti bo dz iu chr"
)
NON_LATIN = frozenset(_NON_LATIN_CODES.split())
ACCEPT = {
    "ko": {"ko"},
    "ja": {"ja"},
    "zh": {"zh"},
    "ru": {"ru"},
    "uk": {"uk"},
    "kk": {"kk"},
    "be": {"be"},
    "bg": {"bg"},
    "sr": {"sr", "mk"},
    "ar": {"ar", "fa", "ur", "ps"},
    "he": {"he", "yi"},
    "el": {"el"},
    "ka": {"ka"},
    "hy": {"hy"},
    "th": {"th"},
    "hi": {"hi", "mr", "ne"},
    "bn": {"bn", "as"},
}


def script_counts(text: str) -> Counter[str]:
    return Counter({script: len(pattern.findall(text)) for script, pattern in _SCRIPT_CLASS.items()})


def guess_language(text: str) -> str:
    """The language this script expects for ``text``: an ISO code, ``latin`` (any language
    written in Latin script) or ``""`` (no letters)."""
    text = _NOT_PROSE.sub(" ", text)
    counts = script_counts(text)
    weighted = {script: n * _WEIGHT.get(script, 1) for script, n in counts.items()}
    cjk = weighted["han"] + weighted["kana"]
    candidates = {k: v for k, v in weighted.items() if k not in ("han", "kana")}
    candidates["cjk"] = cjk
    script, best = max(sorted(candidates.items()), key=lambda kv: kv[1])
    if best == 0:
        return ""
    if script == "cjk":
        return "ja" if counts["kana"] * 20 >= counts["han"] + counts["kana"] and counts["kana"] >= 5 else "zh"
    if script == "cyrillic":
        cyrillic = counts["cyrillic"]
        if len(_KAZAKH.findall(text)) * 50 > cyrillic:
            return "kk"
        if len(_BELARUSIAN.findall(text)) * 200 > cyrillic:
            return "be"
        ukrainian = len(_UKRAINIAN.findall(text))
        if ukrainian * 100 > cyrillic and len(_RUSSIAN_LETTERS.findall(text)) * 5 < ukrainian:
            return "uk"
        if len(_SOUTH_SLAVIC.findall(text)) * 100 > cyrillic:
            return "sr"
        if not _RUSSIAN_ONLY.search(text) and len(_HARD_SIGN.findall(text)) * 200 > cyrillic:
            return "bg"
        return "ru"
    return {
        "latin": "latin",
        "hangul": "ko",
        "greek": "el",
        "armenian": "hy",
        "hebrew": "he",
        "arabic": "ar",
        "devanagari": "hi",
        "bengali": "bn",
        "tamil": "ta",
        "thai": "th",
        "georgian": "ka",
    }[script]


def primary_code(lang: str) -> str:
    return re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def language_ok(expected: str, got: str) -> bool:
    if not expected:
        return True  # no letters: nothing to check
    if expected == "latin":
        return bool(got) and got not in NON_LATIN
    return got in ACCEPT.get(expected, {expected})


def script_group(expected: str) -> str:
    """Which word picker suits an article: ``ko``, ``cjk`` or ``words``."""
    if expected == "ko":
        return "ko"
    if expected in ("zh", "ja"):
        return "cjk"
    return "words"


# --- tokens ------------------------------------------------------------------------------

#: A word: letters and digits, with the combining marks some scripts need.
_WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u064b-\u065f\u0900-\u0903\u093a-\u094f])+"
)
_HANGUL_TOKEN = re.compile(r"[\uac00-\ud7af]+")
#: Korean particles (and the copula) that attach to a noun: ``위원회는``, ``위원회의``.
_PARTICLE_WORDS = (
    "은 는 이 가 을 를 의 에 에서 에게 께 께서 으로 로 으로서 로서 으로써 로써 와 과 도 만 까지 부터 "
    "보다 처럼 마다 이나 나 이다 이며 이고 이란 이라는 라는 에는 에서는 으로는 로는 과의 와의 에도 "
    "에서도 에의 에서의 으로의 로의 만의 까지의 부터의 들 들은 들이 들을 들의 등 등을 등의 등이 등은 등에"
)
PARTICLES = frozenset(_PARTICLE_WORDS.split())
_LONGEST_PARTICLE = max(map(len, PARTICLES))
_PARTICLE_TAIL = "(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + ")?(?![^\\W_])"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: Chinese function characters: a gram that starts or ends with one is seldom a word (的支, 用的).
_HAN_FUNCTION = frozenset("的了是在和與与也都就而及或将將被把为為之")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]+")
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
#: English function words of 4+ letters: a person does not search for them, and a small
#: corpus does not make them common enough to be left out by their share of articles.
_STOP_WORDS = (
    "about above after again against also been before being below between both could does doing "
    "down during each from further have having here hers herself himself into itself just more "
    "most once only other ours over same should some such than that their theirs them then there "
    "these they this those through under until very were what when where which while whom whose "
    "will with would your yours upon within without among shall must might "
    "myself yourself yourselves ourselves themselves"
)
_STOP = frozenset(_STOP_WORDS.split())


def article_text(article: dict[str, Any]) -> str:
    paragraphs = [p.get("text", "") for p in article.get("paragraphs") or []]
    return "\n\n".join([article.get("title") or "", *paragraphs])


def words_of(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


# --- running pressreader -----------------------------------------------------------------


class Runner:
    def __init__(self, command: list[str]) -> None:
        self.command = command

    def run(self, index: Path, *args: str, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.command, "--index", str(index), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def version(self) -> str:
        done = subprocess.run([*self.command, "--version"], capture_output=True, text=True, check=False)
        return (done.stdout or done.stderr).strip()


def normalise_reason(reason: str) -> str:
    reason = re.sub(r"(?:[A-Za-z]:)?(?:/[^\s,;:()'\"]+)+", "<path>", reason)
    reason = re.sub(r"\d+(?:[.,]\d+)*", "N", reason)
    return " ".join(reason.split())


def split_record_reasons(reason: str) -> tuple[list[str], int]:
    """The record problems a file's reason names (``record 3: no text; record 5: ...``) and
    how many more it only counts (``; and 12 more``)."""
    marker = re.search(r"\d+ record\(s\) rejected: ", reason)
    if not marker:
        return [], 0
    tail = reason[marker.end() :]
    more = 0
    found = re.search(r";\s*and (\d+) more\s*$", tail)
    if found:
        more = int(found.group(1))
        tail = tail[: found.start()]
    parts = re.split(r";\s*(?=record \d+:)", tail)
    named = [re.sub(r"^record \d+:\s*", "", part).strip() for part in parts if part.strip()]
    return named, more


def summarise_import(report: dict[str, Any]) -> dict[str, Any]:
    files = report.get("files", [])
    statuses = Counter(f.get("status", "?") for f in files)
    rejected = Counter(
        normalise_reason(f.get("reason", "")) or "(no reason)" for f in files if f.get("status") == "rejected"
    )
    records = Counter()
    records_total = 0
    rejected_examples: dict[str, str] = {}
    for f in files:
        if f.get("status") == "rejected":
            rejected_examples.setdefault(normalise_reason(f.get("reason", "")), f.get("path", ""))
        n = int(f.get("records_rejected") or 0)
        if not n:
            continue
        records_total += n
        named, more = split_record_reasons(f.get("reason", ""))
        for reason in named:
            records[normalise_reason(reason)] += 1
        unnamed = n - len(named)
        if unnamed > 0 or more:
            records["(not named in the report)"] += max(unnamed, more)
    return {
        "files": len(files),
        "statuses": dict(statuses.most_common()),
        "files_rejected": sum(rejected.values()),
        "rejected_by_reason": dict(rejected.most_common()),
        "rejected_example_paths": rejected_examples,
        "records_rejected": records_total,
        "records_rejected_by_reason": dict(records.most_common()),
    }


# --- the measures ------------------------------------------------------------------------


def short(text: str, limit: int = EXAMPLE_CHARS) -> str:
    flat = text.replace("\n", " ⏎ ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def measure_markup(articles: list[dict[str, Any]]) -> dict[str, Any]:
    paragraphs = 0
    marked = 0
    marked_articles = set()
    kinds_paragraphs: Counter[str] = Counter()
    kinds_articles: dict[str, set[str]] = defaultdict(set)
    examples: list[str] = []
    for article in articles:
        for paragraph in article.get("paragraphs") or []:
            text = paragraph.get("text", "")
            paragraphs += 1
            kinds = [kind for kind, pattern in MARKUP_KINDS.items() if pattern.search(text)]
            if not kinds:
                continue
            marked += 1
            marked_articles.add(article["id"])
            for kind in kinds:
                kinds_paragraphs[kind] += 1
                kinds_articles[kind].add(article["id"])
            if len(examples) < EXAMPLES and not any(k in e for k in kinds for e in examples):
                examples.append(f"[{', '.join(kinds)}] {short(text)}")
    if len(examples) < EXAMPLES:  # fill up with more of any kind
        for article in articles:
            for paragraph in article.get("paragraphs") or []:
                text = paragraph.get("text", "")
                kinds = [kind for kind, pattern in MARKUP_KINDS.items() if pattern.search(text)]
                line = f"[{', '.join(kinds)}] {short(text)}"
                if kinds and line not in examples and len(examples) < EXAMPLES:
                    examples.append(line)
    snippets = []
    for article in articles:
        first = ((article.get("paragraphs") or [{}])[0]).get("text", "")
        title = article.get("title") or ""
        if SNIPPET_MARKUP.match(first) or SNIPPET_MARKUP.match(title):
            snippets.append(article)
    return {
        "paragraphs": paragraphs,
        "paragraphs_with_markup": marked,
        "articles_with_markup": len(marked_articles),
        "by_kind_paragraphs": dict(kinds_paragraphs.most_common()),
        "by_kind_articles": {
            k: len(v) for k, v in sorted(kinds_articles.items(), key=lambda kv: -len(kv[1]))
        },
        "examples": examples,
        "list_snippet_markup_articles": len(snippets),
        "list_snippet_examples": [
            short(f"{a.get('title', '')} | {((a.get('paragraphs') or [{}])[0]).get('text', '')}")
            for a in snippets[:EXAMPLES]
        ],
    }


def measure_language(articles: list[dict[str, Any]], expected: dict[str, str]) -> dict[str, Any]:
    pairs: Counter[tuple[str, str]] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    empty = 0
    guessed = Counter(expected.values())
    for article in articles:
        got = primary_code(article.get("lang") or "")
        want = expected[article["id"]]
        if not got:
            empty += 1
        if not language_ok(want, got):
            key = f"{want or '-'} -> {got or '(empty)'}"
            pairs[(want, got)] += 1
            if len(examples[key]) < 2:
                examples[key].append(short(article.get("title") or "", 70))
    return {
        "guessed": dict(guessed.most_common()),
        "empty_lang": empty,
        "wrong_lang": sum(pairs.values()),
        "wrong_pairs": {f"{w or '-'} -> {g or '(empty)'}": n for (w, g), n in pairs.most_common()},
        "wrong_examples": dict(examples),
        "got": dict(Counter(primary_code(a.get("lang") or "") or "(empty)" for a in articles).most_common()),
    }


def spread(candidates: list[str], n: int) -> list[str]:
    """``n`` of ``candidates`` (ranked), spread evenly over the first ``20 * n`` of them."""
    pool = candidates[: 20 * n]
    if len(pool) <= n:
        return pool
    step = len(pool) / n
    return [pool[int(i * step)] for i in range(n)]


def pick_plain_words(texts: list[str], n: int) -> list[str]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(w for w in words_of(text) if len(w) >= 4 and _LETTERS_ONLY.fullmatch(w) and w not in _STOP)
    limit = max(MIN_DF, int(MAX_DF_SHARE * len(texts)))
    ranked = [w for w, c in sorted(df.items(), key=lambda kv: (-kv[1], kv[0])) if MIN_DF <= c <= limit]
    return spread(ranked, n)


def pick_korean_words(texts: list[str], n: int) -> list[str]:
    alone: Counter[str] = Counter()
    tokens_per_text = []
    for text in texts:
        tokens = {w for w in _WORD.findall(text) if _HANGUL_TOKEN.fullmatch(w)}
        tokens_per_text.append(tokens)
        alone.update(t for t in tokens if len(t) >= 2)
    frequent = {t for t, c in alone.items() if c >= MIN_DF}
    with_particle: Counter[str] = Counter()
    for tokens in tokens_per_text:
        found = set()
        for token in tokens:
            for cut in range(max(2, len(token) - _LONGEST_PARTICLE), len(token)):
                if token[cut:] in PARTICLES and token[:cut] in frequent:
                    found.add(token[:cut])
        with_particle.update(found)
    limit = max(MIN_DF, int(MAX_DF_SHARE * len(texts)))
    ranked = [
        t
        for t, c in sorted(alone.items(), key=lambda kv: (-kv[1], kv[0]))
        if MIN_DF <= c <= limit and with_particle[t] >= MIN_DF
    ]
    return spread(ranked, n)


def pick_cjk_words(texts: list[str], n: int) -> list[str]:
    df: Counter[str] = Counter()
    for text in texts:
        grams = set(_KATAKANA_RUN.findall(text))
        for run in _HAN_RUN.findall(text):
            for size in (2, 3, 4, 5):
                grams.update(run[i : i + size] for i in range(len(run) - size + 1))
        df.update(g for g in grams if len(g) >= 2)
    # A gram nearly always seen inside one longer gram is a piece of it (換性 of 互換性).
    longer: Counter[str] = Counter()
    for gram, count in df.items():
        if len(gram) >= 3 and _HAN_RUN.fullmatch(gram):
            for part in (gram[1:], gram[:-1]):
                longer[part] = max(longer[part], count)
    limit = max(MIN_DF, int(MAX_DF_SHARE * len(texts)))
    ranked = [
        g
        for g, c in sorted(df.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
        if MIN_DF <= c <= limit
        and len(g) <= (4 if _HAN_RUN.fullmatch(g) else 12)
        and longer[g] < 0.7 * c
        and not (g[0] in _HAN_FUNCTION or g[-1] in _HAN_FUNCTION)
    ]
    chosen: list[str] = []
    for gram in ranked[: 40 * n]:
        if not any(gram in other or other in gram for other in chosen):
            chosen.append(gram)
    return spread(chosen, n)


def truth_for(word: str, group: str, texts: dict[str, str], words: dict[str, set[str]]) -> set[str]:
    if group == "words":
        return {aid for aid, ws in words.items() if word in ws}
    if group == "ko":
        pattern = re.compile(r"(?<![^\W_])" + re.escape(word) + _PARTICLE_TAIL)
        return {aid for aid, text in texts.items() if pattern.search(text)}
    return {aid for aid, text in texts.items() if word in text}


def context(text: str, word: str, group: str) -> str:
    if group == "words":
        found = re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text, re.IGNORECASE)
    else:
        found = re.search(re.escape(word), text)
    if not found:
        return ""
    start, end = max(0, found.start() - 30), min(len(text), found.end() + 30)
    return short(text[start:end], 80)


def measure_recall(
    runner: Runner, index: Path, articles: list[dict[str, Any]], expected: dict[str, str], n_words: int
) -> dict[str, Any]:
    texts = {a["id"]: article_text(a) for a in articles}
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in texts:
        groups[script_group(expected[aid])].append(aid)
    total = len(texts) or 1
    share = {
        g: len(ids) / total for g, ids in groups.items() if len(ids) / total >= 0.05 and len(ids) >= MIN_DF
    }
    alloc = {g: max(5, round(n_words * s)) for g, s in share.items()}
    words_cache: dict[str, set[str]] = {}
    picked: list[tuple[str, str]] = []
    for group in sorted(alloc, key=lambda g: -alloc[g]):
        group_texts = [texts[aid] for aid in groups[group]]
        if group == "ko":
            chosen = pick_korean_words(group_texts, alloc[group])
        elif group == "cjk":
            chosen = pick_cjk_words(group_texts, alloc[group])
        else:
            chosen = pick_plain_words(group_texts, alloc[group])
        picked.extend((group, w) for w in chosen)
    if any(group == "words" for group, _w in picked):
        words_cache = {aid: words_of(text) for aid, text in texts.items()}
    results = []
    for group, word in picked:
        truth = truth_for(word, group, texts, words_cache)
        done = runner.run(index, "search", word, "--json", "--limit", "100000", timeout=600)
        hits = set()
        error = ""
        for line in done.stdout.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                hits.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                error = error or f"unreadable line: {short(line, 60)}"
        if done.returncode not in (0, 1) or (done.returncode == 1 and not hits and done.stderr.strip()):
            error = error or f"exit {done.returncode}: {short(done.stderr.strip(), 80)}"
        found = truth & hits
        missed = sorted(truth - hits)
        example = ""
        if missed:
            example = f"{missed[0]}: {context(texts[missed[0]], word, group)}"
        results.append(
            {
                "word": word,
                "group": group,
                "truth": len(truth),
                "hits": len(hits),
                "found": len(found),
                "recall": round(len(found) / len(truth), 4) if truth else None,
                "missed_example": example,
                "error": error,
            }
        )
    truth_sum = sum(r["truth"] for r in results)
    found_sum = sum(r["found"] for r in results)
    worst = sorted((r for r in results if r["truth"]), key=lambda r: (r["recall"], -r["truth"], r["word"]))
    by_group = {}
    for group in {r["group"] for r in results}:
        rs = [r for r in results if r["group"] == group]
        t = sum(r["truth"] for r in rs)
        by_group[group] = {
            "words": len(rs),
            "recall": round(sum(r["found"] for r in rs) / t, 4) if t else None,
        }
    return {
        "words": len(results),
        "recall": round(found_sum / truth_sum, 4) if truth_sum else None,
        "by_group": by_group,
        "worst": worst[:EXAMPLES],
        "per_word": results,
    }


def measure_articles(articles: list[dict[str, Any]]) -> dict[str, Any]:
    sources = Counter(a.get("source") or "" for a in articles)
    return {
        "articles": len(articles),
        "no_source": sources.get("", 0),
        "no_date": sum(1 for a in articles if not a.get("date")),
        "no_title": sum(1 for a in articles if not (a.get("title") or "").strip()),
        "no_paragraphs": sum(1 for a in articles if not a.get("paragraphs")),
        "top_sources": dict((s or "(empty)", n) for s, n in sources.most_common(8)),
        "distinct_sources": len(sources),
    }


def measure_corpus(runner: Runner, path: Path, n_words: int, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pr-realworld-") as tmp:
        index = (keep / path.name) if keep else Path(tmp) / "library"
        started = time.monotonic()
        done = runner.run(index, "import", str(path), "--json")
        import_s = time.monotonic() - started
        try:
            report = json.loads(done.stdout)
        except ValueError:
            raise SystemExit(
                f"import of {path} printed no JSON (exit {done.returncode}): {done.stderr.strip()[:500]}"
            ) from None
        out = Path(tmp) / "export.json"
        exported = runner.run(index, "export", "--format", "json", "-o", str(out), "--force")
        if exported.returncode != 0 or not out.exists():
            raise SystemExit(f"export failed (exit {exported.returncode}): {exported.stderr.strip()[:500]}")
        articles = json.loads(out.read_text(encoding="utf-8"))
        expected = {a["id"]: guess_language(article_text(a)) for a in articles}
        result: dict[str, Any] = {"import_s": round(import_s, 1)}
        result["import"] = summarise_import(report)
        result.update(measure_articles(articles))
        result["markup"] = measure_markup(articles)
        result["language"] = measure_language(articles, expected)
        result["search"] = measure_recall(runner, index, articles, expected, n_words)
        return result


# --- printing ----------------------------------------------------------------------------


def print_corpus(path: str, r: dict[str, Any]) -> None:
    imp, mk, lang, search = r["import"], r["markup"], r["language"], r["search"]
    print(f"\n=== {path}")
    statuses = ", ".join(f"{n} {s}" for s, n in imp["statuses"].items())
    print(f"files {imp['files']} ({statuses}) in {r['import_s']} s -> articles {r['articles']}")
    if imp["rejected_by_reason"]:
        print(f"rejected files {imp['files_rejected']}, by reason:")
        for reason, n in imp["rejected_by_reason"].items():
            print(f"  {n:5d}  {short(reason, 110)}")
    if imp["records_rejected"]:
        print(f"rejected records {imp['records_rejected']}, by reason:")
        for reason, n in imp["records_rejected_by_reason"].items():
            print(f"  {n:5d}  {short(reason, 110)}")
    print(
        f"no source {r['no_source']}, no date {r['no_date']}, no title {r['no_title']}, "
        f"distinct sources {r['distinct_sources']}; top: "
        + "; ".join(f"{short(s, 40)} {n}" for s, n in r["top_sources"].items())
    )
    share = mk["paragraphs_with_markup"] / mk["paragraphs"] if mk["paragraphs"] else 0
    print(
        f"markup: {mk['paragraphs_with_markup']} of {mk['paragraphs']} paragraphs ({share:.1%}), "
        f"{mk['articles_with_markup']} articles; by kind (paragraphs): "
        + ", ".join(f"{k} {n}" for k, n in mk["by_kind_paragraphs"].items())
    )
    for example in mk["examples"]:
        print(f"    {example}")
    print(
        'list-snippet markup (title or first paragraph starts with a tag, {% {{ {: or {"): '
        f"{mk['list_snippet_markup_articles']}"
    )
    for example in mk["list_snippet_examples"]:
        print(f"    {example}")
    print(
        f"language: {lang['wrong_lang']} wrong, {lang['empty_lang']} empty; guessed "
        + ", ".join(f"{k or '(none)'} {n}" for k, n in lang["guessed"].items())
        + "; stored "
        + ", ".join(f"{k} {n}" for k, n in lang["got"].items())
    )
    for pair, n in lang["wrong_pairs"].items():
        examples = " | ".join(lang["wrong_examples"].get(pair, []))
        print(f"  {n:5d}  {pair}   e.g. {examples}")
    recall = search["recall"]
    groups = ", ".join(
        f"{g} {v['recall'] if v['recall'] is not None else '-'} ({v['words']} words)"
        for g, v in sorted(search["by_group"].items())
    )
    print(
        f"search recall of bare words: {recall if recall is not None else '-'} "
        f"over {search['words']} words ({groups})"
    )
    for w in search["worst"]:
        print(
            f"    {w['word']!r}: {w['found']}/{w['truth']} (hits {w['hits']})"
            + (f"  missed {w['missed_example']}" if w["missed_example"] else "")
            + (f"  ERROR {w['error']}" if w["error"] else "")
        )


def default_command() -> list[str]:
    return [str(Path(sys.executable).parent / "pressreader")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="corpus folders or files")
    parser.add_argument("--json", metavar="OUT", help="write every figure to this JSON file")
    parser.add_argument(
        "--pressreader",
        metavar="CMD",
        help="the pressreader to run (a path or a command line; default: the one next to this Python)",
    )
    parser.add_argument("--words", type=int, default=WORDS_PER_CORPUS, help="words a corpus for recall (30)")
    parser.add_argument("--keep-libraries", metavar="DIR", help="import into DIR/<corpus name> and keep it")
    args = parser.parse_args(argv)
    runner = Runner(shlex.split(args.pressreader) if args.pressreader else default_command())
    keep = Path(args.keep_libraries) if args.keep_libraries else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {
        "pressreader": " ".join(runner.command),
        "version": runner.version(),
        "corpora": {},
    }
    print(f"pressreader: {payload['pressreader']} ({payload['version']})")
    for raw in args.paths:
        path = Path(raw).expanduser().resolve()
        if not path.exists():
            parser.error(f"no such corpus: {raw}")
        print(f"importing {path} ...", file=sys.stderr, flush=True)
        result = measure_corpus(runner, path, args.words, keep)
        payload["corpora"][str(path)] = result
        print_corpus(str(path), result)
        sys.stdout.flush()
        if args.json:  # written after each corpus, so a long run leaves what it has
            Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
