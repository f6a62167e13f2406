"""The OpenDocument spreadsheets the DfE's dashboard reads, turned into the EES shape so that they
load, are stored and are computed like every other DfE file (as fingertips_as_ees does for OHID
files). Recognised by their sheets:

- MHCLG revenue outturn, RSX (service expenditure summary) and RO3 (social care): the sheet
  RSX_LA_Data_YYYYZZ / RO3_LA_Data_YYYYZZ, the table under the row whose second cell is
  "ONS Code", down to the first blank row. Classes UA, MD, LB and SC are local authorities with
  children's services and Eng is England, as the DfE's dashboard selects them; shire districts
  and other bodies (police, fire ...) are skipped with a notice. Every column after
  "Certification" is an indicator (GBP thousand); [x] is the suppression symbol x. The period is
  the sheet's (202425, Financial year).
- Ofsted's local authority inspection outcomes: the sheet Inspections_as_at_31_March, header on
  the row whose first cell is "Web link". Each inspected LA gets 1 in the count of its judgement
  of "the impact of leaders on social work practice" and 0 in the other three (the DfE's
  outstanding_count, good_count, requires_improvement_count, inadequate_count); LAs not yet
  inspected are skipped with a notice. The period is the year of the latest inspection date, as
  the DfE dates it.

Regional rows are what the DfE computes: the sum of the region's LAs (by the LA reference's
region: Inner and Outer London for London boroughs, and London as their sum), counting x as 0 as
it does. England is the file's own ENGLAND row for the outturn files and the sum of all LAs for
Ofsted (the file has no England row). A cell that is neither a number nor a symbol where a number
is expected is a problem naming file, sheet, row and column.
"""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from dashboard.loaders.ods import Sheet, column_letter, read_matching
from dashboard.problems import ROW, LoadRejected, Problems
from dashboard.readers import Table
from dashboard.reference import la_reference

OUTTURN_SHEET = re.compile(r"^(RSX|RO3)_LA_Data_(\d{4})(\d{2})$")
OFSTED_SHEET = "Inspections_as_at_31_March"
LA_CLASSES = {"UA", "MD", "LB", "SC"}
ENGLAND_CLASS = "Eng"
SYMBOL_CELL = re.compile(r"^\[?\s*(c|k|low|u|x|z)\s*\]?$", re.IGNORECASE)
# A value not given: a note instead ([note 4]) or the file's own [n] (no estimate possible).
NOTE_CELL = re.compile(r"^\[(?:note \d+|n)\]$", re.IGNORECASE)
NUMBER_CELL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
LONDON, INNER, OUTER = "E12000007", "E13000001", "E13000002"
JUDGEMENTS = {"outstanding": "outstanding_count", "good": "good_count",
              "requires improvement to be good": "requires_improvement_count", "inadequate": "inadequate_count"}
LEADERS = "The impact of leaders on social work practice with children and families"
DATASETS = {"RSX": "rsx_revenue_outturn", "RO3": "ro3_revenue_outturn", "ofsted": "la_inspection_outcomes"}


def _wanted(name: str) -> bool:
    return name == OFSTED_SHEET or bool(OUTTURN_SHEET.match(name))


def ods_as_ees(path: Path) -> tuple[Table, str]:
    """The EES-shaped table of a recognised .ods file, and the dataset name it loads under."""
    sheets, seen = read_matching(path, _wanted)
    if OFSTED_SHEET in sheets:
        return _ofsted(path, sheets[OFSTED_SHEET]), DATASETS["ofsted"]
    for name, sheet in sheets.items():
        m = OUTTURN_SHEET.match(name)
        if m:
            return _outturn(path, sheet, m), DATASETS[m.group(1)]
    p = Problems()
    p.add(path.name, None, "sheet", ", ".join(seen) or "no sheets",
          f"a sheet named {OFSTED_SHEET} (Ofsted inspection outcomes) or RSX_LA_Data_YYYYZZ / RO3_LA_Data_YYYYZZ "
          "(MHCLG revenue outturn): the OpenDocument spreadsheets the DfE's dashboard reads")
    raise LoadRejected(p)


