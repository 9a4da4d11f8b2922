"""Tilannekuva: serve with `python -m dashboard serve` or `gunicorn app:server`."""

from dashboard.app_factory import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    from dashboard.config import Settings

    settings = Settings.from_env()
    app.run(host=settings.host, port=settings.port, debug=False)
