"""Command line: python -m dashboard <command>.

Exit codes (the same for every command; see README "Loading real data"):
0 done; 1 an unexpected error (the trace is printed, the database was not
changed); 2 the command could not start (bad arguments, no database);
3 rows were rejected (the others were loaded; the rejected rows are written
next to the file); 4 the file or source was refused as a whole, nothing was
changed; 5 the import was stopped by its memory or time budget or a full
disk, nothing was changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

from queries.db import write_new_version

from .core.config import DEMO_DIR, PROJECT_ROOT, Settings
from .core.i18n import t
from .demo import SCALES, build_demo
from .export.deck import write_deck
from .export.tables import rejected_rows
from .imports import sotkanet
from .imports.budget import Budget, ImportStopped, run_job
from .imports.jobs import ReportsJob, import_reports
from .imports.tables import ImportFileError
from .views.slides import deck_for

EXIT_OK = 0
EXIT_CRASHED = 1  # Python's own code for an uncaught error, kept for that
EXIT_USAGE = 2  # argparse's code for bad arguments; also: no database
EXIT_REJECTED = 3
EXIT_REFUSED = 4
EXIT_STOPPED = 5


def cmd_build_demo(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    target = Path(args.db) if args.db else settings.db_path
    folder = Path(args.folder) if args.folder else DEMO_DIR if args.scale == "demo" else DEMO_DIR / "national"
    start = time.perf_counter()
    summary = build_demo(target, folder, scale=args.scale)
    reports = sum(v for k, v in summary.items() if k.startswith("reports "))
    counties = sum(1 for k in summary if k.startswith("reports "))
    print(f"Demotietokanta rakennettu ({args.scale}, {time.perf_counter() - start:.1f} s): {target}")
    print(f"  hyvinvointialueita {counties}, raportteja {reports}, indikaattoriarvoja {summary['indicator values']}")
    print(f"  lähdetiedostot: {folder}")
    return 0


def cmd_import_reports(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.db_path.exists():
        print(f"Tietokantaa ei ole: {settings.db_path}. Aja ensin: python -m dashboard build-demo", file=sys.stderr)
        return EXIT_USAGE
    source = Path(args.file)
    budget = Budget(settings.import_memory_mb, args.max_seconds or settings.import_seconds)
    try:
        mapping = None
        if args.mapping:
            try:
                mapping = Path(args.mapping).read_bytes()
            except OSError as exc:
                raise ImportFileError(
                    f"sarakevastaavuustiedostoa {Path(args.mapping).name} ei voitu lukea: {exc}"
                ) from exc
        job = ReportsJob(
            db_path=settings.db_path,
            name=source.name,
            path=source.resolve(),
            sheet=args.sheet,
            county=args.county,
            mapping=mapping,
            mapping_name=Path(args.mapping).name if args.mapping else "mapping.toml",
            loaded_by=args.user,
            memory_limit=budget.duckdb_memory,
        )
        outcome = run_job(import_reports, job, budget)
    except ImportFileError as exc:
        print(f"Tiedostoa {source.name} ei tuotu: {exc}. Tietokantaa ei muutettu.", file=sys.stderr)
        return EXIT_REFUSED
    except ImportStopped as exc:
        after = t("import.stopped.maybe_changed") if exc.changed else "Tietokantaa ei muutettu."
        print(f"Tiedostoa {source.name} ei tuotu: {exc.message()}. {after}", file=sys.stderr)
        return EXIT_STOPPED
    print(f"{source.name}: {outcome.rows_read} riviä luettu, {outcome.loaded} tuotu, {outcome.rejected_count} hylätty.")
    if outcome.encoding:
        print(t("import.note.encoding", encoding=outcome.encoding))
    for key, values in outcome.notes:
        print(t(key, **values), file=sys.stderr)
    if outcome.rejected_count:
        fmt = "xlsx" if outcome.kind == "xlsx" else "csv"
        out = Path(args.rejected) if args.rejected else source.with_name(f"{source.stem}_hylatyt.{fmt}")
        out.write_bytes(rejected_rows(outcome.rejected, "xlsx" if out.suffix.lower() == ".xlsx" else "csv"))
        print(f"Hylätyt rivit syineen: {out} (korjaa ja tuo uudelleen)")
        for record in outcome.rejected.head(10).to_dict("records"):
            print(f"  rivi {record['rivi']}: {record['virheet']}")
        return EXIT_REJECTED
    return EXIT_OK


def cmd_import_sotkanet(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.db_path.exists():
        print(f"Tietokantaa ei ole: {settings.db_path}. Aja ensin: python -m dashboard build-demo", file=sys.stderr)
        return EXIT_USAGE
    try:
        years = sotkanet.parse_years(args.years)
        source = sotkanet.DirectorySource(args.from_dir) if args.from_dir else sotkanet.HttpSource()
        regions, imports = sotkanet.fetch(source, args.indicator, years)
        write_new_version(settings.db_path, lambda con: sotkanet.store(con, regions, imports, source.origin, args.user))
    except sotkanet.SotkanetError as exc:
        print(f"Sotkanet-tuonti keskeytyi: {exc}. Tietokantaa ei muutettu.", file=sys.stderr)
        return EXIT_REFUSED
    for line in sotkanet.summary(regions, imports):
        print(line)
    print("Lähde: THL, Sotkanet (CC BY 4.0)")
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    """The half-year deck as PowerPoint, the same as /download/deck.pptx."""
    settings = Settings.from_env()
    if not settings.db_path.exists():
        print(f"Tietokantaa ei ole: {settings.db_path}. Aja ensin: python -m dashboard build-demo", file=sys.stderr)
        return EXIT_USAGE
    pairs = [("county", c) for c in args.county or []] + [("theme", x) for x in args.theme or []]
    pairs += [(name, value) for name, value in (("from", args.date_from), ("to", args.date_to)) if value]
    if args.lang != "fi":
        pairs.append(("lang", args.lang))
    deck, problems = deck_for(args.view, urlencode(pairs))
    if problems:
        for problem in problems:
            print(problem.message(args.lang), file=sys.stderr)
        return 2
    write_deck(deck, args.output)
    print(f"{args.output}: {len(deck.slides)} diaa ({deck.subtitle})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with gunicorn, the same server as production (never Flask's development server)."""
    settings = Settings.from_env()
    host = args.host or settings.host
    port = args.port or settings.port
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(PROJECT_ROOT),
        "-b",
        f"{host}:{port}",
        "-w",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--limit-request-line",
        "8190",
        "--access-logfile",
        "-",
        "--no-control-socket",
        "app:server",
    ]
    print(f"Tilannekuva: http://{host}:{port}", flush=True)
    os.execv(sys.executable, command)
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Tilannekuva",
        epilog="exit codes: 0 done, 1 unexpected error, 2 bad arguments or no database, 3 rows rejected "
        "(the others loaded), 4 file or source refused (nothing changed), 5 stopped by the memory or time "
        "budget or a full disk (nothing changed)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build-demo", help="generate the demo files and build the database from them")
    p.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    p.add_argument("--folder", help="where the generated import files go (default: data/demo, or data/demo/national)")
    p.add_argument(
        "--scale",
        choices=SCALES,
        default="demo",
        help="demo: three counties (fast); national: every county and Helsinki, about 100 000 reports "
        "and five million indicator values",
    )
    p.set_defaults(func=cmd_build_demo)
    p = sub.add_parser("import-reports", help="import social reports from the form tool's export (CSV or XLSX)")
    p.add_argument("file")
    p.add_argument("--county", help="county name or code when the file has no hyvinvointialue column")
    p.add_argument("--mapping", help="TOML file that maps another export's columns and values to the template")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    p.add_argument("--rejected", help="where to write the rejected rows (default: FILE_hylatyt.csv)")
    p.add_argument("--user", help="who loaded (recorded with the load)")
    p.add_argument(
        "--max-seconds",
        type=float,
        help="time budget of the import (default: $DASHBOARD_IMPORT_SECONDS or 55); memory: $DASHBOARD_IMPORT_MEMORY MB",
    )
    p.set_defaults(func=cmd_import_reports)
    p = sub.add_parser("import-sotkanet", help="import indicators from THL Sotkanet (or saved responses)")
    p.add_argument("--indicator", type=int, action="append", required=True, help="Sotkanet indicator id (repeatable)")
    p.add_argument("--years", help="e.g. 2015-2024 or 2020,2021 (default: the last ten years)")
    p.add_argument("--from-dir", help="load saved responses from this folder instead of the API")
    p.add_argument("--user", help="who loaded (recorded with the load)")
    p.set_defaults(func=cmd_import_sotkanet)
    p = sub.add_parser("deck", help="write the presentation (PowerPoint) for a county and period")
    p.add_argument("--county", action="append", help="county code, e.g. 09 (repeatable)")
    p.add_argument("--theme", action="append", help="theme code (repeatable; with --view phenomena)")
    p.add_argument("--from", dest="date_from", help="first day, e.g. 2024-09-01")
    p.add_argument("--to", dest="date_to", help="last day, e.g. 2024-12-31")
    p.add_argument("--lang", default="fi", choices=["fi", "sv", "en"])
    p.add_argument("--view", default="reports", choices=["reports", "phenomena"])
    p.add_argument("-o", "--output", required=True, help="the .pptx file to write")
    p.set_defaults(func=cmd_deck)
    p = sub.add_parser("serve", help="serve the app with gunicorn")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Keskeytetty. Tietokantaa ei muutettu.", file=sys.stderr)
        return 130
    except Exception:  # a bug or a broken machine: say so, with the trace, and exit with its own code
        traceback.print_exc()
        print("Odottamaton virhe (yllä).", file=sys.stderr)
        return EXIT_CRASHED


if __name__ == "__main__":
    sys.exit(main())
