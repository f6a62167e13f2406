"""Read an input file (CSV, Excel .xlsx or Parquet) into a table of text cells.

Every cell is read as text, trimmed, with blanks as nulls, so that validation sees exactly
what the user's file says (a leading zero in a code, a '5.0' where 5 was expected). The user's
file is only ever opened for reading.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import polars as pl

from dashboard.problems import ROW, LoadRejected, Problems, UserError

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}

# Characters no survey answer, quote or code contains: NUL and the C0 controls except tab, line
# feed and carriage return (which quoted cells may hold), and DEL. A file holding them is
# corrupt or crafted, and they would reach pages and reports if stored.
CONTROL_CHARS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"
# Parquet column types the loaders can read as text; anything else (lists, structs, binary ...)
# is refused by name rather than failing in a cast deep inside a loader.
_PLAIN_DTYPES = (pl.String, pl.Boolean, pl.Date, pl.Datetime, pl.Categorical, pl.Enum, pl.Null, pl.Decimal,
                 pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64,
                 pl.Float32, pl.Float64)


_CONTROL_BYTES = re.compile(CONTROL_CHARS.encode("ascii"))
# The same bytes as one string for bytes.translate: deleting them and comparing lengths is one pass
# in C, three times faster than the regular expression over every chunk of a large file.
_CONTROL_SET = bytes(b for b in range(256) if _CONTROL_BYTES.fullmatch(bytes([b])))
MAX_NAME_CHARS = 200
_ANY_TEXT = re.compile(rb"[^\xef\xbb\xbf \t\r\n]")
# The csv module (used to find a ragged row) must take any field polars took; the cell limit
# itself is checked on the parsed table, with row and column.
csv.field_size_limit(1 << 30)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"{name}={raw!r} is not a number (unset it to use the default, {default:g})") from None
    if value <= 0:
        raise UserError(f"{name}={raw!r} must be more than 0 (unset it to use the default, {default:g})")
    return value


@dataclass(frozen=True)
class Limits:
    """What an input file may hold. The defaults are far above any real survey, DfE or record
    file and far below what would exhaust the machine; each can be set in the environment."""

    file_mb: float = 1024           # VOICE_MAX_FILE_MB: the file on disk
    cell_chars: int = 32_767        # VOICE_MAX_CELL_CHARS: one cell (Excel's own limit)
    columns: int = 1_000            # VOICE_MAX_COLUMNS: columns in the header
    xlsx_mb: float = 512            # VOICE_MAX_XLSX_MB: an .xlsx file's content once unzipped
    xlsx_ratio: float = 200         # VOICE_MAX_XLSX_RATIO: unzipped size / file size (zip bombs)

    @classmethod
    def from_env(cls) -> "Limits":
        d = cls()
        return cls(file_mb=_env_number("VOICE_MAX_FILE_MB", d.file_mb),
                   cell_chars=int(_env_number("VOICE_MAX_CELL_CHARS", d.cell_chars)),
                   columns=int(_env_number("VOICE_MAX_COLUMNS", d.columns)),
                   xlsx_mb=_env_number("VOICE_MAX_XLSX_MB", d.xlsx_mb),
                   xlsx_ratio=_env_number("VOICE_MAX_XLSX_RATIO", d.xlsx_ratio))


@dataclass
class Table:
    path: Path
    format: str
    df: pl.DataFrame  # text columns named as in the file (trimmed), plus ROW
    notices: list[str]
    digest: str = ""  # SHA-256 of exactly the bytes parsed into df

    @property
    def name(self) -> str:
        return self.path.name

    def columns(self) -> list[str]:
        return [c for c in self.df.columns if c != ROW]


@dataclass(frozen=True)
class InputBytes:
    """A file's bytes, read once: what is hashed is what is parsed."""

    path: Path
    data: bytes
    digest: str


# The bytes run_load has already read and hashed, by path, so that read_table parses those very
# bytes (never a second read that could see a file replaced in between).
_PINNED: ContextVar[dict[str, InputBytes] | None] = ContextVar("voice_pinned_inputs", default=None)


