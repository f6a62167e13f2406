"""The survey loader's CSV path in DuckDB: the file is copied (and hashed) in chunks to a private
temporary folder, parsed by DuckDB's CSV reader into a staging database file of its own in that
folder (capped in memory, stored compressed), checked with set-based SQL, and streamed by run_load into the
database in Arrow batches inside the load's transaction. Python never holds the whole file: only
the problems found (at most Problems.keep of them), the file's scopes and one batch at a time.

Every check is the polars path's (dashboard.loaders.survey, dashboard.validate, dashboard.readers):
the same rows, columns, values and expected texts, in the same order; tests/test_survey_sql.py
compares the two on good and bad files. What DuckDB cannot parse exactly as polars would (a
damaged or ragged file, an empty line inside the file, a carriage return alone, a header with a
quote) goes to the polars path, which words the problem."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard import store
from dashboard.store import Sql, compose, join
from dashboard.catalogue import SURVEY_BANDS
from dashboard.problems import LoadRejected, Problem, Problems
from dashboard.readers import (CONTROL_CHARS, CopiedInput, Limits, _check_csv_header, _check_header, _whole_file,
                               copy_input, csv_prechecks)
from dashboard.reference import la_reference

# What polars' strip_chars() removes (Rust's char::is_whitespace), for DuckDB's trim().
WHITESPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
              "\u200a\u2028\u2029\u202f\u205f\u3000")
_CLASS = "[" + "".join(f"\\x{{{ord(ch):x}}}" for ch in WHITESPACE) + "]"
EDGE_SPACE = f"^{_CLASS}|{_CLASS}$"
INTEGER = r"[+-]?[0-9]+"


def memory_limit_mb() -> int:
    raw = os.environ.get("VOICE_LOAD_MEMORY_MB", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else 256


def threads() -> int:
    """The staging database's threads (VOICE_LOAD_THREADS; by default 2, or 1 on a one-core machine).
    A load runs while the dashboard is stopped (it holds the file), so its cores are free: on the
    national file two threads finished in 3.7-4.0 s against 5.1-5.4 s with one (two runs each,
    alternated), with the same peak memory (480 MB), for about a second more CPU. More than two is
    not the default because this was measured on a 2-core machine only."""
    raw = os.environ.get("VOICE_LOAD_THREADS", "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    return min(2, len(os.sched_getaffinity(0)))


class NotForDuckDB(Exception):
    """The file needs the polars path (which words what is wrong with it)."""


def stage_connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """A database of its own, capped at VOICE_LOAD_MEMORY_MB, that spills to the load's temporary
    folder, so that a file larger than memory can be checked. It is a file in that folder, not an
    in-memory database: its tables are then stored compressed, so the staged national file fits
    under the cap instead of spilling uncompressed blocks (peak memory 700 -> 480 MB), and the
    checks scan fewer bytes."""
    con = duckdb.connect(str(folder / "stage.duckdb"),
                         config={"memory_limit": f"{memory_limit_mb()}MB", "temp_directory": str(folder / "spill"),
                                 "preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")   # DuckDB would draw one on standard output
    con.execute("SET threads = $n", {"n": threads()})
    return con


def _names(item: CopiedInput, limits: Limits) -> list[str]:
    """The header's names as polars would give them (trimmed, BOM dropped, blanks numbered)."""
    _check_csv_header(item.head, item.path, True, limits)
    end = item.head.find(b"\n")
    if end < 0:
        raise NotForDuckDB("no line end within the head")
    first = item.head[:end]
    if b'"' in first:
        raise NotForDuckDB("a quoted header")
    header = next(csv.reader(io.TextIOWrapper(io.BytesIO(first), encoding="utf-8-sig", errors="strict",
                                              newline="")), [])
    names = []
    for i, c in enumerate(header):
        name = str(c).lstrip("\ufeff").strip()
        names.append(name if name else f"(unnamed column {i + 1})")
    _check_header(names, item.path, limits, True)
    return names


