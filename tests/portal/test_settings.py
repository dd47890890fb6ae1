"""Settings come from the environment: checked in fresh processes, as a deployment sees them."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_production_passes_the_deploy_check_without_a_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        SECRET_KEY="k9#Hq2!vX" * 8,
        ALLOWED_HOSTS="portal.example.no",
        EMAIL_URL="smtp+tls://portal:hemmelig@smtp.example.no:587",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_urls_the_portal_uses_sqlite_and_the_embedded_broker():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from portal.celery import app; "
        "print(settings.DATABASES['default']['ENGINE'], app.conf.broker_url, "
        "settings.CACHES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
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