@contextmanager
def pinned(item: InputBytes) -> Iterator[None]:
    current = dict(_PINNED.get() or {})
    current[str(item.path)] = item
    token = _PINNED.set(current)
    try:
        yield
    finally:
        _PINNED.reset(token)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input(path: Path, limits: Limits | None = None) -> InputBytes:
    """The bytes of the file at exactly this path (no pattern such as * or [1] is expanded),
    refusing what is not a regular file and what is larger than the limit."""
    path = Path(path)
    limits = limits or Limits.from_env()
    cap = _size_checked(path, limits)
    with _open_regular(path) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise _whole_file(path, f"a file of at most {limits.file_mb:g} MB (set VOICE_MAX_FILE_MB to allow larger files)")
    return InputBytes(path, data, hashlib.sha256(data).hexdigest())


def _size_checked(path: Path, limits: Limits) -> int:
    """The byte limit, after refusing what is missing, not a regular file or larger than it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _whole_file(path, "a file that exists (check the path)", value=str(path)) from None
    except OSError as exc:
        raise _whole_file(path, f"a file that can be read ({exc.strerror})", value=str(path)) from None
    if not stat.S_ISREG(st.st_mode):
        raise _whole_file(path, f"a regular file, but this is {_kind_of(st.st_mode)} (not a regular file)",
                          value=str(path))
    cap = int(limits.file_mb * 1024 * 1024)
    if st.st_size > cap:
        raise _whole_file(path, f"a file of at most {limits.file_mb:g} MB (this one is {st.st_size / 1048576:,.1f} MB; "
                          "set VOICE_MAX_FILE_MB to allow larger files)")
    return cap


@contextmanager
def _open_regular(path: Path) -> Iterator[io.BufferedReader]:
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _whole_file(path, f"a file that can be read ({exc.strerror})", value=str(path)) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise _whole_file(path, "a regular file (it changed while being opened)", value=str(path))
        yield fh


@dataclass(frozen=True)
class CopiedInput:
    """A file copied, in chunks, to a private file while its bytes are hashed: what is hashed is
    what is parsed (the copy), and the file is never held whole in memory. `head` is the start of
    the file (enough for its header line), and the flags are what the CSV reader checks on the
    whole text before parsing."""

    path: Path
    copy: Path
    digest: str
    size: int
    head: bytes
    any_text: bool
    has_cr: bool
    has_lf: bool
    empty_line: bool      # a line with nothing on it before the end (polars and DuckDB number rows after it differently)
    has_control: bool     # a byte of CONTROL_CHARS anywhere (UTF-8 never uses these bytes inside a character)
    bare_cr: bool         # a carriage return not followed by a line feed (DuckDB would end a line there)


def copy_input(path: Path, folder: Path, limits: Limits | None = None, head_bytes: int = 1 << 20) -> CopiedInput:
    """read_input's checks and hash, streaming the bytes into a private copy in `folder`."""
    path = Path(path)
    limits = limits or Limits.from_env()
    cap = _size_checked(path, limits)
    copy = Path(folder) / "input.csv"
    sha = hashlib.sha256()
    size = 0
    head = b""
    any_text = has_cr = has_lf = has_control = bare_cr = False
    first_empty: int | None = None   # offset of the first empty line
    last_text = -1                   # offset of the last byte that is not a line end
    tail = carry = b""
    with _open_regular(path) as fh, open(copy, "xb") as out:
        while chunk := fh.read(1 << 22):
            start = size
            size += len(chunk)
            if size > cap:
                raise _whole_file(path, f"a file of at most {limits.file_mb:g} MB (set VOICE_MAX_FILE_MB to allow larger files)")
            sha.update(chunk)
            out.write(chunk)
            if len(head) < head_bytes:
                head += chunk[:head_bytes - len(head)]
            any_text = any_text or _ANY_TEXT.search(chunk) is not None
            has_cr = has_cr or b"\r" in chunk
            has_lf = has_lf or b"\n" in chunk
            has_control = has_control or len(chunk.translate(None, _CONTROL_SET)) != len(chunk)
            if carry.endswith(b"\r") and not chunk.startswith(b"\n"):
                bare_cr = True
            if b"\r" in chunk:
                bare_cr = bare_cr or chunk.count(b"\r") - chunk.count(b"\r\n") - chunk.endswith(b"\r") > 0
            carry = chunk[-2:]
            if first_empty is None:
                joined = tail + chunk
                # (a line end with a carriage return only where the file has one: one pass fewer)
                found = [i for i in (joined.find(b"\n\n"), joined.find(b"\n\r\n") if b"\r" in joined else -1)
                         if i >= 0]
                if found:
                    first_empty = start - len(tail) + min(found)
                tail = joined[-2:]
            kept = len(chunk.rstrip(b"\r\n"))
            if kept:
                last_text = start + kept - 1
    # An empty line in the run of line ends that closes the file is no row in either reader.
    empty_line = first_empty is not None and last_text > first_empty
    bare_cr = bare_cr or carry.endswith(b"\r")
    return CopiedInput(path, copy, sha.hexdigest(), size, head, any_text, has_cr, has_lf, empty_line, has_control,
                       bare_cr)