class Stage:
    """One CSV file in the staging database: table `raw` (the file's cells as DuckDB read them, in
    file order) and view `cells` (r = the spreadsheet row, c0..cN trimmed, blanks as nulls, fully
    blank rows left out)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, item: CopiedInput, limits: Limits):
        self.con, self.item, self.limits = con, item, limits
        self.file = item.path.name
        csv_prechecks(item.path, item.head, item.any_text, item.has_cr, item.has_lf)
        if item.empty_line or item.bare_cr:
            raise NotForDuckDB("an empty line inside the file, or a carriage return alone")
        try:
            self.names = _names(item, limits)
        except UnicodeDecodeError:
            raise NotForDuckDB("header is not UTF-8") from None
        self.internal = [f"c{i}" for i in range(len(self.names))]
        self.notices: list[str] = []
        try:
            con.execute("CREATE TABLE raw AS SELECT * FROM read_csv($path, header = true, delim = ',', quote = '\"', "
                        "escape = '\"', strict_mode = true, auto_detect = false, columns = $columns, "
                        "null_padding = false)",
                        {"path": str(item.copy), "columns": {c: "VARCHAR" for c in self.internal}})
        except duckdb.Error as exc:
            raise NotForDuckDB(str(exc)[:200]) from None
        # Find the columns with a cell that starts or ends with white space, then trim only those,
        # and only their cells that need it. Compared by length, trim() here costs 0.05 s of CPU on
        # the national file (DuckDB works it out once per distinct value of the compressed column)
        # where the first and last characters' codes cost 0.8 s.
        edge = join(", ", (store.with_identifiers("bool_or(length({c}) <> length(trim({c}, $ws)))", c=c)
                           for c in self.internal))
        flags = con.execute(compose("SELECT {edge} FROM raw", edge=edge), {"ws": WHITESPACE}).fetchall()[0]
        self.trimmed_columns = [c for c, flag in zip(self.internal, flags) if flag]
        if self.trimmed_columns:
            trims = join(", ", (
                store.with_identifiers("nullif(CASE WHEN regexp_matches({c}, $edge) THEN trim({c}, $ws) ELSE {c} END, '') "
                                       "AS {c}", c=c) if c in self.trimmed_columns
                else store.with_identifiers("{c}", c=c) for c in self.internal))
            con.execute(compose("CREATE TABLE trimmed AS SELECT rowid + 2 AS r, {trims} FROM raw", trims=trims),
                        {"ws": WHITESPACE, "edge": EDGE_SPACE})
            con.execute("DROP TABLE raw")
        else:
            # No cell starts or ends with white space, and DuckDB reads an empty cell as null: the
            # cells as read are the trimmed cells.
            con.execute("CREATE VIEW trimmed AS SELECT rowid + 2 AS r, * FROM raw")
        blank = join(" AND ", (store.with_identifiers("{c} IS NULL", c=c) for c in self.internal))
        con.execute(compose("CREATE VIEW cells AS SELECT * FROM trimmed WHERE NOT ({blank})", blank=blank))
        self.blank = blank

    def check_cells(self) -> None:
        """readers._check_cells: every cell short enough and free of control characters."""
        checks = Checks(self.con, Sql("trimmed"), self.file, order=Sql("r"))
        for name, c in zip(self.names, self.internal):
            checks.add(store.with_identifiers("length({c}) > $n", c=c), name,
                       f"a cell of at most {self.limits.cell_chars:,} characters "
                       "(set VOICE_MAX_CELL_CHARS to allow longer cells)",
                       store.with_identifiers("'a cell of ' || length({c}) || ' characters'", c=c),
                       {"n": self.limits.cell_chars})
            if not self.item.has_control:   # no such byte anywhere in the file: no cell to look at
                continue
            checks.add(store.with_identifiers("regexp_matches({c}, $any)", c=c), name,
                       "text without NUL bytes or control characters (the file may be corrupt, "
                       "or saved by a program that adds hidden characters)",
                       store.with_identifiers("regexp_extract({c}, $re, 1)", c=c),
                       {"re": "(" + CONTROL_CHARS + ")", "any": CONTROL_CHARS},
                       shown=lambda v: f"character U+{ord(v[0]):04X}")
        p = Problems()
        checks.run(p)
        if p:
            raise LoadRejected(p)

    def count_rows(self) -> int:
        """Fully blank rows are left out with a notice (readers._tidy); returns the rows left."""
        total, n_blank = self.con.execute(compose("SELECT count(*), count(*) FILTER (WHERE {blank}) FROM trimmed",
                                                  blank=self.blank)).fetchall()[0]
        if n_blank:
            self.notices.append(f"{self.file}: skipped {n_blank} completely blank row(s)")
        if total - n_blank == 0:
            raise _whole_file(self.item.path, "at least one data row under the header")
        return total - n_blank


class Checks:
    """Checks over one table, counted in one pass; the rows of the ones that fail are then read in
    `order`, as many as Problems keeps. Each check: a condition, the column named in the problem,
    what was expected, and the value shown (SQL over the table's own columns)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, source: Sql, file: str, order: Sql):
        self.con, self.source, self.file, self.order = con, source, file, order
        self.items: list[tuple] = []

    def add(self, where: Sql, column: str, expected: str, value: Sql = Sql("NULL"), params: dict | None = None,
            shown=None) -> None:
        # Each check's parameters get names of their own so that all can be counted in one query.
        i = len(self.items)
        params = params or {}
        where_i = store.prefix_parameters(where, f"p{i}_")
        value_i = store.prefix_parameters(value, f"p{i}_")
        self.items.append((where_i, column, expected, value_i, {f"p{i}_{k}": v for k, v in params.items()}, shown))

    def run(self, problems: Problems) -> None:
        if not self.items:
            return
        counts = join(", ", (compose("count(*) FILTER (WHERE {w})", w=w) for w, *_ in self.items))
        sql = compose("SELECT {counts} FROM {source}", counts=counts, source=self.source)
        params = {k: v for item in self.items for k, v in item[4].items() if re.search(rf"\${k}\b", sql)}
        counts = self.con.execute(sql, params).fetchall()[0]
        for n, (where, column, expected, value, own, shown) in zip(counts, self.items):
            if not n:
                continue
            room = max(problems.keep - len(problems.items), 0)
            sql = compose("SELECT r, {value} FROM {source} WHERE {where} ORDER BY {order} LIMIT $room",
                          value=value, source=self.source, where=where, order=self.order)
            own = {k: v for k, v in own.items() if re.search(rf"\${k}\b", sql)}
            rows = self.con.execute(sql, {**own, "room": room}).fetchall() if room else []
            for r, v in rows:
                v = shown(v) if shown and v is not None else v
                problems.items.append(Problem(self.file, r, column, "" if v is None else str(v), expected))
            problems.total += n


def _problem_rows(con, sql: Sql, params: dict, problems: Problems, order: Sql = Sql("r")) -> tuple[int, list[tuple]]:
    """(how many rows `sql` returns, the first ones in `order` that still fit in `problems`).
    `sql` selects r and a value first; `order` names only columns of this module's own tables."""
    n = con.execute(compose("SELECT count(*) FROM ({q})", q=sql), params).fetchall()[0][0]
    if n == 0:
        return 0, []
    room = max(problems.keep - len(problems.items), 0)
    rows = con.execute(compose("SELECT * FROM ({q}) ORDER BY {order} LIMIT $room", q=sql, order=order),
                       {**params, "room": room}).fetchall() if room else []
    return n, rows


def _add(problems: Problems, file: str, found: tuple[int, list[tuple]], column: str, expected: str) -> None:
    """Problems.add_rows for rows fetched from SQL: (row, value)."""
    n, rows = found
    if n == 0:
        return
    for r, value, *_ in rows:
        problems.items.append(Problem(file, r, column, "" if value is None else str(value), expected))
    problems.total += n


# -- the survey's checks -------------------------------------------------------------------------

def _register_lookups(con: duckdb.DuckDBPyConnection, loader, questions: dict, vocab: dict) -> None:
    def table(name: str, rows: list[tuple], schema: dict) -> None:
        con.register("lookup_rows", pl.DataFrame(rows, schema=schema, orient="row").to_arrow())
        con.execute(store.with_identifiers("CREATE TABLE {t} AS SELECT * FROM lookup_rows", t=name))
        con.unregister("lookup_rows")

    ref = la_reference()
    table("la_map", list(ref.mapping().items()), {"k": pl.String, "v": pl.String})
    for name, mapping in vocab.items():
        table(name, list(mapping.items()), {"k": pl.String, "v": pl.String})
    types = list(loader.catalogue.answer_types.items())
    table("answer_types", [(name, i, bool(t.numeric), t.range.min if t.numeric else None,
                            t.range.max if t.numeric else None) for i, (name, t) in enumerate(types)],
          {"type": pl.String, "type_idx": pl.Int32, "numeric": pl.Boolean, "lo": pl.Int64, "hi": pl.Int64})
    table("answer_map", [(name, k, v) for name, t in types if not t.numeric for k, v in t.lookup().items()],
          {"type": pl.String, "k": pl.String, "v": pl.String})
    table("question_types", [(q, ind.answer_type) for q, ind in questions.items()],
          {"question_id": pl.String, "type": pl.String})
    table("asked", [(q, s, b) for q, ind in questions.items() for s, bands in ind.surveys.items() for b in bands],
          {"question_id": pl.String, "survey": pl.String, "age_band": pl.String})
    table("na_map", list(loader.catalogue.not_answered_lookup().items()), {"k": pl.String, "v": pl.String})
    table("survey_bands", [(s, b) for s, bands in SURVEY_BANDS.items() for b in bands],
          {"survey": pl.String, "age_band": pl.String})


class StagedRows:
    """Validated rows waiting in the staging database (a private temporary folder), streamed to the
    real database by run_load in batches; closing removes the folder."""

    def __init__(self, folder: tempfile.TemporaryDirectory, con: duckdb.DuckDBPyConnection, rows: int):
        self.folder, self.con, self.rows = folder, con, rows

    def batches(self, size: int):
        reader = self.con.sql(OUTPUT).to_arrow_reader(size)
        yield from reader

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        self.folder.cleanup()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def prepare_csv(loader, path: Path, limits: Limits, vocab: dict, messages: dict):
    """Copy, hash and validate a CSV file in DuckDB. Returns (digest, layout, rows_read, notices,
    StagedRows, scopes); raises LoadRejected with the polars path's problems, or NotForDuckDB
    carrying the private copy's bytes and digest for the polars path."""
    folder = new_folder()
    con = None
    try:
        item = copy_input(path, Path(folder.name), limits)
        con = stage_connection(Path(folder.name))
        try:
            layout, rows_read, notices, rows, scopes = _prepare(con, loader, item, limits, vocab, messages)
        except NotForDuckDB as exc:
            exc.data, exc.digest = item.copy.read_bytes(), item.digest
            raise
        staged = StagedRows(folder, con, rows)
        con = None
        return item.digest, layout, rows_read, notices, staged, scopes
    finally:
        if con is not None:
            con.close()
            folder.cleanup()


def _prepare(con, loader, item: CopiedInput, limits: Limits, vocab: dict, messages: dict):
    from dashboard.loaders.survey import GROUP_COLUMNS, ID_COLUMNS

    stage = Stage(con, item, limits)
    stage.check_cells()
    rows_read = stage.count_rows()
    f = stage.file
    notices = list(stage.notices)
    questions = loader.catalogue.questions()
    problems = Problems()
    present = {n.lower(): c for n, c in zip(stage.names, stage.internal)}
    original = {n.lower(): n for n in stage.names}

    def require(required: list[str], optional: list[str]) -> list[str] | None:
        """validate.Checker.columns."""
        missing = [c for c in required if c not in present]
        for c in missing:
            problems.add(f, 1, c, None, f"a column named '{c}' in the header row (required: {', '.join(required)})")
        if missing:
            return None
        wanted = list(required) + [c for c in optional if c in present]
        extra = [original[c] for c in present if c not in wanted]
        if extra:
            notices.append(f"{f}: ignored column(s) not in the contract: {', '.join(extra)}")
        return wanted

    def col(name: str) -> Sql:
        return store.with_identifiers("{c}", c=present[name]) if name in present else Sql("NULL::VARCHAR")

    base = join(", ", (compose("{v} AS {n}", v=col(c), n=store.with_identifiers("{c}", c=c + "_raw"))
                       for c in ID_COLUMNS + GROUP_COLUMNS))
    if {"question_id", "answer"} <= set(present):
        layout = "long"
        if require(ID_COLUMNS + ["question_id", "answer"], GROUP_COLUMNS) is None:
            raise LoadRejected(problems)
        con.execute(compose("CREATE VIEW t AS SELECT r, 0 AS q_idx, {base}, {q} AS q_raw, {a} AS answer FROM cells",
                            base=base, q=col("question_id"), a=col("answer")))
    else:
        layout = "wide"
        qcols = [n for n in stage.names if n.lower() in questions]
        if not qcols:
            missing = [c for c in ID_COLUMNS if c not in present]
            problems.add(f, 1, None, None, messages["no_questions"]
                         + (f"; also missing: {', '.join(missing)}" if missing else ""))
            raise LoadRejected(problems)
        qnames = [c.lower() for c in qcols]
        if require(ID_COLUMNS, GROUP_COLUMNS + qnames) is None:
            raise LoadRejected(problems)
        con.register("q_rows", pl.DataFrame({"q_raw": qnames, "q_idx": list(range(len(qnames)))}).to_arrow())
        con.execute("CREATE TABLE q_order AS SELECT * FROM q_rows")
        con.unregister("q_rows")
        answers = join(", ", (store.with_identifiers("{c} AS {q}", c=present[q], q=q) for q in qnames))
        con.execute(compose("CREATE VIEW t AS SELECT u.r, o.q_idx, u.* EXCLUDE (r, q_raw, answer), u.q_raw, u.answer "
                            "FROM (SELECT r, {base}, {answers} FROM cells) "
                            "UNPIVOT INCLUDE NULLS (answer FOR q_raw IN ({qs})) AS u "
                            "JOIN q_order AS o USING (q_raw)",
                            base=base, answers=answers, qs=store.with_identifiers("{q}", q=qnames)))
    _register_lookups(con, loader, questions, vocab)
    year = date.today().year
    # One table of every value the checks and the insert need (validate.py's cleaning, in SQL).
    # Kept narrow, as every later step scans it: a raw value is kept only where its cleaning failed
    # (all a problem can show; the blank checks ask "raw IS NULL AND clean IS NULL", the same rows),
    # and each answer's check is worked out here once (bad_answer), the answer kept only when bad.
    con.execute("""
        CREATE TABLE v AS
        WITH w AS (
            SELECT t.*, CASE WHEN regexp_full_match(regexp_replace(wave_raw, '^\\+', ''), $int)
                             THEN TRY_CAST(regexp_replace(wave_raw, '^\\+', '') AS BIGINT) END AS wave_int,
                   lower(q_raw) AS question_id, lower(answer) AS low
            FROM t)
        , c AS (
        SELECT w.r, w.q_idx, w.respondent_id_raw AS respondent_id,
               w.la_code_raw, la.v AS la_code, w.survey_raw, sv.v AS survey,
               w.wave_raw, w.wave_int, CASE WHEN w.wave_int BETWEEN $lo AND $hi THEN w.wave_int END AS wave,
               w.age_band_raw, ab.v AS age_band,
               w.gender_raw, ge.v AS gender, w.placement_type_raw, pt.v AS placement_type,
               w.disability_raw, di.v AS disability,
               w.question_id, qt.type, aty.type_idx, aty.numeric, aty.lo AS a_lo, aty.hi AS a_hi,
               w.answer, CASE WHEN w.answer IS NULL THEN 'blank' ELSE na.v END AS not_answered,
               CASE WHEN aty.numeric AND regexp_full_match(w.answer, $int) THEN TRY_CAST(w.answer AS BIGINT) END
                   AS answer_int,
               am.v AS canon
        FROM w
        LEFT JOIN la_map AS la ON la.k = upper(w.la_code_raw)
        LEFT JOIN survey_map AS sv ON sv.k = lower(w.survey_raw)
        LEFT JOIN age_map AS ab ON ab.k = lower(w.age_band_raw)
        LEFT JOIN gender_map AS ge ON ge.k = lower(w.gender_raw)
        LEFT JOIN placement_map AS pt ON pt.k = lower(w.placement_type_raw)
        LEFT JOIN disability_map AS di ON di.k = lower(w.disability_raw)
        LEFT JOIN question_types AS qt ON qt.question_id = w.question_id
        LEFT JOIN answer_types AS aty ON aty.type = qt.type
        LEFT JOIN na_map AS na ON na.k = w.low
        LEFT JOIN answer_map AS am ON am.type = qt.type AND am.k = w.low)
        , b AS (
        SELECT c.*, CASE WHEN numeric
                         THEN not_answered IS NULL AND (answer_int IS NULL OR answer_int < a_lo OR answer_int > a_hi)
                         ELSE not_answered IS NULL AND canon IS NULL END AS bad_answer
        FROM c)
        SELECT r, q_idx, respondent_id,
               CASE WHEN la_code IS NULL THEN la_code_raw END AS la_code_raw, la_code,
               CASE WHEN survey IS NULL THEN survey_raw END AS survey_raw, survey,
               CASE WHEN wave IS NULL THEN wave_raw END AS wave_raw, wave,
               CASE WHEN age_band IS NULL THEN age_band_raw END AS age_band_raw, age_band,
               CASE WHEN gender IS NULL THEN gender_raw END AS gender_raw, gender,
               CASE WHEN placement_type IS NULL THEN placement_type_raw END AS placement_type_raw, placement_type,
               CASE WHEN disability IS NULL THEN disability_raw END AS disability_raw, disability,
               question_id, type, type_idx, numeric, not_answered, answer_int, canon, bad_answer,
               CASE WHEN bad_answer THEN answer END AS answer
        FROM b
    """, {"int": INTEGER, "lo": 2010, "hi": year})

    # Rows in the polars frame's order: by question column (wide layout), then by row.
    checks = Checks(con, Sql("v"), f, order=Sql("q_idx, r"))

    def add(sql_where: Sql, column: str, expected: str, value: Sql, params: dict | None = None) -> None:
        checks.add(sql_where, column, expected, value, params)

    def vocab_checks(c: str, expected: str, blank_ok: bool = False) -> None:
        raw = store.with_identifiers("{c}", c=c + "_raw")
        clean = store.with_identifiers("{c}", c=c)
        add(compose("{raw} IS NOT NULL AND {clean} IS NULL", raw=raw, clean=clean), c, expected, raw)
        if not blank_ok:
            add(compose("{raw} IS NULL AND {clean} IS NULL", raw=raw, clean=clean), c,
                f"a value (this column cannot be blank): {expected}", Sql("NULL"))

    add(Sql("respondent_id IS NULL"), "respondent_id", "a value (this column cannot be blank)", Sql("NULL"))
    add(Sql("la_code_raw IS NOT NULL AND la_code IS NULL"), "la_code",
        "an English local authority code: 9 characters like E10000016 or 3 digits like 886", Sql("la_code_raw"))
    add(Sql("la_code_raw IS NULL AND la_code IS NULL"), "la_code", "an LA code (this column cannot be blank)",
        Sql("NULL"))
    vocab_checks("survey", messages["survey"])
    bounds = f" from 2010 to {year}"
    add(Sql("wave_raw IS NOT NULL AND wave IS NULL"), "wave", f"a survey year{bounds}", Sql("wave_raw"))
    add(Sql("wave_raw IS NULL AND wave IS NULL"), "wave", f"a survey year{bounds} (this column cannot be blank)",
        Sql("NULL"))
    vocab_checks("age_band", messages["age_band"])
    ref = la_reference()
    for la in sorted((la for la in ref.by_code.values() if la.ceased_year), key=lambda la: la.la_code):
        successors = " or ".join(ref.label(c) for c in la.successor_codes)
        add(Sql("la_code = $la AND wave > $year"), "la_code",
            f"an LA that existed in that year: {la.la_name} ceased on {la.changed_on.isoformat()} ({la.note}); "
            f"use {successors}", Sql("la_code"), {"la": la.la_code, "year": la.ceased_year})
    for survey, bands in SURVEY_BANDS.items():
        add(Sql("survey = $s AND age_band IS NOT NULL AND age_band NOT IN (SELECT age_band FROM survey_bands "
                "WHERE survey = $s)"), "age_band", f"an age band of {survey}: {', '.join(bands)}", Sql("age_band"),
            {"s": survey})
    vocab_checks("gender", messages["gender"], blank_ok=True)
    vocab_checks("placement_type", messages["placement_type"], blank_ok=True)
    vocab_checks("disability", messages["disability"], blank_ok=True)
    add(Sql("question_id IS NULL"), "question_id", "a value (this column cannot be blank)", Sql("NULL"))
    add(Sql("question_id IS NOT NULL AND type IS NULL"), "question_id", messages["unknown_question"], Sql("question_id"))
    add(Sql("type IS NOT NULL AND survey IS NOT NULL AND age_band IS NOT NULL AND NOT EXISTS (SELECT 1 FROM asked AS a "
            "WHERE a.question_id = v.question_id AND a.survey = v.survey AND a.age_band = v.age_band)"),
        "question_id", messages["not_asked"], Sql("question_id || ' for ' || survey || ' ' || age_band"))
    # Answers, by answer type in the catalogue's order (and, in the wide layout, by question column).
    for name, atype in loader.catalogue.answer_types.items():
        if atype.numeric:
            lo, hi = atype.range.min, atype.range.max
            bad = Sql("bad_answer")   # numeric: not a whole number, or out of the type's range
            expected = (f"a whole number from {lo} to {hi}, or blank, Don't know or Prefer not to say "
                        f"({name} question)")
        else:
            bad = Sql("bad_answer")   # not one of the type's answers
            expected = (f"one of {', '.join(atype.answers)}, or blank, Don't know or Prefer not to say "
                        f"({name} question)")
        where = compose("type = $type AND {bad}", bad=bad)
        if layout == "long":
            add(where, "answer", expected, Sql("answer"), {"type": name})
        else:   # the answer sits in the question's own column: name that column
            for q, ind in questions.items():
                if ind.answer_type == name and q in qnames:
                    add(compose("{where} AND q_idx = $q", where=where), q, expected, Sql("answer"),
                        {"type": name, "q": qnames.index(q)})
    checks.run(problems)
    # One answer per respondent and question (validate.Checker.unique), and one age band and profile
    # per respondent: counted first in one pass each, the rows read only when something repeats.
    # The first passes group by a hash of the key (one number rather than five strings: a third of
    # the CPU); two keys sharing a hash can only make the exact query below run, and it finds the
    # true repeats, so a collision never reports a problem.
    keys = ["la_code", "survey", "wave", "respondent_id", "question_id"]
    repeated = con.execute("SELECT count(*) FROM (SELECT 1 FROM v WHERE la_code IS NOT NULL AND survey IS NOT NULL "
                           "AND wave IS NOT NULL AND respondent_id IS NOT NULL AND question_id IS NOT NULL "
                           "GROUP BY hash(la_code, survey, wave, respondent_id, question_id) "
                           "HAVING count(*) > 1)").fetchall()[0][0]
    if repeated:
        n, rows = _problem_rows(con, Sql("""
            SELECT r, la_code || ' / ' || survey || ' / ' || wave || ' / ' || respondent_id || ' / ' || question_id, first,
                   type_idx, q_idx
            FROM (SELECT r, min(r) OVER k AS first, count(*) OVER k AS n, la_code, survey, wave, respondent_id, question_id,
                         type_idx, q_idx
                  FROM v WHERE la_code IS NOT NULL AND survey IS NOT NULL AND wave IS NOT NULL
                    AND respondent_id IS NOT NULL AND question_id IS NOT NULL
                  WINDOW k AS (PARTITION BY la_code, survey, wave, respondent_id, question_id))
            WHERE n > 1 AND r <> first"""), {}, problems, order=Sql("r, type_idx, q_idx"))
        for r, key, first, *_ in rows:   # by row, then as the polars frame held them (by answer type)
            problems.items.append(Problem(f, r, " + ".join(keys), key, "each respondent's answer to a question to appear "
                                          f"once in the file (it repeats row {first})"))
        problems.total += n
    profile = ["age_band", *GROUP_COLUMNS]
    values = {c: store.with_identifiers("{c}", c=c) if c == "age_band"
              else store.with_identifiers("coalesce({c}, 'not_stated')", c=c) for c in profile}
    # n_unique > 1, nulls counting as a value (as polars counts them)
    differs = {c: compose("(min({v}) IS DISTINCT FROM max({v}) OR (count({v}) > 0 AND count({v}) < count(*)))", v=v)
               for c, v in values.items()}
    counted = join(", ", (store.with_identifiers("count(*) FILTER (WHERE {c})", c=c) for c in profile))
    flagged = join(", ", (compose("{d} AS {c}", d=d, c=store.with_identifiers("{c}", c=c)) for c, d in differs.items()))
    clashes = con.execute(compose("SELECT {counted} FROM (SELECT {flagged} FROM v "
                                  "GROUP BY hash(la_code, survey, wave, respondent_id))",
                                  counted=counted, flagged=flagged)).fetchall()[0]
    for c, n_clash in zip(profile, clashes):
        if not n_clash:
            continue
        value = values[c]
        found = _problem_rows(con, compose("""
            WITH clash AS (SELECT la_code, survey, wave, respondent_id FROM v
                           GROUP BY la_code, survey, wave, respondent_id HAVING {differs}),
            rows AS (SELECT v.r, v.respondent_id, {value} AS val
                     FROM v JOIN clash USING (la_code, survey, wave, respondent_id))
            SELECT r, val FROM (SELECT r, val, min(r) OVER (PARTITION BY respondent_id) AS first FROM rows)
            WHERE r <> first""", differs=differs[c], value=value), {}, problems)
        _add(problems, f, found, c, f"the same {c} on every row of a respondent "
             "(this respondent has another value on an earlier row)")
    if problems:
        raise LoadRejected(problems)

    rows = con.execute("SELECT count(*) FROM v").fetchall()[0][0]
    scopes = pl.from_arrow(con.sql("SELECT DISTINCT la_code, survey, wave::INTEGER AS wave FROM v "
                                   "ORDER BY ALL").to_arrow_table())
    return layout, rows_read, notices, rows, scopes


OUTPUT = """
    SELECT la_code, survey, wave::INTEGER AS wave, age_band, respondent_id, question_id,
           CASE WHEN not_answered IS NOT NULL THEN NULL WHEN numeric THEN answer_int::VARCHAR ELSE canon END AS answer,
           CASE WHEN not_answered IS NULL AND numeric THEN answer_int END::INTEGER AS answer_value,
           not_answered,
           coalesce(gender, 'not_stated') AS gender,
           coalesce(placement_type, 'not_stated') AS placement_type,
           coalesce(disability, 'not_stated') AS disability
    FROM v"""   # no ORDER BY: a sort of every row costs 0.75 s of CPU on a national file, and no reader
                 # depends on the order rows were stored in (the polars path stored them by answer type)


def new_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="voice-load-", dir=os.environ.get("VOICE_LOAD_TMP") or None)
