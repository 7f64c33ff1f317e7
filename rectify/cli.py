"""The `rectify` command line: a thin shell over etl/ and warehouse/.

A user's mistake (missing file, bad encoding, not a report) prints one line naming the
file, the problem and what to do, and exits 2; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help="warehouse file (default: $RECTIFY_DB or warehouse/rectification.duckdb)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rectify",
        description=(
            "Turn rectification progress reports (巡视/巡察整改进展情况的通报) into a DuckDB warehouse "
            "and serve a dashboard on it."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("text", help="print a report's plain text (what every offset points into)")
    p.add_argument("file", type=Path)

    p = sub.add_parser("extract", help="print the extraction as JSON (spec/extraction.md)")
    p.add_argument("file", type=Path)
    p.add_argument("--compact", action="store_true", help="one line of JSON instead of indented")

    p = sub.add_parser("load", help="load report files or folders into the warehouse (atomic)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _db_arg(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("reports", help="list the reports in the warehouse")
    _db_arg(p)

    p = sub.add_parser("eval", help="score an extraction against a hand-annotated gold")
    p.add_argument(
        "gold", type=Path, help="gold JSON: one report, or an index list with 'file' entries"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = sub.add_parser("override", help="record an analyst's correction, kept across reloads")
    _db_arg(p)
    p.add_argument("report", help="report id (see `rectify reports`) or file name")
    p.add_argument("--measure", help="measure id, e.g. M12")
    p.add_argument("--category", choices=["governance", "safety", "party_building", "assets"])
    p.add_argument("--status", choices=["completed", "in_progress", "ongoing", "not_started"])
    p.add_argument("--departments", help="comma-separated canonical department names")
    p.add_argument("--value", type=float, help="with --indicator: the metric's value")
    p.add_argument("--indicator", help="indicator code for the metric, or 'none'")
    p.add_argument("--note", help="why (kept in the overrides file)")

    p = sub.add_parser("serve", help="serve the dashboard (gunicorn)")
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from etl.errors import InputError
    from etl.rules import RulesError
    from warehouse.db import WarehouseError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (InputError, WarehouseError, RulesError) as exc:
        print(f"rectify: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _db(args) -> Path:
    from warehouse.db import default_db_path

    return Path(args.db) if args.db else default_db_path()


def cmd_text(args) -> int:
    from etl.reader import read_document

    sys.stdout.write(read_document(args.file).text + "\n")
    return 0


def cmd_extract(args) -> int:
    from etl.pipeline import prepare_file

    x = prepare_file(args.file).extraction
    print(json.dumps(x.to_dict(), ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def cmd_load(args) -> int:
    from tqdm import tqdm

    from etl.pipeline import expand_paths, load_paths

    db = _db(args)
    files = expand_paths(args.paths)
    show_bar = not args.quiet and len(files) > 1 and sys.stderr.isatty()
    bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=not show_bar)
    result = load_paths(args.paths, db, on_file=lambda _p: bar.update(1))
    bar.close()
    for p in result.loaded:
        x = p.extraction
        print(
            f"loaded {p.file_name} → report {p.report_id}: {len(x.findings)} findings, "
            f"{len(x.measures)} measures, {len(x.metrics)} metrics"
        )
    if result.loaded:
        print(f"warehouse {db}: {len(result.loaded)} report(s) loaded")
    if result.failed:
        print(f"rectify: {len(result.failed)} file(s) not loaded:", file=sys.stderr)
        for _path, message in result.failed:
            print(f"  {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not result.loaded:
        print(
            "rectify: no report files found in the given paths. Give .txt or .html reports",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return 0


def cmd_reports(args) -> int:
    from warehouse.db import connect_readonly
    from warehouse.queries import list_reports

    con = connect_readonly(_db(args))
    frame = list_reports(con)
    con.close()
    if frame.empty:
        print("no reports loaded yet: rectify load data/samples")
        return 0
    for row in frame.itertuples():
        name = next(
            (v for v in (row.title, row.inspected_unit) if isinstance(v, str) and v), "(untitled)"
        )
        print(
            f"{row.report_id}  {row.file_name}  {name}  "
            f"items {row.n_items}, measures {row.n_measures}, metrics {row.n_metrics}"
        )
    return 0


def cmd_eval(args) -> int:
    from etl.errors import InputError
    from etl.evaluate import evaluate, gold_for, render
    from etl.extract import extract
    from etl.reader import read_document

    try:
        gold_doc = json.loads(args.gold.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            args.gold, f"cannot read the gold ({exc})", "give the gold JSON file"
        ) from exc
    for i, file in enumerate(args.files):
        try:
            gold = gold_for(gold_doc, file)
        except KeyError as exc:
            raise InputError(
                file, "has no entry in the gold", "check the gold file's 'file' names"
            ) from exc
        pred = extract(read_document(file).text).to_dict()
        if i:
            print()
        print(render(evaluate(pred, gold), str(file)))
    return 0


def cmd_override(args) -> int:
    from etl.errors import InputError
    from etl.overrides import Override, overrides_path, read_overrides, write_overrides
    from etl.pipeline import load_paths
    from etl.rules import load_rules
    from warehouse.db import connect_readonly

    db = _db(args)
    o = Override(
        report=args.report,
        measure=args.measure,
        category=args.category,
        status=args.status,
        departments=[d.strip() for d in args.departments.split(",")] if args.departments else None,
        metric_value=args.value,
        indicator=args.indicator,
        note=args.note,
    )
    if not any([o.category, o.status, o.departments, o.indicator]):
        raise InputError(
            args.report,
            "nothing to override",
            "pass --category, --status, --departments or --indicator",
        )
    if o.metric_value is None and not o.measure:
        raise InputError(args.report, "no measure given", "pass --measure M12")
    o.validate({i.code for i in load_rules().indicators})
    con = connect_readonly(db)
    row = con.execute(
        "SELECT report_id, source_path FROM report WHERE report_id = $r OR file_name = $r",
        {"r": args.report},
    ).fetchone()
    con.close()
    if row is None:
        raise InputError(args.report, "no such report in the warehouse", "see `rectify reports`")
    path = overrides_path(db)
    write_overrides(path, read_overrides(path) + [o])
    if Path(row[1]).exists():
        load_paths([row[1]], db)
        print(f"override recorded in {path} and applied to report {row[0]}")
    else:
        print(f"override recorded in {path}; it applies when {row[1]} is loaded again")
    return 0


def cmd_serve(args) -> int:
    db = _db(args)
    os.environ["RECTIFY_DB"] = str(db)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    argv = [
        str(gunicorn),
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        # Threads let the page's many small callbacks run side by side instead of queueing
        # behind one slow one; each callback takes its own DuckDB cursor.
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "dashboard.wsgi:server",
    ]
    print(f"serving the dashboard on http://{args.host}:{args.port} (warehouse {db})", flush=True)
    os.execv(argv[0], argv)
    return 0


COMMANDS = {
    "text": cmd_text,
    "extract": cmd_extract,
    "load": cmd_load,
    "reports": cmd_reports,
    "eval": cmd_eval,
    "override": cmd_override,
    "serve": cmd_serve,
}

if __name__ == "__main__":
    sys.exit(main())