def csv_prechecks(path: Path, head: bytes, any_text: bool, has_cr: bool, has_lf: bool) -> None:
    """What _read_csv refuses before parsing, from the file's start and facts about all of it."""
    if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise _whole_file(path, "UTF-8 text (this file is UTF-32: save it as 'CSV UTF-8')")
    first = head[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(first) >= 16 and first.count(b"\x00") * 3 >= len(first)):
        # A BOM, or a NUL in every other byte: UTF-16 (Excel's "Unicode Text").
        raise _whole_file(path, "UTF-8 text (this file is UTF-16: save it as 'CSV UTF-8')")
    if not any_text:
        raise _whole_file(path, "a header row and at least one data row (the file is empty)")
    if has_cr and not has_lf:
        raise _whole_file(path, "lines ending in a line feed, as Windows, Mac and Linux write them (this file "
                          "ends its lines with a carriage return only, as very old Mac programs did): "
                          "save it again as 'CSV UTF-8'", row=1)


def _input_for(path: Path, limits: Limits) -> InputBytes:
    item = (_PINNED.get() or {}).get(str(path))
    return item if item is not None else read_input(path, limits)


def file_hash(path: Path) -> str:
    return read_input(path).digest


def file_format(path: Path, allowed: tuple[str, ...]) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in allowed:
        kinds = ", ".join(sorted({f".{a}" if a != "xlsx" else ".xlsx" for a in allowed}))
        raise _whole_file(path, f"a file ending in {kinds} (this kind of input accepts {', '.join(allowed)})",
                          value=path.suffix or "(no extension)", column=None)
    return fmt


def _whole_file(path: Path, expected: str, value: str | None = None, column: str | None = None,
                row: int | None = None) -> LoadRejected:
    p = Problems()
    p.add(Path(path).name, row, column, value, expected)
    return LoadRejected(p)


def _first_bad_utf8_row(data: bytes) -> tuple[int, int]:
    """Row (1-based line) and byte offset of the first invalid UTF-8 sequence."""
    line = 1
    offset = 0
    for raw in io.BytesIO(data):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return line, offset + exc.start
        line += 1
        offset += len(raw)
    return line, offset


def _header_names(df: pl.DataFrame) -> list[str]:
    names = []
    for i, c in enumerate(df.columns):
        name = str(c).lstrip("\ufeff").strip()
        names.append(name if name else f"(unnamed column {i + 1})")
    return names


def _check_header(names: list[str], path: Path, limits: Limits, unique_header: bool) -> None:
    if len(names) > limits.columns:
        raise _whole_file(path, f"at most {limits.columns:,} columns (this file has {len(names):,}; "
                          "set VOICE_MAX_COLUMNS to allow more)", column="header", row=1)
    p = Problems()
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            p.add(path.name, 1, name[:40] + "...", None, f"a column name of at most {MAX_NAME_CHARS} characters")
        elif any(ch < " " and ch not in "\t" or ch == "\x7f" for ch in name):
            p.add(path.name, 1, name.encode("unicode_escape").decode("ascii"), None,
                  "a column name without control characters or NUL bytes")
    if p:
        raise LoadRejected(p)
    lowered = [n.lower() for n in names]
    dupes = sorted({n for n in lowered if lowered.count(n) > 1})
    if dupes and unique_header:
        raise _whole_file(path, "each column name to appear once in the header row",
                          value=", ".join(dupes), column="header")


