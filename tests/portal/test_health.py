import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: connections are refused at once, and the timeouts keep a
# firewalled address from making the test slow.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache and the broker both pointed at a Redis that is not there."""
    from portal.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    monkeypatch.setitem(app.conf, "broker_url", UNREACHABLE_REDIS)
    monkeypatch.setitem(app.conf, "broker_write_url", None)
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {"socket_connect_timeout": 1, "socket_timeout": 1},
    )


@pytest.fixture
def database_down(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)


@pytest.mark.parametrize("url", ["/health/ready/", "/health/"])
def test_ready_when_database_cache_and_broker_answer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/health/ready/", "/health/"])
def test_not_ready_when_the_database_is_down(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_not_ready_when_redis_is_down_naming_the_cache_and_the_broker(client, redis_down):
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "down",
        "broker": "down",
    }


def test_alive_whatever_the_database_and_redis_say(
    client, redis_down, database_down, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.postgres
def test_the_real_postgresql_answers(client):
    assert connection.vendor == "postgresql"
    assert client.get("/health/ready/").json()["database"] == "ok"


@pytest.mark.redis
def test_redis_is_the_broker_and_the_cache(client, settings):
    from django.core.cache import cache

    from portal.celery import app

    assert app.conf.broker_url.startswith("redis://")
    cache.set("health-probe", "ja", 10)
    assert cache.get("health-probe") == "ja"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    readiness = client.get("/health/ready/").json()
    assert readiness["broker"] == "ok" and readiness["cache"] == "ok"
