"""The OpenDocument spreadsheets `load dfe` reads (dashboard.loaders.ods, dashboard.loaders.dfe_sheets)
and the DfE metrics 56-62 computed from them.

- The reader on crafted files: repeated rows and cells, typed cells (the stored value, not the
  displayed text), text with <text:s/>, merged (covered) cells, and clear refusals (not a zip, cut
  short, no content.xml, damaged XML, a missing sheet, a DOCTYPE) naming file, sheet, row and column.
- The reader and loader on the real shared files.
- Peer check: for every LA of the real files, the product's value, region, England and
  statistical-neighbour figure equal an independent computation from the raw content.xml (read
  here with regular expressions, not with the product's reader) following the DfE's R code
  (CSC_outcomes_and_enablers, R/read_data.R: read_spending_data, read_spending_data2,
  read_per_capita_spending, read_ofsted_leadership_data): shares of two expenditure columns,
  regions as the sums of their LAs with x as 0, England from the ENGLAND row, spend per child over
  the ONS mid-2024 estimate of children 0 to 17, neighbours' median (or sum for Ofsted counts),
  all rounded half up (true_round).
- A bad .ods leaves the database exactly as it was.
"""
from __future__ import annotations

import csv
import html
import io
import math
import re
import statistics
import zipfile
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest

from dashboard.catalogue import DfeMetric, load_catalogue
from dashboard.loaders.ods import read_sheets, sheet_names
from dashboard.problems import LoadRejected
from dashboard.reference import la_reference
from tests.conftest import SHARED_DFE, needs_shared_dfe, run_cli, snapshot
from tests.dfe_compare import differences, product_rows

RSX = "RSX_LA_Data_2024-25_data_by_LA.ods"
RO3 = "RO3_LA_Data_2024-25_data_by_LA.ods"
OFSTED = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
POPULATION = "ons_mid-year_population_estimates_2012_to_2024.csv"
EPS = math.sqrt(2.220446049250313e-16)
ENGLAND = "E92000001"