def _check_cells(df: pl.DataFrame, path: Path, limits: Limits) -> None:
    """Every cell short enough and free of control characters: one pass per column (linear)."""
    p = Problems()
    for c in df.columns:
        if c == ROW:
            continue
        v = pl.col(c)
        long = df.filter(v.str.len_chars() > limits.cell_chars).select(
            ROW, (pl.lit(f"a cell of ") + v.str.len_chars().cast(pl.String) + pl.lit(" characters")).alias("__v"))
        p.add_rows(path.name, long, c, f"a cell of at most {limits.cell_chars:,} characters "
                   "(set VOICE_MAX_CELL_CHARS to allow longer cells)", value_column="__v")
        ctrl = df.filter(v.str.contains(CONTROL_CHARS)).select(
            ROW, v.str.extract("(" + CONTROL_CHARS + ")", 1).alias("__c"))
        ctrl = ctrl.with_columns(pl.col("__c").map_elements(lambda ch: f"character U+{ord(ch[0]):04X}",
                                                             return_dtype=pl.String))
        p.add_rows(path.name, ctrl, c, "text without NUL bytes or control characters (the file may be corrupt, "
                   "or saved by a program that adds hidden characters)", value_column="__c")
    if p:
        raise LoadRejected(p)


def _tidy(df: pl.DataFrame, path: Path, unique_header: bool = True,
          limits: Limits | None = None) -> tuple[pl.DataFrame, list[str]]:
    limits = limits or Limits.from_env()
    notices: list[str] = []
    names = _header_names(df)
    _check_header(names, path, limits, unique_header)
    df.columns = names
    df = df.with_columns(pl.all().cast(pl.String).str.strip_chars())
    df = df.with_columns(pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep())
    # Fully blank rows (often left at the bottom of spreadsheets) are dropped, not errors.
    blank = df.select(pl.all_horizontal(pl.all().is_null())).to_series()
    df = df.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    _check_cells(df, path, limits)
    n_blank = int(blank.sum())
    if n_blank:
        df = df.filter(~blank)
        notices.append(f"{path.name}: skipped {n_blank} completely blank row(s)")
    return df, notices


def read_table(path: Path, allowed: tuple[str, ...] = ("csv",), sheet: str | None = None,
               unique_header: bool = True, limits: Limits | None = None) -> Table:
    """Read the file at exactly `path` (never a pattern) into text cells. Any problem, whatever
    the reader's library says, becomes a LoadRejected naming the file."""
    path = Path(path)
    limits = limits or Limits.from_env()
    fmt = file_format(path, allowed)
    item = _input_for(path, limits)
    try:
        if fmt == "csv":
            df = _read_csv(item.data, path, unique_header, limits)
        elif fmt == "xlsx":
            df = _read_xlsx(item.data, path, sheet, limits, unique_header)
        else:
            df = _read_parquet(item.data, path, limits)
        if df.width == 0 or (df.height == 0 and fmt != "csv"):
            raise _whole_file(path, "a header row and at least one data row")
        df, notices = _tidy(df, path, unique_header, limits)
    except LoadRejected:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the reader's own words are the most precise we have
        # BaseException: a panic inside a Rust reader arrives as pyo3's PanicException.
        msg = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise _whole_file(path, f"a readable {fmt.upper()} file (the reader said: {msg})") from None
    if df.height == 0:
        raise _whole_file(path, "at least one data row under the header")
    return Table(path, fmt, df, notices, item.digest)


def _read_csv(data: bytes, path: Path, unique_header: bool, limits: Limits) -> pl.DataFrame:
    # A search, not a strip: no copy of a large file.
    csv_prechecks(path, data[:4096], _ANY_TEXT.search(data) is not None, b"\r" in data, b"\n" in data)
    _check_csv_header(data, path, unique_header, limits)
    try:
        # Bytes, never the path: polars would expand * ? [ ] in a path as a pattern.
        return pl.read_csv(data, infer_schema=False, encoding="utf8",
                           raise_if_empty=True, truncate_ragged_lines=False)
    except pl.exceptions.NoDataError:
        raise _whole_file(path, "a header row and at least one data row (the file is empty)") from None
    except pl.exceptions.ComputeError as exc:
        text = str(exc)
        if "utf-8" in text.lower() or "utf8" in text.lower():
            row, offset = _first_bad_utf8_row(data)
            p = Problems()
            p.add(path.name, row, None, None,
                  f"UTF-8 text, but byte {offset} is not valid UTF-8 (save the file as 'CSV UTF-8')")
            raise LoadRejected(p) from None
        ragged = _first_ragged_row(data)
        if ragged:
            p = Problems()
            p.add(path.name, ragged[0], None, None,
                  f"{ragged[2]} fields like the header row, but this row has {ragged[1]} (a stray comma or quote?)")
            raise LoadRejected(p) from None
        raise


