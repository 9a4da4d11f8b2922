"""The coordinator's half-year analysis (issue 19): the workspace of drafts,
review state per report, theme suggestions, privacy screening, phenomena and
the publish step that writes a period's analysis into the DuckDB database.

No Dash or Flask here: the workbench pages call these modules."""
