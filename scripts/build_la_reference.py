"""Build data/reference/la_codes.csv from the DfE explore-education-statistics files.

Run by a developer when DfE publishes new codes; the output is committed so the product
works without ../shared. Only public LA codes, names and regions are kept.

    python scripts/build_la_reference.py ../shared/data/dfe
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "la_codes.csv"

# Areas that ceased to exist: (new code) -> successor codes, date, what happened.
REORGANISED = {
    "E10000006": ("E06000063;E06000064", "2023-04-01", "Cumbria split into Cumberland and Westmorland and Furness"),
    "E10000021": ("E06000061;E06000062", "2021-04-01", "Northamptonshire split into North and West Northamptonshire"),
    "E06000028": ("E06000058", "2019-04-01", "Bournemouth merged into Bournemouth, Christchurch and Poole"),
    "E06000029": ("E06000058", "2019-04-01", "Poole merged into Bournemouth, Christchurch and Poole"),
    "E10000009": ("E06000059", "2019-04-01", "Dorset County Council replaced by Dorset Council (unitary)"),
}
# Same area, new ONS code (unitary status or boundary-neutral recoding).
RECODED = {
    "E10000023": ("E06000065", "2023-04-01", "North Yorkshire became a unitary authority (new code)"),
    "E10000027": ("E06000066", "2023-04-01", "Somerset became a unitary authority (new code)"),
    "E10000002": ("E06000060", "2020-04-01", "Buckinghamshire became a unitary authority (new code)"),
    "E08000016": ("E08000038", "2021-04-01", "Barnsley recoded after a boundary change"),
    "E08000019": ("E08000039", "2021-04-01", "Sheffield recoded after a boundary change"),
    "E08000020": ("E08000037", "2013-04-01", "Gateshead recoded after a boundary change with Northumberland"),
    "E06000048": ("E06000057", "2013-04-01", "Northumberland recoded after a boundary change with Gateshead"),
}
# Codes in older files that no shared file shows any more (added to the reference by hand from ONS).
EXTRA = [
    {"new_la_code": "E08000020", "old_la_code": "390", "la_name": "Gateshead", "region_code": "E12000001",
     "region_name": "North East"},
    {"new_la_code": "E06000048", "old_la_code": "929", "la_name": "Northumberland", "region_code": "E12000001",
     "region_name": "North East"},
]


def main(folder: str) -> None:
    seen: dict[str, dict[str, str]] = {}
    for path in sorted(Path(folder).glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if "geographic_level" not in (reader.fieldnames or []):
                continue
            for row in reader:
                if row["geographic_level"] != "Local authority":
                    continue
                code = row["new_la_code"].strip()
                entry = seen.setdefault(code, {
                    "new_la_code": code,
                    "old_la_code": row["old_la_code"].strip(),
                    "la_name": row["la_name"].strip(),
                    "region_code": row["region_code"].strip(),
                    "region_name": row["region_name"].strip(),
                    "first_year": row["time_period"][:4],
                    "last_year": row["time_period"][:4],
                })
                year = row["time_period"][:4]
                entry["first_year"] = min(entry["first_year"], year)
                entry["last_year"] = max(entry["last_year"], year)
    for e in EXTRA:
        seen.setdefault(e["new_la_code"], e)
    rows = []
    for code, e in sorted(seen.items(), key=lambda kv: (kv[1]["old_la_code"], kv[0])):
        status, successor, changed_on, note = "current", "", "", ""
        if code in REORGANISED:
            status = "reorganised"
            successor, changed_on, note = REORGANISED[code]
        elif code in RECODED:
            status = "recoded"
            successor, changed_on, note = RECODED[code]
        rows.append({
            "new_la_code": code, "old_la_code": e["old_la_code"], "la_name": e["la_name"],
            "region_code": e["region_code"], "region_name": e["region_name"], "status": status,
            "successor_codes": successor, "changed_on": changed_on, "note": note,
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} LAs to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/dfe")
