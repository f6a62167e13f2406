"""Hypothesis fuzzing of the readers and loaders, for a bounded time.

Each example is a file built from a kind's good file with random cells, headers, encodings and
bytes. Whatever it holds, checking it must end (in bounded time) in a table ready to write or a
LoadRejected naming the file; writing a checked file must load or be refused with the database
unchanged. Never any other exception.

The time budget is VOICE_FUZZ_SECONDS for the whole module, shared evenly by its tests (default
9 s: a smoke run in the suite; each test runs at least one batch of examples). The long run is
VOICE_FUZZ_SECONDS=600: ten minutes (see README, "Files and limits").
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import store
from dashboard.loaders import loader_for, run_load
from dashboard.loaders.base import check_files
from dashboard.problems import LoadRejected
from tests.conftest import snapshot
from tests.hostile import make_corpus

FUZZ_TESTS = 9            # 7 kinds of CSV, plus .xlsx and .parquet
BUDGET = float(os.environ.get("VOICE_FUZZ_SECONDS", "9")) / FUZZ_TESTS
EXAMPLE_SECONDS = 20      # one example, read + check + write, must end well within this

# Characters that break parsers and checks: separators, quotes, line ends, NUL and controls,
# BOMs, bidi controls, non-ASCII digits and letters, astral characters.
NASTY = list(",;\"'\n\r\t\x00\x01\x1b\x7f\ufeff\u202e\u200b\u00a0٣２éß😀=+-@") + ["\r\n", '""', "Zoë", "E10000016", "886"]
cell_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(NASTY), max_size=8).map("".join),
    st.sampled_from(["", " ", "yes", "no", "2024", "2024-02-30", "3000000000", "-1", "1e309", "NaN",
                     "=HYPERLINK(\"http://x\")", "a" * 200, "9" * 40]),
)


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    return text.encode(encoding, "replace")


@st.composite
def csv_files(draw, kind: str) -> bytes:
    header, rows = make_corpus.good_lines(kind)
    header = list(header)
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 6))):                 # random cells
        r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(header) - 1))
        rows[r][c] = draw(cell_text)
    if draw(st.booleans()):                                  # a header change
        c = draw(st.integers(0, len(header) - 1))
        header[c] = draw(st.one_of(cell_text, st.sampled_from(header)))
    if draw(st.integers(0, 4)) == 0:                         # a ragged row
        r = draw(st.integers(0, len(rows) - 1))
        rows[r] = rows[r][: draw(st.integers(0, len(header) + 2))] + [draw(cell_text)] * draw(st.integers(0, 2))
    rows = rows[: draw(st.integers(0, len(rows)))]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    if draw(st.booleans()):
        csv.writer(out, lineterminator=newline).writerows([header, *rows])
    else:                                                    # naive joining: quotes left unbalanced
        out.write(newline.join(",".join(r) for r in [header, *rows]))
    data = _encode(out.getvalue(), draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"])))
    if draw(st.integers(0, 5)) == 0:                         # raw byte damage
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            if data:
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        data = bytes(data)
    return data


@st.composite
def damaged_binary(draw, good: bytes) -> bytes:
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def _check_one(kind: str, path: Path, base_db: Path, workdir: Path) -> None:
    loader = loader_for(kind)
    started = time.perf_counter()
    try:
        checked = check_files(loader, [path])
    except LoadRejected as exc:
        text = exc.problems.render()
        assert path.name in text, text
        assert time.perf_counter() - started < EXAMPLE_SECONDS
        return
    db = workdir / "fuzz.duckdb"
    shutil.copy(base_db, db)
    before = snapshot(db)
    con = store.connect(db)
    try:
        run_load(con, loader, [path], checked=checked)
        refused = False
    except LoadRejected:
        refused = True
    except (duckdb.ConstraintException, duckdb.ConversionException, duckdb.OutOfRangeException):
        refused = True      # the CLI turns these into exit 1 naming the file; the rollback must hold
    finally:
        con.close()
    if refused:
        assert snapshot(db) == before, "a refused load changed the database"
    assert time.perf_counter() - started < EXAMPLE_SECONDS


def _run_for_budget(test) -> int:
    """Run a @given test in batches of fresh random examples until the time budget is spent."""
    deadline = time.monotonic() + BUDGET
    batches = 0
    while True:
        test()
        batches += 1
        if time.monotonic() >= deadline:
            print(f"fuzz: {batches} batches of {FUZZ.max_examples} examples in {BUDGET:.0f} s")
            return batches


FUZZ = settings(max_examples=25, deadline=None, database=None, derandomize=False,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-base") / "base.duckdb"
    store.connect(path).close()
    return path


@pytest.mark.parametrize("kind", make_corpus.KINDS)
def test_fuzzed_csv_is_loaded_or_refused_by_name(kind, base_db, tmp_path):
    path = tmp_path / "fuzz [1].csv"

    @FUZZ
    @given(csv_files(kind))
    def one(data: bytes) -> None:
        path.write_bytes(data)
        _check_one(kind, path, base_db, tmp_path)

    assert _run_for_budget(one) >= 1


@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_fuzzed_workbooks_and_parquet_are_loaded_or_refused_by_name(fmt, base_db, tmp_path):
    good = next(c for c in make_corpus.cases() if c.kind == "bright-spots" and c.name == f"good.{fmt}").content()
    path = tmp_path / f"fuzz*.{fmt}"

    @FUZZ
    @given(damaged_binary(good))
    def one(data: bytes) -> None:
        path.write_bytes(data)
        _check_one("bright-spots", path, base_db, tmp_path)

    assert _run_for_budget(one) >= 1
