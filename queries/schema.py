"""Where each dimension of a report lives in the database (``schema.sql``): the
one map that the filter's WHERE (:mod:`queries.where`), the counts and the
report table (:mod:`queries.reports`), the vocabulary (:mod:`queries.codes`)
and the report import read. Names only; nothing runs here.

A dimension is named as the vocabulary names it (``area``, ``theme``, …); the
report filter's fields map to these names (``dashboard.core.filters.LIST_PARAMS``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    name: str  # the vocabulary's dimension
    table: str  # "reports", or the link table of a dimension a report has several values of
    column: str  # the column that holds the code
    codes: str  # the table of the codes' labels (name_fi, name_sv, name_en)

    @property
    def linked(self) -> bool:
        """A report carries several values (a row each in a link table keyed by report_key)."""
        return self.table != "reports"


REPORT_DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("county", "reports", "county_code", "regions"),
        Dimension("area", "report_areas", "area_code", "regions"),
        Dimension("target_group", "report_target_groups", "target_group", "target_groups"),
        Dimension("theme", "report_themes", "theme", "themes"),
        Dimension("observation_type", "reports", "observation_type", "observation_types"),
        Dimension("service_unit", "reports", "service_unit", "service_units"),
        Dimension("followup_status", "reports", "followup_status", "followup_statuses"),
    )
}
# What the views count, in the order of a summary.
COUNTED = ("observation_type", "theme", "target_group", "area", "service_unit", "followup_status")
LINKED = {name: d for name, d in REPORT_DIMENSIONS.items() if d.linked}
# Dimensions whose labels come from a code list of their own (the places come from regions).
CODE_TABLES = {name: d.codes for name, d in REPORT_DIMENSIONS.items() if d.codes != "regions"}
