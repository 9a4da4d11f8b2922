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
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

# Only what parsing the command line needs is imported here: each command imports its own modules,
# so `messages` and `serve` start without loading pandas, DuckDB or the exporters (~1.5 s each).
from .core import messages
from .core.config import DEMO_DIR, DEMO_SCALES, LANGUAGES, PROJECT_ROOT, Settings
from .core.i18n import lazy_t, t, tn

EXIT_OK = 0
EXIT_CRASHED = 1  # Python's own code for an uncaught error, kept for that
EXIT_USAGE = 2  # argparse's code for bad arguments; also: no database
EXIT_REJECTED = 3
EXIT_REFUSED = 4
EXIT_STOPPED = 5


def language(args: argparse.Namespace) -> str:
    """The language of the command's output: --lang, else DASHBOARD_LANG, else Finnish."""
    lang = getattr(args, "lang", None) or Settings.from_env().language
    return lang if lang in LANGUAGES else "fi"


def no_database(settings: Settings, lang: str) -> int:
    print(t("cli.no_database", lang, path=settings.db_path), file=sys.stderr)
    return EXIT_USAGE


def cmd_build_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    target = Path(args.db) if args.db else settings.db_path
    folder = Path(args.folder) if args.folder else DEMO_DIR if args.scale == "demo" else DEMO_DIR / "national"
    start = time.perf_counter()
    summary = build_demo(target, folder, scale=args.scale)
    reports = sum(v for k, v in summary.items() if k.startswith("reports "))
    counties = sum(1 for k in summary if k.startswith("reports "))
    seconds = f"{time.perf_counter() - start:.1f}"
    print(t("cli.demo_built", lang, scale=args.scale, seconds=seconds, path=target))
    print(t("cli.demo_counts", lang, counties=counties, reports=reports, values=summary["indicator values"]))
    print(t("cli.demo_files", lang, folder=folder))
    return 0


def cmd_import_reports(args: argparse.Namespace) -> int:
    from .export.tables import rejected_rows  # this command only: the others start without it
    from .imports.budget import Budget, ImportStopped, run_job  # this command only: the others start without it
    from .imports.jobs import ReportsJob, import_reports  # this command only: the others start without it
    from .imports.tables import ImportFileError  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    source = Path(args.file)
    budget = Budget(settings.import_memory_mb, args.max_seconds or settings.import_seconds)
    try:
        mapping = None
        if args.mapping:
            try:
                mapping = Path(args.mapping).read_bytes()
            except OSError as exc:
                raise ImportFileError(
                    lazy_t("import.file.mapping_unreadable", name=Path(args.mapping).name, error=str(exc))
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
            lang=lang,
            mappings_dir=settings.db_path.parent / "mappings",  # the mappings saved on the coordinator's page
        )
        outcome = run_job(import_reports, job, budget)
    except ImportFileError as exc:
        print(t("cli.file_not_imported", lang, file=source.name, reason=exc.message(lang)), file=sys.stderr)
        return EXIT_REFUSED
    except ImportStopped as exc:
        if exc.changed:  # the database changed meanwhile (another import): say so, not "nothing changed"
            print(t("coord.file_rejected", lang, reason=exc.message(lang)), t("import.stopped.maybe_changed", lang))
            return EXIT_STOPPED
        print(t("cli.file_not_imported", lang, file=source.name, reason=exc.message(lang)), file=sys.stderr)
        return EXIT_STOPPED
    loaded = tn("coord.rows_loaded", outcome.added, lang)
    if outcome.updated:
        loaded = t("coord.loaded_updated", lang, loaded=loaded, updated=tn("coord.rows_updated", outcome.updated, lang))
    print(
        t(
            "cli.import_result",
            lang,
            file=source.name,
            read=tn("coord.rows_read", outcome.rows_read, lang),
            loaded=loaded,
            rejected=tn("coord.rows_rejected", outcome.rejected_count, lang),
        )
    )
    if outcome.held:
        print(tn("coord.held_for_privacy", outcome.held, lang))
    if outcome.mapping_used:
        print(t("map.used", lang, name=outcome.mapping_used))
    if outcome.encoding:
        print(t("import.note.encoding", lang, encoding=outcome.encoding))
    for note in outcome.notes:
        print(note.message(lang), file=sys.stderr)
    for row, text in outcome.warnings[:20]:
        print(t("cli.rejected_row", lang, row=row, reasons=text), file=sys.stderr)
    if outcome.rejected_count:
        fmt = "xlsx" if outcome.kind == "xlsx" else "csv"
        out = Path(args.rejected) if args.rejected else source.with_name(f"{source.stem}_hylatyt.{fmt}")
        out.write_bytes(rejected_rows(outcome.rejected, "xlsx" if out.suffix.lower() == ".xlsx" else "csv", lang))
        print(t("cli.rejected_written", lang, path=out))
        for record in outcome.rejected.head(10).to_dict("records"):
            print(t("cli.rejected_row", lang, row=record["rivi"], reasons=record["virheet"]))
        return EXIT_REJECTED
    return EXIT_OK


