"""What a gunicorn worker would otherwise do in its first requests (gunicorn.conf.py).

The portal is loaded once, in gunicorn's arbiter (preload_app), and every worker is forked
from it: `before_fork` readies there what pages need on first use, so that a new worker
(at start and at each max_requests restart) serves its first pages as fast as the next.
docs/BENCHMARKS.md, "Fifth round", has the figures.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation


def before_fork() -> int:
    """Compile the portal's templates, load each language's translations and URL patterns,
    and import the broker's transport (kombu's Redis transport imports `packaging`, whose
    version pattern is slow to compile). Returns how many templates it compiled.

    Opens no connection to the database, the cache or the broker, and makes no Celery pool
    (Celery resets its pools after billiard's forks, not gunicorn's): the forked workers
    would share them. A template that does not compile stops the server here, at its start,
    rather than failing its page later (CI compiles them all the same way)."""
    from portal.celery import app

    root = Path(settings.BASE_DIR) / "templates"
    names = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt") and not path.name.startswith(".")
    ]
    for name in names:
        get_template(name)  # the cached loader keeps it, and the workers inherit it
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("front_page")  # the patterns are read once per language
    app.connection_for_write()  # an unopened connection: its transport class is imported
    # What is loaded so far is left out of the garbage collector's passes, which would
    # otherwise write to every object and unshare the workers' inherited pages.
    gc.freeze()
    return len(names)


def in_worker() -> None:
    """In each worker, after the fork: the Celery producer pool and the result backend, made
    before the first request that queues a task (a sign-up's confirmation, a login link)
    rather than in it. The pool opens its connections when a task is sent."""
    from portal.celery import app

    app.producer_pool, app.backend  # noqa: B018 (made on first access, then kept)
