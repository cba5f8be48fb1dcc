"""Where things live: the library folder, the config folder, the user's theme file.

Each path can be overridden by an environment variable, so tests and scripts
never touch a real home directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pressreader"
#: The file that marks a folder as a pressreader library (the repository's own
#: ``index/`` folder carries one, so running pressreader in a checkout uses it).
MARKER = ".pressreader-library"
ENV_INDEX = "PRESSREADER_INDEX"
ENV_CONFIG = "PRESSREADER_CONFIG"


def library_path(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Path:
    """The library folder: ``--index``, else $PRESSREADER_INDEX, else ./index if it is a
    pressreader library, else the user data directory."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_INDEX)
    if env:
        return Path(env).expanduser()
    local = (cwd or Path.cwd()) / "index"
    if (local / MARKER).is_file():
        return local
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library"


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
