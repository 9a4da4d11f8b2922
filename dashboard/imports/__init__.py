"""Loading files into the database: code lists, reports, indicators."""
