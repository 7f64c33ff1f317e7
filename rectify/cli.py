"""The `rectify` command line: a thin shell over etl/ and warehouse/.

A user's mistake (missing file, bad encoding, not a report) prints one line naming the
file, the problem and what to do, and exits 2; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

EXIT_BAD_INPUT = 2
MAX_REQUESTS = 2000  # per gunicorn worker before it is recycled (a page load is ~20 requests)


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help="warehouse file (default: $RECTIFY_DB or warehouse/rectification.duckdb)",
    )


def _category_status_args(p: argparse.ArgumentParser) -> None:
    from etl.rules import load_rules

    # The vocabulary of rules/taxonomy.yaml and rules/status.yaml (or RECTIFY_RULES_DIR's).
    rules = load_rules()
    p.add_argument("--category", choices=list(rules.category_ids))
    p.add_argument("--status", choices=list(rules.status_ids))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rectify",
        description=(
            "Turn rectification progress reports (巡视/巡察整改进展情况的通报) into a DuckDB warehouse "
            "and serve a dashboard on it."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "text",
        help="print a report's or a ledger's plain text (what every offset points into)",
    )
    p.add_argument("file", type=Path)

    p = sub.add_parser("extract", help="print the extraction as JSON (spec/extraction.md)")
    p.add_argument("file", type=Path)
    p.add_argument("--compact", action="store_true", help="one line of JSON instead of indented")

    p = sub.add_parser("load", help="load report files or folders into the warehouse (atomic)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _db_arg(p)
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar; a count of each file's warnings"
    )

    p = sub.add_parser("reports", help="list the reports in the warehouse")
    _db_arg(p)

    p = sub.add_parser("eval", help="score an extraction against a hand-annotated gold")
    p.add_argument(
        "gold", type=Path, help="gold JSON: one report, or an index list with 'file' entries"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = sub.add_parser(
        "override",
        help="correct a measure or a figure: applied at once, kept across reloads, logged",
    )
    _db_arg(p)
    p.add_argument("report", help="report id (see `rectify reports`) or file name")
    p.add_argument("--measure", help="measure id, e.g. M12")
    _category_status_args(p)
    p.add_argument("--departments", help="comma-separated canonical department names")
    p.add_argument("--deadline", help="the measure's deadline (2025-06-30), or 'none'")
    p.add_argument(
        "--value", type=float, help="which figure: its value as read (within --measure if given)"
    )
    p.add_argument("--figure", type=int, help="which figure: its number in the report")
    p.add_argument("--indicator", help="indicator code for the figure, or 'none'")
    p.add_argument("--new-value", type=float, help="the figure's corrected value")
    p.add_argument("--reason", "--note", dest="reason", required=True, help="why (kept in the log)")

    p = sub.add_parser("overrides", help="the corrections log: list it, or undo an entry")
    p.add_argument("action", choices=["list", "revert"])
    p.add_argument("entry", nargs="?", type=int, help="revert: the entry's number (#12)")
    _db_arg(p)
    p.add_argument("--report", help="list: one report's (id or file name)")
    p.add_argument("--user", help="list: one user's")
    p.add_argument("--field", help="list: one field's (status, category, value …)")
    p.add_argument("--since", help="list: from this date on (2025-06-01)")
    p.add_argument("--limit", type=int, default=None, help="list: the newest N")
    p.add_argument("--reason", help="revert: why (kept in the log)")

    p = sub.add_parser("export", help="export what the filters show: deck, csv, xlsx or images")
    p.add_argument(
        "kind",
        choices=["deck", "csv", "xlsx", "images", "parquet"],
        help="deck: PowerPoint with native charts; csv/xlsx: the rows with provenance; "
        "images: every chart as PNG and SVG; parquet: the whole warehouse, one file per table "
        "(filters do not apply)",
    )
    p.add_argument("--out", type=Path, required=True, help="file to write (a folder for images)")
    _db_arg(p)
    p.add_argument("--report", help="report id (see `rectify reports`) or file name")
    p.add_argument("--department", help="a responsible department, e.g. 区园林绿化服务中心")
    _category_status_args(p)
    p.add_argument("--q", help="only measures whose text contains this")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--template", type=Path, help="deck only: your organisation's .pptx template")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="images only: seconds the browser may take to start and to draw each chart "
        "(default 90); past it the export stops, and the browser with it",
    )

    p = sub.add_parser("serve", help="serve the dashboard (gunicorn)")
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    p.add_argument(
        "--users",
        type=Path,
        help="require a login: the users file that `rectify user add` writes (default: off, "
        "or $RECTIFY_USERS_FILE)",
    )
    p.add_argument(
        "--https",
        action="store_true",
        help="the site is reached over HTTPS through a reverse proxy on this machine: the "
        "session cookie is Secure, and the proxy's X-Forwarded-For/-Proto/-Host are trusted",
    )
    p.add_argument(
        "--allowed-hosts",
        default="",
        help="comma-separated host names the site may be reached by, besides the names "
        "--host is bound to (a leading dot allows subdomains; '*' turns the check off); "
        "behind a proxy, the public name",
    )

    p = sub.add_parser(
        "user", help="add, remove or give a role to a dashboard user (turns the login on)"
    )
    p.add_argument("action", choices=["add", "remove", "role"])
    p.add_argument("name")
    p.add_argument(
        "role_name", nargs="?", metavar="ROLE", help="role: viewer or editor (the new role)"
    )
    p.add_argument("--users", type=Path, required=True, help="the users file to change")
    p.add_argument(
        "--role",
        choices=["viewer", "editor"],
        help="add: viewer (sees everything; the default for a new user) or editor (may also "
        "correct values and mark them reviewed); an existing user keeps theirs unless given",
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    from etl.errors import InputError
    from etl.rules import RulesError
    from pipeline.corrections import CorrectionRefused
    from warehouse.errors import WarehouseError

    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (InputError, WarehouseError, RulesError) as exc:
        print(f"rectify: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CorrectionRefused as exc:
        from views.audit import refusal

        print(f"rectify: {refusal(exc.code, exc.args_, 'en')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        what = getattr(args, "file", None) or " ".join(map(str, getattr(args, "paths", [])))
        print(
            f"rectify: {what or args.command}: ran out of memory. Split the input into smaller "
            "files, or report it with the file attached",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _db(args) -> Path:
    from warehouse.db import default_db_path

    return Path(args.db) if args.db else default_db_path()


def cmd_text(args) -> int:
    """The plain text every offset points into: a report's text, or the text a ledger's rows
    are read as (what the workbook's 说明 sheet sends its offsets to)."""
    from etl.reader import read_document
    from pipeline import LEDGER_SUFFIXES, prepare_file

    if Path(args.file).suffix.lower() in LEDGER_SUFFIXES:
        text = prepare_file(args.file).extraction.text
    else:
        text = read_document(args.file).text
    sys.stdout.write(text + "\n")
    return 0


def cmd_extract(args) -> int:
    from pipeline import prepare_file

    x = prepare_file(args.file).extraction
    for chunk in x.json_chunks(None if args.compact else 2):
        sys.stdout.write(chunk)
    sys.stdout.write("\n")
    return 0


def cmd_load(args) -> int:
    from tqdm import tqdm

    from pipeline import expand_paths, item_count, load_paths, superseded

    db = _db(args)
    files = expand_paths(args.paths)
    show_bar = not args.quiet and len(files) > 1 and sys.stderr.isatty()
    bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=not show_bar)
    result = load_paths(args.paths, db, on_file=lambda _p: bar.update(1))
    bar.close()
    kept_instead = superseded(result.loaded)
    for i, p in enumerate(result.loaded):
        x = p.extraction
        review = sum(1 for w in x.warnings if w.level == "review")
        notes = len(x.warnings) - review
        doubts = (
            (f", {_count(review, 'warning')} to review" if review else "")
            + (f", {_count(notes, 'note')}" if notes else "")
            if args.quiet
            else ""
        )
        print(
            f"loaded {p.file_name} → report {p.report_id}: {_count(item_count(x), 'item')}, "
            f"{_count(len(x.measures), 'measure')}, {_count(len(x.metrics), 'metric')}{doubts}"
        )
        for w in [] if args.quiet else x.warnings:
            said = "warning" if w.level == "review" else "note"
            print(f"  {said} [{w.code}]: {w.message}")
        if i in kept_instead:
            print(
                f"  same report as {kept_instead[i].file_name} (same content) in this load: "
                f"replaced by it, not kept"
            )
        for rid, name, path in result.replaced:
            if rid == p.report_id and path != p.source_path and i not in kept_instead:
                print(f"  same report as {name}, loaded before (same content): replaces it")
            elif path == p.source_path and rid != p.report_id:
                print(f"  replaces this file's earlier version (report {rid})")
    if result.loaded:
        files_note = (
            f" from {_count(len(result.loaded), 'file')} ({len(kept_instead)} the same report "
            "as another, see above)"
            if kept_instead
            else ""
        )
        print(f"warehouse {db}: {_count(result.reports, 'report')} loaded{files_note}")
    if result.failed:
        print(f"rectify: {_count(len(result.failed), 'file')} not loaded:", file=sys.stderr)
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


