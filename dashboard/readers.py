"""Read an input file (CSV, Excel .xlsx or Parquet) into a table of text cells.

Every cell is read as text, trimmed, with blanks as nulls, so that validation sees exactly
what the user's file says (a leading zero in a code, a '5.0' where 5 was expected). The user's
file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dashboard.problems import ROW, LoadRejected, Problems

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}


@dataclass
class Table:
    path: Path
    format: str
    df: pl.DataFrame  # text columns named as in the file (trimmed), plus ROW
    notices: list[str]

    @property
    def name(self) -> str:
        return self.path.name

    def columns(self) -> list[str]:
        return [c for c in self.df.columns if c != ROW]


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_format(path: Path, allowed: tuple[str, ...]) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in allowed:
        kinds = ", ".join(sorted({f".{a}" if a != "xlsx" else ".xlsx" for a in allowed}))
        raise _whole_file(path, f"a file ending in {kinds} (this kind of input accepts {', '.join(allowed)})",
                          value=path.suffix or "(no extension)", column=None)
    return fmt


def _whole_file(path: Path, expected: str, value: str | None = None, column: str | None = None) -> LoadRejected:
    p = Problems()
    p.add(path.name, None, column, value, expected)
    return LoadRejected(p)


def _first_bad_utf8_row(path: Path) -> tuple[int, int]:
    """Row (1-based line) and byte offset of the first invalid UTF-8 sequence."""
    line = 1
    offset = 0
    with path.open("rb") as fh:
        for raw in fh:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return line, offset + exc.start
            line += 1
            offset += len(raw)
    return line, offset


def _tidy(df: pl.DataFrame, path: Path, unique_header: bool = True) -> tuple[pl.DataFrame, list[str]]:
    notices: list[str] = []
    names = []
    for i, c in enumerate(df.columns):
        name = str(c).lstrip("\ufeff").strip()
        names.append(name if name else f"(unnamed column {i + 1})")
    lowered = [n.lower() for n in names]
    dupes = sorted({n for n in lowered if lowered.count(n) > 1})
    if dupes and unique_header:
        raise _whole_file(path, "each column name to appear once in the header row",
                          value=", ".join(dupes), column="header")
    df.columns = names
    df = df.with_columns(pl.all().cast(pl.String).str.strip_chars())
    df = df.with_columns(pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep())
    # Fully blank rows (often left at the bottom of spreadsheets) are dropped, not errors.
    blank = df.select(pl.all_horizontal(pl.all().is_null())).to_series()
    df = df.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    n_blank = int(blank.sum())
    if n_blank:
        df = df.filter(~blank)
        notices.append(f"{path.name}: skipped {n_blank} completely blank row(s)")
    return df, notices


def read_table(path: Path, allowed: tuple[str, ...] = ("csv",), sheet: str | None = None,
               unique_header: bool = True) -> Table:
    path = Path(path)
    if not path.exists():
        raise _whole_file(path, "a file that exists (check the path)", value=str(path))
    if path.is_dir():
        raise _whole_file(path, "a file, not a folder", value=str(path))
    fmt = file_format(path, allowed)
    try:
        if fmt == "csv":
            df = _read_csv(path, unique_header)
        elif fmt == "xlsx":
            df = _read_xlsx(path, sheet)
        else:
            df = pl.read_parquet(path)
    except LoadRejected:
        raise
    except Exception as exc:  # the reader's own words are the most precise we have
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _whole_file(path, f"a readable {fmt.upper()} file (the reader said: {msg})") from None
    if df.width == 0 or (df.height == 0 and fmt != "csv"):
        raise _whole_file(path, "a header row and at least one data row")
    df, notices = _tidy(df, path, unique_header)
    if df.height == 0:
        raise _whole_file(path, "at least one data row under the header")
    return Table(path, fmt, df, notices)


def _read_csv(path: Path, unique_header: bool = True) -> pl.DataFrame:
    with path.open("rb") as fh:
        head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _whole_file(path, "UTF-8 text (this file is UTF-16: save it as 'CSV UTF-8')")
    if unique_header:
        _check_csv_header(path)
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8",
                           raise_if_empty=True, truncate_ragged_lines=False)
    except pl.exceptions.NoDataError:
        raise _whole_file(path, "a header row and at least one data row (the file is empty)") from None
    except pl.exceptions.ComputeError as exc:
        text = str(exc)
        if "utf-8" in text.lower() or "utf8" in text.lower():
            row, offset = _first_bad_utf8_row(path)
            p = Problems()
            p.add(path.name, row, None, None,
                  f"UTF-8 text, but byte {offset} is not valid UTF-8 (save the file as 'CSV UTF-8')")
            raise LoadRejected(p) from None
        ragged = _first_ragged_row(path)
        if ragged:
            p = Problems()
            p.add(path.name, ragged[0], None, None,
                  f"{ragged[2]} fields like the header row, but this row has {ragged[1]} (a stray comma or quote?)")
            raise LoadRejected(p) from None
        raise


def _check_csv_header(path: Path) -> None:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        header = next(csv.reader(fh), [])
    lowered = [h.strip().lower() for h in header]
    dupes = sorted({h for h in lowered if h and lowered.count(h) > 1})
    if dupes:
        raise _whole_file(path, "each column name to appear once in the header row",
                          value=", ".join(dupes), column="header")


def _first_ragged_row(path: Path) -> tuple[int, int, int] | None:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        width = len(next(reader, []))
        for i, rec in enumerate(reader, start=2):
            if rec and len(rec) != width:
                return i, len(rec), width
    return None


def _read_xlsx(path: Path, sheet: str | None) -> pl.DataFrame:
    kwargs: dict = {"engine": "calamine", "infer_schema_length": 0, "drop_empty_rows": False, "drop_empty_cols": False}
    if sheet:
        kwargs["sheet_name"] = sheet
    else:
        kwargs["sheet_id"] = 1
    df = pl.read_excel(path, **kwargs)
    # Excel stores whole numbers as floats: show 2024 not 2024.0, as the user typed it.
    return df.with_columns(pl.all().cast(pl.String).str.replace(r"^(-?\d+)\.0$", "${1}"))
