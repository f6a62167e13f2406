"""Time the disclosure gate for one survey indicator at national scale, on generated data.

    .venv/bin/python benchmarks/disclosure_national.py [N_LAS] [WAVES]

Synthetic counts only: N_LAS local authorities (default 153), 3 age bands, respondents drawn by
gender x placement type x disability with a mix of small and large groups, as the demo does. Prints
the seconds the gate takes, the share of figures hidden, and what the attacker's LP audit finds.
"""
from __future__ import annotations

import random
import sys
import time

import polars as pl

from dashboard import audit
from dashboard.engine.atoms import Atoms
from dashboard.engine.cells import gate

GENDERS, PLACEMENTS, DISABILITY = ["boy", "girl", "other"], ["foster", "kinship", "residential", "other"], ["yes", "no"]


def generated(n_las: int, waves: int = 1, seed: int = 9) -> Atoms:
    rnd = random.Random(seed)
    rows = []
    for i in range(n_las):
        la = f"E{10000000 + i:08d}"
        size = rnd.choice([15, 40, 90, 200])          # respondents per band, small to large LAs
        for wave in range(2025, 2025 + waves):
            for band in ("4-7", "8-11", "11-17"):
                for g in GENDERS:
                    for p in PLACEMENTS:
                        for d in DISABILITY:
                            weight = (0.48 if g != "other" else 0.04) * (0.6 if p == "foster" else 0.13) * (
                                0.2 if d == "yes" else 0.8)
                            n = sum(rnd.random() < weight for _ in range(size))
                            if n:
                                yes = sum(rnd.random() < 0.8 for _ in range(n))
                                rows.append({"la_code": la, "survey": "YLYC", "wave": wave, "age_band": band,
                                             "gender": g, "placement_type": p, "disability": d, "positive": yes,
                                             "answered": n, "not_answered": rnd.randint(0, 2),
                                             "cohort": "children_in_care"})
    return Atoms("generated_feel_safe", pl.DataFrame(rows), ["gender", "placement_type", "disability"], "rate",
                 False, True)


def main() -> None:
    n_las = int(sys.argv[1]) if len(sys.argv) > 1 else 153
    waves = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    atoms = generated(n_las, waves)
    started, cpu = time.perf_counter(), time.process_time()
    gated = gate(atoms)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    shown = gated.filter(pl.col("status") != "z")
    hidden = shown.filter(pl.col("status") == "c").height
    print(f"{n_las} LAs x {waves} wave(s): {gated.height:,} figures gated in {seconds:.1f} s ({cpu:.1f} s CPU); "
          f"{hidden:,} of {shown.height:,} hidden ({100 * hidden / shown.height:.1f}%)")
    started = time.perf_counter()
    report = audit.audit_all([atoms], gate_fn=lambda _a: gated)
    found = [f for f in report.findings if f.check in ("attack", "recoverable", "primary")]
    print(f"audit (attacker's LP and rank test): {len(found)} findings in {time.perf_counter() - started:.1f} s")
    for f in found[:5]:
        print(" ", f)


if __name__ == "__main__":
    main()
