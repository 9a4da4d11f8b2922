"""gunicorn's configuration module (``python -m dashboard serve`` passes ``-c
python:dashboard.web.gunicorn_preload``): the master imports the app's code once, and each worker
forks with it loaded (a worker started, or restarted after it was killed, is ready in ~0.1 s of
CPU instead of ~2 s). The app itself is not created here: each worker creates its own, and opens
the database only on its first request (nothing is opened, and no thread started, by importing
these modules; ``tests/test_delivery.py`` checks that)."""

import dashboard.web.app_factory  # noqa: F401  (pandas, Dash, plotly, DuckDB and the app's modules)
