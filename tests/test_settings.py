"""Settings is the one reader of the environment, README's table names what
it reads, and DASHBOARD_LANG sets the language of a view whose link names none."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import pytest

from dashboard.core.config import Settings
from dashboard.core.filters import ReportFilter, lang_of

ROOT = Path(__file__).resolve().parents[1]


def app_modules() -> list[Path]:
    return [ROOT / "app.py", *(ROOT / "dashboard").rglob("*.py"), *(ROOT / "queries").rglob("*.py")]


def test_only_settings_reads_the_environment():
    readers = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            reads = (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")) or (
                isinstance(node, ast.Name) and node.id in ("environ", "getenv")
            )
            if reads:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == ["dashboard/core/config.py:" + str(_environ_line())], readers


def _environ_line() -> int:
    lines = (ROOT / "dashboard/core/config.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "os.environ" in line and not line.lstrip().startswith(":"))


def test_readme_lists_every_variable_settings_reads():
    source = (ROOT / "dashboard/core/config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    assert read == listed


def test_settings_parse_and_fall_back():
    settings = Settings.from_env(
        {
            "DASHBOARD_LANG": "SV",
            "DASHBOARD_PORT": "x",
            "DASHBOARD_SUPPRESS_BELOW": "-3",
            "DASHBOARD_REQUIRE_LOGIN": "yes",
            "DASHBOARD_HTPASSWD": "/etc/users",
            "DASHBOARD_DUCKDB_MEMORY": "1GB",
            "SOTKANET_BASE_URL": "http://127.0.0.1:9/rest/",
        }
    )
    assert (settings.language, settings.port, settings.suppress_below) == ("sv", 8050, 0)
    assert settings.require_login and settings.htpasswd == Path("/etc/users")
    assert settings.duckdb_memory == "1GB" and settings.sotkanet_base_url == "http://127.0.0.1:9/rest"
    assert Settings.from_env({"DASHBOARD_LANG": "de"}).language == "fi"
    assert Settings.from_env({}).coordinator_password is None


@pytest.fixture()
def swedish(app_env, monkeypatch):
    from queries import access

    monkeypatch.setenv("DASHBOARD_LANG", "sv")
    access.reset()
    yield
    access.reset()


def test_the_default_language_is_the_views_language(swedish, vocab):
    assert lang_of("") == "sv" and lang_of("lang=xx") == "sv"
    assert ReportFilter.from_query("county=09", vocab).lang == "sv"
    # A link in the default language needs no parameter; Finnish then needs one.
    assert ReportFilter.from_query("county=09", vocab).to_query() == "?county=09"
    assert ReportFilter.from_query("county=09&lang=fi", vocab).to_query() == "?county=09&lang=fi"


def test_pages_downloads_and_slides_follow_the_default_language(swedish, client):
    from dashboard.web.callbacks.shell import page

    assert "Rapporter" in str(page("/reports", "?county=09", lang_of("?county=09")).to_plotly_json())
    assert '<html lang="sv">' in client.get("/reports").get_data(as_text=True)
    summary = client.get("/download/summary.csv?county=09").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(summary), delimiter=";"))
    assert header[:2] == ["Indelning", "Värde"]
    finnish = client.get("/download/summary.csv?county=09&lang=fi").data.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(finnish), delimiter=";"))[:2] == ["Luokittelu", "Arvo"]
    assert 'lang="sv"' in client.get("/present?county=09").get_data(as_text=True)
    login = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in login and 'href="/login?lang=fi"' in login
