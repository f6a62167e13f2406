"""`voice-dashboard demo --scale national`: the synthetic demo at the size of England.

Every English local authority that exists today (la_codes.csv, status current), six survey waves
(NATIONAL_WAVES), about 400 respondents per LA and wave (RESPONDENTS), every kind of record, and the
real DfE statistics where the shared DfE folder is present (else the synthetic ones): well over ten
million survey answers. It exists to measure the product at scale (benchmarks/run.py), so it goes
through the real loaders like the small demo, and it says how long each load took.

Survey answers are drawn with numpy, a whole survey and wave at a time, from the same model as the
small demo (dashboard/demo/survey.py: the published Bright Spots rates, LA and group effects); the
small demo's per-answer Python would take minutes at this size. Each survey and wave is ONE file
with every LA in it (about 1.7 million rows for Your Life, Your Care), loaded on its own, so a load's
memory is that of the biggest single file, as a national export would be.

The loads do not publish one by one: each survey load would re-read every wave loaded so far to
compute pools and changes again (twelve times over), so the figures are published once, at the end,
as the small demo does. `las` (`--las N`) builds the same shape over N of the LAs (spread evenly
over the code list), to measure the build and publish at a fraction of the 45 minutes.
"""
from __future__ import annotations

import math
import os
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from dashboard import paths, store
from dashboard.catalogue import default_catalogue
from dashboard.demo import dfe, heard, records
from dashboard.demo import survey as small
from dashboard.demo.places import Area
from dashboard.loaders import loader_for, run_load
from dashboard.problems import LoadRejected
from dashboard.publish import publish_all
from dashboard.reference import la_reference

NATIONAL_WAVES = (2020, 2021, 2022, 2023, 2024, 2025)
# The middle YLYC band was 8-10 in the earlier waves, 8-11 later (spec 3.1).
MIDDLE_BAND = {w: ("8-10" if w <= 2021 else "8-11") for w in NATIONAL_WAVES}
RESPONDENTS = {"YLYC": 290, "YLBC": 120}     # per LA and wave, before a +-15% spread: about 400
LA_TYPES = ("E06", "E08", "E09", "E10")      # unitaries, metropolitan districts, London boroughs, counties
SEED = 2024


@dataclass
class LoadTiming:
    kind: str
    file: str
    rows: int
    seconds: float


@dataclass
class NationalSummary:
    db: Path
    las: int
    waves: tuple[int, ...]
    counts: dict[str, int]
    dfe_source: str
    write_seconds: float
    loads: list[LoadTiming] = field(default_factory=list)
    seconds: float = 0.0
    publish_seconds: float = 0.0
    figures: int = 0

    def __str__(self) -> str:
        survey = [t for t in self.loads if t.kind == "bright-spots"]
        rows = sum(t.rows for t in survey)
        secs = sum(t.seconds for t in survey)
        lines = [f"built the SYNTHETIC national demo at {self.db} in {self.seconds:,.0f} s: "
                 f"{self.las} LAs, waves {', '.join(map(str, self.waves))}; DfE statistics: {self.dfe_source}",
                 f"  input files written in {self.write_seconds:,.0f} s; survey loads: {rows:,} answers in "
                 f"{secs:,.1f} s ({rows / secs if secs else 0:,.0f} rows/s, {len(survey)} files, no publish); "
                 f"{self.figures:,} figures published once at the end in {self.publish_seconds:,.1f} s"]
        lines += [f"  {n:,} {what}" for what, n in self.counts.items()]
        return "\n".join(lines)


