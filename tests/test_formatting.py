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
