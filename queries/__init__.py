"""SQL for the dashboard, one module per dataset. Functions take a DuckDB
connection (or cursor) and return DataFrames; no Dash imports here."""
