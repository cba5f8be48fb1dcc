"""Themes: the default lexicon, a user's override file, and how well paragraphs are classified."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import LABELLED, SEED, THEME_IDS
from pressreader.ingest import read_file
from pressreader.themes import Lexicon, LexiconError, load_lexicon

HELD_OUT = LABELLED.with_name("heldout_paragraphs.jsonl")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _themes(lexicon: Lexicon, text: str) -> list[str]:
    return [hit.theme for hit in lexicon.classify(text)]


def _seed_paragraph(keyword: str) -> str:
    matches = [p.text for p in read_file(SEED)[0].paragraphs if keyword in p.text]
    assert len(matches) == 1, f"{keyword!r} should be in exactly one paragraph of the seed"
    return matches[0]


# ----------------------------------------------------------- the seed release
@pytest.mark.parametrize(
    ("keyword", "primary"),
    [
        ("Trans-Caspian International Transport Route", "transport"),
        ("uranium", "energy"),
        ("nuclear power plants", "energy"),
        ("Aral Sea", "environment"),
        ("climate change", "environment"),
        ("Big Data", "digital"),
        ("artificial intelligence", "digital"),
        ("tourism", "culture"),
    ],
)
def test_seed_paragraphs_have_the_expected_primary_theme(
    lexicon: Lexicon, keyword: str, primary: str
) -> None:
    hits = lexicon.classify(_seed_paragraph(keyword))
    assert hits, "paragraph got no theme"
    assert hits[0].theme == primary, [(h.theme, h.score) for h in hits]
    assert all(hits[0].score >= other.score for other in hits)
    assert hits[0].terms, "the primary theme should say which terms matched"


def test_hits_are_ordered_strongest_first(lexicon: Lexicon) -> None:
    for paragraph in read_file(SEED)[0].paragraphs:
        scores = [hit.score for hit in lexicon.classify(paragraph.text)]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "text",
    [
        "Press service of the Ministry of Foreign Affairs of the Republic of Kazakhstan",
        "Photo: Press service of the MFA",
        "Пресс-служба МИД РК",
        "Photo: press service of the Ministry of Energy",
    ],
)
def test_boilerplate_gets_no_theme(lexicon: Lexicon, text: str) -> None:
    assert lexicon.classify(text) == ()


def test_figurative_energy_is_not_the_energy_theme(lexicon: Lexicon) -> None:
    assert "energy" not in _themes(lexicon, "The energy of young diplomats impressed the delegation.")


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Стороны обсудили поставки урана и строительство атомной электростанции.", "energy"),
        ("Министры обсудили сохранение Аральского моря и последствия изменения климата.", "environment"),
        ("Граждане Казахстана могут находиться в стране без визы до 30 дней.", "consular"),
    ],
)
def test_russian_paragraphs_are_classified_through_stemming(lexicon: Lexicon, text: str, theme: str) -> None:
    assert _themes(lexicon, text)[:1] == [theme]


def test_the_ten_default_themes(lexicon: Lexicon) -> None:
    assert list(lexicon.themes) == THEME_IDS
    for theme_id, theme in lexicon.themes.items():
        assert theme.id == theme_id
        assert theme.label.strip()
        assert re.fullmatch(r"#[0-9a-f]{6}", theme.color), theme.color
    assert len({t.color for t in lexicon.themes.values()}) == 10, "each theme needs its own colour"
    assert len({t.label for t in lexicon.themes.values()}) == 10


# ------------------------------------------------------------- user override
def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_adds_a_theme_that_classifies(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '[themes.falconry]\nlabel = "Falconry"\ncolor = "#AA5500"\n\n'
        '[themes.falconry.terms]\n"falconry" = 3\n"golden eagle" = 2.5\n',
    )
    lexicon = load_lexicon(path)
    assert list(lexicon.themes) == [*THEME_IDS, "falconry"]
    assert lexicon.themes["falconry"].label == "Falconry"
    assert lexicon.themes["falconry"].color == "#aa5500"
    hits = lexicon.classify("Hunters with golden eagles gathered for the national falconry festival.")
    assert hits and hits[0].theme == "falconry"
    assert set(hits[0].terms) == {"falconry", "golden eagle"}
    assert "falconry" not in _themes(load_lexicon(), "the national falconry festival and golden eagles")


def test_user_file_overrides_a_term_weight(tmp_path: Path) -> None:
    text = "The report mentions uranium."
    assert _themes(load_lexicon(), text) == ["energy"]
    weaker = load_lexicon(_write(tmp_path, '[themes.energy.terms]\n"uranium" = 1\n'))
    assert weaker.classify(text) == ()
    removed = load_lexicon(_write(tmp_path, '[themes.energy.terms]\n"uranium" = 0\n'))
    assert removed.classify(text) == ()
    # the rest of the default lexicon is still there
    assert _themes(removed, "Kazakhstan plans to build its first nuclear power plant.") == ["energy"]


def test_user_file_overrides_a_label_and_colour(tmp_path: Path) -> None:
    lexicon = load_lexicon(_write(tmp_path, '[themes.energy]\nlabel = "Power"\ncolor = "#123456"\n'))
    assert lexicon.themes["energy"].label == "Power"
    assert lexicon.themes["energy"].color == "#123456"
    assert list(lexicon.themes) == THEME_IDS


def test_missing_user_file_means_the_defaults(tmp_path: Path) -> None:
    assert list(load_lexicon(tmp_path / "absent.toml").themes) == THEME_IDS


def _error(path: Path) -> LexiconError:
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    return caught.value


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[themes.energy.terms]\n"oil" = 2\n"gas" = = 3\n')
    error = _error(path)
    message = str(error)
    assert str(path) in message
    assert "line 3" in message
    assert error.line == 3


def test_bad_colour_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, '[themes.energy]\nlabel = "Energy"\ncolor = "orange"\n')
    error = _error(path)
    message = str(error)
    assert str(path) in message
    assert "line 3" in message
    assert "themes.energy.color" in message
    assert "colour" in message.lower() or "color" in message.lower()


def test_non_number_weight_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, '[themes.energy.terms]\n"oil" = 2\n"uranium" = "heavy"\n')
    error = _error(path)
    message = str(error)
    assert str(path) in message
    assert "line 3" in message
    assert "themes.energy.terms.uranium" in message
    assert "number" in message


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (
            '[themes.falconry]\nlabel = "Falconry"\ncolor = "#aa5500"\n\n[themes.energy]\ncolor = "orange"\n',
            6,
            "themes.energy.color",
        ),
        (
            '[themes.environment.terms]\n"solar" = 2\n\n[themes.energy.terms]\n"solar" = "high"\n',
            5,
            "themes.energy.terms.solar",
        ),
    ],
    ids=["colour-after-another-theme", "term-in-two-themes"],
)
def test_error_line_is_the_line_of_the_bad_value(tmp_path: Path, text: str, line: int, key: str) -> None:
    error = _error(_write(tmp_path, text))
    assert key in str(error)
    assert error.line == line, str(error)


def test_a_new_theme_without_colour_is_refused(tmp_path: Path) -> None:
    message = str(_error(_write(tmp_path, '[themes.falconry]\nlabel = "Falconry"\n')))
    assert "themes.falconry.color" in message


# ----------------------------------------------------------- labelled set
#: Gold themes of the seed's nine paragraphs, decided from the text alone, with the
#: conventions of tests/data/labelled_paragraphs.jsonl: a meeting or forum framing
#: is diplomacy; an agenda listing counts each listed area; economy when investment,
#: trade or commercial deals are explicit; passing mentions do not count.
SEED_GOLD: list[tuple[str, set[str]]] = [
    ("Cooperation Forum took place in Seoul", {"diplomacy"}),
    ("The forum addressed key areas", {"diplomacy", "transport", "energy", "digital", "environment"}),
    ("Trans-Caspian International Transport Route", {"transport"}),
    ("uranium", {"energy"}),
    ("Aral Sea", {"environment"}),
    ("Big Data", {"digital"}),
    ("tourism infrastructure", {"culture", "economy", "diplomacy"}),
    ("Altai heritage", {"diplomacy", "culture", "economy"}),
    ("Joint Statement", {"diplomacy", "economy"}),
]


def _labelled(path: Path = LABELLED) -> list[tuple[str, set[str]]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                rows.append((record["text"], set(record["themes"])))
    return rows


def test_labelled_set_is_complete() -> None:
    rows = _labelled()
    assert len(rows) == 90
    known = set(THEME_IDS)
    assert all(themes <= known for _, themes in rows)
    assert len(SEED_GOLD) == len(read_file(SEED)[0].paragraphs)


def _micro_f1(lexicon: Lexicon, rows: list[tuple[str, set[str]]], name: str) -> tuple[float, str]:
    tp = fp = fn = 0
    errors = []
    for text, gold in rows:
        predicted = set(_themes(lexicon, text))
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        if predicted != gold:
            errors.append(f"  gold {sorted(gold)} got {sorted(predicted)}: {text[:70]}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    figures = (
        f"{name}: theme assignment over {len(rows)} paragraphs (micro-averaged): "
        f"precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    print("\n" + figures)
    return f1, figures + "\n" + "\n".join(errors)


def test_theme_assignment_f1(lexicon: Lexicon) -> None:
    rows = _labelled() + [(_seed_paragraph(keyword), gold) for keyword, gold in SEED_GOLD]
    f1, report = _micro_f1(lexicon, rows, "labelled set")
    assert f1 >= 0.85, report


def test_theme_assignment_f1_on_held_out_paragraphs(lexicon: Lexicon) -> None:
    """Paragraphs written after the lexicon, by someone who never saw it: how it generalises."""
    rows = _labelled(HELD_OUT)
    assert len(rows) == 50
    f1, report = _micro_f1(lexicon, rows, "held-out set")
    assert f1 >= 0.85, report