def _count(n: int, noun: str) -> str:
    """1 item, 2 items, 0 metrics."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
        # The name the report goes by everywhere: title, else inspected unit, else file name.
        print(
            f"{row.report_id}  {row.file_name}  {row.label}  "
            f"items {row.n_items}, measures {row.n_measures}, metrics {row.n_metrics}"
        )
    return 0


def cmd_eval(args) -> int:
    from etl.errors import InputError
    from etl.evaluate import evaluate, gold_for, render, render_total
    from etl.extract import extract
    from etl.reader import read_document

    try:
        gold_doc = json.loads(args.gold.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            args.gold, f"cannot read the gold ({exc})", "give the gold JSON file"
        ) from exc
    scores = []
    for i, file in enumerate(args.files):
        try:
            gold = gold_for(gold_doc, file)
        except KeyError as exc:
            raise InputError(
                file, "has no entry in the gold", "check the gold file's 'file' names"
            ) from exc
        pred = extract(read_document(file).text).to_dict()
        scores.append(evaluate(pred, gold))
        if i:
            print()
        print(render(scores[-1], str(file)))
    if len(scores) > 1:
        print()
        print(render_total(scores))
    return 0


def cmd_override(args) -> int:
    from getpass import getuser

    from etl.errors import InputError
    from etl.overrides import Override
    from etl.rules import load_rules
    from pipeline.corrections import Edit, record
    from warehouse.corrections import log_path
    from warehouse.db import connect_readonly
    from warehouse.queries import correction_target, report_of

    db = _db(args)
    measure_fields = {
        "category": args.category,
        "status": args.status,
        "departments": [d.strip() for d in args.departments.split(",") if d.strip()]
        if args.departments is not None
        else None,
        "deadline": args.deadline,
    }
    figure_fields = {"indicator": args.indicator, "value": args.new_value}
    if all(v is None for v in (*measure_fields.values(), *figure_fields.values())):
        raise InputError(
            args.report,
            "nothing to correct",
            "pass --category, --status, --departments, --deadline, --indicator or --new-value",
        )
    Override(
        report=args.report,
        measure=args.measure,
        category=args.category,
        status=args.status,
        deadline=args.deadline,
        indicator=args.indicator,
        new_value=args.new_value,
        metric_value=0.0 if args.value is None else args.value,
    ).validate({i.code for i in load_rules().indicators})
    con = connect_readonly(db)
    try:
        found = report_of(con, args.report)
        if found is None:
            raise InputError(
                args.report,
                f"no report with this id or file name in {db}",
                "see `rectify reports` for the ids and file names loaded",
            )
        within = f"report {found[0]} (measures M1–M{found[2]})"
        figure = None
        if any(v is not None for v in figure_fields.values()):
            if args.value is None and args.figure is None:
                raise InputError(args.report, "which figure?", "pass --value (or --figure)")
            target = correction_target(con, args.report, args.measure, args.figure, args.value)
            if target is None:
                raise InputError(
                    args.report,
                    f"{within} has no such figure"
                    + (f" in measure {args.measure}" if args.measure else ""),
                    "check --figure, --value and --measure against `rectify extract` or the"
                    " explorer",
                )
            figure = target["metric"]
        else:
            target = correction_target(con, args.report, args.measure or "")
            if target is None:
                raise InputError(
                    args.report,
                    f"{within} has no measure {args.measure}"
                    if args.measure
                    else "no measure given",
                    "pass --measure with one of its measures, e.g. --measure M1",
                )
    finally:
        con.close()
    rid = target["report_id"]
    edits = [
        Edit(rid, name, None if value == "none" else value, measure=args.measure)
        for name, value in measure_fields.items()
        if value is not None
    ] + [
        Edit(rid, name, None if value == "none" else value, metric=figure)
        for name, value in figure_fields.items()
        if value is not None
    ]
    ids = record(db, edits, getuser(), args.reason, via="cli")
    entries = f"entr{'ies' if len(ids) > 1 else 'y'} {', '.join(f'#{i}' for i in ids)}"
    print(f"corrected report {rid}: {entries} in {log_path(db)}; applied now and on every load")
    return 0


def cmd_overrides(args) -> int:
    from getpass import getuser

    from etl.errors import InputError
    from pipeline.corrections import open_log, revert
    from views.audit import log_lines
    from views.clock import zone
    from warehouse.corrections import LogFilter

    db = _db(args)
    if args.action == "revert":
        if args.entry is None or not args.reason:
            raise InputError("revert", "which entry, and why?", "pass its number and --reason")
        new = revert(db, args.entry, getuser(), args.reason, via="cli")
        print(f"entry #{args.entry} undone by #{new}; applied now")
        return 0
    if args.since is not None:
        try:
            date.fromisoformat(args.since)
        except ValueError:
            raise InputError(
                "--since", f"{args.since!r} is not a date", "give it as 2025-06-01"
            ) from None
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit", f"{args.limit} entries", "give a number of 1 or more")
    # A day as the listed times show it: in the organisation's time zone.
    f = LogFilter(
        report=args.report, user=args.user, field=args.field, since=args.since, zone=zone()
    )
    log = open_log(db)
    entries = log.entries(f, limit=args.limit)
    if not entries:
        print("no corrections logged" + (" for these filters" if f != LogFilter() else ""))
        return 0
    for line in log_lines(entries, log.all_entries()):
        print(line)
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed export leaves no half-written file."""
    from etl.errors import InputError

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(
            str(path), f"cannot write it ({exc.strerror})", "choose another --out"
        ) from exc


