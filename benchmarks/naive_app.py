"""The naive way to build the reports view, for the benchmark only.

What a competent first version looks like: every report and its link tables
read into pandas once per worker, one Dash callback per output, each one
filtering the whole DataFrame again and drawing with plotly.express. Same
filters, same charts (themes, target groups, areas, service units, half-year
trend by type, observation types, follow-up), the same KPIs, the first page
of the reading pane and of the report table. No caching, no SQL.

    NAIVE_DB=data/national.duckdb gunicorn -w 2 --threads 4 --worker-class gthread \
        --chdir benchmarks naive_app:server
"""

from __future__ import annotations

import os

import dash
import duckdb
import pandas as pd
import plotly.express as px
from dash import Input, Output, dash_table, dcc, html

from dashboard.core.periods import presets  # the same period choices as the app

PAGE = 20
FILTERS = [
    "county",
    "municipality",
    "period",
    "target_group",
    "theme",
    "observation_type",
    "service_unit",
    "followup_status",
]


def load(path: str) -> dict:
    with duckdb.connect(path, read_only=True) as con:
        data = {
            "reports": con.execute(
                "SELECT report_key, report_id, county_code, submitted_on, service_unit, observation_type, "
                "followup_status, publishable, observation, client_voice, proposal FROM reports"
            ).df(),
            "areas": con.execute("SELECT report_key, area_code FROM report_areas").df(),
            "groups": con.execute("SELECT report_key, target_group FROM report_target_groups").df(),
            "themes": con.execute("SELECT report_key, theme FROM report_themes").df(),
        }
        labels = {}
        for name, table in (
            ("target_group", "target_groups"),
            ("theme", "themes"),
            ("observation_type", "observation_types"),
            ("service_unit", "service_units"),
            ("followup_status", "followup_statuses"),
        ):
            labels[name] = dict(con.execute(f"SELECT code, name_fi FROM {table} ORDER BY sort_order").fetchall())
        regions = con.execute("SELECT code, level, name_fi FROM regions").fetchall()
        labels["area"] = {code: name for code, _, name in regions}
        labels["area"].update(
            {code: f"Koko hyvinvointialue: {name}" for code, level, name in regions if level == "county"}
        )
        labels["area"]["national"] = "Valtakunnallinen ilmiö"
        labels["county"] = {code: name for code, level, name in regions if level == "county"}
        span = con.execute("SELECT min(submitted_on), max(submitted_on) FROM reports").fetchone()
        assert span is not None
        first, last = span
    data["reports"]["submitted_on"] = pd.to_datetime(data["reports"]["submitted_on"])
    data["labels"] = labels
    data["presets"] = presets(first, last)
    data["counties"] = sorted(data["reports"]["county_code"].unique())
    return data


DATA = load(os.environ.get("NAIVE_DB", "data/dashboard.duckdb"))


def filtered(county, municipality, period, groups, themes, types, units, statuses) -> pd.DataFrame:
    df = DATA["reports"]
    if county:
        df = df[df["county_code"].isin(county)]
    preset = next((p for p in DATA["presets"] if p.key == period), None)
    if preset:
        df = df[(df["submitted_on"] >= pd.Timestamp(preset.start)) & (df["submitted_on"] <= pd.Timestamp(preset.end))]
    for column, chosen in (("observation_type", types), ("service_unit", units), ("followup_status", statuses)):
        if chosen:
            df = df[df[column].isin(chosen)]
    for table, column, chosen in (
        ("areas", "area_code", municipality),
        ("groups", "target_group", groups),
        ("themes", "theme", themes),
    ):
        if chosen:
            links = DATA[table]
            df = df[df["report_key"].isin(links.loc[links[column].isin(chosen), "report_key"])]
    return df


