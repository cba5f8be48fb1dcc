"""Where things live (the library folder, the config folder, the user's theme file),
and the user's settings (``settings.toml`` in the config folder).

Each path can be overridden by an environment variable, so tests and scripts
never touch a real home directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs
from rich.color import Color, ColorParseError

from pressreader.model import SortOrder, Theme
from pressreader.printable import printable

APP_NAME = "pressreader"
#: The file that marks a folder as a pressreader library.  It holds a seal
#: (:func:`seal`) that only this user's pressreader can make, so that an
#: ``./index`` found in a folder (a cloned repository, an unpacked archive) is
#: opened only when pressreader wrote it here.
MARKER = ".pressreader-library"
#: The secret the seal is made with, in the config folder (made on first need).
MARKER_KEY = "library-key"
ENV_INDEX = "PRESSREADER_INDEX"
ENV_CONFIG = "PRESSREADER_CONFIG"

Origin = Literal["option", "environment", "folder", "user"]


@dataclass(frozen=True)
class Located:
    """Which library a command uses, and how it was found."""

    path: Path
    #: ``--index``, $PRESSREADER_INDEX, ``./index``, or the user data folder.
    origin: Origin
    #: Why an ``./index`` here was not opened ("" when there is none, or it was).
    passed_over: str = ""

    def said(self) -> str:
        """What to tell the user about it: the ``./index`` lookup is never silent."""
        if self.origin == "folder":
            return "library: ./index (found in this folder)"
        return ""


def locate_library(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Located:
    """The library folder: ``--index``, else $PRESSREADER_INDEX, else ./index if it is
    a pressreader library that pressreader marked for this user (or one with
    nothing in it yet), else the user data directory."""
    if explicit:
        return Located(Path(explicit).expanduser(), "option")
    env = os.environ.get(ENV_INDEX)
    if env:
        return Located(Path(env).expanduser(), "environment")
    local = (cwd or Path.cwd()) / "index"
    passed_over = ""
    if (local / MARKER).is_file():
        if sealed(local) or _holds_nothing(local):
            return Located(local, "folder")
        passed_over = (
            "./index was not opened: its library was not made by pressreader for you on this "
            "machine (copied, cloned or unpacked from elsewhere?); `--index index` opens it if you trust it"
        )
    return Located(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library", "user", passed_over
    )


def library_path(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Path:
    """The folder :func:`locate_library` finds."""
    return locate_library(explicit, cwd=cwd).path


def _holds_nothing(folder: Path) -> bool:
    """A marked folder with no library in it yet (a checkout's ``index/``: a marker,
    a README): its index and anything else a library keeps live in subfolders."""
    try:
        return not any(entry.is_dir() for entry in folder.iterdir())
    except OSError:
        return False


def _key(*, create: bool) -> bytes | None:
    path = config_dir() / MARKER_KEY
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    if not create:
        return None
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key)
    except FileExistsError:
        return _key(create=False)  # another process made it first
    except OSError:
        return None
    return key


def seal(*, create: bool = True) -> str | None:
    """What a marker written by this user's pressreader holds (None when no key can be had)."""
    key = _key(create=create)
    return None if key is None else hmac.new(key, b"pressreader library", hashlib.sha256).hexdigest()


def sealed(folder: Path) -> bool:
    """Whether ``folder``'s marker was written by this user's pressreader."""
    try:
        written = json.loads((folder / MARKER).read_text(encoding="utf-8")).get("seal")
    except (OSError, ValueError, AttributeError):
        return False
    expected = seal(create=False)
    return isinstance(written, str) and expected is not None and hmac.compare_digest(written, expected)