def _text(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline="")


def _check_csv_header(data: bytes, path: Path, unique_header: bool, limits: Limits) -> None:
    # The header line alone, so that a huge or endless first line costs one bounded pass.
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    if len(first) > limits.columns * (MAX_NAME_CHARS + 3):
        raise _whole_file(path, f"a header row of at most {limits.columns:,} column names of at most {MAX_NAME_CHARS} "
                          f"characters each (the first line is {len(first):,} bytes long)", row=1)
    header = next(csv.reader(_text(first)), [])
    if len(header) > limits.columns:
        raise _whole_file(path, f"at most {limits.columns:,} columns (this file has {len(header):,}; "
                          "set VOICE_MAX_COLUMNS to allow more)", column="header", row=1)
    lowered = [h.strip().lower() for h in header]
    dupes = sorted({h for h in lowered if h and lowered.count(h) > 1})
    if dupes and unique_header:
        raise _whole_file(path, "each column name to appear once in the header row",
                          value=", ".join(dupes), column="header")


def _first_ragged_row(data: bytes) -> tuple[int, int, int] | None:
    reader = csv.reader(_text(data))
    try:
        width = len(next(reader, []))
        for i, rec in enumerate(reader, start=2):
            if rec and len(rec) != width:
                return i, len(rec), width
    except csv.Error:
        return None
    return None


_CONTINUATION = bytes(range(0x80, 0xC0))
_ENTITY = re.compile(rb"&[^;&<]{1,32};")
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]{0,64})([^<>]{0,4096})>")   # bounded: linear on any input
_ATTR_R = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ATTR_T = re.compile(rb'\st="([a-zA-Z]+)"')
_XML_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def _text_chars(text: bytes) -> int:
    """Characters in XML text (UTF-8, with entities such as &amp; counting as one)."""
    n = len(text.translate(None, _CONTINUATION))
    return n - sum(len(m) - 1 for m in _ENTITY.findall(text))


