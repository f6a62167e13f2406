"""Where the project's files live.

The package is installed editable from the repository, so the SQL files, the indicator
catalogue and the reference data are read from the repository root beside the package.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
# An LA can keep its catalogue elsewhere (with its local indicators) and point VOICE_CATALOGUE at it.
INDICATORS = Path(os.environ["VOICE_CATALOGUE"]) if os.environ.get("VOICE_CATALOGUE") else ROOT / "indicators"
DATA = ROOT / "data"
REFERENCE = DATA / "reference"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
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
