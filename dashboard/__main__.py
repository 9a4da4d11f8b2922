"""Command line: python -m dashboard <command>."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import DEMO_DIR, Settings


def cmd_build_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo

    settings = Settings.from_env()
    target = Path(args.db) if args.db else settings.db_path
    summary = build_demo(target, Path(args.folder))
    reports = sum(v for k, v in summary.items() if k.startswith("reports "))
    print(f"Demotietokanta rakennettu: {target}")
    print(f"  raportteja {reports}, indikaattoriarvoja {summary['indicator values']}")
    print(f"  lähdetiedostot: {args.folder}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from app import app

    settings = Settings.from_env()
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Tilannekuva: http://{host}:{port}")
    app.run(host=host, port=port, debug=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Tilannekuva")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build-demo", help="generate the demo files and build the database from them")
    p.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    p.add_argument("--folder", default=str(DEMO_DIR), help="where the generated import files go")
    p.set_defaults(func=cmd_build_demo)
    p = sub.add_parser("serve", help="serve the app (development server)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