class _CellTexts:
    """One pass over a worksheet or the shared-strings part, counting the characters of each
    cell's value (the text of its <v> and <t> elements, not formulas or phonetic guides) without
    keeping it. It also keeps the first row's short texts (the column names), the shared-text
    numbers of the cells asked for in `wanted`, and the texts of shared texts in `keep`."""

    def __init__(self, shared: bool, ceiling: int, wanted: frozenset = frozenset(), keep: frozenset = frozenset()):
        self.shared, self.ceiling, self.wanted, self.keep = shared, ceiling, wanted, keep
        self.carry = b""
        self.where = None                    # (column letters, row) of a cell, or a shared text's number
        self.si = -1
        self.n = 0
        self.counting = self.in_rph = self.cell_is_shared = False
        self.text = b""                      # the start of the value (a shared number, a column name)
        self.first_row: int | None = None
        self.long: list[tuple] = []          # (where, characters) of values over the ceiling
        self.refs: dict[int, tuple] = {}     # shared number in `wanted` -> (letters, row) of a cell showing it
        self.header: dict[str, tuple] = {}   # letters -> ("text", bytes) or ("shared", number)
        self.kept: dict[int, bytes] = {}     # shared number in `keep` -> its text's start

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        pos = 0
        for m in _TAG.finditer(data):
            self._text(data[pos:m.start()])
            self._tag(m.group(1) == b"/", m.group(2), m.group(3))
            pos = m.end()
        rest = data[pos:]
        lt = rest.find(b"<")
        if lt < 0:                             # text up to the end; keep a cut entity for later
            amp = rest.rfind(b"&")
            cut = amp >= 0 and b";" not in rest[amp:] and len(rest) - amp <= 32
            self._text(rest[:amp] if cut else rest)
            self.carry = rest[amp:] if cut else b""
        else:                                  # a tag cut by the chunk: keep it (tags are short)
            self._text(rest[:lt])
            self.carry = rest[lt:] if len(rest) - lt <= 1 << 20 else b""

    def _text(self, text: bytes) -> None:
        if text and self.counting and not self.in_rph:
            self.n += _text_chars(text)
            if len(self.text) < 1000:
                self.text += text[:1000]

    def _tag(self, closing: bool, name: bytes, attrs: bytes) -> None:
        name = name.rsplit(b":", 1)[-1]
        empty = attrs.endswith(b"/")
        if name == (b"si" if self.shared else b"c"):
            self._end()
            if not closing:
                if self.shared:
                    self.si += 1
                    self.where = self.si
                else:
                    r, t = _ATTR_R.search(attrs), _ATTR_T.search(attrs)
                    self.where = (r.group(1).decode(), int(r.group(2))) if r else None
                    self.cell_is_shared = bool(t and t.group(1) == b"s")
                if empty:
                    self._end()
        elif name in (b"t", b"v"):
            self.counting = not closing and not empty
        elif name == b"rPh":
            self.in_rph = not closing and not empty

    def _end(self) -> None:
        w = self.where
        if w is not None:
            if self.n > self.ceiling:
                self.long.append((w, self.n))
            if self.shared:
                if w in self.keep:
                    self.kept[w] = self.text
            else:
                number = int(self.text) if self.cell_is_shared and self.text.strip().isdigit() else None
                if number is not None and number in self.wanted and number not in self.refs:
                    self.refs[number] = w
                if self.first_row is None:
                    self.first_row = w[1]
                if w[1] == self.first_row:
                    self.header[w[0]] = ("shared", number) if self.cell_is_shared else ("text", self.text)
        self.where, self.n, self.text, self.cell_is_shared, self.counting = None, 0, b"", False, False


def _xml_tags(zf: zipfile.ZipFile, name: str, tag: str) -> list[dict[str, str]]:
    """The attributes of each <tag> in a small XML part (read at most 1 MB of it)."""
    from xml.sax.saxutils import unescape

    with zf.open(name) as fh:
        text = fh.read(1 << 20).decode("utf-8", "replace")
    return [{k.rsplit(":", 1)[-1] if k != "xmlns" else k: unescape(v, {"&quot;": '"', "&apos;": "'"})
             for k, v in _XML_ATTR.findall(m.group(1))}
            for m in re.finditer(r"<(?:\w+:)?" + tag + r"\b([^<>]*)>", text)]


def _cell_parts(zf: zipfile.ZipFile, sheet: str | None) -> tuple[str | None, str | None]:
    """The parts the Excel reader will read: the sheet (by name, else the first) and the shared
    texts, as the workbook's relationships name them. None where they cannot be worked out."""
    names = set(zf.namelist())
    try:
        sheets = _xml_tags(zf, "xl/workbook.xml", "sheet")
        rels = {r.get("Id"): r for r in _xml_tags(zf, "xl/_rels/workbook.xml.rels", "Relationship")}
    except KeyError:
        return None, None

    def part(target: str | None) -> str | None:
        if not target:
            return None
        name = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return name if name in names else None

    chosen = next((s for s in sheets if sheet is None or s.get("name") == sheet), None)
    shared = next((r.get("Target") for r in rels.values() if str(r.get("Type", "")).endswith("/sharedStrings")), None)
    return part(rels.get(chosen.get("id"), {}).get("Target")) if chosen else None, part(shared)


