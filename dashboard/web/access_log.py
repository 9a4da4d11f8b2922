"""gunicorn's access log without the reporting form's secrets: the token of a receipt
link (``/report/receipt/<token>``) or of a unit link (``/report/u/<token>``) is a
password, so the log line says ``…`` instead (``python -m dashboard serve`` uses
this logger: ``--logger-class dashboard.web.access_log.RedactingLogger``)."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

SECRET = re.compile(r"(/report/(?:receipt|u)/)[^/?\s]+")


def redact(text: object) -> object:
    return SECRET.sub(r"\1…", text) if isinstance(text, str) else text


class RedactingLogger(Logger):
    def atoms(self, resp, req, wsgi_env, request_time):  # the WSGI environment, not os.environ
        atoms = super().atoms(resp, req, wsgi_env, request_time)
        return {key: redact(value) for key, value in atoms.items()}