def cmd_export(args) -> int:
    from etl.errors import InputError
    from views.export import gather_for
    from warehouse.db import connect_readonly
    from warehouse.filters import Filters
    from warehouse.queries import department_options, resolve_report

    if args.kind == "parquet":
        given = [
            f"--{k}"
            for k in ("report", "department", "category", "status", "q")
            if getattr(args, k)
        ]
        if given:
            raise InputError(
                " ".join(given), "filters do not apply to a parquet export", "leave them out"
            )
        return _export_parquet(connect_readonly(_db(args)), args.out)
    con = connect_readonly(_db(args))
    try:
        report = None
        if args.report:
            found = resolve_report(con, args.report)
            if found is None:
                raise InputError(
                    args.report, "no such report in the warehouse", "see `rectify reports`"
                )
            report = found[0]
        if args.department and args.department not in department_options(con):
            raise InputError(
                args.department,
                "no such responsible department in the warehouse",
                "see the department list on the dashboard's 部门 page",
            )
        f = Filters(
            report=report,
            department=args.department,
            category=args.category,
            status=args.status,
            q=args.q,
        )
        content = gather_for(args.kind, con, f, args.lang)
    finally:
        con.close()
    if not content.kpis["measures"]:
        print(
            "rectify: note: no measures match these filters; the export is empty", file=sys.stderr
        )
    if args.kind == "images":
        return _export_images(content, args.out, args.timeout)
    data = _export_bytes(args.kind, content, args.template)
    _write_atomically(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


def _export_bytes(kind: str, content, template: Path | None) -> bytes:
    from etl.errors import InputError
    from exports.deck import TemplateError, build_deck
    from exports.tables import to_csv, to_xlsx

    if kind == "deck":
        if template is not None and not template.is_file():
            raise InputError(str(template), "template not found", "give the path of a .pptx file")
        try:
            return build_deck(content, template)
        except TemplateError as exc:
            raise InputError(str(template), str(exc), "give a PowerPoint .pptx template") from exc
    return to_csv(content) if kind == "csv" else to_xlsx(content)


def _export_parquet(con, out: Path) -> int:
    from etl.errors import InputError
    from warehouse.parquet import export_parquet

    try:
        rows = export_parquet(con, out)
    except FileExistsError as exc:
        raise InputError(
            str(out), "exists and is not an empty folder", "give a new folder"
        ) from exc
    except OSError as exc:
        raise InputError(
            str(out), f"cannot write it ({exc.strerror})", "choose another --out"
        ) from exc
    finally:
        con.close()
    print(f"wrote {len(rows)} tables ({sum(rows.values()):,} rows) as parquet to {out}")
    return 0


def _export_images(content, out: Path, timeout: float | None) -> int:
    from etl.errors import InputError
    from exports.images import ImagesUnavailable, render_all, shutdown

    try:
        images = render_all(content, timeout=timeout)
    except ImagesUnavailable as exc:
        print(f"rectify: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        shutdown()
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "is a file", "give a folder for the images")
    for name, data in images.items():
        _write_atomically(out / name, data)
    print(f"wrote {len(images)} images to {out}")
    return 0


def cmd_user(args) -> int:
    from getpass import getpass

    from dashboard.auth import AuthError, add_user, remove_user, set_role

    if args.action == "role":
        if args.role_name not in ("viewer", "editor"):
            print("rectify: give the role: viewer or editor", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not set_role(args.users, args.name, args.role_name):
            print(f"rectify: {args.users}: no user {args.name!r}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"{args.name} is now {'an' if args.role_name == 'editor' else 'a'} {args.role_name}")
        return 0
    if args.action == "remove":
        if not remove_user(args.users, args.name):
            print(f"rectify: {args.users}: no user {args.name!r}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"removed {args.name} from {args.users}; their sessions end at once")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass(f"password for {args.name}: ")
        if getpass("again: ") != password:
            print("rectify: the two passwords differ", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        role = add_user(args.users, args.name, password, args.role)
    except AuthError as exc:
        print(f"rectify: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"{args.name} can sign in as {'an' if role == 'editor' else 'a'} {role}; "
        f"serve with: rectify serve --users {args.users}"
    )
    return 0


def cmd_serve(args) -> int:
    db = _db(args)
    os.environ["RECTIFY_DB"] = str(db)
    if args.users:
        from dashboard.auth import AuthError, load_users

        os.environ["RECTIFY_USERS_FILE"] = str(args.users.resolve())
        try:
            if not load_users():
                print(
                    f"rectify: {args.users}: no users in it; add one with rectify user add",
                    file=sys.stderr,
                )
                return EXIT_BAD_INPUT
        except AuthError as exc:
            print(f"rectify: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    from dashboard.security import bound_names

    allowed = bound_names(args.host) + [
        h.strip() for h in args.allowed_hosts.split(",") if h.strip()
    ]
    os.environ["RECTIFY_ALLOWED_HOSTS"] = ",".join(allowed)
    os.environ["RECTIFY_HTTPS"] = "1" if args.https else ""
    os.environ["RECTIFY_BIND"] = args.host  # loopback only: a local run may correct unsigned
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
        # A worker is replaced after this many requests (spread, so they never all restart
        # at once): whatever a long run leaves behind in one process goes with it.
        "--max-requests",
        str(MAX_REQUESTS),
        "--max-requests-jitter",
        str(MAX_REQUESTS // 10),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "dashboard.wsgi:server",
    ]
    scheme = "https" if args.https else "http"
    print(
        f"serving the dashboard on {scheme}://{args.host}:{args.port} (warehouse {db}; "
        f"hosts allowed: {', '.join(allowed)})",
        flush=True,
    )
    os.execv(argv[0], argv)
    return 0


COMMANDS = {
    "text": cmd_text,
    "extract": cmd_extract,
    "load": cmd_load,
    "reports": cmd_reports,
    "eval": cmd_eval,
    "override": cmd_override,
    "overrides": cmd_overrides,
    "serve": cmd_serve,
    "export": cmd_export,
    "user": cmd_user,
}

if __name__ == "__main__":
    sys.exit(main())
