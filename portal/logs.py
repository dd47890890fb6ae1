"""Log filters: one short line per request, tracebacks only for the portal's own errors."""

import logging

from django.conf import settings


class NoTracebackBelow500(logging.Filter):
    """A 403, 404 or 400 is a wrong link, a probe or a refusal working as meant, not a bug:
    Django logs it with the exception's traceback, which buried the real errors. One line."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class NoStaticFileRequests(logging.Filter):
    """The development server logs every request; each page pulls a dozen static files."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        request_line = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        parts = request_line.split(" ")
        path = parts[1] if len(parts) > 1 else ""
        static = path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        return not (static and status is not None and status < 400)
