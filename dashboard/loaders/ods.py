"""Read named sheets of an OpenDocument spreadsheet (.ods) into rows of text cells.

An .ods file is a zip holding content.xml; each sheet is a <table:table table:name="...">, each
row a <table:table-row>, each cell a <table:table-cell> (or <table:covered-table-cell> under a
merged cell). Rows and cells may say they repeat (table:number-rows-repeated,
table:number-columns-repeated): a spreadsheet pads every sheet to its full width and height that
way (16,384 columns), so repeated EMPTY cells and rows are only materialised when something
follows them; repeated cells with content are copied.

A cell's text is what the file stores as its value, not how it is displayed:
- float, percentage, currency: office:value (1234.5, never "£1,234.50");
- date: office:date-value, its date part (2023-07-10); time: office:time-value;
- boolean: office:boolean-value (true / false);
- string (or no type): office:string-value if present, else the text of its paragraphs, with
  <text:s/> as spaces, <text:tab/> as a tab and paragraphs joined by a line feed.

Only the stdlib is used (zipfile and xml.etree iterparse, streamed: the XML is never held whole).
The bytes parsed are those run_load hashed (dashboard.readers pins them); the user's file is only
read. Anything wrong (not a zip, no content.xml, damaged XML, a missing sheet, too large once
unzipped) is a LoadRejected naming the file and, where it can, the sheet, row and column.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.etree.ElementTree import ParseError, iterparse

from dashboard.problems import LoadRejected, Problems
from dashboard.readers import Limits, _input_for

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
T_TABLE, T_ROW = f"{{{TABLE}}}table", f"{{{TABLE}}}table-row"
T_CELL, T_COVERED = f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell"
A_NAME = f"{{{TABLE}}}name"
A_ROWS, A_COLS = f"{{{TABLE}}}number-rows-repeated", f"{{{TABLE}}}number-columns-repeated"
A_TYPE = f"{{{OFFICE}}}value-type"
VALUE_ATTR = {"float": "value", "percentage": "value", "currency": "value", "date": "date-value",
              "time": "time-value", "boolean": "boolean-value"}
P, SPACE, TAB, BREAK = f"{{{TEXT}}}p", f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"
MAX_ROWS = 1_048_576          # a spreadsheet's own limit


@dataclass
class Sheet:
    """One sheet: rows[i] is sheet row i + 1, a list of cells (None for an empty cell), trailing
    empty cells and rows left off. types[i][j] is the cell's office:value-type ('' if none)."""

    file: str
    name: str
    rows: list[list[str | None]]
    types: list[list[str]]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _reject(file: str, expected: str, row: int | None = None, column: str | None = None,
            value: str | None = None) -> LoadRejected:
    p = Problems()
    p.add(file, row, column, value, expected)
    return LoadRejected(p)


class _Capped(io.RawIOBase):
    """content.xml as unzipped, refused once larger than the limits allow (a zip bomb) and if it
    declares a DOCTYPE (entity expansion has no place in a spreadsheet)."""

    def __init__(self, raw, file: str, cap: int):
        self.raw, self.file, self.cap, self.total = raw, file, cap, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.raw.read(len(buffer))
        if self.total == 0 and b"<!DOCTYPE" in chunk[:4096]:
            raise _reject(self.file, "an OpenDocument spreadsheet without a DOCTYPE declaration "
                          "(content.xml declares one: the file was not saved by a spreadsheet program)")
        self.total += len(chunk)
        if self.total > self.cap:
            raise _reject(self.file, f"an OpenDocument spreadsheet that unzips to at most {self.cap // 1048576:,} MB "
                          "(set VOICE_MAX_XLSX_MB / VOICE_MAX_XLSX_RATIO to allow more)")
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _cell_text(cell) -> str | None:
    kind = cell.get(A_TYPE, "")
    attr = VALUE_ATTR.get(kind)
    if attr:
        value = cell.get(f"{{{OFFICE}}}{attr}")
        if value is not None:
            return value[:10] if kind == "date" and value[10:] in ("", "T00:00:00") else value
    value = cell.get(f"{{{OFFICE}}}string-value")
    if value is not None:
        return value
    paras = [_para_text(p) for p in cell.iter(P)]
    return "\n".join(paras) if paras else None


