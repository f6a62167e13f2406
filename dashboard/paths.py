"""Where the project's files live.

Two layouts, one set of names:
- a checkout (editable install, `pip install -e .`): the SQL files, the indicator catalogue, the
  reference data, pages/ and .streamlit/ sit in the repository root beside the package, and the
  databases go in the repository's data/ folder;
- an installed wheel (`pip install .`): the same files travel inside the package, in
  dashboard/_bundle/ (see [tool.hatch.build.targets.wheel.force-include] in pyproject.toml), which
  is read only, so the databases go in a per-user folder instead: $VOICE_HOME if set, else
  $XDG_DATA_HOME/voice-dashboard, else ~/.local/share/voice-dashboard.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLE = PACKAGE / "_bundle"
# The wheel carries its files in _bundle; a checkout never has that folder.
INSTALLED = BUNDLE.is_dir()
ROOT = BUNDLE if INSTALLED else PACKAGE.parent
QUERIES = ROOT / "queries"
# An LA can keep its catalogue elsewhere (with its local indicators) and point VOICE_CATALOGUE at it.
INDICATORS = Path(os.environ["VOICE_CATALOGUE"]) if os.environ.get("VOICE_CATALOGUE") else ROOT / "indicators"
REFERENCE = ROOT / "data" / "reference"
PAGES = ROOT / "pages"
# The Streamlit script: pages link to each other relative to it ("../pages/x.py").
APP = BUNDLE / "app" / "app.py" if INSTALLED else PACKAGE / "app.py"
MIGRATIONS = PACKAGE / "migrations"


def _user_data() -> Path:
    if os.environ.get("VOICE_HOME"):
        return Path(os.environ["VOICE_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "voice-dashboard"


# Where databases are written: the checkout's data/ folder, or the per-user folder for a wheel.
DATA = _user_data() if INSTALLED else ROOT / "data"
DEFAULT_DB = DATA / "voice.duckdb"
DEMO_DB = DATA / "demo.duckdb"


def resolve_db(cli_value: str | os.PathLike | None) -> Path:
    """--db wins, then the VOICE_DB environment variable, then data/voice.duckdb."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("VOICE_DB")
    if env:
        return Path(env)
    return DEFAULT_DB
