"""allauth's login limits count per client, also behind a proxy, and logging in keeps
working while the cache (Redis) is down."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from portal.accounts.models import User
from tests.accounts.test_login_and_signup import LOGIN, SIGNUP
from tests.factories import PASSWORD, UserFactory, adviser, totp_code

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
TOO_MANY = "Too many failed login attempts. Try again later."


def test_behind_a_proxy_each_client_has_its_own_login_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        client.post(
            LOGIN,
            {"login": f"gjetter{n}@example.no", "password": "feil"},
            headers={"X-Forwarded-For": "203.0.113.7"},
            REMOTE_ADDR=PROXY,
        )
    guesser, colleague = UserFactory(), UserFactory()

    response = client.post(
        LOGIN,
        {"login": guesser.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.7", "Accept-Language": "en"},
        REMOTE_ADDR=PROXY,
    )
    assert TOO_MANY in response.content.decode()

    # Another client behind the same proxy logs in.
    response = client.post(
        LOGIN,
        {"login": colleague.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.2"},
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        client.post(
            LOGIN,
            {"login": f"gjetter{n}@example.no", "password": "feil"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            REMOTE_ADDR="203.0.113.7",
        )
    response = client.post(
        LOGIN,
        {"login": UserFactory().email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.99", "Accept-Language": "en"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session


def _settings_value(name, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_number_of_trusted_proxies_comes_from_the_environment():
    assert _settings_value("ALLAUTH_TRUSTED_PROXY_COUNT") == "0"
    assert _settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2") == "2"


def test_a_session_outlives_a_flushed_cache_and_a_redis_outage(client, settings):
    """Sessions are read through the cache, but the database keeps them: losing the cache
    logs nobody out."""
    user = UserFactory()
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 302
    cache.clear()
    assert client.get("/programmes/my-signups/").status_code == 200
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/programmes/my-signups/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user


# --- the cache down ------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings, caplog):
    """The portal's cache pointed at a Redis port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    caplog.set_level(logging.WARNING, logger="portal.cache")
    return caplog


def warned(caplog):
    return [r for r in caplog.records if r.name == "portal.cache" and r.levelname == "WARNING"]


def test_with_redis_down_an_employer_logs_in_and_a_warning_is_logged(client, redis_down):
    user = UserFactory()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "does not answer" in warned(redis_down)[0].getMessage()
    assert len(warned(redis_down)) == 1  # once, not once per cache call


def test_with_redis_down_an_adviser_logs_in_with_a_code(client, redis_down):
    user = adviser()
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    response = client.post(response.url, {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/dashboard/").status_code == 200


def test_with_redis_down_signup_and_password_reset_work(
    client, redis_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": SIGNUP["email"]})
    assert response.status_code == 302
    assert warned(redis_down)