def _refuse_huge_xlsx_cells(zf: zipfile.ZipFile, path: Path, sheet: str | None, limits: Limits) -> None:
    """A cell far over the cell limit is refused from the unzipped XML, before the Excel reader
    builds it in memory (a 100 MB cell cost over 1 GB there). Cells up to four times the limit
    are left to the exact check after reading (which measures them without surrounding spaces)."""
    ceiling = 4 * limits.cell_chars
    sheet_part, shared_part = _cell_parts(zf, sheet)
    if sheet_part is None:
        return              # the reader will find its own words for this workbook

    def scan(name: str, shared: bool, **kw) -> _CellTexts:
        cells = _CellTexts(shared, ceiling, **kw)
        with zf.open(name) as fh:
            while chunk := fh.read(1 << 20):
                cells.feed(chunk)
        cells._end()
        return cells

    cells = scan(sheet_part, False)
    texts = scan(shared_part, True, keep=frozenset(
        v for k, v in cells.header.values() if k == "shared" and v is not None)) if shared_part else None
    refs = {}
    if texts and texts.long:
        refs = scan(sheet_part, False, wanted=frozenset(i for i, _ in texts.long[:50])).refs

    def column(letters: str) -> str:
        kind, value = cells.header.get(letters, ("text", b""))
        raw = texts.kept.get(value, b"") if kind == "shared" and texts else (value or b"")
        from xml.sax.saxutils import unescape
        name = unescape(raw.decode("utf-8", "replace")).lstrip("\ufeff").strip()
        return (name if len(name) <= MAX_NAME_CHARS else name[:40] + "...") or letters

    p = Problems()
    expected = (f"a cell of at most {limits.cell_chars:,} characters (set VOICE_MAX_CELL_CHARS to allow "
                "longer cells)")
    for (letters, row), n in cells.long:
        if row == cells.first_row:      # a column name: found by its column's letters
            p.add(path.name, row, letters, f"a column name of {n} characters",
                  f"a column name of at most {MAX_NAME_CHARS} characters")
        else:
            p.add(path.name, row, column(letters), f"a cell of {n} characters", expected)
    for number, n in (texts.long if texts else []):
        if number in refs:
            p.add(path.name, refs[number][1], column(refs[number][0]), f"a cell of {n} characters", expected)
        else:
            p.add(path.name, None, None, f"a text of {n} characters in the workbook's shared texts", expected)
    if p:
        raise LoadRejected(p)


def _check_xlsx_zip(data: bytes, path: Path, limits: Limits, sheet: str | None = None) -> None:
    """Unzip every part once, counting, and stop as soon as the total is too large: a zip bomb
    saved as .xlsx is refused before the Excel reader builds it in memory."""
    cap = int(limits.xlsx_mb * 1024 * 1024)
    ratio_cap = max(limits.xlsx_ratio * len(data), 16 * 1024 * 1024)  # tiny files have odd ratios
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _whole_file(path, "an Excel workbook (.xlsx); this file is not one (open it in Excel and "
                          "save it again as .xlsx)") from None
    with zf:
        members = zf.infolist()
        if len(members) > 10_000:
            raise _whole_file(path, f"an Excel workbook of at most 10,000 parts (this one has {len(members):,})")
        total = 0
        ceiling = 4 * limits.cell_chars      # bytes: a longer run of text is looked at closely
        window = max(ceiling // 2, 4096)
        suspect = False                      # a part holds a run of text over the ceiling
        for info in members:
            cell_part = info.filename.lower().endswith(".xml")
            run = 0                              # bytes since the last '<': text a cell may hold
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(1 << 20):
                        total += len(chunk)
                        if cell_part and not suspect:
                            first = chunk.find(b"<")
                            if first < 0:
                                run += len(chunk)
                            else:
                                # A run longer than the ceiling inside the chunk holds a whole
                                # window of half its length (windows at steps of that length).
                                suspect = run + first > ceiling or any(
                                    chunk.find(b"<", k, k + window) < 0
                                    for k in range(first, len(chunk) - window + 1, window))
                                run = len(chunk) - chunk.rfind(b"<") - 1
                            suspect = suspect or run > ceiling
                        if total > cap:
                            raise _whole_file(path, f"an Excel workbook of at most {limits.xlsx_mb:g} MB once unzipped "
                                              "(set VOICE_MAX_XLSX_MB to allow more)")
                        if total > ratio_cap:
                            raise _whole_file(path, f"an Excel workbook that unzips to at most {limits.xlsx_ratio:g} "
                                              "times its size (this one unzips to more: it may be a zip bomb; "
                                              "set VOICE_MAX_XLSX_RATIO to allow more)")
            except LoadRejected:
                raise
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, ValueError) as exc:
                raise _whole_file(path, f"an Excel workbook that is not damaged or password-protected "
                                  f"(part {info.filename[:80]!r}: {str(exc)[:120]})") from None
        if suspect:
            try:
                _refuse_huge_xlsx_cells(zf, path, sheet, limits)
            except LoadRejected:
                raise
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, ValueError) as exc:
                raise _whole_file(path, f"an Excel workbook that is not damaged ({str(exc)[:120]})") from None


