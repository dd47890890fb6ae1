"""Settings come from the environment: checked in fresh processes, as a deployment sees them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


# The test run's own settings must not leak into the processes under test.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL")


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage(
        "check", DJANGO_DEBUG="false", ALLOWED_HOSTS="portal.example.no", EMAIL_URL="smtp://x"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_DEBUG="false", SECRET_KEY="x" * 60, EMAIL_URL="smtp://x")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    result = manage(
        "check", DJANGO_DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.no"
    )
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "k9#Hq2!vX" * 8,
    "ALLOWED_HOSTS": "portal.example.no",
    "EMAIL_URL": "smtp+tls://portal:hemmelig@smtp.example.no:587",
    # Not connected to by the checks below (but see the "postgres" fixture).
    "DATABASE_URL": "postgres://portal@db.example.no:5432/portal",
    "REDIS_URL": "redis://redis.example.no:6379/0",
}


@pytest.fixture
def postgres(db):
    """PRODUCTION with the test's own PostgreSQL database: Django 6.1 runs the model checks
    against every database, and a GeneratedField (the search columns) asks PostgreSQL for its
    version, so `check --deploy` connects to the database."""
    from django.db import connection

    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    return PRODUCTION | {"DATABASE_URL": url}


@pytest.fixture
def collected(tmp_path):
    """A STATIC_ROOT as collectstatic leaves it: with the manifest the pages look files up in."""
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return str(tmp_path)


@pytest.mark.postgres
def test_production_passes_the_deploy_check_without_a_warning(collected, postgres):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **postgres, STATIC_ROOT=collected
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.postgres
def test_production_without_collected_static_files_fails_the_deploy_check(tmp_path, postgres):
    result = manage("check", "--deploy", **postgres, STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "portal.E001" in result.stderr
    assert "collectstatic" in result.stderr


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("missing", "error", "hint"),
    [("DATABASE_URL", "portal.E002", "PostgreSQL"), ("REDIS_URL", "portal.E003", "Redis")],
)
def test_production_without_postgresql_or_redis_fails_the_deploy_check(
    collected, postgres, missing, error, hint
):
    settings = {k: v for k, v in postgres.items() if k != missing}
    result = manage("check", "--deploy", **settings, STATIC_ROOT=collected)
    assert result.returncode != 0
    assert error in result.stderr and hint in result.stderr


def test_production_on_sqlite_fails_the_deploy_check(collected, tmp_path):
    sqlite = f"sqlite:///{tmp_path}/portal.sqlite3"
    result = manage(
        "check", "--deploy", **PRODUCTION | {"DATABASE_URL": sqlite}, STATIC_ROOT=collected
    )
    assert result.returncode != 0
    assert "portal.E002" in result.stderr


def load_wsgi(**env):
    """Import the WSGI module as gunicorn does, in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_wsgi_server_refuses_to_start_production_without_redis_or_static_files(tmp_path):
    settings = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = load_wsgi(**settings, STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "The portal cannot start in production mode" in result.stderr
    assert "portal.E001" in result.stderr and "portal.E003" in result.stderr


def test_a_wsgi_server_starts_production_when_all_is_there(collected):
    result = load_wsgi(**PRODUCTION, STATIC_ROOT=collected)
    assert result.returncode == 0, result.stderr


def test_a_sqlite_database_url_works(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "connection.ensure_connection(); print(connection.vendor)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean
        | {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "sqlite", result.stderr


def in_a_fresh_process(code: str, **environment) -> subprocess.CompletedProcess:
    """Python code run in a new process with the portal's settings and none of this
    process's service URLs (NOT_INHERITED), plus environment."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_urls_the_portal_uses_sqlite_and_the_embedded_broker():
    result = in_a_fresh_process(
        "import django; django.setup(); from django.conf import settings; "
        "from portal.celery import app; "
        "print(settings.DATABASES['default']['ENGINE'], app.conf.broker_url, "
        "settings.CACHES['default']['BACKEND'])"
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_with_urls_the_portal_uses_postgresql_and_redis():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from portal.celery import app; db = settings.DATABASES['default']; "
        "print(db['ENGINE'], db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], app.conf.broker_url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "60",
        "True",
        "redis://127.0.0.1:6379/0",
    ]
