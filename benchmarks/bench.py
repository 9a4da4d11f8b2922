"""The reports view, measured in one run; prints one table (Markdown).

    .venv/bin/python benchmarks/bench.py                 # demo and national scale (builds data/national.duckdb once)
    .venv/bin/python benchmarks/bench.py --quick         # demo scale only, short: a smoke run
    .venv/bin/python benchmarks/bench.py --national-db /tmp/n.duckdb --users 50 --duration 60
    .venv/bin/python benchmarks/bench.py --scales million --click-rounds 0   # 1 M reports (builds data/million.duckdb once)

What it measures, for each scale:

- the real ``/_dash-update-component`` requests the reports view sends, captured
  once in Chromium (open ``/reports``, choose a county, the autumn 2024 period,
  the working-age target group), replayed over HTTP against ``gunicorn -w 2`` for
  every county in turn (the county in the requests is swapped, so each replayed
  filter is new to the server: round 1 is cold; round 2 repeats them);
- the same three changes in ``benchmarks/naive_app.py`` (pandas in memory +
  plotly.express), captured the same way and replayed interleaved with ours on the
  same data and counties, and the ratio;
- DuckDB's own time for the same aggregates in plain SQL (the floor);
- Chromium: navigation to every chart drawn, and one filter change, with the
  bytes and requests transferred (a fresh browser profile, so nothing cached);
- worker RSS (VmRSS of each gunicorn worker after the load);
- import speed (report rows and indicator values per second);
- a bounded load: N users, each sending one of the captured changes after a
  think time, for D seconds: errors and p50/p95/p99 per request; then the same load
  while a county file is imported into a copy of the database (not with --quick).

Timings on a shared 2-core machine are noisy: read the table as the order of
magnitude, and rerun before drawing conclusions from a 20 % difference.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import requests

from dashboard.core.periods import Preset
from dashboard.demo import build_demo
from dashboard.demo.generator import NATIONAL_REPORTS
from dashboard.imports.codes import load_code_lists
from dashboard.imports.indicators import parse_indicator_files, store_indicators
from dashboard.imports.reports import Resolver, parse_reports, store_reports
from dashboard.imports.tables import read_table
from queries.db import create_schema

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CAPTURE_COUNTY = "09"  # the county chosen in Chromium; replays swap it for each county in turn
AUTUMN_2024 = Preset("autumn-2024", dt.date(2024, 9, 1), dt.date(2024, 12, 31))
GROUP = ("working_age", "Työikäiset")
CHANGES = ("county", "period", "target_group")
CHART_SELECTORS = {"ours": '[id*=\'"type":"chart"\']', "naive": "[id^='naive-chart-']"}


# ---- small helpers -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(value: float) -> str:
    return "–" if value != value else f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.1f}"


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def log(*parts) -> None:
    print("·", *parts, file=sys.stderr, flush=True)


class Server:
    """A gunicorn with two workers, started in its own process group."""

    def __init__(self, name: str, command: list[str], env: dict, port: int):
        self.name, self.port, self.url = name, port, f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_dash-layout", timeout=5)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(Path(self.log.name).read_text()) from None
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} did not start")

    def workers(self) -> list[int]:
        out = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                out.append(int(stat.parent.name))
        return out

    def worker_rss(self) -> list[int]:
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) * 1024)
        return sizes

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


def start_ours(db: Path) -> Server:
    port = free_port()
    return Server(
        "ours",
        [sys.executable, "-m", "dashboard", "serve", "--workers", "2", "--port", str(port)],
        {"DASHBOARD_DB": str(db)},
        port,
    )


def start_naive(db: Path) -> Server:
    port = free_port()
    return Server(
        "naive",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(ROOT / "benchmarks"),
            "-w",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "-b",
            f"127.0.0.1:{port}",
            "naive_app:server",
        ],
        {"NAIVE_DB": str(db)},
        port,
    )


# ---- Chromium: capture the requests, time the page -----------------------------------


@dataclass
class Step:
    name: str
    requests: list[dict] = field(default_factory=list)  # {"body": ..., "headers": ...}
    seconds: float = float("nan")
    bytes: int = 0
    count: int = 0
    search: str = ""  # the view's query string after the step


class Recorder:
    """Every request of a page: the Dash callbacks' bodies, sizes, and when the network went quiet."""

    def __init__(self, page):
        self.page, self.step, self.inflight, self.last = page, Step("–"), 0, time.perf_counter()
        self.lock = threading.Lock()
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)

    def _request(self, request):
        with self.lock:
            self.inflight += 1
            self.last = time.perf_counter()
            self.step.count += 1
            url = urlsplit(request.url)
            if request.method == "POST" and url.path.endswith("/_dash-update-component"):
                headers = {k: v for k, v in request.headers.items() if k.lower() in ("content-type", "x-csrftoken")}
                self.step.requests.append(
                    {
                        "path": url.path + (f"?{url.query}" if url.query else ""),
                        "body": json.loads(request.post_data or "{}"),
                        "headers": headers,
                    }
                )

    def _finished(self, request):
        try:
            sizes = request.sizes()
            size = sizes.get("responseBodySize", 0) + sizes.get("responseHeadersSize", 0)
        except Exception:  # a response without a body (204)
            size = 0
        with self.lock:
            self.inflight -= 1
            self.last = time.perf_counter()
            self.step.bytes += max(size, 0)

    def _failed(self, request):
        with self.lock:
            self.inflight -= 1
            self.last = time.perf_counter()

    def begin(self, name: str) -> Step:
        self.step = Step(name)
        self.started = time.perf_counter()
        return self.step

    def settle(self, charts: str, quiet: float = 0.6, timeout: float = 120) -> Step:
        """Wait until every chart has drawn and the network has been quiet; the step's
        time runs to the last response."""
        deadline = time.time() + timeout
        self.page.wait_for_function(
            "sel => { const c = [...document.querySelectorAll(sel)]; "
            "return c.length > 0 && c.every(e => e.querySelector('.main-svg')); }",
            arg=charts,
            timeout=timeout * 1000,
        )
        while time.time() < deadline:
            with self.lock:
                idle = self.inflight <= 0 and time.perf_counter() - self.last >= quiet
            if idle:
                break
            self.page.wait_for_timeout(50)
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        self.step.seconds = self.last - self.started
        return self.step


