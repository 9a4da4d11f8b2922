"""Tilannekuva's gunicorn entry: `gunicorn app:server` (what `python -m dashboard serve` runs)."""

from dashboard.web.app_factory import create_app

app = create_app()
server = app.server
