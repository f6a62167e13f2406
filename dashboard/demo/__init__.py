"""`voice-dashboard demo`: a realistic, entirely SYNTHETIC demonstration database.

The demo goes through the real loaders: it writes input files in the contract formats (spec
section 3) into a temporary folder, every file named SYNTHETIC_..., and loads each kind with
`run_load(..., synthetic=True)`, so every load is marked synthetic in the load log. It builds
into a temporary file beside the target and moves it into place only when complete, so a
half-built demo never sits at the target path. The same seed always gives the same data.

Real: the twelve LAs' codes, names and regions, and their DfE 2025 statistical neighbours.
Invented: everything else (answers, forms, reviews, checks, actions, quotes, statistics).
"""
from __future__ import annotations

import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dashboard import store
from dashboard.demo import activities, dfe, heard, records, survey
from dashboard.demo.places import Area, focus_areas
from dashboard.loaders import loader_for, run_load
from dashboard.publish import publish_all
from dashboard.problems import LoadRejected

# What the summary counts, in this order: (table, what a row is).
TABLES = [("survey_responses", "survey answers"), ("survey_answer_counts", "survey answer counts"),
          ("feedback_forms", "feedback forms"), ("reviews", "reviews with PN codes"),
          ("voice_checks", "voice checks"), ("actions", "'you said, we did' actions"),
          ("themes", "theme records"), ("dfe_values", "DfE statistics cells"),
          ("statistical_neighbours", "statistical neighbour pairs")]


@dataclass
class Batch:
    """Files of one kind loaded in one run_load call, with its options."""

    kind: str
    files: list[Path]
    options: dict = field(default_factory=dict)


def _rng(seed: int, part: str) -> random.Random:
    """One independent random stream per part of the demo (string seeds are hashed with
    SHA-512 by `random`, so they do not depend on PYTHONHASHSEED)."""
    return random.Random(f"voice-dashboard-demo/{seed}/{part}")


def write_files(seed: int, folder: Path, areas: list[Area] | None = None) -> list[Batch]:
    """Write every synthetic input file into `folder`; returns them in load order."""
    areas = areas or focus_areas()
    folder.mkdir(parents=True, exist_ok=True)
    model = survey.make_model(_rng(seed, "survey-model"), areas)
    batches = [
        Batch("bright-spots", survey.write_survey_files(_rng(seed, "survey"), areas, folder, model=model)),
        Batch("feedback", records.write_feedback(_rng(seed, "feedback"), areas, folder)),
        Batch("participation", records.write_reviews(_rng(seed, "reviews"), areas, folder)),
        Batch("voice-checks", records.write_voice_checks(_rng(seed, "voice-checks"), areas, folder)),
        Batch("actions", heard.write_actions(_rng(seed, "actions"), areas, model, folder)),
        Batch("themes", heard.write_themes(_rng(seed, "themes"), areas, folder)),
        Batch("voice-activities", activities.write_activities(_rng(seed, "voice-activities"), areas, folder)),
    ]
    for name, path in dfe.write_dfe_files(_rng(seed, "dfe"), areas, folder).items():
        batches.append(Batch("dfe", [path], {"dataset": name}))
    batches.append(Batch("dfe", [dfe.write_neighbours(areas, folder)]))   # model named from the file: sn_2025
    return batches


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def build_demo(db: Path, seed: int = 2024, progress: Callable[[str], None] | None = None,
               force: bool = False) -> str:
    """Build the demo database at `db`; returns a summary in words. Does nothing when `db`
    exists, unless `force`."""
    db = Path(db)
    say = progress or (lambda msg: None)
    if db.exists() and not force:
        return (f"{db} already exists: nothing was changed. "
                "Use --force to rebuild the synthetic demo there (it replaces the whole file).")
    started = time.perf_counter()
    db.parent.mkdir(parents=True, exist_ok=True)
    building = db.with_name(f".{db.name}.building-{os.getpid()}")
    _remove(building)
    try:
        with tempfile.TemporaryDirectory(prefix="voice-demo-") as tmp:
            say(f"writing SYNTHETIC input files (seed {seed})")
            batches = write_files(seed, Path(tmp))
            con = store.connect(building)
            try:
                for batch in batches:
                    what = (batch.files[0].name if len(batch.files) == 1
                            else f"{len(batch.files)} SYNTHETIC_... files")
                    say(f"loading {what} ({batch.kind})")
                    try:
                        run_load(con, loader_for(batch.kind), batch.files, options=batch.options, synthetic=True,
                                 publish=False)
                    except LoadRejected as exc:
                        raise RuntimeError(f"the demo's own synthetic {batch.kind} files were rejected (a bug in "
                                           f"dashboard/demo):\n{exc.problems.render(cap=10)}") from None
                say("publishing every figure (computed and gated once, read by every page)")
                say(publish_all(con).describe())
                counts = {t: con.execute(store.with_identifiers("SELECT count(*) FROM {t}", t=t)).fetchall()[0][0]
                          for t, _ in TABLES}
                con.execute("CHECKPOINT")
            finally:
                con.close()
        # A write-ahead log left by an earlier, interrupted use of the target would be replayed
        # onto the new file: remove it before the new file takes the target's place.
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
        os.replace(building, db)
        activities.write_lundy(_rng(seed, "voice-activities"), _rng(seed, "lundy"), db)
    except BaseException:
        _remove(building)
        raise
    seconds = time.perf_counter() - started
    return summary(db, seed, counts, seconds)


def summary(db: Path, seed: int, counts: dict[str, int], seconds: float) -> str:
    names = "; ".join(a.name for a in focus_areas())
    lines = [f"Built the SYNTHETIC demo database {db} (seed {seed}) in {seconds:.1f} s.",
             "Every answer, form, review, check, action, quote and statistic in it is invented; only the LA "
             f"names, codes, regions and statistical neighbours are real. LAs: {names}."]
    width = max(len(what) for _, what in TABLES)
    for table, what in TABLES:
        lines.append(f"  {what:<{width}}  {counts[table]:>9,}")
    return "\n".join(lines)