def _read_xlsx(data: bytes, path: Path, sheet: str | None, limits: Limits,
               unique_header: bool = True) -> pl.DataFrame:
    _check_xlsx_zip(data, path, limits, sheet)
    # has_header=False: the reader would quietly rename a repeated column name; it is read as
    # the sheet's first row instead, so a repeat is refused like in a CSV file.
    kwargs: dict = {"engine": "calamine", "infer_schema_length": 0, "drop_empty_rows": False,
                    "drop_empty_cols": False, "has_header": False}
    if sheet:
        kwargs["sheet_name"] = sheet
    else:
        kwargs["sheet_id"] = 1
    df = pl.read_excel(io.BytesIO(data), **kwargs)
    if df.width > limits.columns:
        raise _whole_file(path, f"at most {limits.columns:,} columns (this sheet has {df.width:,}; "
                          "set VOICE_MAX_COLUMNS to allow more)", column="header", row=1)
    # Excel stores whole numbers as floats: show 2024 not 2024.0, as the user typed it.
    df = df.with_columns(pl.all().cast(pl.String).str.replace(r"^(-?\d+)\.0$", "${1}"))
    if df.height == 0:
        return df
    header = ["" if v is None else str(v) for v in df.row(0)]
    names = [(h.lstrip("\ufeff").strip() or f"(unnamed column {i + 1})") for i, h in enumerate(header)]
    _check_header(names, path, limits, unique_header)
    seen: dict[str, int] = {}
    unique = []
    for n in names:   # only reached with repeats when the caller accepts them (it checks itself)
        k = seen.get(n, 0)
        unique.append(n if k == 0 else f"{n}_duplicated_{k - 1}")
        seen[n] = k + 1
    return df.slice(1).rename(dict(zip(df.columns, unique)))


def _describe_dtype(dtype: pl.DataType) -> str:
    if isinstance(dtype, (pl.List, pl.Array)):
        return "lists of values"
    if isinstance(dtype, pl.Struct):
        return "records (structs)"
    if dtype == pl.Binary:
        return "binary data"
    return f"values of type {dtype}"


def _read_parquet(data: bytes, path: Path, limits: Limits) -> pl.DataFrame:
    import pyarrow.parquet as pq

    # pyarrow, not polars, decodes: on a damaged file polars can panic in a worker thread (found by
    # tests/test_fuzz_readers.py), printing a Rust backtrace; pyarrow raises an error we can word.
    table = pq.read_table(io.BytesIO(data))
    # A damaged file can decode into text whose offsets or UTF-8 are broken (found by fuzzing: a
    # polars panic later, in a loader's check): validate every value once, here.
    table.validate(full=True)
    if table.num_columns > limits.columns:
        raise _whole_file(path, f"at most {limits.columns:,} columns (this file has {table.num_columns:,}; "
                          "set VOICE_MAX_COLUMNS to allow more)", column="header", row=1)
    names = [str(n) for n in table.column_names]
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise _whole_file(path, "each column name to appear once", value=", ".join(dupes), column="header")
    df = pl.from_arrow(table)
    if df.width > limits.columns:
        raise _whole_file(path, f"at most {limits.columns:,} columns (this file has {df.width:,}; "
                          "set VOICE_MAX_COLUMNS to allow more)", column="header", row=1)
    p = Problems()
    for name, dtype in df.schema.items():
        if not isinstance(dtype, _PLAIN_DTYPES) and dtype not in _PLAIN_DTYPES:
            present = df.select(pl.col(name).is_not_null().arg_max()).item() if df.height else None
            p.add(path.name, None if present is None else present + 2, str(name)[:80], _describe_dtype(dtype),
                  "a column of plain values (text, numbers, dates or true/false), one per cell")
    if p:
        raise LoadRejected(p)
    return df