def _where(sheet: Sheet) -> str:
    return f"{sheet.file}, sheet '{sheet.name}'"


def _header(sheet: Sheet, column: int, text: str) -> int:
    for i, row in enumerate(sheet.rows):
        if len(row) > column and (row[column] or "").strip() == text:
            return i
    p = Problems()
    p.add(_where(sheet), None, column_letter(column), None,
          f"a header row with '{text}' in column {column_letter(column)}")
    raise LoadRejected(p)


def _table(sheet: Sheet, header_at: int) -> tuple[list[str], list[tuple[int, list]]]:
    """Header names and (sheet row number, cells) of the table under the header, down to the first
    blank row or a repeat of the header (the outturn sheets put a second table below)."""
    header = [(c or "").strip() for c in sheet.rows[header_at]]
    rows = []
    for i in range(header_at + 1, len(sheet.rows)):
        cells = sheet.rows[i]
        if not any(c is not None and c.strip() for c in cells) or [(c or "").strip() for c in cells] == header:
            break
        rows.append((i + 1, [(c.strip() if c is not None else None) or None for c in cells]
                     + [None] * max(len(header) - len(cells), 0)))
    return header, rows


def _number_cell(sheet: Sheet, row: int, col: int, header: str, cell: str | None, problems: Problems,
                 notes: list[str]) -> str | None:
    """A number as text, a symbol (x for [x]; x for [n] or a [note N] given instead of a value, counted
    in `notes`) or None for a blank; anything else is a problem."""
    if cell is None:
        return None
    if NOTE_CELL.match(cell):
        notes.append(cell)
        return "x"
    m = SYMBOL_CELL.match(cell)
    if m:
        return m.group(1).lower()
    if NUMBER_CELL.match(cell):
        return cell
    problems.add(_where(sheet), row, f"{column_letter(col)} ({header})", cell,
                 "a number (GBP thousand) or a suppression symbol such as [x]")
    return None


def _geography(codes: list[str | None]) -> tuple[list[str | None], list[str | None]]:
    ref = la_reference()
    region_of = {la.la_code: (la.region_code, la.region_name) for la in ref.by_code.values()}
    canon = pl.Series("c", codes, dtype=pl.String).to_frame().select(ref.canonical_expr("c")).to_series().to_list()
    regions = [region_of.get(c, (None, None)) if c else (None, None) for c in canon]
    return [r[0] for r in regions], [r[1] for r in regions]


