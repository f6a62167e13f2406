"""DfE statistical neighbour files (spec 3.5), loaded by `load dfe` beside the EES files.

Two layouts are recognised by their header:

- the 2025 model (sn_model_2025_wide.csv): old_la_code, la_name, ..., SN_1, SN_1P, ...,
  SN_10, SN_10P: the k-th closest neighbour's 3-digit LA code and how close it is;
- the 2021 groupings (New_Statistical_Neighbour_Groupings_April_2021.csv): LA num, LA Name,
  ..., SN1, SNP, SN2, SNP, ...: every closeness column is headed SNP, so closeness is read
  from the column just after each SNk, by position.

Codes (3-digit or 9-character, any case) become the code the LA has today (dashboard.reference),
so a neighbour group joins the EES values by area_code. Every LA has exactly ten neighbours,
ranked 1 (closest) to 10, none of them itself and none twice. Rows with no LA code and no
neighbours are headings (the 2021 file has "Old SNs:" above the groups of retired LAs) and are
skipped with a notice; the groups of retired LAs (Northamptonshire 928, Dorset 835 ...) are
kept under the retired LA's own code.

The model is named by --dataset, else sn_YEAR from the first year in the file name
(sn_model_2025_wide -> sn_2025). Loading a model that is already loaded needs --replace.
"""
from __future__ import annotations

import re

import duckdb
import polars as pl

from dashboard import store
from dashboard.loaders.base import Prepared
from dashboard.problems import ROW, LoadRejected, Problem, Problems
from dashboard.readers import Table
from dashboard.reference import la_reference

RANKS = range(1, 11)
LA_CODE_COLUMNS = ["old_la_code", "la num", "la_code", "new_la_code", "la number", "la_num"]
NAME_COLUMNS = ["la_name", "la name"]
CLOSENESS = re.compile(r"^sn_?\d*p(?:_.*)?$")  # SN_1P; SNP, SNP_duplicated_0 (csv), SNP_1 (Excel)
COLUMNS = ["model", "la_code", "rank", "neighbour_code", "closeness"]


def is_neighbour_header(names: list[str]) -> bool:
    lowered = {n.strip().lstrip("\ufeff").lower() for n in names}
    return bool({"sn_1", "sn1"} & lowered) and "time_period" not in lowered


def _rank_column(lowered: list[str], k: int) -> int | None:
    for i, name in enumerate(lowered):
        if name in (f"sn_{k}", f"sn{k}"):
            return i
    return None


def model_name(table: Table, options: dict) -> str | None:
    given = (options.get("dataset") or "").strip()
    if given:
        return given
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", table.path.stem)
    return f"sn_{m.group(1)}" if m else None