def choose(page, selector: str, option: str) -> None:
    page.locator(selector).first.click()
    page.locator(".dash-dropdown-option", has_text=re.compile(f"^{re.escape(option)}$")).first.click()
    page.keyboard.press("Escape")


def control(kind: str, name: str) -> str:
    return f'[id=\'{{"name":"{name}","type":"filter"}}\']' if kind == "ours" else f"#naive-{name}"


def browse(browser, kind: str, base: str, county_name: str) -> list[Step]:
    """Open the reports view in a fresh profile and make the three changes; return the steps."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    recorder = Recorder(page)
    steps = [recorder.begin("load")]
    page.goto(base + ("/reports" if kind == "ours" else "/"), timeout=180_000)
    recorder.settle(CHART_SELECTORS[kind])
    steps[-1].search = urlsplit(page.url).query
    for change, label in (("county", county_name), ("period", AUTUMN_2024.label("fi")), ("target_group", GROUP[1])):
        steps.append(recorder.begin(change))
        choose(page, control(kind, change), label)
        recorder.settle(CHART_SELECTORS[kind])
        steps[-1].search = urlsplit(page.url).query
    recorder.begin("after")
    recorder.settle(CHART_SELECTORS[kind], quiet=2.0)
    late = recorder.step.requests
    context.close()
    return regroup(steps, late)


def keyed_to(body: dict) -> str | None:
    """The view state a request asks about when it carries one: the report grid's request
    names its filter in its filter model (set by the change that made it), or carries the
    view's URL as its state (the page as first drawn)."""
    for item in body.get("inputs", []):
        value = item.get("value") if isinstance(item, dict) else None
        model = value.get("filterModel") if isinstance(value, dict) else None
        view = model.get("view") if isinstance(model, dict) else None
        if isinstance(view, dict) and isinstance(view.get("filter"), str):
            return view["filter"].lstrip("?")
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, dict) and isinstance(ident.get("key"), str) and ident["key"] != "reports":
            return ident["key"].lstrip("?")
    if "getRowsResponse" in str(body.get("output", "")):
        for item in body.get("state", []):
            if isinstance(item, dict) and isinstance(item.get("value"), str):
                return item["value"].lstrip("?")
    return None


def regroup(steps: list[Step], late: list[dict]) -> list[Step]:
    """A request that asks about a view state belongs to the step that made that
    state, whenever the browser sent it (the grid asks for its rows late)."""
    by_search: dict[str | None, Step] = {s.search: s for s in steps}
    for step in steps:
        keep: list[dict] = []
        for captured in step.requests:
            owner = by_search.get(keyed_to(captured["body"]), step)
            (keep if owner is step else owner.requests).append(captured)
        step.requests = keep
    for captured in late:
        by_search.get(keyed_to(captured["body"]), steps[-1]).requests.append(captured)
    return steps


# ---- click-to-chart: from a click on a filter to every chart redrawn ---------------------

# Installed in the page before it loads: the time of the click that chose an option, every
# plotly_afterplot of every chart (the last one is when the charts stand redrawn), the last DOM
# change (a table, a caption), and the browser's long tasks (main-thread time over 50 ms).
CLICK_PROBE = """
(() => {
  const tk = window.__tk = {armed: false, click: 0, lastPlot: 0, lastDom: 0, plots: 0, longtasks: 0};
  document.addEventListener('click', e => {
    if (tk.armed) { tk.armed = false; tk.click = e.timeStamp; tk.lastPlot = tk.lastDom = e.timeStamp;
                    tk.plots = 0; tk.longtasks = 0; }
  }, true);
  const watched = new WeakSet();
  const watch = () => document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    if (watched.has(gd) || typeof gd.on !== 'function') return;
    watched.add(gd);
    gd.on('plotly_afterplot', () => { tk.plots += 1; tk.lastPlot = performance.now(); });
  });
  new MutationObserver(() => { tk.lastDom = performance.now(); watch(); })
    .observe(document, {childList: true, subtree: true, characterData: true});
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e => {
      if (tk.click && e.startTime >= tk.click) tk.longtasks += e.duration;
    })).observe({type: 'longtask', buffered: false});
  } catch (e) { /* no long-task timing in this browser */ }
})();
"""


@dataclass
class Click:
    change: str
    seconds: float  # click to the last chart drawn (the charts stand redrawn)
    settled: float  # click to the last DOM change of the page (the table below the charts, say)
    plots: int  # plotly_afterplot events after the click (a chart drawn twice counts twice)
    busy: float  # seconds of long tasks (main thread blocked > 50 ms) after the click
    bytes: int


