"""The limits on input files are configurable in the environment, and a wrong setting is a plain error."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import GOOD_INPUTS, run_cli
from tests.hostile import make_corpus

THEMES = GOOD_INPUTS / "themes" / "kent_themes_2024.csv"


def test_cell_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_CELL_CHARS", "20")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    err = capsys.readouterr().err
    assert "a cell of at most 20 characters" in err
    assert "column 'quote'" in err and "VOICE_MAX_CELL_CHARS" in err


def test_file_size_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_FILE_MB", "0.0001")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    err = capsys.readouterr().err
    assert "kent_themes_2024.csv" in err and "a file of at most 0.0001 MB" in err
    assert not (tmp_path / "v.duckdb").exists()


def test_column_limit_is_configurable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_COLUMNS", "5")
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    assert "at most 5 columns (this file has 8" in capsys.readouterr().err


def test_unzipped_xlsx_limit_is_configurable(tmp_path, monkeypatch, capsys):
    case = next(c for c in make_corpus.cases() if c.id == "bright-spots/good.xlsx")
    path = tmp_path / "survey.xlsx"
    path.write_bytes(case.content())
    assert run_cli("load", "bright-spots", path, "--db", tmp_path / "a.duckdb", "--quiet") == 0
    monkeypatch.setenv("VOICE_MAX_XLSX_MB", "0.001")
    assert run_cli("load", "bright-spots", path, "--db", tmp_path / "b.duckdb", "--quiet") == 1
    assert "at most 0.001 MB once unzipped" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["lots", "-3", "0"])
def test_a_wrong_limit_setting_is_a_usage_error_in_plain_words(value, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VOICE_MAX_CELL_CHARS", value)
    assert run_cli("load", "themes", THEMES, "--db", tmp_path / "v.duckdb", "--quiet") == 2
    err = capsys.readouterr().err
    assert "VOICE_MAX_CELL_CHARS" in err and "Traceback" not in err


# VmHWM: the child's own peak since exec (ru_maxrss carries a large test worker's size over fork).
_PEAK = """
import sys
from pathlib import Path
from dashboard.cli import main
rc = main(sys.argv[1:])
hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
print("PEAK_KB", hwm.split()[1], file=sys.stderr)
sys.exit(rc)
"""


def _load_peak_mb(path, tmp_path) -> tuple[int, float, str]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", _PEAK, "load", "bright-spots", str(path), "--db",
                           str(tmp_path / f"{path.stem}.duckdb"), "--quiet"],
                          capture_output=True, text=True, env=env, timeout=300)
    peak = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024
    return done.returncode, peak, done.stderr


def _workbook_with(tmp_path, name: str, answer_xml: str, shared: list[str] | None = None) -> Path:
    """bright-spots' good rows as a handmade workbook whose first 'answer' cell is `answer_xml`
    (the XML inside <c r="G2" ...>), with an optional shared-strings part."""
    from xml.sax.saxutils import escape

    header, rows = make_corpus.good_lines("bright-spots")
    ic = header.index("answer")
    marker = "ANSWER-CELL-MARKER"
    sheet = make_corpus._sheet_xml(header, [[marker if j == ic else v for j, v in enumerate(rows[0])], *rows[1:]])
    before, after = sheet.split(f'<c r="G2" t="inlineStr"><is><t>{marker}</t></is></c>'.encode())
    sheet = before + f'<c r="G2"{answer_xml}</c>'.encode() + after
    extra = {}
    if shared is not None:
        extra["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{escape(t)}</t></si>" for t in shared) + "</sst>").encode()
        extra["xl/_rels/workbook.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b'</Relationships>')
    path = tmp_path / name
    path.write_bytes(make_corpus._handmade_xlsx(sheet, extra))
    return path


def test_a_huge_xlsx_cell_is_refused_before_the_excel_reader_builds_it(tmp_path):
    """A 40 MB cell in an .xlsx (under the unzipped-size limit, so the Excel reader would build
    it) is refused from the unzipped XML, naming its row and column: a 100 MB cell took 1.8 GB
    before issue 10 and still 1.1 GB with the first limits (the reader's copies and polars')."""
    import base64
    import os

    big = base64.b64encode(os.urandom(30 * 1024 * 1024)).decode()        # 40 MB, hardly compressible
    path = _workbook_with(tmp_path, "big_cell.xlsx", f' t="inlineStr"><is><t>{big}</t></is>')
    small = _workbook_with(tmp_path, "small_bad_cell.xlsx", ' t="inlineStr"><is><t>x\u0001</t></is>')
    rc_small, peak_small, _ = _load_peak_mb(small, tmp_path)
    rc_big, peak_big, err = _load_peak_mb(path, tmp_path)
    assert rc_small == 1 and rc_big == 1
    assert "big_cell.xlsx, row 2, column 'answer': found 'a cell of 41943040 characters'" in err
    assert "a cell of at most 32,767 characters" in err and "Traceback" not in err
    cell_mb = len(big) / 1024 / 1024
    assert peak_big - peak_small < 1.5 * cell_mb, (peak_small, peak_big, cell_mb)


def test_a_huge_shared_text_is_refused_naming_the_cell_that_shows_it(tmp_path, capsys):
    path = _workbook_with(tmp_path, "shared.xlsx", ' t="s"><v>1</v>', shared=["unused", "é" * 200_000])
    assert run_cli("load", "bright-spots", path, "--db", tmp_path / "v.duckdb", "--quiet") == 1
    err = capsys.readouterr().err
    assert "shared.xlsx, row 2, column 'answer': found 'a cell of 200000 characters'" in err
    assert not (tmp_path / "v.duckdb").exists()


@pytest.mark.parametrize("text", ["&amp;" * 30_000, "&#128512;" * 30_000, "é😀" * 16_000])
def test_a_cell_long_in_bytes_but_within_the_limit_in_characters_is_not_refused_for_length(text, tmp_path, capsys):
    """Entities and multi-byte characters make a cell's XML longer than its text: only its
    characters count (30,000 '&' are 150,000 bytes of XML, 30,000 emoji as references 270,000)."""
    path = _workbook_with(tmp_path, "bytes.xlsx", f' t="inlineStr"><is><t>{text}</t></is>')
    run_cli("load", "bright-spots", path, "--db", tmp_path / "v.duckdb", "--quiet")
    assert "characters (set VOICE_MAX_CELL_CHARS" not in capsys.readouterr().err


def _fed(cells, xml: bytes, cuts: list[int]):
    pos = 0
    for c in sorted(set(cuts)) + [len(xml)]:
        cells.feed(xml[pos:c])
        pos = c
    cells._end()
    return cells


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(st.one_of(st.sampled_from("&<>'\"é😀ふ a1"),
                                        st.characters(exclude_categories=("Cs",), exclude_characters="\r")), max_size=30),
                      min_size=1, max_size=5),
       rich=st.booleans(), cuts=st.lists(st.integers(0, 3000), max_size=40))
def test_the_xlsx_pre_scan_counts_each_cells_characters_however_the_xml_is_cut(texts, rich, cuts):
    """The count that decides a refusal before the Excel reader: exact for every cell (entities,
    multi-byte characters, rich-text runs, phonetic guides and formulas left out), wherever the
    unzipped XML is cut into chunks."""
    from xml.sax.saxutils import escape

    from dashboard.readers import _CellTexts

    def t(x: str) -> str:
        return f'<t xml:space="preserve">{escape(x).replace(chr(0x1F600), "&#128512;")}</t>'

    cells = []
    for i, x in enumerate(texts, start=1):
        runs = "".join(f"<r><rPr><b/></rPr>{t(x[k:k + 7])}</r>" for k in range(0, len(x), 7)) if rich else t(x)
        cells.append(f'<c r="B{i + 1}" t="inlineStr"><f>LEN(A1)&amp;"x"</f><is>{runs}'
                     f'<rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>')
    xml = ('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
           + "".join(f'<row r="{i + 2}">{c}</row>' for i, c in enumerate(cells)) + "</sheetData></worksheet>").encode()
    got = _fed(_CellTexts(False, -1), xml, cuts)
    assert got.long == [(("A", 1), 4)] + [(("B", i + 1), len(x)) for i, x in enumerate(texts, start=1)]
    assert got.header == {"A": ("text", b"name")}
