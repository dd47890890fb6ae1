import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_health_answers_200_when_database_and_broker_answer(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_health_answers_503_when_the_broker_is_down(client, monkeypatch):
    from portal.celery import app

    # A broker on a port where nothing listens.
    connect = app.connection_for_write
    monkeypatch.setattr(app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:1/0"))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down"}


@pytest.mark.postgres
def test_the_real_postgresql_answers(client):
    assert connection.vendor == "postgresql"
    assert client.get("/health/").json()["database"] == "ok"


@pytest.mark.redis
def test_redis_is_the_broker_and_the_cache(client, settings):
    from django.core.cache import cache

    from portal.celery import app

    assert app.conf.broker_url.startswith("redis://")
    cache.set("health-probe", "ja", 10)
    assert cache.get("health-probe") == "ja"
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert client.get("/health/").json()["broker"] == "ok"
