import datetime
import hmac
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal import metrics as portal_metrics
from portal.accounts import access, roles
from portal.cache import cache_ok
from portal.celery import app as celery_app
from portal.news import selectors as news_selectors

logger = logging.getLogger(__name__)


def front_page(request):
    return render(
        request,
        "portal/front_page.html",
        {"latest_articles": news_selectors.articles_latest(limit=3)},
    )


def privacy(request):
    # The retention periods as configured, so the page never promises other figures.
    return render(
        request,
        "portal/privacy.html",
        {
            "audit_days": settings.AUDIT_RETENTION_DAYS,
            "signup_days": settings.SIGNUP_CONTACT_RETENTION_DAYS,
        },
    )


@login_required
def start(request):
    """Where LOGIN_REDIRECT_URL points: each role goes on to its own start page."""
    return redirect(roles.start_url(request.user))


@login_required
def dashboard(request):
    """The workspace's start page. Its sections come from the apps (portal.registry)."""
    if not access.uses_workspace(request.user):
        raise PermissionDenied
    return render(
        request,
        "portal/dashboard.html",
        {"membership": roles.primary_membership(request.user)},
    )


# --- Health: liveness and readiness (Kubernetes/NAIS probes) ------------------------------


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def _cache_ok() -> bool:
    # The cache holds the login rate limits: with Redis down logins still work, but without
    # them (portal/cache.py), which operations should hear about.
    try:
        return cache_ok()
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            # One try, no sleeping between tries: a probe must answer quickly.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: the Celery broker does not answer")
        return False


def ping(request):
    """The load runs' ceiling (scripts/load/run): a short page through every middleware,
    touching nothing else."""
    return HttpResponse("<!DOCTYPE html><title>ok</title><p>ok</p>")


@never_cache
def health_live(request):
    """Liveness: the process answers. Touches nothing else, so that a database or Redis
    outage never makes the orchestrator restart healthy web processes."""
    return JsonResponse({"status": "ok"})


@never_cache
def health_ready(request):
    """Readiness: 200 when the database, the cache and the broker answer, else 503 naming the
    part that is down, so that the load balancer sends no traffic here meanwhile."""
    checks = {"database": _database_ok(), "cache": _cache_ok(), "broker": _broker_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable"}
        | {name: "ok" if ok else "down" for name, ok in checks.items()},
        status=200 if ready else 503,
    )


# --- Metrics (Prometheus) -------------------------------------------------------------------


def _on_metrics_port(request) -> bool:
    # gunicorn hands the view the connection's socket: its local port is where the request
    # came in, which no header can fake (SERVER_PORT comes from the Host header).
    sock = request.META.get("gunicorn.socket")
    if sock is None or not settings.METRICS_PORT:
        return False
    try:
        return sock.getsockname()[1] == settings.METRICS_PORT
    except OSError:
        return False


def _has_metrics_token(request) -> bool:
    if not settings.METRICS_TOKEN:
        return False
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return hmac.compare_digest(supplied.encode(), settings.METRICS_TOKEN.encode())


@never_cache
def metrics(request):
    """Prometheus's text format, on the internal metrics port or with the bearer token; a 404
    for anyone else, so that the public address does not even reveal that it exists."""
    if not (_on_metrics_port(request) or _has_metrics_token(request)):
        raise Http404
    return HttpResponse(
        portal_metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )


# --- security.txt (RFC 9116) ----------------------------------------------------------------


def security_txt(request):
    """Where to report a vulnerability. Expires is a year ahead of today, so the file never
    goes stale (RFC 9116 wants less than a year; clients ignore an expired file)."""
    expires = (timezone.now() + datetime.timedelta(days=364)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: no, nb, nn, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
        f"Policy: {settings.SECURITY_POLICY_URL}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
