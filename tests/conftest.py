"""Shared fixtures, and the rule for tests that need a real service.

A test marked ``postgres``, ``redis`` or ``browser`` skips, saying what to install, when the
service is missing; under PORTAL_REQUIRE_ALL_SERVICES=1 (set by .ci/run) it fails instead,
so in CI every test runs.
"""

import os
import shutil

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# in such a thread unless told it is safe (it is: the loop never runs our ORM calls).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def _missing_service(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None when it can."""
    if marker == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name"
    elif marker == "redis":
        if not settings.REDIS_URL:
            return "needs Redis: set REDIS_URL=redis://host:6379/0"
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            return f"needs a running Redis at REDIS_URL ({error})"
    elif marker == "browser" and not shutil.which(CHROMIUM):
        return "needs Debian's Chromium: apt-get install chromium"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) and (reason := _missing_service(marker)):
            if settings.REQUIRE_ALL_SERVICES:
                pytest.fail(f"{reason} (PORTAL_REQUIRE_ALL_SERVICES is set)", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_passwords_fresh_cache_and_own_upload_folders(settings, tmp_path):
    # Hashing with the production hasher makes every factory user cost ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads of a test go to its own folder, never to var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    # allauth's rate limits count in the cache; each test starts with none used.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _celery_tasks_run_in_the_test():
    # Tasks run where they are enqueued (after the commit), as a worker would run them; no
    # test needs a worker or leaves messages in a broker.
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright never downloads a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
    }


@pytest.fixture
def setting():
    """An active agreement between a NAV unit and a partner, its responsible adviser and
    another adviser of the same unit (for the rules about who may do what with it)."""
    from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

    nav = nav_unit()
    owner = partner()
    responsible = member_of(nav)
    return {
        "nav": nav,
        "owner": owner,
        "responsible": responsible,
        "other": member_of(nav),
        "agreement": agreement_for(responsible, nav, owner, status="active"),
    }