def prepare_neighbours(table: Table, digest: str, options: dict) -> Prepared:
    f = table.name
    problems = Problems()
    notices = list(table.notices)
    names = table.columns()
    lowered = [n.lower() for n in names]
    model = model_name(table, options)
    if model is None:
        problems.add(f, None, None, table.path.stem,
                     "a year in the file name (such as sn_model_2025_wide.csv) to name the neighbour model, "
                     "or a name given with --dataset NAME (such as sn_2025)")
    la_col = next((names[lowered.index(c)] for c in LA_CODE_COLUMNS if c in lowered), None)
    if la_col is None:
        problems.add(f, 1, "old_la_code", None,
                     "a column of LA codes named old_la_code (2025 model) or LA num (2021 groupings)")
    rank_cols: dict[int, str] = {}
    close_cols: dict[int, str | None] = {}
    for k in RANKS:
        i = _rank_column(lowered, k)
        if i is None:
            problems.add(f, 1, f"SN_{k}", None,
                         f"a column named SN_{k} (or SN{k}): every LA has ten neighbours, SN_1 to SN_10")
            continue
        rank_cols[k] = names[i]
        nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
        close_cols[k] = names[i + 1] if CLOSENESS.match(nxt) else None
    if problems:
        raise LoadRejected(problems)

    df = table.df
    rows_read = df.height
    sn_blank = pl.all_horizontal([pl.col(c).is_null() for c in rank_cols.values()])
    heading = df.filter(pl.col(la_col).is_null() & sn_blank)
    if heading.height:
        label_col = next((names[lowered.index(c)] for c in NAME_COLUMNS if c in lowered), None)
        labels = [v for v in (heading[label_col].drop_nulls().unique(maintain_order=True).to_list() if label_col else [])]
        notices.append(f"{f}: skipped {heading.height} row(s) with no LA code and no neighbours"
                       + (f" (headings: {', '.join(repr(v) for v in labels[:5])})" if labels else ""))
        df = df.filter(~(pl.col(la_col).is_null() & sn_blank))

    ref = la_reference()
    df = df.with_columns(ref.canonical_expr(la_col).alias("la_code"))
    problems.add_rows(f, df.filter(pl.col(la_col).is_null()), la_col,
                      "an LA code on every row that lists neighbours")
    problems.add_rows(f, df.filter(pl.col(la_col).is_not_null() & pl.col("la_code").is_null()), la_col,
                      "a local authority code known to the LA reference (data/reference/la_codes.csv): "
                      "3 digits like 370 or 9 characters like E08000016")
    _once(df, f, la_col, problems)

    parts = []
    for k, col in rank_cols.items():
        close = pl.col(close_cols[k]) if close_cols[k] else pl.lit(None, dtype=pl.String)
        part = df.select(ROW, pl.col(la_col).alias("__la"), "la_code", pl.lit(k, dtype=pl.Int32).alias("rank"),
                         pl.col(col).alias("__given"), close.alias("closeness"))
        part = part.with_columns(ref.canonical_expr("__given").alias("neighbour_code"))
        problems.add_rows(f, part.filter(pl.col("__given").is_null()), col,
                          f"the code of the LA's neighbour number {k} (every LA has ten neighbours)",
                          value_column="__given")
        problems.add_rows(f, part.filter(pl.col("__given").is_not_null() & pl.col("neighbour_code").is_null()), col,
                          "a local authority code known to the LA reference (data/reference/la_codes.csv): "
                          "3 digits like 370 or 9 characters like E08000016", value_column="__given")
        problems.add_rows(f, part.filter(pl.col("la_code").is_not_null() & (pl.col("neighbour_code") == pl.col("la_code"))),
                          col, "a neighbour other than the LA itself", value_column="__given")
        parts.append(part.with_columns(pl.lit(col).alias("__col")))
    long = pl.concat(parts)
    _no_repeat(long, f, problems)
    if problems:
        raise LoadRejected(problems)

    frame = long.select(pl.lit(model).alias("model"), "la_code", "rank", "neighbour_code",
                        pl.col("closeness").str.strip_chars()).sort("la_code", "rank")
    n_las = frame["la_code"].n_unique()
    scope = f"statistical neighbours '{model}': {n_las} LAs, 10 neighbours each"
    return Prepared(table.path, digest, table.format, frame, rows_read, scope, None, notices,
                    table="statistical_neighbours", columns=list(COLUMNS),
                    extra={"what": "neighbours", "model": model})


def _once(df: pl.DataFrame, f: str, la_col: str, problems: Problems) -> None:
    keyed = df.filter(pl.col("la_code").is_not_null())
    first = keyed.group_by("la_code").agg(pl.col(ROW).min().alias("__first"))
    dup = keyed.join(first, on="la_code").filter(pl.col(ROW) != pl.col("__first")).sort(ROW)
    for row, given, code, earlier in dup.select(ROW, la_col, "la_code", "__first").head(200).iter_rows():
        problems.items.append(Problem(f, row, la_col, given, f"each LA to have one row of neighbours "
                                      f"({la_reference().label(code)} already has row {earlier})"))
    problems.total += dup.height


def _no_repeat(long: pl.DataFrame, f: str, problems: Problems) -> None:
    keyed = long.filter(pl.col("la_code").is_not_null() & pl.col("neighbour_code").is_not_null())
    first = keyed.group_by(ROW, "neighbour_code").agg(pl.col("rank").min().alias("__first"))
    dup = keyed.join(first, on=[ROW, "neighbour_code"]).filter(pl.col("rank") != pl.col("__first")).sort(ROW, "rank")
    for row, col, given, earlier in dup.select(ROW, "__col", "__given", "__first").head(200).iter_rows():
        problems.items.append(Problem(f, row, col, given,
                                      f"ten different neighbours (this one is also neighbour number {earlier})"))
    problems.total += dup.height


def check_neighbours_store(con: duckdb.DuckDBPyConnection, prepared: Prepared, replace: bool,
                           problems: Problems) -> list[str]:
    model = prepared.extra["model"]
    replaced = []
    for name, las, load_ids, files in con.execute(store.sql("neighbour_model_loaded"), [model]).fetchall():
        source = f"{las} LAs from load {', '.join(f'#{i}' for i in load_ids)} ({', '.join(files)})"
        if not replace:
            problems.add(prepared.path.name, None, "model", name,
                         f"a statistical neighbour model that is not loaded yet: '{name}' is already loaded "
                         f"({source}); use --replace to replace it with this file, or --dataset NAME to load it "
                         "under another name")
            continue
        con.execute("DELETE FROM statistical_neighbours WHERE model = ?", [name])
        replaced.append(f"statistical neighbours '{name}': {source}")
    return replaced
