"""Operations: JSON logs, metrics that only Prometheus sees, probes from the pod's address,
security.txt."""

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from celery import shared_task
from freezegun import freeze_time
from prometheus_client import REGISTRY

from portal import metrics
from tests.factories import employer_contact
from tests.portal.test_settings import BASE_DIR, NOT_INHERITED

pytestmark = pytest.mark.django_db


# --- Logs -----------------------------------------------------------------------------------


def log_in_a_fresh_process(code: str, **environment) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "-c", "import django, logging; django.setup()\n" + code],
        cwd=BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_production_logs_one_json_object_per_line():
    output = log_in_a_fresh_process(
        "logging.getLogger('portal.x').warning('Avtale %s mangler', 'SA-2026-0001')",
        DJANGO_DEBUG="true",
        LOG_FORMAT="json",
    )
    [line] = output.splitlines()
    entry = json.loads(line)
    assert entry["message"] == "Avtale SA-2026-0001 mangler"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "portal.x"
    assert "time" in entry


def test_a_500_in_json_keeps_its_traceback_in_the_same_line():
    output = log_in_a_fresh_process(
        "try:\n    raise RuntimeError('x')\nexcept RuntimeError as error:\n"
        "    logging.getLogger('django.request').error('Internal Server Error: /a/',"
        " exc_info=error, extra={'status_code': 500})",
        LOG_FORMAT="json",
    )
    [line] = output.splitlines()
    assert "RuntimeError" in json.loads(line)["exc_info"]


def test_development_logs_stay_plain_text():
    output = log_in_a_fresh_process(
        "logging.getLogger('portal.x').warning('Hei')", DJANGO_DEBUG="true"
    )
    assert output == "Hei\n"


def test_every_record_during_a_request_carries_its_id_and_user(client, caplog):
    user = employer_contact()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/dashboard/", HTTP_X_REQUEST_ID="abc-123")  # 403: a warning
    assert response["X-Request-ID"] == "abc-123"
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "abc-123"]
    assert {r.name for r in records} >= {"portal.request", "django.request"}
    assert all(r.user_id == user.pk for r in records)
    [line] = [r for r in records if r.name == "portal.request"]
    assert (line.method, line.path, line.status) == ("GET", "/dashboard/", 403)


def test_a_request_id_that_is_not_an_id_is_replaced(client):
    response = client.get("/health/ready/x", HTTP_X_REQUEST_ID="a\nforged log line")
    assert "\n" not in response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


# --- Metrics --------------------------------------------------------------------------------


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


def test_metrics_are_a_404_without_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_count_requests_and_queries_for_prometheus(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    before = sample(
        "portal_http_requests_total", method="GET", status="200", view="news:article_list"
    )
    client.get("/news/")
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert (
        sample("portal_http_requests_total", method="GET", status="200", view="news:article_list")
        == before + 1
    )
    assert "portal_http_request_duration_seconds_bucket" in response.content.decode()
    assert sample("portal_db_queries_total", vendor=_vendor()) > 0


def _vendor():
    from django.db import connection

    return connection.vendor


@shared_task(name="tests.flaky")
def flaky(fail):
    if fail:
        raise ValueError("nope")
    return "ok"


def test_celery_task_outcomes_are_counted():
    success = sample("portal_celery_tasks_total", task="tests.flaky", outcome="success")
    failure = sample("portal_celery_tasks_total", task="tests.flaky", outcome="failure")
    flaky.apply(args=[False])
    flaky.apply(args=[True])
    assert sample("portal_celery_tasks_total", task="tests.flaky", outcome="success") == success + 1
    assert sample("portal_celery_tasks_total", task="tests.flaky", outcome="failure") == failure + 1


def test_a_registered_backlog_is_reported_at_each_scrape(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    waiting = [1, 2, 3]
    metrics.backlog_register("tests", lambda: len(waiting))
    try:
        text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
        assert 'portal_backlog{queue="tests"} 3.0' in text
        waiting.pop()
        text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
        assert 'portal_backlog{queue="tests"} 2.0' in text
    finally:
        metrics.backlog_unregister("tests")


def test_the_reminders_outbox_reports_what_waits_to_be_sent(client, settings):
    from portal.reminders.models import Reminder

    settings.METRICS_TOKEN = "s3cret-token"
    for number in range(3):
        Reminder.objects.create(key=f"k{number}", rule="message", email="a@example.no")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'portal_backlog{queue="outbox"} 3.0' in text
    Reminder.objects.filter(key="k0").update(status=Reminder.Status.SENT)
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'portal_backlog{queue="outbox"} 2.0' in text


# --- Probes from the pod's own address ------------------------------------------------------


def test_probes_answer_whatever_host_the_kubelet_sends(client):
    assert client.get("/health/live/", HTTP_HOST="10.6.2.17:8080").status_code == 200
    assert client.get("/health/ready/", HTTP_HOST="10.6.2.17:8080").status_code == 200
    # Every other page still checks the host.
    assert client.get("/news/", HTTP_HOST="10.6.2.17:8080").status_code == 400


# --- security.txt ---------------------------------------------------------------------------


def test_security_txt_says_where_to_report_and_has_not_expired(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@nav.example"
    with freeze_time("2026-11-26 12:00:00"):
        response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@nav.example"
    assert fields["Preferred-Languages"] == "no, nb, nn, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    # RFC 9116: in the future, and less than a year ahead.
    assert now < expires < now + timedelta(days=365)