def _ees(path: Path, la: pl.DataFrame, england: pl.DataFrame | None, indicators: list[str], period: str,
         identifier: str, notices: list[str], what: str) -> Table:
    """LA rows (ROW, new_la_code, la_name, region_code, region_name, indicators) plus England and
    the regional sums, as an EES table of text cells."""
    value = {c: pl.when(pl.col(c).is_in(["c", "k", "low", "u", "x", "z"])).then(0.0)
             .otherwise(pl.col(c).cast(pl.Float64, strict=False)) for c in indicators}
    with_region = la.filter(pl.col("region_code").is_not_null())
    inner_outer = with_region.filter(pl.col("region_code").is_in([INNER, OUTER]))
    parts = [with_region, inner_outer.with_columns(pl.lit(LONDON).alias("region_code"),
                                                   pl.lit("London").alias("region_name"))]
    regions = (pl.concat(parts).group_by("region_code", "region_name")
               .agg(*[value[c].sum().alias(c) for c in indicators]).sort("region_code")
               .with_columns(*[pl.col(c).cast(pl.String) for c in indicators],
                             pl.lit(None, dtype=pl.Int64).alias(ROW)))
    if england is None:
        england = la.select(*[value[c].sum().cast(pl.String).alias(c) for c in indicators]
                            ).with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW))
    common = {"time_period": pl.lit(period), "time_identifier": pl.lit(identifier),
              "country_code": pl.lit("E92000001"), "country_name": pl.lit("England"),
              "old_la_code": pl.lit(None, dtype=pl.String)}
    frames = [
        england.select(ROW, *[v.alias(k) for k, v in common.items()], pl.lit("National").alias("geographic_level"),
                       pl.lit(None, dtype=pl.String).alias("region_code"), pl.lit(None, dtype=pl.String).alias("region_name"),
                       pl.lit(None, dtype=pl.String).alias("new_la_code"), pl.lit(None, dtype=pl.String).alias("la_name"),
                       *indicators),
        regions.select(ROW, *[v.alias(k) for k, v in common.items()], pl.lit("Regional").alias("geographic_level"),
                       "region_code", "region_name", pl.lit(None, dtype=pl.String).alias("new_la_code"),
                       pl.lit(None, dtype=pl.String).alias("la_name"), *indicators),
        la.select(ROW, *[v.alias(k) for k, v in common.items()], pl.lit("Local authority").alias("geographic_level"),
                  "region_code", "region_name", "new_la_code", "la_name", *indicators),
    ]
    df = pl.concat([f.with_columns(pl.col(ROW).cast(pl.Int64)) for f in frames], how="vertical_relaxed")
    # Computed rows have no sheet row: number them after the sheet's last, so problems stay unique.
    last = int(la[ROW].max() or 0)
    df = df.with_columns(pl.coalesce(pl.col(ROW), pl.lit(last) + pl.int_range(1, pl.len() + 1)).alias(ROW))
    notices.append(f"{path.name}: read as {what}; regional rows are the sums of their LAs (x counted as 0), "
                   "as the DfE's dashboard computes them (Inner and Outer London, and London as their sum)")
    return Table(path, "ods", df, notices)


def _outturn(path: Path, sheet: Sheet, m: re.Match) -> Table:
    kind, first, second = m.group(1), int(m.group(2)), int(m.group(3))
    if (first + 1) % 100 != second:
        p = Problems()
        p.add(path.name, None, "sheet", sheet.name, "a sheet named for a financial year such as RSX_LA_Data_202425")
        raise LoadRejected(p)
    header_at = _header(sheet, 1, "ONS Code")
    header, rows = _table(sheet, header_at)
    col = {h: i for i, h in reversed(list(enumerate(header)))}
    problems = Problems()
    for need in ("ONS Code", "Local authority", "Class", "Certification"):
        if need not in col:
            problems.add(_where(sheet), header_at + 1, need, None, f"a column named '{need}' in the header row")
    if problems:
        raise LoadRejected(problems)
    first_value = col["Certification"] + 1
    indicators = [(i, h) for i, h in enumerate(header) if i >= first_value and h]
    names = [h for _, h in indicators]
    dupes = sorted({h for h in names if names.count(h) > 1})
    if dupes:
        problems.add(_where(sheet), header_at + 1, "header", ", ".join(dupes), "each column name to appear once")
        raise LoadRejected(problems)
    kept, skipped, england, notes = [], {}, None, []
    for row, cells in rows:
        cls = cells[col["Class"]]
        if cls not in LA_CLASSES and cls != ENGLAND_CLASS:
            skipped[cls or "blank"] = skipped.get(cls or "blank", 0) + 1
            continue
        values = [_number_cell(sheet, row, i, h, cells[i] if i < len(cells) else None, problems, notes)
                  for i, h in indicators]
        record = {ROW: row, "new_la_code": cells[col["ONS Code"]], "la_name": cells[col["Local authority"]],
                  **dict(zip(names, values))}
        if cls == ENGLAND_CLASS:
            england = record
        else:
            kept.append(record)
    if england is None:
        problems.add(_where(sheet), None, "Class", None, "a row of class Eng (England)")
    if not kept:
        problems.add(_where(sheet), None, "Class", None, "rows of local authorities (class UA, MD, LB or SC)")
    if problems:
        raise LoadRejected(problems)
    schema = {ROW: pl.Int64, "new_la_code": pl.String, "la_name": pl.String, **{n: pl.String for n in names}}
    la = pl.DataFrame(kept, schema=schema, orient="row")
    region_code, region_name = _geography(la["new_la_code"].to_list())
    la = la.with_columns(pl.Series("region_code", region_code, dtype=pl.String),
                         pl.Series("region_name", region_name, dtype=pl.String))
    notices = [f"{path.name}: skipped {sum(skipped.values()):,} row(s) of bodies without children's services ("
               + ", ".join(f"class {k}: {n:,}" for k, n in sorted(skipped.items())) + ")"] if skipped else []
    if notes:
        notices.append(f"{path.name}: {len(notes):,} cell(s) give a note or [n] ({', '.join(sorted(set(notes)))}) "
                       "instead of a value: stored as x (see the file's Notes sheet)")
    return _ees(path, la, pl.DataFrame([england], schema=schema, orient="row"), names,
                f"{first}{second:02d}", "Financial year", notices,
                f"MHCLG revenue outturn {kind} {first}-{second:02d} (sheet {sheet.name}, GBP thousand)")