def click_to_chart(browser, kind: str, base: str, county_name: str, repeats: int = 1) -> list[Click]:
    """Open the view, then make the three changes ``repeats`` times (clearing the county
    between rounds), each timed in the page from the click on the option to the last chart
    drawn once the page has been quiet (no request, no draw, no DOM change) for 0.7 s."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(CLICK_PROBE)
    page = context.new_page()
    recorder = Recorder(page)
    recorder.begin("load")
    page.goto(base + ("/reports" if kind == "ours" else "/"), timeout=180_000)
    recorder.settle(CHART_SELECTORS[kind], quiet=1.0)
    out: list[Click] = []
    choices = (("county", county_name), ("period", AUTUMN_2024.label("fi")), ("target_group", GROUP[1]))
    for round_ in range(repeats):
        for change, label in choices:
            if round_ and change == "county":  # a new round starts from another filter state
                page.goto(base + ("/reports" if kind == "ours" else "/"), timeout=180_000)
                recorder.settle(CHART_SELECTORS[kind], quiet=1.0)
            step = recorder.begin(change)
            page.locator(control(kind, change)).first.click()
            option = page.locator(".dash-dropdown-option", has_text=re.compile(f"^{re.escape(label)}$")).first
            option.wait_for()
            page.evaluate("() => { window.__tk.armed = true; }")
            option.click()
            page.keyboard.press("Escape")
            page.wait_for_function("() => window.__tk.click > 0 && window.__tk.plots > 0", timeout=180_000)
            while True:
                with recorder.lock:
                    busy = recorder.inflight > 0 or time.perf_counter() - recorder.last < 0.7
                quiet = page.evaluate(
                    "() => performance.now() - Math.max(window.__tk.lastPlot, window.__tk.lastDom) > 700"
                )
                if quiet and not busy:
                    break
                page.wait_for_timeout(100)
            tk = page.evaluate("() => window.__tk")
            out.append(
                Click(
                    change,
                    (tk["lastPlot"] - tk["click"]) / 1000,
                    (max(tk["lastPlot"], tk["lastDom"]) - tk["click"]) / 1000,
                    int(tk["plots"]),
                    tk["longtasks"] / 1000,
                    step.bytes,
                )
            )
            page.evaluate("() => { window.__tk.click = 0; window.__tk.plots = 0; }")
    context.close()
    return out


def click_lines(scale: str, clicks: dict[str, list[Click]]) -> list[str]:
    """Rows of the table: click-to-chart per change, ours against the naive app."""
    lines = []
    target = "≤ 1/3 of naive" + (", < 300 ms idle" if scale == "demo" else "")
    for change in (*CHANGES, "all"):

        def pick(kind: str, change: str = change) -> list[Click]:
            return [c for c in clicks[kind] if change in ("all", c.change)]

        o, n = pick("ours"), pick("naive")
        if not o or not n:
            continue
        os_, ns = [c.seconds * 1000 for c in o], [c.seconds * 1000 for c in n]
        what = "every change" if change == "all" else f"change ({change})"
        lines.append(
            f"| {scale} | Chromium click-to-chart, {what}: p50 / max ms (n={len(o)}); chart draws; long tasks "
            f"ms; page still (p50 ms) "
            f"| {ms(pct(os_, 50))} / {ms(max(os_))}; {pct([c.plots for c in o], 50):.0f} draws; "
            f"{ms(pct([c.busy * 1000 for c in o], 50))}; {ms(pct([c.settled * 1000 for c in o], 50))} "
            f"| {ms(pct(ns, 50))} / {ms(max(ns))}; {pct([c.plots for c in n], 50):.0f} draws; "
            f"{ms(pct([c.busy * 1000 for c in n], 50))}; {ms(pct([c.settled * 1000 for c in n], 50))} "
            f"| {pct(ns, 50) / pct(os_, 50):.1f}x | {target} |"
        )
    return lines


# ---- replaying the captured requests --------------------------------------------------


def is_county_control(ident) -> bool:
    return ident == "naive-county" or (
        isinstance(ident, dict) and ident.get("name") == "county" and ident.get("type") == "filter"
    )


def for_county(body, code: str):
    """The captured request with the county swapped (in the URL it carries, in the
    grid's filter model, and in the county control's value)."""

    def walk(x):
        if isinstance(x, str):
            return x.replace(f"county={CAPTURE_COUNTY}", f"county={code}")
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            out = {k: walk(v) for k, v in x.items()}
            if is_county_control(x.get("id")) and isinstance(x.get("value"), list):
                out["value"] = [code if v == CAPTURE_COUNTY else v for v in x["value"]]
            return out
        return x

    return walk(copy.deepcopy(body))


def callback_name(body: dict) -> str:
    output = str(body.get("output", ""))
    if "naive-" in output:
        return output.split("naive-", 1)[1].split(".")[0]
    for key, name in (
        ("view-url", "filter change: URL, controls, KPIs, charts, reading pane"),
        ("getRowsResponse", "report grid: first page"),
        ("compare", "comparison"),
        ('"more"', "reading pane 'more' (reset on change)"),
    ):
        if key in output:
            return name
    if "page.children" in output:
        return "page (router)"
    return output[:60]


@dataclass
class Timings:
    per_callback: dict[str, list[float]] = field(default_factory=dict)
    per_change: dict[str, list[float]] = field(default_factory=dict)  # change -> ms, summed over its callbacks
    errors: list[str] = field(default_factory=list)

    def add(self, callback: str, change: str, value: float) -> None:
        self.per_callback.setdefault(callback, []).append(value)


def replay(
    session: requests.Session,
    base: str,
    requests_: list[dict],
    code: str,
    timings: Timings,
    change: str,
    expect: str | None,
) -> float:
    total = 0.0
    named = expect is None or change != "county"
    for captured in requests_:
        body = for_county(captured["body"], code)
        start = time.perf_counter()
        response = session.post(base + captured["path"], json=body, headers=captured["headers"], timeout=300)
        elapsed = (time.perf_counter() - start) * 1000
        total += elapsed
        timings.add(callback_name(body), change, elapsed)
        if response.status_code not in (200, 204):
            timings.errors.append(f"{change} {code}: HTTP {response.status_code}")
        named = named or (expect is not None and (expect in response.text or json.dumps(expect)[1:-1] in response.text))
    if not named:  # the swapped county really reached the server
        timings.errors.append(f"{change} {code}: no response names {expect}")
    timings.per_change.setdefault(change, []).append(total)
    return total


# ---- DuckDB's own time for the same aggregates (the floor) ------------------------------

FLOOR_SQL = """
CREATE OR REPLACE TEMP TABLE f AS
    SELECT report_key, submitted_on, observation_type, service_unit, followup_status, publishable
    FROM reports r WHERE county_code = $county AND submitted_on BETWEEN $start AND $end
      AND ($group IS NULL OR report_key IN (SELECT report_key FROM report_target_groups WHERE target_group = $group));
