"""axe-core (WCAG 2.1 A and AA rules) finds nothing in any view."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser import LOGIN_PASSWORD, settled

pytestmark = pytest.mark.browser
# Only violations are read: axe then keeps one node of its passes and inapplicable rules instead
# of every one (its documented "resultTypes" option; ~25 % of a scan's CPU), and finds the same violations.
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWS = [
    ("/?county=09&from=2024-09-01&to=2024-12-31", "#kpis .kpi-card"),
    ("/?county=09&from=2024-09-01&to=2024-12-31&theme=mental_health", "#filter-chips [data-chip]"),
    ("/reports?county=09&from=2024-09-01&to=2024-12-31", "#compare-table"),
    ("/reports?lang=sv&county=12&theme=housing", "#reading-list"),
    ("/indicators?indicator=sotkanet-3225&region=398&year=2023", "#ind-content .js-plotly-plot"),
    ("/indicators?indicator=local-essote-2021-women", "#ind-profile table"),
    ("/phenomena?theme=livelihood&county=09", "#phen-indicators .js-plotly-plot"),
    ("/phenomena", "#phen-content a"),
    ("/login", "form"),
    ("/coordinator", "#upload-form"),
    ("/report?county=09", "#report-form"),
]
# Every dropdown with a <label> has that label first in its aria-labelledby (assets/a11y.js puts it there).
LABELLED = """() => [...document.querySelectorAll('button.dash-dropdown[id]')].every(button => {
  const label = document.querySelector(`label[for="${CSS.escape(button.id)}"]`);
  return !label || (!!label.id && (button.getAttribute('aria-labelledby') || '').split(' ').includes(label.id));
})"""


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")


@pytest.mark.parametrize("path, ready", VIEWS)
def test_no_wcag_violations(page, request, path, ready):
    # The views on the indicator data; the login form and the upload page where a login is configured.
    server = request.getfixturevalue("login_server" if path in ("/login", "/coordinator") else "sotkanet_server")
    if path == "/coordinator":
        page.goto(f"{server.url}/login")
        page.get_by_label("Salasana").fill(LOGIN_PASSWORD)
        page.get_by_role("button", name="Kirjaudu").click()
        page.wait_for_url(f"{server.url}/coordinator")
    page.goto(server.url + path)
    page.locator(ready).first.wait_for()
    settled(page)
    page.wait_for_function(LABELLED)  # the app's a11y script has named every dropdown by its label
    page.add_script_tag(content=axe_source())
    result = page.evaluate("rules => axe.run(document, rules)", RULES)
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not problems, problems