def cmd_import_sotkanet(args: argparse.Namespace) -> int:
    from queries.db import write_new_version  # this command only: the others start without it

    from .imports import sotkanet  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    try:
        years = sotkanet.parse_years(args.years)
        source = sotkanet.DirectorySource(args.from_dir) if args.from_dir else sotkanet.HttpSource()
        regions, imports = sotkanet.fetch(source, args.indicator, years)
        write_new_version(settings.db_path, lambda con: sotkanet.store(con, regions, imports, source.origin, args.user))
    except sotkanet.SotkanetError as exc:
        print(t("cli.sotkanet_failed", lang, reason=exc.message(lang)), file=sys.stderr)
        return EXIT_REFUSED
    for line in sotkanet.summary(regions, imports, lang):
        print(line)
    print(t("sotkanet.source", lang))
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    """A view's deck as PowerPoint, the same as its /download/deck….pptx (the registry says which)."""
    from .export.deck import write_deck  # this command only: the others start without it
    from .views.registry import deck_for  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    pairs = [("county", c) for c in args.county or []] + [("theme", x) for x in args.theme or []]
    pairs += [(name, value) for name, value in (("from", args.date_from), ("to", args.date_to)) if value]
    pairs.append(("lang", lang))
    pairs += parse_qsl(args.query or "")
    deck, problems = deck_for(args.view, urlencode(pairs))
    if problems:
        for problem in problems:
            print(problem.message(lang), file=sys.stderr)
        return 2
    write_deck(deck, args.output)
    print(tn("cli.deck_written", len(deck.slides), lang, path=args.output, subtitle=deck.subtitle))
    return 0


def cmd_chapter(args: argparse.Namespace) -> int:
    """The wellbeing-report chapter (DOCX), the same as /download/chapter.docx."""
    from .export.chapter import write_chapter  # this command only: the others start without it
    from .views.chapter import chapter  # this command only: the others start without it
    from .views.reports import ReportContext  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    pairs = [("county", c) for c in args.county or []] + [("target_group", x) for x in args.target_group or []]
    pairs += [(name, value) for name, value in (("from", args.date_from), ("to", args.date_to)) if value]
    if lang != "fi":
        pairs.append(("lang", lang))
    context = ReportContext.from_query(urlencode(pairs))
    if context.problems:
        for problem in context.problems:
            print(problem.message(lang), file=sys.stderr)
        return 2
    write_chapter(chapter(context), args.output)
    print(t("cli.chapter_written", lang, path=args.output, subtitle=context.caption()))
    return 0


def cmd_reindex_search(args: argparse.Namespace) -> int:
    """Rewrite every report's search index with the current lemmatiser."""
    from queries.db import write_new_version  # this command only: the others start without it

    from .imports.search_index import reindex  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    n = write_new_version(settings.db_path, reindex)
    print(tn("cli.reindexed", n, lang))
    return 0