def _ofsted(path: Path, sheet: Sheet) -> Table:
    header_at = _header(sheet, 0, "Web link")
    header, rows = _table(sheet, header_at)
    col = {h: i for i, h in reversed(list(enumerate(header)))}
    problems = Problems()
    for need in ("Local authority area code", "Local authority name", "Inspection date", LEADERS):
        if need not in col:
            problems.add(_where(sheet), header_at + 1, need, None, f"a column named '{need}' in the header row")
    if problems:
        raise LoadRejected(problems)
    kept, not_inspected, years = [], 0, []
    date_col, lead_col = col["Inspection date"], col[LEADERS]
    for row, cells in rows:
        date = cells[date_col]
        if date is not None and date.lower() == "not yet inspected":
            not_inspected += 1
            continue
        if date is None or not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
            problems.add(_where(sheet), row, f"{column_letter(date_col)} (Inspection date)", date or "",
                         "a date (a date cell, such as 10/07/2023) or 'Not yet inspected'")
            continue
        judgement = (cells[lead_col] or "").strip()
        count = JUDGEMENTS.get(judgement.lower())
        if count is None:
            problems.add(_where(sheet), row, f"{column_letter(lead_col)} ({LEADERS[:40]}...)", judgement,
                         "a judgement: Outstanding, Good, Requires improvement to be good or Inadequate")
            continue
        years.append(int(date[:4]))
        kept.append({ROW: row, "new_la_code": cells[col["Local authority area code"]],
                     "la_name": cells[col["Local authority name"]],
                     **{c: "1" if c == count else "0" for c in JUDGEMENTS.values()}})
    if not kept and not problems:
        problems.add(_where(sheet), None, LEADERS[:40], None, "at least one inspected local authority")
    if problems:
        raise LoadRejected(problems)
    schema = {ROW: pl.Int64, "new_la_code": pl.String, "la_name": pl.String, **{c: pl.String for c in JUDGEMENTS.values()}}
    la = pl.DataFrame(kept, schema=schema, orient="row")
    region_code, region_name = _geography(la["new_la_code"].to_list())
    la = la.with_columns(pl.Series("region_code", region_code, dtype=pl.String),
                         pl.Series("region_name", region_name, dtype=pl.String))
    notices = [f"{path.name}: skipped {not_inspected:,} local authorit{'y' if not_inspected == 1 else 'ies'} "
               "not yet inspected"] if not_inspected else []
    return _ees(path, la, None, list(JUDGEMENTS.values()), str(max(years)), "Reporting year", notices,
                f"Ofsted inspection outcomes (sheet {sheet.name}; the period is the year of the latest inspection, "
                "as the DfE dates it; England is the sum of the LAs)")