def _para_text(p) -> str:
    out = [p.text or ""]
    for child in p:
        if child.tag == SPACE:
            out.append(" " * int(child.get(f"{{{TEXT}}}c", "1") or 1))
        elif child.tag == TAB:
            out.append("\t")
        elif child.tag == BREAK:
            out.append("\n")
        else:
            out.append(_para_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _repeat(elem, attr: str, file: str, where: str) -> int:
    raw = elem.get(attr, "1")
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise _reject(file, f"a whole number of at least 1 in {attr.split('}')[1]}", column=where, value=raw)
    return n


def read_sheets(path: Path, names: list[str], limits: Limits | None = None) -> dict[str, Sheet]:
    """The named sheets of the .ods file at `path` (each must exist)."""
    sheets, seen = _read(Path(path), set(names), limits)
    missing = [n for n in names if n not in sheets]
    if missing:
        raise _reject(Path(path).name, f"a sheet named '{missing[0]}' (the file's sheets are: "
                      f"{', '.join(seen) or 'none'})", column="sheet", value=missing[0])
    return sheets


def sheet_names(path: Path, limits: Limits | None = None) -> list[str]:
    """The names of the sheets, in order (reads the whole content.xml, keeping no cells)."""
    return _read(Path(path), lambda name: False, limits)[1]


def read_matching(path: Path, want: Callable[[str], bool], limits: Limits | None = None) -> tuple[dict[str, Sheet], list[str]]:
    """The sheets whose name `want` accepts, and the names of all sheets (one pass)."""
    return _read(Path(path), want, limits)


def _read(path: Path, names: set[str] | Callable[[str], bool], limits: Limits | None
          ) -> tuple[dict[str, Sheet], list[str]]:
    limits = limits or Limits.from_env()
    item = _input_for(path, limits)
    f = path.name
    try:
        zf = zipfile.ZipFile(io.BytesIO(item.data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _reject(f, "an OpenDocument spreadsheet (.ods, a zip archive); this file is not one or is cut short "
                      "(open it in a spreadsheet program and save it again as .ods)") from None
    with zf:
        members = set(zf.namelist())
        if "content.xml" not in members:
            raise _reject(f, "an OpenDocument spreadsheet with a content.xml part (this zip has none)")
        if "mimetype" in members:
            mime = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
            if mime != MIMETYPE:
                raise _reject(f, f"an OpenDocument spreadsheet ({MIMETYPE})", column="mimetype", value=mime)
        cap = int(min(limits.xlsx_mb * 1024 * 1024, max(limits.xlsx_ratio * len(item.data), 16 * 1024 * 1024)))
        try:
            with zf.open("content.xml") as raw:
                stream = io.BufferedReader(_Capped(raw, f, cap), 1 << 20)
                return _parse(stream, f, names, limits)
        except LoadRejected:
            raise
        except ParseError as exc:
            line, col = exc.position
            raise _reject(f, f"well-formed content.xml (damaged at line {line}, character {col}: "
                          f"{str(exc).split(':')[0]}); save the file again as .ods") from None
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
            raise _reject(f, f"an OpenDocument spreadsheet that is not damaged or encrypted "
                          f"(content.xml: {str(exc)[:120]})") from None


def _parse(stream, f: str, wanted: set[str] | Callable[[str], bool], limits: Limits) -> tuple[dict[str, Sheet], list[str]]:
    sheets: dict[str, Sheet] = {}
    seen: list[str] = []
    want = wanted.__contains__ if isinstance(wanted, set) else wanted
    current: Sheet | None = None
    row: list[str | None] = []
    types: list[str] = []
    gap_cells = 0          # empty cells not yet materialised in this row
    gap_rows = 0           # empty rows not yet materialised in this sheet
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == T_TABLE:
                name = elem.get(A_NAME, "")
                seen.append(name)
                current = Sheet(f, name, [], []) if want(name) else None
                gap_rows = 0
            elif tag == T_ROW:
                row, types, gap_cells = [], [], 0
            continue
        if current is None:
            if tag in (T_ROW, T_TABLE):
                elem.clear()
            continue
        if tag in (T_CELL, T_COVERED):
            n = _repeat(elem, A_COLS, f, f"sheet '{current.name}' row {len(current.rows) + gap_rows + 1}")
            text = _cell_text(elem) if tag == T_CELL else None
            if text is None or text == "":
                gap_cells += n
            else:
                if len(row) + gap_cells + n > limits.columns:
                    raise _reject(f, f"at most {limits.columns:,} columns in sheet '{current.name}' "
                                  "(set VOICE_MAX_COLUMNS to allow more)", row=len(current.rows) + gap_rows + 1,
                                  column=column_letter(min(len(row) + gap_cells, 18277)))
                row.extend([None] * gap_cells + [text] * n)
                types.extend([""] * gap_cells + [elem.get(A_TYPE, "")] * n)
                gap_cells = 0
            elem.clear()
        elif tag == T_ROW:
            n = _repeat(elem, A_ROWS, f, f"sheet '{current.name}' row {len(current.rows) + gap_rows + 1}")
            if not row:
                gap_rows += n
            else:
                if len(current.rows) + gap_rows + n > MAX_ROWS:
                    raise _reject(f, f"at most {MAX_ROWS:,} rows in sheet '{current.name}'")
                current.rows.extend([[] for _ in range(gap_rows)])
                current.types.extend([[] for _ in range(gap_rows)])
                current.rows.extend(list(row) for _ in range(n))
                current.types.extend(list(types) for _ in range(n))
                gap_rows = 0
            elem.clear()
        elif tag == T_TABLE:
            sheets[current.name] = current
            current = None
            elem.clear()
    # The whole of content.xml is parsed even when the sheets wanted came first: a file damaged
    # anywhere is refused, never half read.
    return sheets, seen

