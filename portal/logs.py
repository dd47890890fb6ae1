"""Log filters: one short line per request, tracebacks only for the portal's own errors."""

import contextvars
import logging
import re
import time
import uuid

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


# --- Request context and the request line (production's JSON logs) -------------------------

# The request being answered, for the filter below: every record logged while it runs
# (a database error, a refused login, a 500's traceback) carries its id and its user's.
_current_request = contextvars.ContextVar("portal_request", default=None)

# What a proxy may hand over as X-Request-ID: an id, not a place for log injection.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

request_logger = logging.getLogger("portal.request")


def _user_id(request):
    # Only a user already loaded: logging must not query the session (or recurse while the
    # authentication middleware is the one logging). Never the e-mail address, only the id.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestContext(logging.Filter):
    """Adds request_id and user_id to each record logged during a request."""

    def filter(self, record):
        request = _current_request.get()
        if request is not None:
            record.request_id = getattr(request, "request_id", None)
            record.user_id = _user_id(request)
        return True


class RequestLogMiddleware:
    """One line per request: request_id, user_id, method, path, status and duration_ms.

    Placed after WhiteNoise, so static files are not logged (as in development). The id comes
    from the proxy's X-Request-ID when it looks like one, else a new one, and is sent back in
    the response's X-Request-ID so a user's report can be found in Loki.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.request_id = supplied if _REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request.request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _current_request.reset(token)


def json_formatter():
    """One JSON object per line for Loki: time, level, logger, message and the fields above
    (an exception's traceback in exc_info). python-json-logger adds any `extra=` field."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        timestamp=False,
    )
