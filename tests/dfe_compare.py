"""The product's DfE figures beside an independent computation: shared by the peer tests of the EES
files (test_dfe_peer), the Fingertips files (test_dfe_peer) and the spreadsheets (test_dfe_ods)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import duckdb

FIELDS = ("value", "region_value", "england_value", "neighbour_median")


def product_rows(db: Path, metric, key: Callable[[dict], object]) -> dict:
    """Every row the product computes for `metric` from the database at `db`, by `key`."""
    from dashboard.engine.dfe import dfe_table

    con = duckdb.connect(str(db), read_only=True)
    try:
        table = dfe_table(con, metric)
    finally:
        con.close()
    return {key(r): r for r in table.iter_rows(named=True)}


def differences(got: dict, want: dict) -> list[tuple]:
    """(key, field, product's, expected) wherever a figure is missing on one side only or differs."""
    return [(k, f, got[k][f], w[f]) for k, w in want.items() for f in FIELDS
            if (got[k][f] is None) != (w[f] is None)
            or (w[f] is not None and not math.isclose(got[k][f], w[f], abs_tol=1e-9))]
