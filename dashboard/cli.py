"""The voice-dashboard command line."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from dashboard import __version__, paths
from dashboard.problems import LoadRejected, UserError


SCOPE_SHOWN = 6    # parts of a load's scope printed after it (every part is in the load log)


def short_scope(scope: str, most: int = SCOPE_SHOWN) -> str:
    """What a file covered, for the line printed after its load: a national file covers hundreds of
    LAs and waves, which made one unreadable line; the first few and how many more (the load log,
    `voice-dashboard loads`, keeps every one)."""
    parts = [p for p in (scope or "").split("; ") if p]
    if len(parts) <= most:
        return scope
    return "; ".join(parts[:most]) + f"; and {len(parts) - most:,} more (voice-dashboard loads lists them all)"


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_load(args: argparse.Namespace) -> int:
    import duckdb

    from dashboard import store
    from dashboard.loaders import loader_for, run_load
    from dashboard.loaders.base import check_files

    db = paths.resolve_db(args.db)
    loader = loader_for(args.kind)
    files = [Path(p) for p in args.paths]   # exactly as named: never expanded as patterns
    started = time.perf_counter()
    options = {"sheet": args.sheet, "dataset": getattr(args, "dataset", None)}
    progress = (lambda m: _err(m)) if not args.quiet else None
    con = None
    try:
        # Every file is read and checked before the database is opened, so no file holds the lock.
        checked = check_files(loader, files, options, progress)
        con = store.connect(db)
        results = run_load(con, loader, files, replace=args.replace, options=options,
                           progress=progress, checked=checked)
    except LoadRejected as exc:
        n = exc.problems.total
        _err(f"Nothing was loaded: {n} problem{'s' if n != 1 else ''} found. The database is unchanged.")
        _err(exc.problems.render(cap=args.max_problems))
        return 1
    except (duckdb.ConstraintException, duckdb.ConversionException, duckdb.OutOfRangeException) as exc:
        # A value the checks let through but the database would not store: the transaction was
        # rolled back, so this is still a refusal of the file, not a crash.
        names = ", ".join(p.name for p in files)
        _err(f"Nothing was loaded: the database refused a value in {names} "
             f"({str(exc).splitlines()[0][:200]}). The database is unchanged. Please report this: "
             "the file's checks should have named the row.")
        return 1
    finally:
        if con is not None:
            con.close()
    seconds = time.perf_counter() - started
    rows = sum(r.rows for r in results if r.status == "loaded")
    for r in results:
        if r.status == "skipped":
            print(r.message)
            continue
        print(f"loaded {r.file_name} as load #{r.load_id}: {r.rows:,} rows ({short_scope(r.scope)})")
        for line in r.replaced:
            print(f"  replaced {line}")
        if r.message:
            for line in r.message.splitlines():
                print(f"  note: {line}")
    if rows:
        print(f"{rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows per second) into {db}")
    return 0


def cmd_loads(args: argparse.Namespace) -> int:
    from dashboard import store

    db = paths.resolve_db(args.db)
    con = store.connect(db, read_only=True)
    try:
        rows = con.cursor().execute(store.sql("load_history")).fetchall()
    finally:
        con.close()
    if not rows:
        print(f"no loads yet in {db}")
        return 0
    header = ["load", "when (UTC)", "kind", "file", "rows", "covers", "replaced", "sha256", "version"]
    print("\t".join(header))
    for r in rows:
        print("\t".join("" if v is None else str(v) for v in r))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from dashboard.demo import build_demo

    las = getattr(args, "las", None)
    if las is not None and getattr(args, "scale", "small") != "national":
        raise UserError("--las is for --scale national only (the small demo always has its 12 LAs)")
    if las is not None and las < 1:
        raise UserError(f"--las must be at least 1 (got {las})")
    if getattr(args, "scale", "small") == "national":
        from dashboard.demo.national import build_national

        if not args.db:
            raise UserError("--scale national needs --db PATH (it is a large file, about 1 GB: choose where it goes)")
        print(build_national(Path(args.db), seed=args.seed, progress=_err, force=args.force, las=args.las))
        return 0
    db = Path(args.db) if args.db else paths.DEMO_DB
    if args.force and db.exists():
        from dashboard.backup import real_loads

        n = real_loads(db)
        if n:
            raise UserError(f"{db} holds {n} load{'s' if n != 1 else ''} of real (non-demo) data: 'demo --force' "
                            "would replace the whole file, so it did nothing. Build the demo in another file with "
                            "--db, or back this one up ('voice-dashboard backup') and remove it yourself first")
    summary = build_demo(db, seed=args.seed, progress=_err, force=args.force)
    print(summary)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from dashboard import store
    from dashboard.publish import publish_all

    db = paths.resolve_db(args.db)
    if not db.exists():
        raise UserError(f"no database at {db}")
    con = store.connect(db)
    try:
        print(publish_all(con, progress=None if args.quiet else _err).describe())
    finally:
        con.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.serve import serve

    return serve(args)


def cmd_catalogue_check(args: argparse.Namespace) -> int:
    from dashboard.catalogue_check import check

    folder = Path(args.path) if args.path else paths.INDICATORS
    findings = check(folder)
    if findings:
        print(f"{len(findings)} problem{'s' if len(findings) != 1 else ''} in the catalogue at {folder}:")
        for f in findings:
            print(f"- {f}")
        return 1
    from dashboard.catalogue import load_catalogue

    cat = load_catalogue(folder)
    by_source: dict[str, int] = {}
    for ind in cat.indicators:
        by_source[ind.source] = by_source.get(ind.source, 0) + 1
    print(f"catalogue at {folder} is valid: {len(cat.indicators)} indicators in {len(cat.domains)} domains ("
          + ", ".join(f"{n} {s}" for s, n in sorted(by_source.items())) + ")")
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    from dashboard import store
    from dashboard.catalogue import default_catalogue
    from dashboard.engine.figures import BREAKDOWNS, Selection, indicator_table
    from dashboard.exports import write_table
    from dashboard.reference import la_reference

    catalogue = default_catalogue()
    la = la_reference().canonical(args.la)
    if la is None:
        raise UserError(f"unknown LA code '{args.la}': give a 9-character code like E10000016 or a 3-digit code like 886")
    if args.domain and args.domain not in catalogue.domain_ids():
        raise UserError(f"unknown domain '{args.domain}': one of {', '.join(catalogue.domain_ids())}")
    if args.breakdown and args.breakdown not in BREAKDOWNS:
        raise UserError(f"unknown breakdown '{args.breakdown}': one of {', '.join(BREAKDOWNS)}")
    con = store.connect(paths.resolve_db(args.db), read_only=True)
    try:
        table = indicator_table(con, Selection(la, args.wave, args.domain, args.breakdown, args.age_band,
                                               args.cohort), catalogue)
    finally:
        con.close()
    if table.height == 0:
        _err(f"no figures for {la_reference().label(la)} in {args.wave}: check the wave with 'voice-dashboard loads'")
        return 1
    write_table(table, sys.stdout, args.format)
    return 0


def cmd_disclosure_audit(args: argparse.Namespace) -> int:
    from dashboard import store
    from dashboard.audit import audit_database

    con = store.connect(paths.resolve_db(args.db), read_only=True)
    try:
        report = audit_database(con, progress=_err if args.verbose else None)
    finally:
        con.close()
    print(report.summary(cap=args.max_findings))
    return 0 if report.ok else 1


def _document_source(args: argparse.Namespace, out: Path) -> tuple[str, Path]:
    """The LA (today's code) and database a document command reads, and a folder to write to,
    each checked with a message that says what to do."""
    from dashboard.reference import la_reference

    la = la_reference().canonical(args.la)
    if la is None:
        raise UserError(f"unknown LA code '{args.la}': give a 9-character code like E10000016 or a 3-digit code like 886")
    db = paths.resolve_db(args.db)
    if not db.exists():
        raise UserError(f"no database at {db}: load files first, or build the demo with 'voice-dashboard demo'")
    if not out.parent.is_dir():
        raise UserError(f"--out {args.out}: the folder {out.parent} does not exist")
    return la, db


def _write_whole(out: Path, data: bytes) -> None:
    """All or nothing: a report or statement file that exists is a whole one."""
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)


def cmd_report(args: argparse.Namespace) -> int:
    from dashboard import store
    from dashboard.reference import la_reference
    from dashboard.report import make_brief_layout, make_layout

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("html", "pdf"):
        raise UserError(f"--out {args.out}: the file name must end in .html or .pdf (that decides the format)")
    la, db = _document_source(args, out)
    con = store.connect(db, read_only=True)
    try:
        make = make_brief_layout if args.brief else make_layout
        layout = make(con, la, args.wave, args.cohort,
                      progress=None if args.quiet else (lambda message, fraction: _err(f"{fraction:4.0%} {message}")))
    finally:
        con.close()
    report = layout.report
    if report.figure_count() == 0 and not report.actions:
        _err(f"no figures or actions for {la_reference().label(la)} in {args.wave}: nothing to report. "
             "Check the wave with 'voice-dashboard loads'")
        return 1
    if fmt == "html":
        from dashboard.report.html import render_html

        data = render_html(layout).encode("utf-8")
    else:
        from dashboard.report.pdf import render_pdf

        data = render_pdf(layout)
    _write_whole(out, data)
    print(f"wrote {out} ({len(data) / 1024:,.0f} KB): {layout.heading}"
          + (" [SYNTHETIC DEMO DATA]" if report.synthetic else ""))
    return 0


def cmd_statement(args: argparse.Namespace) -> int:
    """The annual "how we listen and respond" statement (data set 1a), or its child-friendly version."""
    from dashboard import store
    from dashboard.statement import output

    out = Path(args.out)
    output.check_format(out, args.child_friendly)
    la, db = _document_source(args, out)
    con = store.connect(db, read_only=True)
    try:
        doc = output.document(con, la, args.year, db, child_friendly=args.child_friendly, require_data=True)
    finally:
        con.close()
    data = output.render(doc, out.suffix)
    _write_whole(out, data)
    print(f"wrote {out} ({len(data) / 1024:,.0f} KB): {doc.title}" + (" [SYNTHETIC DEMO DATA]" if doc.synthetic else ""))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from dashboard.backup import backup

    db = paths.resolve_db(args.db)
    result = backup(db, Path(args.out))
    print(f"backed up {db} to {result.path}: {result.tables} tables, {result.rows:,} rows, "
          f"{result.bytes / 1048576:,.1f} MB (checked after writing)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from dashboard.backup import restore

    db = paths.resolve_db(args.db)
    result = restore(Path(args.file), db)
    print(f"restored {db} from {args.file}: {result.tables} tables, {result.rows:,} rows (checked after copying)")
    if result.kept_aside:
        print(f"the database it replaced is kept at {result.kept_aside}: delete it once you are sure")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voice-dashboard", description=(
        "What children in care, care leavers and families say, beside the DfE children's social care "
        "metrics, with disclosure control on every figure."))
    parser.add_argument("--version", action="version", version=f"voice-dashboard {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full error on an unexpected failure")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_help = "the DuckDB file (default: $VOICE_DB, else data/voice.duckdb)"

    from dashboard.loaders import KINDS

    p = sub.add_parser("load", help="load input files (all or nothing)")
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", help=db_help)
    p.add_argument("--replace", action="store_true",
                   help="replace what is already loaded for the same wave/dataset/records, saying what was replaced")
    p.add_argument("--sheet", help="Excel: the sheet to read (default: the first)")
    p.add_argument("--dataset", help="dfe: the name to store the file under (default: the file name)")
    p.add_argument("--max-problems", type=int, default=50, help="how many problems to print (default 50)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("loads", help="list every successful load (provenance)")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_loads)

    p = sub.add_parser("demo", help="build a synthetic demonstration database")
    p.add_argument("--db", help="where to build it (default: data/demo.duckdb)")
    p.add_argument("--seed", type=int, default=2024, help="the random seed: same seed, same data (default 2024)")
    p.add_argument("--force", action="store_true", help="rebuild even if the file exists")
    p.add_argument("--scale", choices=["small", "national"], default="small",
                   help="small: 12 LAs, 3 waves (default); national: every English LA, 6 waves, over 10 million "
                   "answers, the real DfE files where ../shared/data/dfe is present (needs --db)")
    p.add_argument("--las", type=int, metavar="N", help="--scale national only: N of the LAs (spread evenly over "
                   "the codes), the same shape at a fraction of the time, to measure the build")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="copy the database to a new file, safely, even while the dashboard runs")
    p.add_argument("--db", help=db_help)
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to write (must not exist yet)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (the old file is kept aside)")
    p.add_argument("file", metavar="FILE", help="a backup written by 'voice-dashboard backup'")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("indicators", help="the disclosure-controlled figures for an LA and wave")
    p.add_argument("--db", help=db_help)
    p.add_argument("--la", required=True, help="the LA: 9-character code (E10000016) or 3-digit code (886)")
    p.add_argument("--wave", required=True, type=int, help="the survey wave, or the year for DfE and record measures")
    p.add_argument("--domain", help="only this Bright Spots domain (e.g. home)")
    p.add_argument("--breakdown", help="also the figures by gender, placement_type, disability, age_band, "
                   "service, respondent, stage or review_type")
    p.add_argument("--age-band", default="all", help="an age band such as 11-17 (default: all ages)")
    p.add_argument("--cohort", help="children_in_care or care_leavers: whose survey figures (record measures and "
                                    "DfE metrics are always included); another population: only its figures")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("report", help="the corporate parenting panel report for an LA and wave, as HTML or PDF")
    p.add_argument("--db", help=db_help)
    p.add_argument("--la", required=True, help="the LA: 9-character code (E10000016) or 3-digit code (886)")
    p.add_argument("--wave", required=True, type=int, help="the survey wave (DfE and record measures: latest year up to it)")
    p.add_argument("--cohort", choices=["children_in_care", "care_leavers"],
                   help="only this survey's figures (default: children in care and care leavers)")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write it: FILE.html or FILE.pdf")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.add_argument("--brief", action="store_true",
                   help="the panel brief (2 to 4 pages) with the full report as its appendix")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("statement", help="the annual 'how we listen and respond' statement (data set 1a) for an "
                       "LA and year, as HTML, PDF or Word")
    p.add_argument("--db", help=db_help)
    p.add_argument("--la", required=True, help="the LA: 9-character code (E10000016) or 3-digit code (886)")
    p.add_argument("--year", required=True, type=int, help="the reporting year, ending 31 March (2025 = April 2024 to March 2025)")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write it: FILE.html, FILE.pdf or FILE.docx")
    p.add_argument("--child-friendly", action="store_true", help="the version for children and young people (HTML or PDF)")
    p.set_defaults(func=cmd_statement)

    p = sub.add_parser("disclosure-audit", help="check every figure the app and CLI can publish against the "
                       "disclosure rules (exit 1 on any finding)")
    p.add_argument("--db", help=db_help)
    p.add_argument("--max-findings", type=int, default=50, help="how many findings to print (default 50)")
    p.add_argument("--verbose", action="store_true", help="say which indicator is being audited")
    p.set_defaults(func=cmd_disclosure_audit)

    p = sub.add_parser("catalogue", help="the indicator catalogue")
    catalogue_sub = p.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    c = catalogue_sub.add_parser("check", help="report every mistake in the catalogue with file, line and field")
    c.add_argument("path", nargs="?", help="the catalogue folder (default: indicators/)")
    c.set_defaults(func=cmd_catalogue_check)

    p = sub.add_parser("publish", help="compute and gate every figure again (after a catalogue or rules change); "
                                       "loads do this themselves")
    p.add_argument("--db", help=db_help)
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("serve", help="start the dashboard (headless)")
    p.add_argument("--db", help=db_help)
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--demo", action="store_true", help="use the demo database, building it first if missing")
    p.add_argument("--open", action="store_true", help="open a browser")
    p.add_argument("--secrets", help="Streamlit secrets file with an [auth] section: sign-in on (else VOICE_SECRETS)")
    p.add_argument("--roles", help="roles file: who sees which pages and LAs (else VOICE_ROLES)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted: nothing from the unfinished step was kept")
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        if args.debug or os.environ.get("VOICE_DEBUG"):
            raise
        _err(f"error: unexpected failure ({type(exc).__name__}: {exc}). Nothing from the unfinished step was kept. "
             "Run again with --debug for details.")
        return 3


if __name__ == "__main__":
    sys.exit(main())