SELECT 'type', observation_type, count(*) FROM f GROUP BY ALL
UNION ALL SELECT 'unit', service_unit, count(*) FROM f GROUP BY ALL
UNION ALL SELECT 'status', followup_status, count(*) FROM f GROUP BY ALL
UNION ALL SELECT 'theme', theme, count(*) FROM f JOIN report_themes USING (report_key) GROUP BY ALL
UNION ALL SELECT 'group', target_group, count(*) FROM f JOIN report_target_groups USING (report_key) GROUP BY ALL
UNION ALL SELECT 'area', area_code, count(*) FROM f JOIN report_areas USING (report_key) GROUP BY ALL;
SELECT year(submitted_on), month(submitted_on) > 6, observation_type, count(*) FROM reports
    WHERE county_code = $county
      AND ($group IS NULL OR report_key IN (SELECT report_key FROM report_target_groups WHERE target_group = $group))
    GROUP BY ALL;
SELECT r.report_id, r.submitted_on, r.observation, r.client_voice, r.proposal FROM f JOIN reports r USING (report_key)
    WHERE f.publishable ORDER BY f.submitted_on DESC, report_key LIMIT 20;
SELECT r.report_id, r.submitted_on, r.observation_type,
       (SELECT string_agg(area_code, '; ') FROM report_areas a WHERE a.report_key = p.report_key),
       (SELECT string_agg(target_group, '; ') FROM report_target_groups g WHERE g.report_key = p.report_key),
       (SELECT string_agg(theme, '; ') FROM report_themes t WHERE t.report_key = p.report_key)
    FROM (SELECT report_key FROM f ORDER BY submitted_on DESC, report_key LIMIT 20) p JOIN reports r USING (report_key);
"""


def floor(db: Path, counties: list[str], rounds: int) -> dict[str, list[float]]:
    con = duckdb.connect(str(db), read_only=True)
    statements = [s for s in FLOOR_SQL.split(";\n") if s.strip()]
    states = {
        "county": (dt.date(2000, 1, 1), dt.date(2100, 1, 1), None),
        "period": (AUTUMN_2024.start, AUTUMN_2024.end, None),
        "target_group": (AUTUMN_2024.start, AUTUMN_2024.end, GROUP[0]),
    }
    out: dict[str, list[float]] = {}
    for _ in range(rounds):
        for code in counties:
            for change, (start, end, group) in states.items():
                params = {"county": code, "start": start, "end": end, "group": group}
                began = time.perf_counter()
                for sql in statements:
                    used = {k: v for k, v in params.items() if f"${k}" in sql}
                    con.execute(sql, used).fetchall()
                out.setdefault(change, []).append((time.perf_counter() - began) * 1000)
    con.close()
    return out


# ---- load ------------------------------------------------------------------------------


def load_test(base: str, steps: dict[str, Step], counties: list[str], users: int, seconds: float, think: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    changes = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def user(seed: int) -> None:
        nonlocal changes
        rng = random.Random(seed)
        session = requests.Session()
        time.sleep(rng.uniform(0, think))  # the users do not all start at once
        while time.perf_counter() < stop_at:
            change = rng.choice(CHANGES)
            code = rng.choice(counties)
            for captured in steps[change].requests:
                start = time.perf_counter()
                try:
                    response = session.post(
                        base + captured["path"],
                        json=for_county(captured["body"], code),
                        headers=captured["headers"],
                        timeout=60,
                    )
                    ok = response.status_code in (200, 204)
                    reason = f"HTTP {response.status_code}"
                except requests.RequestException as exc:
                    ok, reason = False, type(exc).__name__
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
                    if not ok:
                        errors.append(reason)
            with lock:
                changes += 1
            time.sleep(rng.uniform(0.5, 1.5) * think)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 120)
    return {
        "requests": len(latencies),
        "changes": changes,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
    }


def load_with_import(
    db: Path, folder: Path, steps: dict[str, Step], counties: list[str], users: int, seconds: float, think: float
) -> dict:
    """The same load while a coordinator imports a county's file (a new database version midway).

    On a copy of the database (the measured one stays as it was), served by its own gunicorn; the
    file is the first county file of the demo folder with every report's id changed, so the import
    really writes (a new version that every worker swaps to while the users keep clicking)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-load-") as tmp:
        work = Path(tmp)
        copy_db = work / "db.duckdb"
        shutil.copy2(db, copy_db)
        source = sorted(folder.glob("raportit_*.csv"))[0]
        text = source.read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,")
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
        at = rows[0].index("raportin_tunniste")
        for row in rows[1:]:
            row[at] += "-L"
        upload = work / "tuonti.csv"
        with upload.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, dialect).writerows(rows)
        server = start_ours(copy_db)
        outcome: dict = {}

        def run_import() -> None:
            time.sleep(seconds / 4)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "dashboard", "import-reports", str(upload)],
                cwd=ROOT,
                env={**os.environ, "DASHBOARD_DB": str(copy_db)},
                capture_output=True,
                text=True,
                timeout=seconds + 300,
            )
            outcome.update(
                rows=len(rows) - 1,
                seconds=time.perf_counter() - start,
                code=done.returncode,
                tail=(done.stdout + done.stderr)[-300:],
            )

        importer = threading.Thread(target=run_import, daemon=True)
        try:
            importer.start()
            result = load_test(server.url, steps, counties, users, seconds, think)
            importer.join(seconds + 300)
            log("import under load:", outcome.get("code"), outcome.get("tail", "").strip()[-200:])
        finally:
            server.stop()
    result["import"] = outcome
    return result