def _site(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def cmd_report_link(args: argparse.Namespace) -> int:
    """Issue, list and revoke the reporting form's per-unit links (the token is shown once, when issued)."""
    import duckdb  # this command only: the others start without it

    from .analysis.workspace import for_database  # this command only: the others start without it
    from .imports.records import current_user  # this command only: the others start without it
    from .reporting import links  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    store = for_database(settings.db_path)
    by = args.user or current_user()
    if args.action == "issue":
        con = duckdb.connect(str(settings.db_path), read_only=True)
        try:
            counties = {r[0] for r in con.execute("SELECT code FROM regions WHERE level = 'county'").fetchall()}
            units = {r[0] for r in con.execute("SELECT code FROM service_units").fetchall()}
        finally:
            con.close()
        if args.county not in counties:
            print(t("cli.report_link.bad_county", lang, county=args.county or ""), file=sys.stderr)
            return 2
        if args.unit and args.unit not in units:
            print(t("cli.report_link.bad_unit", lang, unit=args.unit, units=", ".join(sorted(units))), file=sys.stderr)
            return 2
        link_id, token = links.issue(store, args.county, args.unit, args.label or "", by)
        print(t("cli.report_link.issued", lang, id=link_id, url=f"{_site(settings)}/report/u/{token}"))
        if "link" not in settings.report_access:
            print(t("cli.report_link.mode_off", lang), file=sys.stderr)
        return 0
    if args.action == "revoke":
        if args.id is None:
            print(t("cli.report_link.id_needed", lang), file=sys.stderr)
            return 2
        if not links.revoke(store, args.id, by):
            print(t("cli.report_link.not_open", lang, id=args.id), file=sys.stderr)
            return 1
        print(t("cli.report_link.revoked", lang, id=args.id))
        return 0
    rows = store.report_links()
    if not rows:
        print(t("cli.report_link.none", lang))
    for row in rows:
        state = (
            t("cli.report_link.revoked_on", lang, when=row["revoked_at"][:10])
            if row["revoked_at"]
            else t("cli.report_link.open", lang)
        )
        print(
            f"{row['link_id']}\t{row['county']}\t{row['service_unit'] or '-'}\t{row['label']}\t"
            f"{row['created_at'][:10]}\t{state}\t{tn('cli.report_link.reports', row['submissions'], lang)}"
        )
    return 0


def cmd_report_intake(args: argparse.Namespace) -> int:
    """Move the reporting form's waiting submissions into the database now (one new version)."""
    from .analysis.workspace import for_database  # this command only: the others start without it
    from .reporting import intake  # this command only: the others start without it

    settings = Settings.from_env()
    lang = language(args)
    if not settings.db_path.exists():
        return no_database(settings, lang)
    store = for_database(settings.db_path)
    moved = intake.move_pending(settings.db_path, store)
    print(
        t(
            "cli.report_intake",
            lang,
            stored=tn("cli.report_intake.stored", moved.stored, lang),
            rejected=tn("cli.report_intake.rejected", moved.rejected, lang),
        )
    )
    return 0 if moved.rejected == 0 else 1


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
        # An idle kept-alive connection stays open 15 s (gunicorn's default is 2 s): a user who
        # clicks again after 2 s could send on a connection the server was closing, and a POST is
        # not retried (the 50-user load saw 6 ConnectionErrors of 2 628 requests with 2 s).
        "--keep-alive",
        "15",
        "--limit-request-line",
        "8190",
        "--access-logfile",
        "-",
        "--logger-class",
        "dashboard.web.access_log.RedactingLogger",  # no receipt or unit link token in the log
        "--no-control-socket",
        "--config",
        "python:dashboard.web.gunicorn_preload",  # the workers fork with the app's code imported
        "app:server",
    ]
    print(f"Tilannekuva: http://{host}:{port}", flush=True)
    os.execv(sys.executable, command)
    return 0  # not reached