# -- crafted files -----------------------------------------------------------------------------

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def cell(value=None, kind=None, repeat=1, raw=None) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat != 1 else ""
    if raw is not None:
        return raw
    if value is None:
        return f"<table:table-cell{rep}/>"
    if kind in ("float", "percentage", "currency"):
        return (f'<table:table-cell office:value-type="{kind}" office:value="{value}"{rep}>'
                f"<text:p>{value:,}</text:p></table:table-cell>")
    if kind == "date":
        return (f'<table:table-cell office:value-type="date" office:date-value="{value}T00:00:00"{rep}>'
                f"<text:p>{value[8:]}/{value[5:7]}/{value[:4]}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{html.escape(value)}</text:p></table:table-cell>'


def row(*cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat != 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def make_ods(path: Path, sheets: dict[str, list[str]], mimetype: str = "application/vnd.oasis.opendocument.spreadsheet",
             prolog: str = "") -> Path:
    body = "".join(f'<table:table table:name="{name}">{"".join(rows)}</table:table>' for name, rows in sheets.items())
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}><office:body>'
           f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", xml, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path


def refusal(path: Path, names: list[str]) -> str:
    with pytest.raises(LoadRejected) as exc:
        read_sheets(path, names)
    return exc.value.problems.render()


def test_repeated_rows_and_cells_typed_values_and_text(tmp_path):
    f = make_ods(tmp_path / "a.ods", {
        "First": [row(cell("x"))],
        "Data": [
            row(cell("Name"), cell(None, repeat=2), cell("Amount")),
            row(cell("two  spaces", raw='<table:table-cell office:value-type="string"><text:p>two<text:s/> '
                     'spaces</text:p><text:p>next</text:p></table:table-cell>'),
                cell(1234.5, "float", repeat=3), cell(None, repeat=16380)),
            row(cell(None, repeat=16384), repeat=2),                     # empty rows in between: kept
            row(cell("2023-07-10", "date"), cell(0.25, "percentage"),
                cell(raw='<table:covered-table-cell office:value-type="string"><text:p>hidden</text:p>'
                         '</table:covered-table-cell>'), cell("last")),
            row(cell("same"), repeat=3),                                # repeated rows with content: copied
            row(cell(None, repeat=16384), repeat=1048560),              # padding to the sheet's end: dropped
        ]})
    sheet = read_sheets(f, ["Data"])["Data"]
    assert sheet.rows[0] == ["Name", None, None, "Amount"]
    assert sheet.rows[1] == ["two  spaces\nnext", "1234.5", "1234.5", "1234.5"]
    assert sheet.rows[2] == [] and sheet.rows[3] == []
    assert sheet.rows[4] == ["2023-07-10", "0.25", None, "last"]        # the value, not "10/07/2023" or "25%"
    assert sheet.rows[5:] == [["same"]] * 3
    assert sheet_names(f) == ["First", "Data"]


def test_not_a_zip_or_cut_short_is_refused_naming_the_file(tmp_path):
    f = tmp_path / "plain.ods"
    f.write_text("time_period,value\n2025,1\n")
    assert "plain.ods" in refusal(f, ["Data"]) and "not one or is cut short" in refusal(f, ["Data"])
    good = make_ods(tmp_path / "good.ods", {"Data": [row(cell("a"))] * 200})
    cut = tmp_path / "cut.ods"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    assert "cut.ods" in refusal(cut, ["Data"])


def test_a_missing_sheet_is_refused_naming_the_sheets_there_are(tmp_path):
    f = make_ods(tmp_path / "a.ods", {"Cover": [row(cell("x"))], "Notes": [row(cell("y"))]})
    text = refusal(f, ["RSX_LA_Data_202425"])
    assert "a.ods" in text and "'RSX_LA_Data_202425'" in text and "Cover, Notes" in text


def test_damaged_xml_a_doctype_and_another_kind_of_file_are_refused(tmp_path):
    f = make_ods(tmp_path / "a.ods", {"Data": [row(cell("x"))]})
    damaged = tmp_path / "damaged.ods"
    with zipfile.ZipFile(f) as zin, zipfile.ZipFile(damaged, "w") as zout:
        zout.writestr("mimetype", zin.read("mimetype"))
        zout.writestr("content.xml", zin.read("content.xml")[:-40])
    assert "well-formed content.xml" in refusal(damaged, ["Data"])
    bomb = make_ods(tmp_path / "entities.ods", {"Data": [row(cell("x"))]},
                    prolog='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>')
    assert "DOCTYPE" in refusal(bomb, ["Data"])
    text = make_ods(tmp_path / "text.ods", {"Data": [row(cell("x"))]}, mimetype="application/vnd.oasis.opendocument.text")
    assert "opendocument.spreadsheet" in refusal(text, ["Data"])
    nothing = tmp_path / "nothing.ods"
    with zipfile.ZipFile(nothing, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "content.xml" in refusal(nothing, ["Data"])


# A crafted outturn sheet, as RSX_LA_Data_YYYYZZ: seven columns of names, then the values.
CSC, TOTAL = ("Children Social Care - Total Expenditure (C3 = C1 + C2)",
              "Total Service Expenditure - Total Expenditure (C3 = C1 + C2)")


def outturn(tmp_path: Path, kent_csc, name: str = "RSX.ods", sheet: str = "RSX_LA_Data_202425") -> Path:
    head = ["E-code", "ONS Code", "Local authority", "Notes", "Class", "Detailed Class", "Certification", CSC, TOTAL]
    rows = [row(cell("Worksheet 2: Revenue Outturn")), row(cell(None)),
            row(*[cell(h) for h in head]),
            row(*[cell(v) for v in ["E2221", "E10000016", "Kent", None, "SC", "SC", "Y"]], kent_csc, cell(9000.0, "float")),
            row(*[cell(v) for v in ["E3831", "E07000223", "Adur", None, "SD", "SD", "Y"]], cell(0, "float"), cell(5.0, "float")),
            row(*[cell(v) for v in ["Eng", "E92000001", "ENGLAND", None, "Eng", "Eng", "[Y]"]], cell(16000.0, "float"),
                cell(170000.0, "float"))]
    return make_ods(tmp_path / name, {"Front_Page": [row(cell("x"))], sheet: rows})


def test_a_crafted_outturn_file_loads_with_regions_summed(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert run_cli("load", "dfe", outturn(tmp_path, cell(1100.5, "float")), "--db", db) == 0
    assert "skipped 1 row(s) of bodies without children's services (class SD: 1)" in capsys.readouterr().out
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT geographic_level, area_code, time_period, value FROM dfe_values WHERE indicator = ? "
                      "ORDER BY 1, 2", [CSC]).fetchall()
    con.close()
    assert got == [("Local authority", "E10000016", "202425", 1100.5), ("National", ENGLAND, "202425", 16000.0),
                   ("Regional", "E12000008", "202425", 1100.5)]


def test_text_where_a_number_is_expected_names_file_sheet_row_and_column_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert run_cli("load", "dfe", outturn(tmp_path, cell(1100.5, "float"), "first.ods"), "--db", db, "--quiet") == 0
    before = snapshot(db)
    bad = outturn(tmp_path, cell("eleven hundred"), "RSX_2025.ods")
    assert run_cli("load", "dfe", bad, "--db", db, "--replace") != 0
    err = capsys.readouterr().err
    assert "RSX_2025.ods, sheet 'RSX_LA_Data_202425', row 4, column 'H (Children Social Care" in err
    assert "found 'eleven hundred'" in err
    assert snapshot(db) == before


def test_bad_spreadsheets_leave_the_database_as_it_was(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert run_cli("load", "dfe", outturn(tmp_path, cell(1100.5, "float"), "first.ods"), "--db", db, "--quiet") == 0
    before = snapshot(db)
    good = outturn(tmp_path, cell(1200.0, "float"), "second.ods").read_bytes()
    cut = tmp_path / "cut.ods"
    cut.write_bytes(good[: len(good) - 100])
    other = make_ods(tmp_path / "other.ods", {"Cover": [row(cell("x"))]})
    wrong_year = outturn(tmp_path, cell(1.0, "float"), "year.ods", sheet="RSX_LA_Data_202427")
    for f in (cut, other, wrong_year):
        assert run_cli("load", "dfe", f, "--db", db, "--replace") != 0, f.name
        assert f.name in capsys.readouterr().err
        assert snapshot(db) == before
    # A bad file beside a good one: neither is loaded.
    assert run_cli("load", "dfe", outturn(tmp_path, cell(1.0, "float"), "good.ods"), other, "--db", db, "--replace") != 0
    assert snapshot(db) == before


# -- the real files -----------------------------------------------------------------------------

@needs_shared_dfe
def test_the_reader_parses_the_real_files():
    assert sheet_names(SHARED_DFE / OFSTED) == ["Cover", "Contents", "Notes", "Inspections_as_at_31_March",
                                                "In-year_inspections", "ILACS_inspection_history"]
    ofsted = read_sheets(SHARED_DFE / OFSTED, ["Inspections_as_at_31_March"])["Inspections_as_at_31_March"]
    assert ofsted.rows[2][:3] == ["Web link", "Local authority area code", "Local authority name"]
    assert ofsted.rows[3][1:5] == ["E09000002", "Barking and Dagenham", "London", "2023-07-10"]
    for name, sheet in ((RSX, "RSX_LA_Data_202425"), (RO3, "RO3_LA_Data_202425")):
        rows = read_sheets(SHARED_DFE / name, [sheet])[sheet].rows
        assert rows[6][:3] == ["E-code", "ONS Code", "Local authority"]
        assert [r[1] for r in rows if len(r) > 4 and r[4] == "Eng"] == [ENGLAND]


# The independent reading: regular expressions over content.xml, expanding repeated cells.
ROW_RE = re.compile(r"<table:table-row\b[^>]*?(?:/>|>(.*?)</table:table-row>)", re.S)
CELL_RE = re.compile(r"<table:(covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)", re.S)


@lru_cache(maxsize=None)
def raw_rows(name: str, sheet: str) -> tuple[tuple, ...]:
    xml = zipfile.ZipFile(SHARED_DFE / name).read("content.xml").decode("utf-8")
    start = xml.index(f'<table:table table:name="{sheet}"')
    part = xml[start:xml.index("</table:table>", start)]
    out = []
    for r in ROW_RE.finditer(part):
        cells: list = []
        for c in CELL_RE.finditer(r.group(1) or ""):
            attrs = c.group(2)
            n = re.search(r'number-columns-repeated="(\d+)"', attrs)
            value = re.search(r'office:value="([^"]*)"', attrs)
            text = value.group(1) if value else html.unescape(re.sub(r"<[^>]+>", "", c.group(3) or "")).strip()
            cells += [text or None] * min(int(n.group(1)) if n else 1, 600)
        out.append(tuple(cells))
    return tuple(out)


def outturn_table(name: str, sheet: str) -> tuple[dict, dict]:
    """LA code -> {column: cell} for classes UA, MD, LB, SC, and England's row (DfE: Class filter)."""
    rows = raw_rows(name, sheet)
    at = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "ONS Code")
    header = rows[at]
    las, england = {}, None
    for r in rows[at + 1:]:
        if not r or r[1] is None or r == header:
            break
        d = dict(zip(header, r))
        if d["Class"] in ("UA", "MD", "LB", "SC"):
            las[d["ONS Code"]] = d
        elif d["Class"] == "Eng":
            england = d
    return las, england


def true_round(x, digits):
    if x is None:
        return None
    sign = 1 if x >= 0 else -1
    return sign * math.trunc(abs(x) * 10 ** digits + 0.5 + EPS) / 10 ** digits


def num(cell) -> float | None:
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=1)
def population_2024() -> dict[str, float]:
    with (SHARED_DFE / POPULATION).open(encoding="utf-8-sig", newline="") as fh:
        out = {}
        for r in csv.DictReader(fh):
            if r["time_period"] == "2024" and r["age_group"] == "Children aged 0 to 17 years":
                level = r["geographic_level"]
                code = r["new_la_code"] if level == "Local authority" else r["region_code"] if level == "Regional" else ENGLAND
                out[code] = float(r["population_estimate"])
        return out


@lru_cache(maxsize=1)
def neighbour_codes() -> dict[str, list[str]]:
    """Today's LA code -> its ten neighbours' codes (sn_model_2025_wide.csv, by old LA code)."""
    ref = la_reference()
    with (SHARED_DFE / "sn_model_2025_wide.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {ref.canonical(r["old_la_code"].strip()): [ref.canonical(r[f"SN_{i}"].strip()) for i in range(1, 11)]
                for r in csv.DictReader(fh)}


def region_of(code: str) -> str:
    ref = la_reference()
    return ref.by_code[ref.canonical(code)].region_code


def expected(metric_id: str) -> dict[str, dict]:
    """Today's LA code -> value, region_value, england_value, neighbour_median, the DfE's way."""
    ref = la_reference()
    if metric_id.startswith("dfe_ofsted"):
        rows = raw_rows(OFSTED, "Inspections_as_at_31_March")
        at = next(i for i, r in enumerate(rows) if r and r[0] == "Web link")
        lead = rows[at].index("The impact of leaders on social work practice with children and families")
        word = {"outstanding": "Outstanding", "good": "Good", "requires_improvement": "Requires improvement to be good",
                "inadequate": "Inadequate"}[metric_id.removeprefix("dfe_ofsted_leadership_")]
        raw = {ref.canonical(r[1]): float(r[lead] == word) for r in rows[at + 1:] if r and r[1]}
        region: dict[str, float] = {}
        for code, v in raw.items():
            region[region_of(code)] = region.get(region_of(code), 0) + v
        england, aggregate, digits = sum(raw.values()), sum, 0
    else:
        if metric_id == "dfe_spend_share_not_cla":
            las, eng = outturn_table(RO3, "RO3_LA_Data_202425")
            top = "TOTAL CHILDREN SOCIAL CARE - Total Expenditure (C3 = C1 + C2)"
            cla = "Children's social care - Children Looked After - Total Expenditure (C3 = C1 + C2)"

            def compute(d, _code):
                t, c = num(d[top]), num(d[cla])
                return None if t is None or c is None else true_round(100 * (t - c) / t, 1)
        else:
            las, eng = outturn_table(RSX, "RSX_LA_Data_202425")
            per_child = metric_id == "dfe_spend_per_child"

            def compute(d, code):
                c, t = num(d[CSC]), num(d[TOTAL])
                if per_child:
                    pop = population_2024().get(code)
                    return None if c is None or not pop else true_round(1000 * c / pop, 0)
                return None if c is None or t is None else true_round(100 * c / t, 1)
        raw = {ref.canonical(code): compute(d, code) for code, d in las.items()}
        sums: dict[str, dict] = {}
        for code, d in las.items():       # the DfE's regional sums: x counts as 0
            s = sums.setdefault(region_of(code), {k: 0.0 for k in d})
            for k, v in d.items():
                s[k] += num(v) or 0.0
        region = {rc: compute(d, rc) for rc, d in sums.items()}
        england, aggregate = compute(eng, ENGLAND), statistics.median
        digits = 0 if metric_id == "dfe_spend_per_child" else 1
    out = {}
    for code, v in raw.items():
        values = [raw.get(n) for n in neighbour_codes().get(code, [])]
        values = [x for x in values if x is not None]
        out[code] = {"value": v, "region_value": true_round(region.get(region_of(code)), digits),
                     "england_value": true_round(england, digits),
                     "neighbour_median": true_round(aggregate(values), digits) if values else None}
    return out


ODS_METRICS = [m for m in load_catalogue().indicators
               if isinstance(m, DfeMetric) and m.dataset in {"rsx_revenue_outturn", "ro3_revenue_outturn",
                                                             "la_inspection_outcomes"}]


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dfe-ods") / "real.duckdb"
    files = [SHARED_DFE / n for n in (OFSTED, RSX, RO3, POPULATION, "sn_model_2025_wide.csv")]
    assert run_cli("load", "dfe", *files, "--db", db, "--quiet") == 0
    return db


def test_metrics_56_to_62_are_in_the_catalogue():
    assert sorted(m.dfe_dataset_name for m in ODS_METRICS) == sorted(
        ["spending_data", "spending_per_capita", "spending_data_no_cla"] + ["ofsted_leadership_data"] * 4)


@needs_shared_dfe
def test_the_population_file_gives_children_0_to_17_for_2024_with_england_the_sum_of_its_regions():
    pop = population_2024()
    regions = [v for k, v in pop.items() if k.startswith("E12")]
    assert len(regions) == 9 and sum(regions) == pop[ENGLAND]
    assert pop["E13000001"] + pop["E13000002"] == pop["E12000007"]


@needs_shared_dfe
@pytest.mark.parametrize("metric", ODS_METRICS, ids=lambda m: m.id)
def test_every_la_matches_an_independent_computation_the_dfe_way(real_db, metric):
    got = product_rows(real_db, metric, lambda r: r["la_code"])
    want = expected(metric.id)
    assert set(got) == set(want)
    wrong = differences(got, want)
    assert not wrong, f"{len(wrong)} figure(s) differ, first: {wrong[:5]}"
    # A few LAs, read by eye from the files as well.
    if metric.id == "dfe_ofsted_leadership_outstanding":
        assert got["E10000016"]["value"] == 1 and got["E10000016"]["england_value"] == 45
    if metric.id == "dfe_spend_share_childrens_services":
        assert got["E06000063"]["status"] == "x"          # Cumberland: [x], data not received
        assert got["E10000016"]["england_value"] == 9.5


@needs_shared_dfe
def test_the_three_spreadsheets_load_in_a_few_seconds(tmp_path, capsys):
    import time

    started = time.perf_counter()
    assert run_cli("load", "dfe", *(SHARED_DFE / n for n in (OFSTED, RSX, RO3)), "--db", tmp_path / "t.duckdb") == 0
    seconds = time.perf_counter() - started
    out = capsys.readouterr().out
    assert "153 LA(s)" in out and "rsx_revenue_outturn" in out and "la_inspection_outcomes" in out
    assert seconds < 60, seconds
