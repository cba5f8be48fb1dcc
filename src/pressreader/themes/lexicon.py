"""The theme lexicon: a TOML file of themes, each with a label, a colour and weighted terms.

The default lexicon ships as package data (``default.toml``).  A user file of
the same shape adds themes or overrides labels, colours and terms (a weight of
0 removes a term).  Any mistake in a file is reported with the file, the line
and the key.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pressreader.model import Theme

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_THEME_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class LexiconError(Exception):
    """A lexicon file that cannot be used; the message names the file, line and key."""

    def __init__(self, path: str, message: str, *, line: int | None = None, key: str = "") -> None:
        where = f"{path}, line {line}" if line else path
        keyed = f" (key {key})" if key else ""
        super().__init__(f"{where}{keyed}: {message}")
        self.path = path
        self.line = line
        self.key = key


@dataclass
class ThemeSpec:
    id: str
    label: str
    color: str
    description: str = ""
    terms: dict[str, float] = field(default_factory=dict)

    def as_theme(self) -> Theme:
        return Theme(self.id, self.label, self.color, self.description)


@dataclass
class LexiconSpec:
    """The lexicon as written: before compilation into the classifier's tables."""

    themes: dict[str, ThemeSpec]
    boilerplate: list[str]
    min_score: float
    relative: float
    sources: list[str]


def default_path() -> Path:
    return Path(str(resources.files("pressreader.themes").joinpath("default.toml")))


def load_spec(user_path: Path | None = None) -> LexiconSpec:
    default = default_path()
    spec = _parse(default, None)
    if user_path is not None and user_path.is_file():
        spec = _parse(user_path, spec)
    return spec


def _line_of(text: str, key: str) -> int | None:
    """The line of ``key`` (dotted, e.g. ``themes.energy.color``), for error messages.

    Looks for the deepest table header that holds the key (``[themes.energy]``),
    then for the key's last part below it, before the next header.
    """
    lines = text.splitlines()
    parts = key.split(".")
    leaf = parts[-1]
    leaf_pattern = re.compile(
        rf'^\s*("{re.escape(leaf)}"|{re.escape(leaf)})\s*=|[{{,]\s*"?{re.escape(leaf)}"?\s*='
    )
    for depth in range(len(parts) - 1, 0, -1):
        header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(re.escape(p) for p in parts[:depth]) + r"\s*\]")
        for start, line in enumerate(lines):
            if header.match(line):
                for number in range(start + 1, len(lines)):
                    if lines[number].lstrip().startswith("["):
                        break
                    if leaf_pattern.search(lines[number]):
                        return number + 1
                if depth == len(parts) - 1:
                    return start + 1
    pattern = re.compile(rf'(^|[\s."\[]){re.escape(leaf)}($|[\s."\]=])')
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return None


#: What each setting may be: ``min_score`` a paragraph's score (weights add up),
#: ``relative`` a share of the best theme's score (above 1 no theme could pass).
_SETTING_RANGES = {"min_score": (0.0, 1000.0), "relative": (0.0, 1.0)}
#: A term's weight, either way (3 is enough on its own; a negative one cancels an idiom).
MAX_WEIGHT = 100.0


def _number_in(value: Any, low: float, high: float) -> bool:
    """A TOML number (not a boolean, not inf or nan) from ``low`` to ``high``.
    TOML reads ``inf`` and ``nan`` as floats: ``min_score = inf`` would leave no
    paragraph a theme, and ``nan`` compares false with everything."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return math.isfinite(value) and low <= value <= high


def _shown(value: Any) -> str:
    """A TOML value as the file wrote it (``inf``, ``nan``, ``true``, ``"3"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return f"a {type(value).__name__}"


def _parse(path: Path, base: LexiconSpec | None) -> LexiconSpec:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(name, f"cannot read the file: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise LexiconError(name, f"not valid TOML: {message}", line=line) from None

    def fail(message: str, key: str) -> LexiconError:
        return LexiconError(name, message, line=_line_of(text, key), key=key)

    unknown = set(data) - {"settings", "boilerplate", "themes"}
    if unknown:
        key = sorted(unknown)[0]
        raise fail("unknown section; expected settings, boilerplate or themes", key)

    if base is None:
        spec = LexiconSpec(themes={}, boilerplate=[], min_score=2.0, relative=0.3, sources=[name])
    else:
        spec = LexiconSpec(
            themes={
                k: ThemeSpec(v.id, v.label, v.color, v.description, dict(v.terms))
                for k, v in base.themes.items()
            },
            boilerplate=list(base.boilerplate),
            min_score=base.min_score,
            relative=base.relative,
            sources=[*base.sources, name],
        )

    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise fail("must be a table", "settings")
    for key, value in settings.items():
        if key not in ("min_score", "relative"):
            raise fail("unknown setting; expected min_score or relative", f"settings.{key}")
        low, high = _SETTING_RANGES[key]
        if not _number_in(value, low, high):
            raise fail(f"must be a number from {low:g} to {high:g}, not {_shown(value)}", f"settings.{key}")
        setattr(spec, key, float(value))

    boilerplate = data.get("boilerplate", {})
    patterns = boilerplate.get("patterns", []) if isinstance(boilerplate, dict) else None
    if not isinstance(patterns, list):
        raise fail("must be a list of regular expressions", "boilerplate.patterns")
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise fail("must be a list of strings", "boilerplate.patterns")
        try:
            re.compile(pattern)
        except re.error as error:
            raise fail(f"bad regular expression {pattern!r}: {error}", "boilerplate.patterns") from None
        spec.boilerplate.append(pattern)

    themes = data.get("themes", {})
    if not isinstance(themes, dict):
        raise fail("must be a table of themes", "themes")
    for theme_id, body in themes.items():
        _merge_theme(spec, theme_id, body, fail)
    return spec


def _merge_theme(spec: LexiconSpec, theme_id: str, body: Any, fail: Any) -> None:
    key = f"themes.{theme_id}"
    if not _THEME_ID.match(theme_id):
        raise fail("theme ids are lowercase letters, digits, - or _", key)
    if not isinstance(body, dict):
        raise fail("must be a table", key)
    existing = spec.themes.get(theme_id)
    if existing is None:
        for required in ("label", "color"):
            if required not in body:
                raise fail(f"a new theme needs a {required}", f"{key}.{required}")
        existing = spec.themes[theme_id] = ThemeSpec(theme_id, "", "")
    for name, value in body.items():
        if name in ("label", "description"):
            if not isinstance(value, str) or (name == "label" and not value.strip()):
                raise fail("must be a non-empty string", f"{key}.{name}")
            setattr(existing, name, value.strip())
        elif name == "color":
            if not isinstance(value, str) or not _COLOR.match(value):
                raise fail('must be a colour like "#2e86de"', f"{key}.color")
            existing.color = value.lower()
        elif name == "terms":
            if not isinstance(value, dict):
                raise fail('must be a table of "term" = weight', f"{key}.terms")
            for term, weight in value.items():
                if not _number_in(weight, -MAX_WEIGHT, MAX_WEIGHT):
                    raise fail(
                        f"a term's weight must be a number from {-MAX_WEIGHT:g} to {MAX_WEIGHT:g} "
                        f"(0 removes the term), not {_shown(weight)}",
                        f"{key}.terms.{term}",
                    )
                if weight == 0:
                    existing.terms.pop(term, None)
                else:
                    existing.terms[term] = float(weight)
        else:
            raise fail("unknown key; expected label, color, description or terms", f"{key}.{name}")