def cmd_messages(args: argparse.Namespace) -> int:
    """Add, change, remove, check and compile the UI messages (README "Adding a string")."""
    locale_dir = Path(args.locale_dir) if args.locale_dir else messages.LOCALE_DIR
    cats = messages.Catalogues.load(locale_dir)
    conflicts: list[str] = []
    if args.action == "check":
        found = messages.problems(cats)
        for problem in found:
            print(problem, file=sys.stderr)
        print(f"{len(cats.keys())} messages, {len(found)} problems")
        return 1 if found else 0
    if args.action == "compile":
        for path in messages.compile_all(locale_dir):
            print(path)
        return 0
    if args.action == "update":
        cats.update()
    elif args.action == "port":
        try:
            branch = messages.strings_of(_git_show(args.source, "dashboard/core/i18n.py"))
            base_ref = args.base or _git("merge-base", args.source, "main")
            base = messages.strings_of(_git_show(base_ref, "dashboard/core/i18n.py"))
            ported, conflicts = messages.port(cats, branch, base)
        except (OSError, subprocess.CalledProcessError, SyntaxError, ValueError) as exc:
            print(f"messages port: {exc}", file=sys.stderr)
            return 2
        print(f"ported {len(ported)} strings your branch added or changed: {' '.join(ported)}")
        for key in conflicts:
            print(f"{key}: your branch changed it, and it is a plural message now: messages set {key} --fi ONE MANY …")
        args.key = None
    elif args.action in ("set", "show", "remove") and not args.key:
        print(f"messages {args.action} needs a KEY", file=sys.stderr)
        return 2
    elif args.action == "show":
        return _show_message(cats, args.key)
    elif args.action == "remove":
        if not cats.remove(args.key):
            print(f"{args.key}: no such message", file=sys.stderr)
            return 2
        print(f"{args.key}: removed")
    else:
        texts = {}
        for lang in LANGUAGES:
            given = getattr(args, lang)
            if given is None:
                continue
            if len(given) > 2:
                print(f"--{lang}: one text, or two for a plural message (singular, plural)", file=sys.stderr)
                return 2
            texts[lang] = given[0] if len(given) == 1 else tuple(given)
        try:
            done = cats.set(args.key, texts, comment=args.comment)
        except (ValueError, KeyError) as exc:
            print(exc, file=sys.stderr)
            return 2
        print("\n".join(done) or f"{args.key}: unchanged")
    cats.save()
    messages.compile_all(locale_dir)
    left = [p for p in messages.problems(cats) if args.key is None or p.key == args.key]
    for problem in left:
        print(problem, file=sys.stderr)
    return 1 if left or conflicts else 0


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True).stdout.strip()


def _git_show(ref: str, path: str) -> str:
    return _git("show", f"{ref}:{path}")


def _show_message(cats: messages.Catalogues, key: str) -> int:
    if cats.source(key) is None:
        print(f"{key}: no such message", file=sys.stderr)
        return 2
    for lang, catalog in cats.languages.items():
        message = {m.context: m for m in catalog if m.id}.get(key)
        state = " (fuzzy)" if message is not None and message.fuzzy else ""
        print(f"{lang}{state}: {message.string if message is not None else '–'}")
    return 0


