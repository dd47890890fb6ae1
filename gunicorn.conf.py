"""gunicorn's configuration for the portal's web process (scripts/start-web starts it).

Every value can be changed through the environment gunicorn reads anyway
(GUNICORN_CMD_ARGS) or through the variables named here. https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"

# The public port (the NAIS ingress and the probes) and the internal one for Prometheus,
# which /metrics answers on (portal/views.py). Both on all interfaces in a container.
_host = os.environ.get("BIND_HOST", "0.0.0.0")
bind = [f"{_host}:{os.environ.get('PORT', '8000')}"]
if os.environ.get("METRICS_PORT"):
    bind.append(f"{_host}:{os.environ['METRICS_PORT']}")

# Synchronous workers: the portal's views are short and block on PostgreSQL. Two per core
# plus one (gunicorn's advice), from the cores this process may run on. A container's CPU
# *limit* does not show there (a pod on a 16-core node would start 33 workers), so NAIS sets
# WEB_CONCURRENCY from the pod's CPU request instead (.nais/app.yaml).
_cores = (
    len(os.sched_getaffinity(0))
    if hasattr(os, "sched_getaffinity")
    else multiprocessing.cpu_count()
)
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores + 1))
# One thread a worker (gunicorn's sync worker). With two, a page served beside a CSV export in
# the same process waited for the export's thread to let go of Python's lock at each of its
# queries: in the load run with exports, p99 of search 690 ms and of the front page 240 ms,
# against 120 and 54 with one (docs/BENCHMARKS.md, "Fourth round"). Slow clients do not
# hold a worker: the nginx ingress in front reads a whole upload before passing it on and
# buffers responses (its defaults). GUNICORN_THREADS=2 or more gives gunicorn's gthread.
threads = int(os.environ.get("GUNICORN_THREADS", 1))

# The portal is loaded once, in the arbiter, and each worker is forked from it with Django,
# the templates, the translations and the URL patterns ready (portal/warmup.py): a worker
# starts in milliseconds instead of loading the portal for 0.6 s, at each max_requests
# restart too, and what the workers do not write stays shared between them.
preload_app = True

# A request that takes longer than this is killed (the worker is restarted); uploads of
# 10 MB over a slow line must fit. graceful_timeout: how long a stopping pod finishes what
# it has (Kubernetes waits 30 s before it kills).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 25
# Longer than the Google load balancer's idle timeout, so the balancer closes first.
keepalive = 75

# Restart each worker now and then, against slow leaks; jittered so they do not all go at once.
max_requests = 2000
max_requests_jitter = 200

# Temporary files in memory: a container's disk may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No access log of gunicorn's own: the portal writes one line per request in the same JSON as
# its other logs (portal.logs.RequestLogMiddleware, with request_id, user_id, status and
# duration). gunicorn's error log (start, stop, a killed worker) goes to stderr as usual.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines (start, stop, a worker killed on timeout) in the portal's JSON too, so
# that Loki reads every line of the pod the same way. DJANGO_DEBUG=true keeps plain text.
_debug = os.environ.get("DJANGO_DEBUG", "true").lower() in ("1", "true", "yes", "on")
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    logconfig_dict = {
        "formatters": {"json": {"()": "portal.logs.json_formatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }
# Behind the NAIS ingress: trust X-Forwarded-* from the proxy in front of the pod.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")


# prometheus_client's multiprocess mode, imported here rather than in child_exit: child_exit
# runs in the arbiter's SIGCHLD handler, and when workers stopped together (max_requests, the
# OOM killer) the next one's signal re-entered that first import half done and the arbiter
# died, taking the whole server with it (tests/portal/test_production.py).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    from prometheus_client import multiprocess as prometheus_multiprocess

    def child_exit(server, worker):
        """prometheus_client's multiprocess mode: a stopped worker's live gauges are dropped."""
        prometheus_multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    """In the arbiter, with the portal loaded (preload_app), before the first fork."""
    from portal import warmup

    server.log.info("Ready for the workers: %d templates compiled", warmup.before_fork())


def post_worker_init(worker):
    from portal import warmup

    warmup.in_worker()