def counts(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    if dimension in ("theme", "target_group", "area"):
        table, column = {
            "theme": ("themes", "theme"),
            "target_group": ("groups", "target_group"),
            "area": ("areas", "area_code"),
        }[dimension]
        links = DATA[table]
        values = links.loc[links["report_key"].isin(df["report_key"]), column]
    else:
        values = df[dimension]
    out = values.value_counts().rename_axis("code").reset_index(name="count")
    out["label"] = out["code"].map(DATA["labels"][dimension]).fillna(out["code"])
    out["share"] = out["count"] / max(len(df), 1)
    return out


def bars(df: pd.DataFrame, dimension: str, title: str, top: int | None = None):
    frame = counts(df, dimension)
    if top:
        frame = frame.head(top)
    frame = frame.iloc[::-1]
    figure = px.bar(frame, x="count", y="label", orientation="h", text="count", title=title, custom_data=["code"])
    figure.update_layout(yaxis_title=None, xaxis_title="Raportteja", height=360)
    return figure


app = dash.Dash(__name__, title="Naiivi raporttinäkymä", serve_locally=True)
server = app.server


def dropdown(name: str, label: str, options: list[dict], multi: bool = True, value=None):
    return html.Div(
        [
            html.Label(label, htmlFor=f"naive-{name}"),
            dcc.Dropdown(id=f"naive-{name}", options=options, multi=multi, value=value),
        ]
    )


def options(dimension: str, codes=None) -> list[dict]:
    labels = DATA["labels"][dimension]
    return [{"label": labels.get(c, c), "value": c} for c in (codes if codes is not None else labels)]


CHARTS = [
    ("theme", "Teemat", 12),
    ("target_group", "Kohderyhmät", None),
    ("area", "Alueet", 15),
    ("service_unit", "Palvelutehtävät", None),
    ("observation_type", "Havainnon tyyppi", None),
    ("followup_status", "Seuranta", None),
]

app.layout = html.Main(
    [
        html.H1("Raportit (naiivi)"),
        html.Div(
            [
                dropdown("county", "Hyvinvointialue", options("county", DATA["counties"])),
                dropdown("municipality", "Kunta tai alue", options("area")),
                dropdown(
                    "period",
                    "Ajanjakso",
                    [{"label": "Koko aika", "value": "all"}]
                    + [{"label": p.label("fi"), "value": p.key} for p in DATA["presets"]],
                    multi=False,
                    value="all",
                ),
                dropdown("target_group", "Kohderyhmä", options("target_group")),
                dropdown("theme", "Teema", options("theme")),
                dropdown("observation_type", "Havainnon tyyppi", options("observation_type")),
                dropdown("service_unit", "Palvelutehtävä", options("service_unit")),
                dropdown("followup_status", "Seurannan tila", options("followup_status")),
            ]
        ),
        html.P(id="naive-caption"),
        html.Div(id="naive-kpis"),
        *[dcc.Graph(id=f"naive-chart-{name}") for name, _, _ in CHARTS],
        dcc.Graph(id="naive-chart-trend"),
        html.Div(id="naive-reading"),
        dash_table.DataTable(id="naive-table", page_size=PAGE),
    ]
)
INPUTS = [Input(f"naive-{name}", "value") for name in FILTERS]


@app.callback(Output("naive-caption", "children"), Output("naive-kpis", "children"), *INPUTS)
def caption(*values):
    df = filtered(*values)
    names = ", ".join(DATA["labels"]["county"][c] for c in values[0] or []) or "Kaikki hyvinvointialueet"
    by_type = df["observation_type"].value_counts()
    kpis = [
        html.Span(
            f"{DATA['labels']['observation_type'][code]}: {int(by_type.get(code, 0))} "
            f"({by_type.get(code, 0) / max(len(df), 1):.1%})",
            className="me-3",
        )
        for code in DATA["labels"]["observation_type"]
    ]
    return f"{names} · {len(df)} raporttia", kpis


def chart_callback(name: str, title: str, top: int | None):
    @app.callback(Output(f"naive-chart-{name}", "figure"), *INPUTS)
    def draw(*values):
        return bars(filtered(*values), name, title, top)

    return draw


for _name, _title, _top in CHARTS:
    chart_callback(_name, _title, _top)


@app.callback(Output("naive-chart-trend", "figure"), *INPUTS)
def trend(*values):
    df = filtered(values[0], values[1], "all", *values[3:])  # every half-year, as the app shows
    frame = (
        df.assign(
            period=df["submitted_on"].dt.year.astype(str) + "/" + ((df["submitted_on"].dt.month > 6) + 1).astype(str)
        )
        .groupby(["period", "observation_type"])
        .size()
    )
    frame = frame.rename("count").reset_index()
    frame["type"] = frame["observation_type"].map(DATA["labels"]["observation_type"])
    return px.bar(frame, x="period", y="count", color="type", title="Raportit puolivuosittain")


@app.callback(Output("naive-reading", "children"), *INPUTS)
def reading(*values):
    df = filtered(*values)
    df = df[df["publishable"]].sort_values("submitted_on", ascending=False).head(PAGE)
    return [
        html.Article(
            [html.H3(r.report_id), html.P(r.observation), html.P(r.client_voice or ""), html.P(r.proposal or "")]
        )
        for r in df.itertuples()
    ]


@app.callback(Output("naive-table", "data"), *INPUTS)
def table(*values):
    df = filtered(*values).sort_values("submitted_on", ascending=False).head(PAGE)
    labels = DATA["labels"]
    rows = []
    for r in df.itertuples():
        joined = {}
        for table_name, column, dimension in (
            ("areas", "area_code", "area"),
            ("groups", "target_group", "target_group"),
            ("themes", "theme", "theme"),
        ):
            links = DATA[table_name]
            joined[dimension] = "; ".join(
                labels[dimension].get(c, c) for c in links.loc[links["report_key"] == r.report_key, column]
            )
        rows.append(
            {
                "Tunniste": r.report_id,
                "Päivä": r.submitted_on.date().isoformat(),
                "Tyyppi": labels["observation_type"][r.observation_type],
                "Alueet": joined["area"],
                "Kohderyhmät": joined["target_group"],
                "Teemat": joined["theme"],
            }
        )
    return rows


# Dash learns which script files it may serve when it renders its index page; a gunicorn worker asked
# for a script before it rendered the index answers 500 ("dash is not a registered library"), which
# stalled the benchmark now and then. Render it once, as the app itself does (app_factory).
with server.test_request_context("/"):
    app._setup_server()
    app.index()


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8060")), debug=False)