def _views_with_slides() -> list[str]:
    from .views.registry import VIEWS  # the registry loads pandas: only for the command that offers its views

    return [v.name for v in VIEWS if VIEWS.presentation(v.name)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Tilannekuva",
        epilog="exit codes: 0 done, 1 unexpected error, 2 bad arguments or no database, 3 rows rejected "
        "(the others loaded), 4 file or source refused (nothing changed), 5 stopped by the memory or time "
        "budget or a full disk (nothing changed)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    # Every command that speaks to a user says it in --lang (default: DASHBOARD_LANG, else Finnish).
    speaks = argparse.ArgumentParser(add_help=False)
    speaks.add_argument("--lang", choices=LANGUAGES, help="language of the output (default: $DASHBOARD_LANG or fi)")
    p = sub.add_parser("build-demo", parents=[speaks], help="generate the demo files and build the database from them")
    p.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    p.add_argument("--folder", help="where the generated import files go (default: data/demo, or data/demo/national)")
    p.add_argument(
        "--scale",
        choices=DEMO_SCALES,
        default="demo",
        help="demo: three counties (fast); national: every county and Helsinki, about 100 000 reports "
        "and five million indicator values",
    )
    p.set_defaults(func=cmd_build_demo)
    p = sub.add_parser(
        "import-reports", parents=[speaks], help="import social reports from the form tool's export (CSV or XLSX)"
    )
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
    p = sub.add_parser(
        "import-sotkanet", parents=[speaks], help="import indicators from THL Sotkanet (or saved responses)"
    )
    p.add_argument("--indicator", type=int, action="append", required=True, help="Sotkanet indicator id (repeatable)")
    p.add_argument("--years", help="e.g. 2015-2024 or 2020,2021 (default: the last ten years)")
    p.add_argument("--from-dir", help="load saved responses from this folder instead of the API")
    p.add_argument("--user", help="who loaded (recorded with the load)")
    p.set_defaults(func=cmd_import_sotkanet)
    p = sub.add_parser(
        "deck", parents=[speaks], help="write a view's presentation (PowerPoint) for a county and period"
    )
    p.add_argument("--county", action="append", help="county code, e.g. 09 (repeatable)")
    p.add_argument("--theme", action="append", help="theme code (repeatable; with --view phenomena)")
    p.add_argument("--from", dest="date_from", help="first day, e.g. 2024-09-01")
    p.add_argument("--to", dest="date_to", help="last day, e.g. 2024-12-31")
    p.add_argument(
        "--view", default="reports", choices=_views_with_slides() if "deck" in argv else None, help="whose deck"
    )
    p.add_argument("--query", help="more of the view's query string, e.g. 'indicator=sotkanet-3225&region=398'")
    p.add_argument("-o", "--output", required=True, help="the .pptx file to write")
    p.set_defaults(func=cmd_deck)
    p = sub.add_parser(
        "chapter", parents=[speaks], help="write the wellbeing-report chapter (Word) of a county and period"
    )
    p.add_argument("--county", action="append", help="county code, e.g. 09 (repeatable)")
    p.add_argument("--target-group", action="append", help="target group code (repeatable): only its sections")
    p.add_argument("--from", dest="date_from", help="first day, e.g. 2024-09-01")
    p.add_argument("--to", dest="date_to", help="last day, e.g. 2024-12-31")
    p.add_argument("-o", "--output", required=True, help="the .docx file to write")
    p.set_defaults(func=cmd_chapter)
    p = sub.add_parser(
        "reindex-search", parents=[speaks], help="rewrite every report's search index (after an upgrade)"
    )
    p.set_defaults(func=cmd_reindex_search)
    p = sub.add_parser(
        "report-link",
        parents=[speaks],
        help="issue, list or revoke the reporting form's per-unit links (DASHBOARD_REPORT_ACCESS=link)",
        description="issue prints a new link once (only its hash is kept); list shows every link and how many "
        "reports came through it; revoke ID closes a link at once.",
    )
    p.add_argument("action", choices=["issue", "list", "revoke"])
    p.add_argument("id", nargs="?", type=int, help="revoke: the link's number (from list)")
    p.add_argument("--county", help="issue: the county code the link opens the form for, e.g. 09")
    p.add_argument("--unit", help="issue: the service unit the form starts with (a code of service_units.csv)")
    p.add_argument("--label", help="issue: whose link it is, e.g. 'Lahden lapsiperhepalvelut'")
    p.add_argument("--user", help="who issued or revoked (recorded)")
    p.set_defaults(func=cmd_report_link)
    p = sub.add_parser(
        "report-intake", parents=[speaks], help="move the reporting form's waiting reports into the database now"
    )
    p.set_defaults(func=cmd_report_intake)
    p = sub.add_parser("serve", help="serve the app with gunicorn")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser(
        "messages",
        help="add or change a UI message in the gettext catalogues (dashboard/locale), check or compile them",
        description="set KEY --fi TEXT --sv TEXT --en TEXT adds or changes a message (two texts per language "
        "for a plural message: singular, plural; {n} is the count). A changed Finnish text marks the Swedish "
        "and English fuzzy until they are given again. check lists what is missing; compile writes the .mo files.",
    )
    p.add_argument("action", choices=["set", "show", "remove", "check", "update", "compile", "port"])
    p.add_argument("key", nargs="?", help="the message key, e.g. coord.upload_done")
    p.add_argument(
        "--from",
        dest="source",
        default="HEAD",
        help="port: the commit whose dashboard/core/i18n.py still has your STRINGS (default HEAD)",
    )
    p.add_argument("--base", help="port: the commit your branch started from (default: its merge base with main)")
    for lang in LANGUAGES:
        p.add_argument(f"--{lang}", nargs="+", metavar="TEXT", help=f"the {lang} text (two for a plural message)")
    p.add_argument("--comment", help="a note for translators (kept as #. in the catalogues)")
    p.add_argument("--locale-dir", help=argparse.SUPPRESS)  # the tests work on a copy
    p.set_defaults(func=cmd_messages)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(t("cli.interrupted", language(args)), file=sys.stderr)
        return 130
    except Exception:  # a bug or a broken machine: say so, with the trace, and exit with its own code
        traceback.print_exc()
        print(t("cli.crashed", language(args)), file=sys.stderr)
        return EXIT_CRASHED


if __name__ == "__main__":
    sys.exit(main())