def write_marker(folder: Path, schema: int) -> None:
    """Mark ``folder`` as a library this user's pressreader wrote (whole or not at all)."""
    text = json.dumps({"schema": schema, "seal": seal()}) + "\n"
    fd, temporary = tempfile.mkstemp(prefix=".marker-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, folder / MARKER)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def sample_library_path() -> Path:
    """Where ``pressreader --sample`` keeps the bundled samples: apart from the user's own library."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "sample-library"


def config_dir() -> Path:
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def themes_path() -> Path:
    """The user's theme file, merged over the default lexicon when it exists."""
    return config_dir() / "themes.toml"


# -- settings ------------------------------------------------------------------

HighlightStyle = Literal["bar", "background", "off"]
HIGHLIGHT_STYLES: tuple[HighlightStyle, ...] = ("bar", "background", "off")
SORT_ORDERS: tuple[SortOrder, ...] = ("relevance", "date")
#: The keys of the settings file, and the type each must have (for the messages).
_KEYS = {"highlight": "a string", "sort": "a string", "dark": "true or false", "theme_colors": "a table"}


@dataclass(frozen=True)
class Settings:
    """What the user has chosen in the settings screen (``settings.toml``).

    ``theme_colors`` holds only the themes whose colour differs from the lexicon's,
    as written (a colour name such as ``dark_orange`` or ``#rrggbb``); :func:`color_hex`
    gives the colour that is drawn.  Ids the lexicon does not know are kept (a user
    lexicon may come back) and ignored when drawing.
    """

    theme_colors: dict[str, str] = field(default_factory=dict, hash=False)
    highlight: HighlightStyle = "bar"
    sort: SortOrder = "relevance"
    dark: bool = True

    def themes_over(self, themes: Mapping[str, Theme]) -> dict[str, Theme]:
        """``themes`` (the lexicon's) with this settings' colours in place of theirs."""
        result = dict(themes)
        for theme_id, value in self.theme_colors.items():
            if theme_id in result:
                result[theme_id] = replace(result[theme_id], color=color_hex(value))
        return result


def color_error(value: str) -> str:
    """Why ``value`` is not a colour a theme can have ("" when it is one)."""
    try:
        color = Color.parse(value)
    except ColorParseError:
        return f"{value!r} is not a colour: use a name such as 'dark_orange' or '#rrggbb'"
    if color.is_default:
        return f"{value!r} is not a colour: use a name such as 'dark_orange' or '#rrggbb'"
    return ""


def color_hex(value: str) -> str:
    """The colour ``value`` names, as ``#rrggbb`` (Rich's reading: ``red`` is the
    terminal palette's red, ``#800000``).  Raises ``ValueError`` for a non-colour."""
    why = color_error(value)
    if why:
        raise ValueError(why)
    return Color.parse(value).get_truecolor().hex


def settings_path() -> Path:
    """The settings file (written by the settings screen)."""
    return config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """The settings in ``path`` (default :func:`settings_path`) and a warning ("" when none).

    A missing file gives the defaults silently.  A file that cannot be read or is not
    TOML gives all the defaults; otherwise each key that is wrong (unknown, of the wrong
    type, an unknown value, a colour that is not one) falls back to its default, or for
    a theme colour to the lexicon's, and the valid keys are kept.  The warning names the
    file and every key at fault.
    """
    path = settings_path() if path is None else path
    shown = printable(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), ""
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return Settings(), f"Cannot read the settings file {shown} ({printable(reason)}); using the defaults."
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(), f"The settings file {shown} is not valid TOML ({error}); using the defaults."
    problems: list[str] = []
    values: dict[str, Any] = {}

    def wrong(key: str, what: str) -> None:
        problems.append(f"{printable(key)}: {printable(what)}")

    for key, value in data.items():
        if key not in _KEYS:
            wrong(key, f"unknown key (known: {', '.join(_KEYS)}); ignored")
        elif key in ("highlight", "sort"):
            allowed: tuple[str, ...] = HIGHLIGHT_STYLES if key == "highlight" else SORT_ORDERS
            default = getattr(Settings, key)
            if not isinstance(value, str):
                wrong(key, f"should be a string, one of {', '.join(allowed)}; using {default!r}")
            elif value not in allowed:
                wrong(key, f"{value!r} is not one of {', '.join(allowed)}; using {default!r}")
            else:
                values[key] = value
        elif key == "dark":
            if isinstance(value, bool):
                values[key] = value
            else:
                wrong(key, "should be true or false; using true")
        elif not isinstance(value, dict):
            wrong(key, "should be a table of theme id = colour; using the lexicon's colours")
        else:
            colors: dict[str, str] = {}
            for theme_id, color in value.items():
                where = f"theme_colors.{theme_id}"
                if not isinstance(color, str):
                    wrong(where, "should be a colour in quotes; using the lexicon's colour")
                elif why := color_error(color):
                    wrong(where, f"{why}; using the lexicon's colour")
                else:
                    colors[theme_id] = color.strip()
            values[key] = colors
    settings = Settings(**values)
    if not problems:
        return settings, ""
    return settings, f"The settings file {shown} has mistakes; the rest is used.\n" + "\n".join(problems)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` to ``path`` (default :func:`settings_path`) whole or not at all:
    a temporary file beside it, flushed to disk, then renamed over it.  Returns the path;
    raises ``OSError`` when the folder cannot be written and ``ValueError`` for settings
    that :func:`load_settings` would refuse (nothing is written then)."""
    path = settings_path() if path is None else path
    for why in (color_error(value) for value in settings.theme_colors.values()):
        if why:
            raise ValueError(why)
    if settings.highlight not in HIGHLIGHT_STYLES or settings.sort not in SORT_ORDERS:
        raise ValueError(f"unknown highlight {settings.highlight!r} or sort {settings.sort!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(settings_toml(settings))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def settings_toml(settings: Settings) -> str:
    """The settings file's text (a flat file: three keys and one table of strings)."""
    lines = [
        "# pressreader settings, written by the settings screen (press , in the reader).",
        f"# highlight: {', '.join(HIGHLIGHT_STYLES)}.  sort: {', '.join(SORT_ORDERS)}.",
        f"highlight = {_toml_string(settings.highlight)}",
        f"sort = {_toml_string(settings.sort)}",
        f"dark = {'true' if settings.dark else 'false'}",
        "",
        "# Theme id = colour (a name such as dark_orange, or #rrggbb); only what differs from the lexicon.",
        "[theme_colors]",
    ]
    colors = sorted(settings.theme_colors.items())
    lines += [f"{_toml_key(key)} = {_toml_string(value)}" for key, value in colors]
    return "\n".join(lines) + "\n"


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(value: str) -> str:
    """A TOML basic string: backslash and quote escaped, control characters as \\uXXXX."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
