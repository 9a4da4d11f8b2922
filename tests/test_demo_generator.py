"""The demo generator is deterministic and writes the real import format."""

import hashlib

from dashboard.demo import write_demo_files
from dashboard.imports.reports import TEMPLATE_COLUMNS
from dashboard.imports.tables import read_table


def digest(paths):
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in paths.items()}


def test_same_output_every_run(tmp_path):
    first = digest(write_demo_files(tmp_path / "a"))
    second = digest(write_demo_files(tmp_path / "b"))
    assert first == second


def test_report_files_use_the_template_headers(tmp_path):
    paths = write_demo_files(tmp_path)
    table = read_table(paths["reports_09"])
    assert table.header == list(TEMPLATE_COLUMNS)
    # Finnish dates and names, as a coordinator's export has them.
    first = dict(zip(table.header, table.rows[0][1]))
    assert first["pvm"].count(".") == 2
    assert first["havainnon_tyyppi"] in {"kielteinen", "myönteinen", "neutraali"}