# ---- import speed ------------------------------------------------------------------------


def import_speed(folder: Path) -> dict:
    """Report rows and indicator values per second through the import code (parse + store)."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "db.duckdb"))
        create_schema(con)
        load_code_lists(con)
        resolver = Resolver.from_database(con)
        files = sorted(folder.glob("raportit_*.csv"))
        read_s = parse_s = store_s = 0.0
        rows = 0
        con.execute("BEGIN")
        for path in files:
            t0 = time.perf_counter()
            table = read_table(path, max_rows=10**6)
            t1 = time.perf_counter()
            parsed = parse_reports(table, resolver)
            t2 = time.perf_counter()
            store_reports(con, parsed)
            t3 = time.perf_counter()
            read_s, parse_s, store_s = read_s + t1 - t0, parse_s + t2 - t1, store_s + t3 - t2
            rows += parsed.loaded
        con.execute("COMMIT")
        out["reports"] = {"rows": rows, "read": read_s, "parse": parse_s, "store": store_s}
        pairs = [
            (folder / "indikaattorit.csv", folder / "indikaattoriarvot.csv"),
            (folder / "indikaattorit_kansallinen.csv", folder / "indikaattoriarvot_kansallinen.csv"),
        ]
        known = {r[0] for r in con.execute("SELECT code FROM regions").fetchall()}
        values, parse_v, store_v = 0, 0.0, 0.0
        con.execute("BEGIN")
        for meta, data in pairs:
            if not data.exists():
                continue
            t0 = time.perf_counter()
            indicators = parse_indicator_files(meta, data, known)
            t1 = time.perf_counter()
            store_indicators(con, indicators)
            t2 = time.perf_counter()
            values, parse_v, store_v = values + indicators.loaded, parse_v + t1 - t0, store_v + t2 - t1
        con.execute("COMMIT")
        out["values"] = {"rows": values, "parse": parse_v, "store": store_v}
        con.close()
    return out


# ---- the databases -----------------------------------------------------------------------


def scalar(con, sql: str):
    row = con.execute(sql).fetchone()
    assert row is not None, sql
    return row[0]


def demo_database(workdir: Path) -> tuple[Path, Path, float]:
    db, folder = workdir / "demo.duckdb", workdir / "demo-files"
    start = time.perf_counter()
    build_demo(db, folder)
    return db, folder, time.perf_counter() - start


def national_database(path: Path, folder: Path, rebuild: bool) -> tuple[Path, Path, float | None]:
    """The national database, reused when it is there (build it once: ~half a minute)."""
    if path.exists() and not rebuild and (folder / "indikaattoriarvot_kansallinen.csv").exists():
        with duckdb.connect(str(path), read_only=True) as con:
            if scalar(con, "SELECT count(*) FROM reports") == NATIONAL_REPORTS:
                return path, folder, None
    log(f"building the national database {path} (files in {folder})")
    start = time.perf_counter()
    build_demo(path, folder, scale="national")
    return path, folder, time.perf_counter() - start


MILLION = 10  # copies of the national reports in the 1 M-report database
# Tables whose rows belong to one report, copied with each report (the analysis, its reviews and
# follow-up events stay with the national reports they were made for).
PER_REPORT = ("report_areas", "report_target_groups", "report_themes", "report_support_needs", "report_screening")


def million_database(national: Path, path: Path, rebuild: bool) -> tuple[Path, float | None]:
    """The national database with its reports multiplied (``MILLION`` copies, each with new keys
    and ids: '<id>-2', ...; dates, codes, texts and links as the original's), the indicators
    unchanged: 1 000 000 reports. Built once from the national database and reused."""
    wanted = NATIONAL_REPORTS * MILLION
    if path.exists() and not rebuild:
        with duckdb.connect(str(path), read_only=True) as con:
            if scalar(con, "SELECT count(*) FROM reports") == wanted:
                return path, None
    log(f"building the 1 M-report database {path} from {national}")
    start = time.perf_counter()
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(national, tmp)
    with duckdb.connect(str(tmp)) as con:
        step = int(scalar(con, "SELECT max(report_key) FROM reports")) + 1
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'reports' ORDER BY ordinal_position"
            ).fetchall()
        ]
        picked = ", ".join(
            f"report_key + {step} * c.k"
            if col == "report_key"
            else "report_id || '-' || (c.k + 1)"
            if col == "report_id"
            else col
            for col in columns
        )
        copies = f"(SELECT unnest(range(1, {MILLION})) AS k) c"
        con.execute("BEGIN TRANSACTION")
        con.execute(f"INSERT INTO reports SELECT {picked} FROM reports, {copies}")
        for table in PER_REPORT:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    f"WHERE table_name = '{table}' ORDER BY ordinal_position"
                ).fetchall()
            ]
            select = ", ".join(f"report_key + {step} * c.k" if col == "report_key" else col for col in cols)
            con.execute(f"INSERT INTO {table} SELECT {select} FROM {table}, {copies} WHERE report_key < {step}")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    os.chmod(tmp, 0o600)  # it holds every hidden text, as the national database does
    os.replace(tmp, path)
    return path, time.perf_counter() - start


def counties_of(db: Path) -> tuple[list[str], dict[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        codes = [r[0] for r in con.execute("SELECT DISTINCT county_code FROM reports ORDER BY 1").fetchall()]
        names = dict(con.execute("SELECT code, name_fi FROM regions WHERE level = 'county'").fetchall())
    return codes, names


# ---- one scale -------------------------------------------------------------------------------


def measure_scale(scale: str, db: Path, args, browser, folder: Path | None = None) -> dict:
    counties, names = counties_of(db)
    result: dict = {"scale": scale, "counties": len(counties)}
    with duckdb.connect(str(db), read_only=True) as con:
        result["reports"] = scalar(con, "SELECT count(*) FROM reports")
        result["values"] = scalar(con, "SELECT count(*) FROM indicator_values")
    ours, naive = start_ours(db), start_naive(db)
    try:
        log(scale, "capturing the requests in Chromium")
        captured = {
            kind: {s.name: s for s in browse(browser, kind, server.url, names[CAPTURE_COUNTY])}
            for kind, server in (("ours", ours), ("naive", naive))
        }
        result["captured"] = {
            kind: {name: len(step.requests) for name, step in steps.items()} for kind, steps in captured.items()
        }
        log(scale, "callbacks per step:", result["captured"])
        if os.environ.get("BENCH_DUMP"):
            Path(os.environ["BENCH_DUMP"]).write_text(
                json.dumps(
                    {kind: {n: s.requests for n, s in steps.items()} for kind, steps in captured.items()}, indent=1
                )
            )
        log(scale, f"click-to-chart in Chromium: ours and naive interleaved, {args.click_rounds} rounds")
        clicks: dict[str, list[Click]] = {"ours": [], "naive": []}
        for i in range(args.click_rounds):
            for kind, server in (
                (("ours", ours), ("naive", naive)) if i % 2 == 0 else (("naive", naive), ("ours", ours))
            ):
                clicks[kind] += click_to_chart(browser, kind, server.url, names[CAPTURE_COUNTY])
        result["clicks"] = clicks
        for kind in clicks:
            log(scale, kind, [f"{c.change} {c.seconds * 1000:.0f} ms, {c.plots} draws" for c in clicks[kind]])
        if args.clicks_only:
            result["rss"] = {"ours": ours.worker_rss(), "naive": naive.worker_rss()}
            return result
        if not args.quick:
            log(scale, "timing Chromium on a fresh profile")
            other = next(c for c in counties if c != CAPTURE_COUNTY)
            timed = browse(browser, "ours", ours.url, names[other])
            result["browser"] = {s.name: (s.seconds, s.bytes, s.count) for s in timed}
        log(scale, f"replaying {len(counties)} counties x {len(CHANGES)} changes x {args.rounds} rounds, interleaved")
        sessions = {"ours": requests.Session(), "naive": requests.Session()}
        timings = {(kind, r): Timings() for kind in ("ours", "naive") for r in range(args.rounds)}
        servers = {"ours": ours, "naive": naive}
        for r in range(args.rounds):
            for code in counties:
                for change in CHANGES:
                    for kind in ("ours", "naive") if (r + counties.index(code)) % 2 == 0 else ("naive", "ours"):
                        replay(
                            sessions[kind],
                            servers[kind].url,
                            captured[kind][change].requests,
                            code,
                            timings[(kind, r)],
                            change,
                            names[code],
                        )
        result["timings"] = timings
        log(scale, "DuckDB floor")
        result["floor"] = floor(db, counties, args.rounds)
        if args.users:
            log(scale, f"load: {args.users} users for {args.duration} s (think time {args.think} s)")
            result["load"] = load_test(ours.url, captured["ours"], counties, args.users, args.duration, args.think)
            if folder is not None and not args.quick:
                log(scale, f"load with an import: {args.users} users for {args.duration} s, a county file imported")
                result["load_import"] = load_with_import(
                    db, folder, captured["ours"], counties, args.users, args.duration, args.think
                )
        result["rss"] = {"ours": ours.worker_rss(), "naive": naive.worker_rss()}
    finally:
        ours.stop()
        naive.stop()
    return result


# ---- heavy downloads --------------------------------------------------------------------------

DOWNLOADS = ("reports.xlsx", "reports.csv")


def downloads_under_load(db: Path, workdir: Path, parallel: int, workers: int) -> dict:
    """Whole-country report downloads, ``parallel`` at once (half XLSX, half CSV),
    against the server README recommends (``python -m dashboard serve``, gthread),
    on a copy of ``db`` (so the built files start cold). Each client takes the
    first answer, then follows Retry-After until it has the file. Meanwhile a
    prober opens the reports view's layout every 0.25 s. Then the same again
    (served from the built files)."""
    copy_db = workdir / "downloads.duckdb"
    shutil.copyfile(db, copy_db)
    port = free_port()
    server = Server(
        "downloads",
        [sys.executable, "-m", "dashboard", "serve", "--workers", str(workers), "--port", str(port)],
        {"DASHBOARD_DB": str(copy_db)},
        port,
    )
    result: dict = {"parallel": parallel, "workers": workers}
    try:
        for phase in ("cold", "built"):
            result[phase] = _download_phase(server, parallel)
            log("downloads", phase, result[phase]["first"], f"{result[phase]['seconds']:.1f} s")
    finally:
        server.stop()
    return result


def _download_phase(server: Server, parallel: int) -> dict:
    stop = threading.Event()
    probes: list[float] = []
    probe_errors: list[str] = []
    rss: list[int] = []
    first: list[int] = []
    done: list[tuple[str, float, int]] = []
    lock = threading.Lock()

    def probe() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            try:
                response = requests.get(server.url + "/_dash-layout", timeout=60)
                if response.status_code != 200:
                    probe_errors.append(str(response.status_code))
            except requests.RequestException as exc:
                probe_errors.append(type(exc).__name__)
            probes.append((time.perf_counter() - start) * 1000)
            rss.append(sum(server.worker_rss()))
            stop.wait(0.25)

    def client(name: str) -> None:
        start = time.perf_counter()
        attempt = 0
        while True:
            try:
                response = requests.get(f"{server.url}/download/{name}", timeout=600)
                status = response.status_code
            except requests.RequestException as exc:
                status, response = 0, None
                log("download failed:", type(exc).__name__)
            with lock:
                if attempt == 0:
                    first.append(status)
            attempt += 1
            if status == 503 and response is not None:
                time.sleep(float(response.headers.get("Retry-After", "5")))
                continue
            with lock:
                done.append((name, time.perf_counter() - start, status))
            return

    prober = threading.Thread(target=probe)
    prober.start()
    clients = [threading.Thread(target=client, args=(DOWNLOADS[i % 2],)) for i in range(parallel)]
    started = time.perf_counter()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    stop.set()
    prober.join()
    return {
        "first": first,
        "done": done,
        "seconds": time.perf_counter() - started,
        "probe_p50": pct(probes, 50),
        "probe_p95": pct(probes, 95),
        "probe_max": max(probes) if probes else 0.0,
        "probe_errors": probe_errors,
        "rss_peak": max(rss) if rss else 0,
    }


def downloads_lines(res: dict) -> list[str]:
    lines = []
    for phase, label in (("cold", "first time (built)"), ("built", "again (served from the built files)")):
        r = res[phase]
        counts = {code: r["first"].count(code) for code in sorted(set(r["first"]))}
        first = ", ".join(f"{n}× {code}" for code, n in counts.items())
        slowest = {name: max((s for n, s, _ in r["done"] if n == name), default=0.0) for name in DOWNLOADS}
        ok = sum(1 for _, _, status in r["done"] if status == 200)
        lines.append(
            f"| national | {res['parallel']} whole-country downloads at once ({res['parallel'] // 2} XLSX + "
            f"{res['parallel'] // 2} CSV), {label}, `serve --workers {res['workers']}`: first answers; all "
            f"files in; slowest XLSX / CSV | {first}; {ok} of {res['parallel']} files in {r['seconds']:.1f} s; "
            f"{slowest['reports.xlsx']:.1f} s / {slowest['reports.csv']:.1f} s | | | no 500, every file |"
        )
        lines.append(
            f"| national | meanwhile the view's layout every 0.25 s ({label}): p50 / p95 / max ms, errors; "
            f"workers' RSS peak (sum) | {ms(r['probe_p50'])} / {ms(r['probe_p95'])} / {ms(r['probe_max'])}, "
            f"{len(r['probe_errors'])} errors; {mb(r['rss_peak'])} | | | |"
        )
    return lines


# ---- the table -----------------------------------------------------------------------------


def report(results: list[dict], imports: dict[str, dict], builds: dict[str, float | None], args) -> str:
    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores "
        f"(`gunicorn -w 2 --threads 4`, Chromium {chromium_version()}); {args.rounds} rounds of every county x "
        f"{len(CHANGES)} changes (county, autumn 2024, working-age); round 1 = filters new to the server. "
        f"Load average (1 min) {args.load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        "(other work on the machine inflates every time here).",
        "",
    ]
    lines += ["| scale | what | ours | naive | naive / ours (p50) | target |", "| --- | --- | --- | --- | --- | --- |"]
    for res in results:
        s = res["scale"]
        lines.append(
            f"| {s} | data | {res['counties']} counties, {res['reports']:,} reports, "
            f"{res['values']:,} indicator values | | | |".replace(",", " ")
        )
        target_change = {"national": 100, "million": 250}.get(s, 50)
        lines += click_lines(s, res["clicks"]) if "clicks" in res else []
        for r in range(args.rounds if "timings" in res else 0):
            ours_t, naive_t = res["timings"][("ours", r)], res["timings"][("naive", r)]
            label = "new filters" if r == 0 else "repeated"
            summed_ours = [sum(v) for v in zip(*[ours_t.per_change[c] for c in CHANGES])]
            summed_naive = [sum(v) for v in zip(*[naive_t.per_change[c] for c in CHANGES])]
            for change in CHANGES:
                o, n = ours_t.per_change[change], naive_t.per_change[change]
                lines.append(
                    f"| {s} | one change ({change}), {label}: p50 / p95 ms | {ms(pct(o, 50))} / {ms(pct(o, 95))}"
                    f" | {ms(pct(n, 50))} / {ms(pct(n, 95))} | {pct(n, 50) / pct(o, 50):.1f}x"
                    f" | p95 ≤ {target_change} |"
                )
            lines.append(
                f"| {s} | three changes summed, {label}: p50 / p95 ms (ratio of the sums) | {ms(pct(summed_ours, 50))} / "
                f"{ms(pct(summed_ours, 95))} | {ms(pct(summed_naive, 50))} / {ms(pct(summed_naive, 95))} | "
                f"**{sum(summed_naive) / sum(summed_ours):.1f}x** | ≥ 10x |"
            )
            if r == 0:
                for name, samples in sorted(ours_t.per_callback.items()):
                    lines.append(
                        f"| {s} | ours, callback *{name}*: p50 / p95 ms (n={len(samples)}) | "
                        f"{ms(pct(samples, 50))} / {ms(pct(samples, 95))} | | | |"
                    )
                for name, samples in sorted(naive_t.per_callback.items()):
                    lines.append(
                        f"| {s} | naive, callback *{name}*: p50 / p95 ms (n={len(samples)}) | | "
                        f"{ms(pct(samples, 50))} / {ms(pct(samples, 95))} | | |"
                    )
            errors = ours_t.errors + naive_t.errors
            if errors:
                lines.append(
                    f"| {s} | replay errors ({label}) | {len(ours_t.errors)} | {len(naive_t.errors)} | | "
                    f"{'; '.join(errors[:3])} |"
                )
        if "floor" in res:
            fl = res["floor"]
            summed = [sum(v) for v in zip(*[fl[c] for c in CHANGES])]
            lines.append(
                f"| {s} | DuckDB floor, the same aggregates in plain SQL, three changes: p50 / p95 ms | "
                f"{ms(pct(summed, 50))} / {ms(pct(summed, 95))} | | | |"
            )
        if "browser" in res:
            for step, (seconds, size, count) in res["browser"].items():
                what = "first load to all charts drawn" if step == "load" else f"filter change ({step})"
                target = "≤ 2 s, ≤ 1.5 MB" if step == "load" else "≤ 150 kB"
                lines.append(
                    f"| {s} | Chromium: {what} | {seconds:.2f} s, {mb(size)}, {count} requests | | | {target} |"
                )
        if "load" in res:
            ld = res["load"]
            kinds = f" ({', '.join(ld['error_kinds'])})" if ld["errors"] else ""
            lines.append(
                f"| {s} | {args.users} users x {args.duration:g} s (think {args.think:g} s): errors, p50 / p95 / "
                f"p99 ms per request | {ld['errors']} errors{kinds} of {ld['requests']} ({ld['changes']} "
                f"changes), {ms(ld['p50'])} / {ms(ld['p95'])} / {ms(ld['p99'])} | | | 0 errors, p95 ≤ 500 |"
            )
        if "load_import" in res:
            ld, imp = res["load_import"], res["load_import"]["import"]
            kinds = f" ({', '.join(ld['error_kinds'])})" if ld["errors"] else ""
            done = (
                f"import of {imp['rows']} reports exit {imp['code']} in {imp['seconds']:.1f} s"
                if imp
                else "import did not finish"
            )
            lines.append(
                f"| {s} | the same load while a county file is imported ({done}): errors, p50 / p95 / p99 ms | "
                f"{ld['errors']} errors{kinds} of {ld['requests']}, {ms(ld['p50'])} / {ms(ld['p95'])} / "
                f"{ms(ld['p99'])} | | | 0 errors |"
            )
        rss = res["rss"]
        lines.append(
            f"| {s} | worker RSS (each of 2 workers) | {', '.join(mb(x) for x in rss['ours'])} | "
            f"{', '.join(mb(x) for x in rss['naive'])} | | ≤ 400 MB |"
        )
        if builds.get(s) is not None:
            what = (
                "national reports x 10, new ids (from the national database)"
                if s == "million"
                else "build-demo (generate + import)"
            )
            lines.append(f"| {s} | {what} | {builds[s]:.1f} s | | | < 120 s (national) |")
    for s, imp in imports.items():
        rep, val = imp["reports"], imp["values"]
        seconds = rep["parse"] + rep["store"]
        lines.append(
            f"| {s} | import {rep['rows']:,} report rows: parse + store (+ read) | {seconds:.1f} s "
            f"(+ {rep['read']:.1f} s), {rep['rows'] / (seconds + rep['read']):,.0f} rows/s | | | "
            f"100 000 rows ≤ 10 s |".replace(",", " ")
        )
        vs = val["parse"] + val["store"]
        lines.append(
            f"| {s} | import {val['rows']:,} indicator values: read + check + store | {vs:.1f} s, "
            f"{val['rows'] / vs:,.0f} values/s | | | |".replace(",", " ")
        )
    return "\n".join(lines)


def chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="demo scale only, one round, a 5-user load for 3 s")
    parser.add_argument("--scales", default="demo,national")
    parser.add_argument(
        "--national-db",
        default=str(ROOT / "data" / "national.duckdb"),
        help="reused when it holds the national data (built there otherwise)",
    )
    parser.add_argument(
        "--million-db",
        default=str(ROOT / "data" / "million.duckdb"),
        help="--scales million: the national reports x 10 (new ids), built there once from --national-db",
    )
    parser.add_argument("--national-folder", default=str(ROOT / "data" / "demo" / "national"))
    parser.add_argument("--rebuild", action="store_true", help="build the national database even when it exists")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--click-rounds", type=int, default=3, help="click-to-chart runs of the three changes, per app (interleaved)"
    )
    parser.add_argument(
        "--clicks-only", action="store_true", help="only click-to-chart (no replay, floor, load, imports)"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds a user waits between changes")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument(
        "--downloads-only",
        action="store_true",
        help="only the whole-country downloads at once (national database; no Chromium)",
    )
    parser.add_argument("--parallel", type=int, default=8, help="whole-country downloads sent at once")
    parser.add_argument("--workers", type=int, default=4, help="workers of the server the downloads go to")
    args = parser.parse_args(argv)
    if args.downloads_only:
        db, _, _ = national_database(Path(args.national_db), Path(args.national_folder), args.rebuild)
        workdir = Path(tempfile.mkdtemp(prefix="tk-bench-"))
        try:
            lines = downloads_lines(downloads_under_load(db, workdir, args.parallel, args.workers))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        table = "\n".join(
            [
                "| scale | what | ours | naive | naive / ours (p50) | target |",
                "| --- | --- | --- | --- | --- | --- |",
                *lines,
            ]
        )
        print(table)
        if args.out:
            Path(args.out).write_text(table + "\n", encoding="utf-8")
        return 0
    args.load_before = os.getloadavg()[0]
    if args.quick:
        args.scales, args.rounds, args.users, args.duration, args.think = "demo", 1, 5, 3.0, 0.2
        args.click_rounds = 1
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (Debian's chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only a benchmark run needs a browser)

    workdir = Path(tempfile.mkdtemp(prefix="tk-bench-"))
    results: list[dict] = []
    imports: dict[str, dict] = {}
    builds: dict[str, float | None] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scale in scales:
                folder: Path | None
                if scale == "demo":
                    db, folder, builds["demo"] = demo_database(workdir)
                else:
                    db, folder, built = national_database(
                        Path(args.national_db), Path(args.national_folder), args.rebuild
                    )
                    builds.setdefault("national", built)
                if scale == "million":
                    db, builds["million"] = million_database(db, Path(args.million_db), args.rebuild)
                    folder = None  # its import is the national one's, ten times over
                if not args.clicks_only and folder is not None:
                    log(scale, "import speed")
                    imports[scale] = import_speed(folder)
                results.append(measure_scale(scale, db, args, browser, folder))
            browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    table = report(results, imports, builds, args)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    bad = sum(len(t.errors) for res in results for t in res.get("timings", {}).values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
