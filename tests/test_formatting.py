import datetime as dt

from dashboard.core.formatting import fmt_date, fmt_date_range, fmt_number, fmt_percent, fmt_share


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_finnish_number_formats():
    assert plain(fmt_number(1234)) == "1 234"
    assert plain(fmt_percent(0.125, decimals=1)) == "12,5 %"
    assert plain(fmt_share(31 / 40)) == "77,5 %"
    assert plain(fmt_share(0.5)) == "50 %"
    assert fmt_number(None) == "–"


def test_finnish_dates():
    assert fmt_date(dt.date(2024, 9, 1)) == "1.9.2024"
    assert fmt_date_range(dt.date(2024, 9, 1), dt.date(2024, 12, 31)) == "1.9.–31.12.2024"
    assert fmt_date_range(dt.date(2023, 9, 1), dt.date(2024, 6, 30)) == "1.9.2023–30.6.2024"


def test_other_languages():
    assert fmt_number(1234, "en") == "1,234"
    assert plain(fmt_number(1234, "sv")) == "1 234"


def test_shares_round_half_up_to_the_rule_and_a_whole_percent_shows_whole():
    # One decimal (tables): 31/40, 21/40, 7/40; none (slides): as Excel and the published summaries round.
    assert [plain(fmt_share(n / 40)) for n in (31, 21, 7, 5, 4, 20)] == [
        "77,5 %", "52,5 %", "17,5 %", "12,5 %", "10 %", "50 %"
    ]  # fmt: skip
    assert [plain(fmt_share(n / 40, decimals=0)) for n in (31, 21, 7, 5, 4, 20)] == [
        "78 %", "53 %", "18 %", "13 %", "10 %", "50 %"
    ]  # fmt: skip
    assert plain(fmt_share(1 / 3, "en", 2)) == "33.33 %"
    assert fmt_share(None) == "–"


def test_the_rounding_rule_is_a_setting_with_the_county_default():
    from dashboard.charts.style import SCREEN, SLIDE, share_note, share_text
    from dashboard.core.config import Settings

    assert (Settings.from_env({}).share_decimals_slides, Settings.from_env({}).share_decimals_tables) == (0, 1)
    env = {"DASHBOARD_SHARE_DECIMALS_SLIDES": "1", "DASHBOARD_SHARE_DECIMALS_TABLES": "2"}
    assert (Settings.from_env(env).share_decimals_slides, Settings.from_env(env).share_decimals_tables) == (1, 2)
    assert Settings.from_env({"DASHBOARD_SHARE_DECIMALS_SLIDES": "x"}).share_decimals_slides == 0  # nonsense: default
    assert plain(share_text(31 / 40, "fi", SLIDE)) == "78 %" and plain(share_text(31 / 40, "fi", SCREEN)) == "77,5 %"
    assert share_note(SLIDE, "fi") == "osuudet kokonaisina prosentteina"
    assert share_note(SCREEN, "sv") == "andelar med en decimal"


def test_shares_follow_the_setting_on_slides(monkeypatch):
    from dashboard.charts.style import SLIDE, share_note, share_text

    monkeypatch.setenv("DASHBOARD_SHARE_DECIMALS_SLIDES", "1")
    assert plain(share_text(31 / 40, "fi", SLIDE)) == "77,5 %"
    assert share_note(SLIDE, "en") == "shares to one decimal"


def test_periods_are_named_as_counties_name_them():
    from dashboard.core.periods import half_year_name, half_year_tick, period_name, period_text

    d = dt.date
    assert period_text(d(2024, 9, 1), d(2024, 12, 31)) == "syksy 2024 (1.9.–31.12.2024)"
    assert period_text(d(2024, 1, 1), d(2024, 6, 30)) == "tammi–kesäkuu 2024"
    assert period_text(d(2024, 7, 1), d(2024, 12, 31), "sv") == "juli–december 2024"
    assert period_text(d(2024, 1, 1), d(2024, 12, 31), "en") == "2024"
    assert period_text(d(2024, 9, 1), d(2024, 10, 15)) == "1.9.–15.10.2024"  # not a named period: its dates
    assert period_text(None, None) == ""
    assert period_name(d(2024, 9, 1), d(2024, 12, 31), "en") == "autumn 2024"
    assert half_year_name(2024, 1) == "tammi–kesäkuu 2024" and half_year_name(2021, 2, "en") == "July–December 2021"
    assert half_year_tick(2024, 2) == "heinä–joulu<br>2024"


def test_the_trends_half_years_are_named_where_the_names_fit_upright():
    from dashboard.charts.reports import half_year_ticks
    from dashboard.charts.style import SCREEN, SLIDE
    from dashboard.core.periods import half_year_code, half_year_tick

    def halves(years):
        pairs = [(y, h) for y in years for h in (1, 2)]
        return [half_year_tick(y, h) for y, h in pairs], [half_year_code(y, h) for y, h in pairs]

    # Two years on the screen: the names, upright.
    assert half_year_ticks(*halves([2023, 2024]), SCREEN) == (halves([2023, 2024])[0], True)
    # Five years on a slide (the demo's 2021–2025): 'heinä–joulu' would run into its neighbour,
    # so the month ranges, still upright (turned, they ran off the slide's bottom edge).
    ticks, upright = half_year_ticks(*halves(range(2021, 2026)), SLIDE)
    assert ticks[:2] == ["1–6<br>2021", "7–12<br>2021"] and upright
    # Twenty years: not even those fit side by side; plotly turns them.
    assert half_year_ticks(*halves(range(2005, 2026)), SLIDE)[1] is False
