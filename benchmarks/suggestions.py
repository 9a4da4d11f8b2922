"""Quality of the theme suggestions: leave-one-out on the confirmed labels.

For every report of a county that carries themes, the suggester is trained on all
the county's other reports (the TF-IDF weights too) and asked for its top 3;
precision@3 = right ones among the 3 / 3, recall@3 = right ones / the report's
themes. Three ways: the code list's keywords alone, the nearest confirmed reports
alone, and both combined (what the workbench shows).

    .venv/bin/python benchmarks/suggestions.py                    # builds the demo in a temporary folder
    .venv/bin/python benchmarks/suggestions.py --db data/dashboard.duckdb

On the synthetic demo the figure flatters: each demo text is drawn from a small
pool written for its report's first theme, so the same sentences recur with the
same theme and the nearest-neighbour part finds them again. Real reports are
written freely; measure on a county's own confirmed labels before trusting it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.analysis import suggest  # noqa: E402
from queries import analysis as q  # noqa: E402

CAVEAT = (
    "NOTE: on the synthetic demo these figures flatter the suggester. The demo's texts come from small "
    "pools written per theme, so the same sentences recur with the same theme and the nearest confirmed "
    "reports find them again. Real reports are written freely: measure on a county's own confirmed labels."
)


def documents(con, county: str, dimension: str = "theme") -> list[suggest.Document]:
    frame = q.county_reports(con, county)
    mapping = q.theme_support_needs(con)
    docs = []
    for row in frame.itertuples(index=False):
        labels = list(row.themes)
        if dimension == "support_need":
            labels = list(row.support_needs) or sorted({s for th in labels for s in mapping.get(th, [])})
        docs.append(suggest.document(row.report_id, [row.observation, row.client_voice, row.proposal], labels))
    return docs


def evaluate(con, counties: list[str] | None = None, dimension: str = "theme") -> list[tuple[str, suggest.Evaluation]]:
    table = "themes" if dimension == "theme" else "support_needs"
    keywords = {c: suggest.parse_keywords(k) for c, k in q.code_keywords(con, table).items()}
    counties = counties or [r[0] for r in con.execute("SELECT DISTINCT county_code FROM reports ORDER BY 1").fetchall()]
    out = []
    for county in counties:
        docs = documents(con, county, dimension)
        for method in ("keywords", "neighbours", "combined"):
            out.append((county, suggest.evaluate_leave_one_out(docs, keywords, method)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database (default: build the demo in a temporary folder)")
    parser.add_argument("--county", action="append", help="county code (repeat); default every county with reports")
    parser.add_argument("--dimension", choices=("theme", "support_need"), default="theme")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            # Building the demo is only needed without --db.
            from dashboard.demo import build_demo

            db = Path(tmp) / "demo.duckdb"
            build_demo(db, Path(tmp) / "files")
        con = duckdb.connect(str(db), read_only=True)
        started = time.perf_counter()
        rows = evaluate(con, args.county, args.dimension)
        con.close()
    print(f"Leave-one-out suggestion quality ({args.dimension}), top 3, on {db if args.db else 'the synthetic demo'}")
    print(f"{'county':<8}{'method':<12}{'reports':>8}{'precision@3':>14}{'recall@3':>11}")
    for county, e in rows:
        print(f"{county:<8}{e.method:<12}{e.n:>8}{e.precision_at_3:>14.3f}{e.recall_at_3:>11.3f}")
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.db is None or "demo" in str(args.db):
        print(CAVEAT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
