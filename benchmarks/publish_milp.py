"""Time a full publish of an existing database and say what the MILP secondary suppression did.

    .venv/bin/python benchmarks/publish_milp.py DB

Gates every family again (as `dashboard publish` does) and prints the wall and CPU seconds, then how
many families went to the MILP (dashboard/secondary_milp.py) and how each ended: its pattern kept
("milp"), the greedy one proved as cheap ("greedy"), or the time or round limit hit: the greedy
steps from the master's last pattern kept ("repaired") or the greedy pattern ("fallback"),
with the people hidden for others' sake by the greedy choice and by what was kept.
"""
from __future__ import annotations

import sys
import time
from collections import Counter

from dashboard import secondary_milp, store
from dashboard.publish import publish_all


def main() -> None:
    con = store.connect(sys.argv[1])
    started, cpu = time.perf_counter(), time.process_time()
    release = publish_all(con)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(release.describe())
    print(f"publish: {wall:.1f} s wall, {cpu:.1f} s CPU")
    out = secondary_milp.LAST
    print(f"MILP ran on {len(out)} families: {dict(Counter(o.used for o in out))} "
          f"(limits hit: {dict(Counter(o.why for o in out if o.why))}); "
          f"{sum(o.seconds for o in out):.1f} s in all, longest {max((o.seconds for o in out), default=0):.2f} s, "
          f"rounds at most {max((o.rounds for o in out), default=0)}")
    print(f"people hidden for others' sake in those families: greedy {sum(o.greedy_cost for o in out):,}, "
          f"kept {sum(o.cost for o in out):,}")


if __name__ == "__main__":
    main()