def national_areas(seed: int = SEED, las: int | None = None) -> list[Area]:
    """Every English LA of today, with an invented size, rate of children in care and response rate;
    `las`: only that many of them, spread evenly over the sorted codes (each keeps its own invented
    figures, so a subset is the same shape as the whole)."""
    rng = random.Random(f"voice-dashboard-national/{seed}/areas")
    # The reference also lists joint children's services ("E06000061 / E06000062"): not an LA of their own.
    found = sorted((la for la in la_reference().current() if la.la_code[:3] in LA_TYPES and "/" not in la.la_code),
                   key=lambda la: la.la_code)
    areas = [Area(la, round(rng.uniform(20_000, 300_000), -3), rng.randint(35, 140), round(rng.uniform(0.15, 0.35), 2))
             for la in found]
    if las is None or las >= len(areas):
        return areas
    if las < 1:
        raise ValueError(f"--las must be at least 1 (got {las})")
    return [areas[i * len(areas) // las] for i in range(las)]


def shared_dfe_folder() -> Path | None:
    """The real DfE files (../shared/data/dfe beside the checkout, or beside a folder above it), if present."""
    if os.environ.get("VOICE_DFE_DIR"):
        folder = Path(os.environ["VOICE_DFE_DIR"])
        return folder if folder.is_dir() else None
    for up in list(paths.ROOT.parents)[:3]:
        folder = up / "shared" / "data" / "dfe"
        if folder.is_dir():
            return folder
    return None


# -- survey answers, vectorised --------------------------------------------------------------------

def _options(kind: str, positive: object) -> tuple[list[str], list[float], list[str], list[float]]:
    """(good answers, weights, other answers, weights) of a question: the small demo's _answer as tables."""
    if kind == "yes_no":
        return ["Yes"], [1], ["No"], [1]
    if kind == "contact":
        return ["About right"], [1], ["Not enough", "Too much"], [0.8, 0.2]
    if kind == "frequency":
        if positive == ["Hardly ever or never"]:
            return ["Hardly ever or never"], [1], ["Sometimes", "All or most of the time"], [0.65, 0.35]
        return ["All or most of the time"], [1], ["Sometimes", "Hardly ever or never"], [0.7, 0.3]
    lo, hi = positive.min, positive.max
    if kind == "count":
        good = (["0", "1"], [2, 1]) if lo == 0 else ([str(lo)], [1])
        bad = [n for n in range(hi + 1, 8)]
        return *good, [str(n) for n in bad], [1 / (n - hi) for n in bad]
    if lo == 0:      # 0-10 scale where low is good (anxiety)
        return ["0", "1", "2", "3", "4", "5"], [3, 3, 3, 2.5, 2, 1.5], ["6", "7", "8", "9", "10"], [2, 2, 1.6, 1.2, 1.2]
    return ["5", "6", "7", "8", "9", "10"], [1.0, 1.4, 2.2, 2.6, 1.8, 1.6], ["0", "1", "2", "3", "4"], [0.6, 0.5, 0.8, 1.2, 1.6]


def _pick(gen: np.random.Generator, values: list[str], weights: list[float], n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return np.asarray(values, dtype=object)[gen.choice(len(values), size=n, p=w / w.sum())]


def survey_frame(gen: np.random.Generator, areas: list[Area], model: dict, survey: str, wave: int) -> pl.DataFrame:
    """Long rows (the small demo's LONG_COLUMNS) for every LA in one survey and wave."""
    catalogue = default_catalogue()
    questions = catalogue.questions()
    asked = small._asked(catalogue)
    col = 0 if survey == "YLYC" else 1
    bands = ([("4-7", 0.18), (MIDDLE_BAND[wave], 0.27), ("11-17", 0.55)] if survey == "YLYC" else [("16-25", 1.0)])
    sizes = np.round(RESPONDENTS[survey] * gen.uniform(0.85, 1.15, len(areas))).astype(int)
    la_idx = np.repeat(np.arange(len(areas)), sizes)
    n = len(la_idx)
    seq = np.concatenate([np.arange(1, k + 1) for k in sizes])
    band = _pick(gen, [b for b, _ in bands], [w for _, w in bands], n)
    if survey == "YLBC":
        gender = _pick(gen, ["Girl", "Boy", "In another way", "Prefer not to say"], [0.48, 0.47, 0.02, 0.03], n)
        placement = np.full(n, "", dtype=object)
    else:
        gender = _pick(gen, ["Girl", "Boy", "In another way", "Prefer not to say"], [0.45, 0.50, 0.02, 0.03], n)
        placement = _pick(gen, ["Foster care", "Kinship care", "Residential care", "Other", ""], [0.7, 0.14, 0.1, 0.04, 0.02], n)
    disability = _pick(gen, ["Yes", "No", "Prefer not to say"], [0.14, 0.78, 0.08], n)
    la_effect = np.array([model["la"][a.old] + model["la_wave"][(a.old, wave)] for a in areas])
    person = (la_effect[la_idx] + small.CENTRE
              + np.vectorize(small.BAND_EFFECT.get)(band) + np.vectorize(small.GENDER_EFFECT.get)(gender)
              + np.vectorize(small.PLACEMENT_EFFECT.get)(placement) + np.vectorize(small.DISABILITY_EFFECT.get)(disability)
              + gen.normal(0, 0.7, n))
    skips = gen.random(n) < 0.12
    parts = []
    for b, _ in bands:
        who = np.flatnonzero(band == b)
        qs = asked[(survey, b)]
        if not len(who):
            continue
        r_idx = np.repeat(who, len(qs))                         # respondent of each answer
        q_idx = np.tile(np.arange(len(qs)), len(who))           # question of each answer
        answer = np.empty(len(r_idx), dtype=object)
        r = gen.random(len(r_idx))
        unsure = 0.09 if b == "4-7" else 0.035
        for j, q in enumerate(qs):
            ind = questions[q]
            kind = ind.answer_type
            at = np.flatnonzero(q_idx == j)
            usual = small.BASE[q][col]
            shift = np.array([model["la_question"][(a.old, q)] for a in areas])[la_idx[r_idx[at]]]
            p = 1 / (1 + np.exp(-(small.STRETCH * math.log(usual / (1 - usual)) + person[r_idx[at]] + shift)))
            good = gen.random(len(at)) < p
            gv, gw, bv, bw = _options(kind, ind.positive)
            out = np.where(good, _pick(gen, gv, gw, len(at)), _pick(gen, bv, bw, len(at)))
            rr = r[at]
            if kind in ("yes_no", "frequency", "contact"):
                out = np.where(rr > 1 - unsure, "Don't know", out)
            if survey == "YLBC":
                out = np.where(rr > 0.985, "Prefer not to say", out)
            elif kind == "scale_0_10":
                out = np.where(rr > 0.99, "Prefer not to say", out)
            out = np.where(skips[r_idx[at]] & (rr < 0.08), "", out)
            answer[at] = out
        parts.append(pl.DataFrame({"r": r_idx, "question_id": np.asarray(qs, dtype=object)[q_idx], "answer": answer},
                                  schema={"r": pl.Int64, "question_id": pl.String, "answer": pl.String}))
    prefix = "CL" if survey == "YLBC" else "CIC"
    people = pl.DataFrame({
        "r": np.arange(n), "seq": seq, "la_code": np.asarray([a.code for a in areas], dtype=object)[la_idx],
        "age_band": band, "gender": gender, "placement_type": placement, "disability": disability,
    }, schema={"r": pl.Int64, "seq": pl.Int64, "la_code": pl.String, "age_band": pl.String, "gender": pl.String,
               "placement_type": pl.String, "disability": pl.String})
    people = people.with_columns(
        pl.format(f"{prefix}{wave % 100:02d}-{{}}", pl.col("seq").cast(pl.String).str.zfill(4)).alias("respondent_id"),
        pl.lit(survey).alias("survey"), pl.lit(wave, dtype=pl.Int32).alias("wave"))
    answers = pl.concat(parts).join(people, on="r").sort("r", maintain_order=True)
    return answers.select(small.LONG_COLUMNS)


def _model(seed: int, areas: list[Area]) -> dict:
    rng = random.Random(f"voice-dashboard-national/{seed}/model")
    la = {a.old: rng.gauss(0, 0.25) for a in areas}
    la_wave = {}
    for a in areas:
        level = -0.15
        for w in NATIONAL_WAVES:
            la_wave[(a.old, w)] = level
            level += rng.gauss(0.03, 0.12)
    la_question = {(a.old, q): rng.gauss(0, 0.3) for a in areas for q in small.BASE}
    return {"la": la, "la_wave": la_wave, "la_question": la_question}


def write_survey_files(seed: int, areas: list[Area], folder: Path) -> list[Path]:
    model = _model(seed, areas)
    files = []
    for wave in NATIONAL_WAVES:
        for survey in ("YLYC", "YLBC"):
            gen = np.random.default_rng([seed, wave, 0 if survey == "YLYC" else 1])
            path = folder / f"SYNTHETIC_national_bright_spots_{survey}_{wave}.csv"
            survey_frame(gen, areas, model, survey, wave).write_csv(path)
            files.append(path)
    return files


def dfe_batches(seed: int, areas: list[Area], folder: Path) -> tuple[list[tuple[Path, dict]], str]:
    """The DfE files to load, with their options: the real ones where the shared folder has them."""
    shared = shared_dfe_folder()
    rng = random.Random(f"voice-dashboard-national/{seed}/dfe")
    synthetic = dfe.write_dfe_files(rng, areas, folder)
    out: list[tuple[Path, dict]] = []
    real = 0
    for name, fake in synthetic.items():
        found = sorted(shared.glob(f"{name}*.csv")) if shared else []
        found = [p for p in found if p.stem == name or p.stem.removeprefix(name).startswith("_2")]
        if found:
            real += 1
        out.append((found[0] if found else fake, {"dataset": name}))
    sn = shared / "sn_model_2025_wide.csv" if shared else None
    out.append((sn if sn and sn.is_file() else dfe.write_neighbours(areas, folder), {}))
    source = (f"the real DfE files from {shared} ({real} of {len(synthetic)} datasets; the rest synthetic)"
              if shared else "synthetic (no shared DfE folder found)")
    return out, source


def build_national(db: Path, seed: int = SEED, progress: Callable[[str], None] | None = None,
                   force: bool = False, las: int | None = None) -> NationalSummary | str:
    """Build the national demo at `db` (nothing is done when it exists, unless `force`), over every
    LA of today or `las` of them."""
    db = Path(db)
    say = progress or (lambda msg: None)
    if db.exists() and not force:
        return (f"{db} already exists: nothing was changed. "
                "Use --force to rebuild the synthetic national demo there (it replaces the whole file).")
    started = time.perf_counter()
    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_name(f".{db.name}.building-{os.getpid()}")
    for p in (building, building.with_name(building.name + ".wal")):
        p.unlink(missing_ok=True)
    areas = national_areas(seed, las)
    loads: list[LoadTiming] = []
    try:
        with tempfile.TemporaryDirectory(prefix="voice-national-") as tmp:
            folder = Path(tmp)
            say(f"writing SYNTHETIC input files for {len(areas)} LAs and {len(NATIONAL_WAVES)} waves (seed {seed})")
            t = time.perf_counter()
            batches: list[tuple[str, list[Path], dict]] = [
                ("bright-spots", [p], {}) for p in write_survey_files(seed, areas, folder)]
            rng = random.Random(f"voice-dashboard-national/{seed}/records")
            batches += [("feedback", records.write_feedback(rng, areas, folder), {}),
                        ("participation", records.write_reviews(rng, areas, folder), {}),
                        ("voice-checks", records.write_voice_checks(rng, areas, folder), {}),
                        ("actions", heard.write_actions(rng, areas, small.make_model(rng, areas), folder), {}),
                        ("themes", heard.write_themes(rng, areas, folder), {})]
            dfe_files, dfe_source = dfe_batches(seed, areas, folder)
            batches += [("dfe", [p], opts) for p, opts in dfe_files]
            write_seconds = time.perf_counter() - t
            con = store.connect(building)
            try:
                for kind, files, options in batches:
                    say(f"loading {files[0].name if len(files) == 1 else f'{len(files)} files'} ({kind})")
                    t = time.perf_counter()
                    try:
                        # The real DfE files (from the shared folder) are not marked synthetic.
                        done = run_load(con, loader_for(kind), files, options=options,
                                        synthetic=folder in files[0].parents, publish=False)
                    except LoadRejected as exc:
                        raise RuntimeError(f"the national demo's {kind} files were rejected:\n"
                                           f"{exc.problems.render(cap=10)}") from None
                    loads.append(LoadTiming(kind, files[0].name if len(files) == 1 else f"{len(files)} files",
                                            sum(r.rows for r in done), time.perf_counter() - t))
                say("publishing every figure (computed and gated once, read by every page)")
                t = time.perf_counter()
                published = publish_all(con)
                publish_seconds = time.perf_counter() - t
                say(published.describe())
                counts = {what: con.execute(store.with_identifiers("SELECT count(*) FROM {t}", t=t)).fetchall()[0][0]
                          for t, what in TABLES}
                con.execute("CHECKPOINT")
            finally:
                con.close()
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        os.replace(building, db)
    except BaseException:
        for p in (building, building.with_name(building.name + ".wal")):
            p.unlink(missing_ok=True)
        raise
    return NationalSummary(db, len(areas), NATIONAL_WAVES, counts, dfe_source, write_seconds, loads,
                           time.perf_counter() - started, publish_seconds, published.figures)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TABLES = [("survey_responses", "survey answers"), ("survey_answer_counts", "survey answer counts"),
          ("feedback_forms", "feedback forms"), ("reviews", "reviews with PN codes"),
          ("voice_checks", "voice checks"), ("actions", "'you said, we did' actions"),
          ("themes", "theme records"), ("dfe_values", "DfE statistics cells"),
          ("statistical_neighbours", "statistical neighbour pairs")]
