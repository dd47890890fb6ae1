"""Prometheus metrics: requests, database queries, Celery task outcomes, backlogs.

Served at /metrics (portal.views.metrics), which is not public: it answers on the internal
metrics port only (gunicorn listens there too, METRICS_PORT; the NAIS ingress never routes
to it, Prometheus scrapes the pod directly), or to a request with
`Authorization: Bearer <METRICS_TOKEN>` when that is set. Everything else gets a 404.

gunicorn runs several worker processes, each with its own counters: with
PROMETHEUS_MULTIPROC_DIR set (scripts/start-web and start-worker set it) prometheus_client
keeps them in files there and the view adds them up.
https://prometheus.github.io/client_python/multiprocess/
"""

import os
import time
from collections.abc import Callable

from celery import signals as celery_signals
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter(
    "portal_http_requests_total", "HTTP requests answered", ["method", "status", "view"]
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Counter("portal_db_queries_total", "Database queries run", ["vendor"])
TASKS = Counter("portal_celery_tasks_total", "Celery tasks finished", ["task", "outcome"])

# --- Backlogs: how much waits to be done ---------------------------------------------------

_backlogs: dict[str, Callable[[], int]] = {}


def backlog_register(name: str, count: Callable[[], int]) -> None:
    """Report `count()` as portal_backlog{queue=name} at each scrape.

    The reminders outbox registers its unsent rows here (portal/reminders/apps.py), so an
    alert can fire when the worker or beat stops sending.
    """
    _backlogs[name] = count


def backlog_unregister(name: str) -> None:
    _backlogs.pop(name, None)


class BacklogCollector:
    def collect(self):
        gauge = GaugeMetricFamily(
            "portal_backlog", "Items waiting to be processed", labels=["queue"]
        )
        for name, count in sorted(_backlogs.items()):
            gauge.add_metric([name], count())
        yield gauge


def exposition() -> bytes:
    """The text Prometheus reads: this process's metrics, or all processes' in multiprocess
    mode, and the backlogs counted now."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        registry.register(BacklogCollector())
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY) + generate_latest(_backlog_registry())


def _backlog_registry():
    registry = CollectorRegistry()
    registry.register(BacklogCollector())
    return registry


# --- Requests -------------------------------------------------------------------------------


class RequestMetricsMiddleware:
    """First in the chain, so it times everything, static files and redirects too. Labelled by
    the URL pattern's name, not the path: paths hold ids and would make a series each."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "none"
        REQUESTS.labels(request.method, str(response.status_code), view).inc()
        LATENCY.labels(request.method, view).observe(time.perf_counter() - started)
        return response


# --- Database queries -----------------------------------------------------------------------


@receiver(connection_created)
def _count_queries(sender, connection, **kwargs):
    counter = QUERIES.labels(connection.vendor)

    def count(execute, sql, params, many, context):
        counter.inc()
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(count)


# --- Celery ---------------------------------------------------------------------------------


@celery_signals.task_success.connect
def _task_succeeded(sender=None, **kwargs):
    TASKS.labels(sender.name, "success").inc()


@celery_signals.task_failure.connect
def _task_failed(sender=None, **kwargs):
    TASKS.labels(sender.name, "failure").inc()


@celery_signals.task_retry.connect
def _task_retried(sender=None, **kwargs):
    TASKS.labels(sender.name, "retry").inc()


@celery_signals.worker_ready.connect
def _serve_worker_metrics(**kwargs):
    """The worker has no web server: with METRICS_PORT set it serves /metrics itself, for
    Prometheus to scrape (tasks run in its child processes, hence the multiprocess files)."""
    port = os.environ.get("METRICS_PORT")
    if port:
        from prometheus_client import start_http_server

        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            MultiProcessCollector(registry)
        else:
            from prometheus_client import REGISTRY as registry
        start_http_server(int(port), registry=registry)
