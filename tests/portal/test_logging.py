"""Logs a person can read: a refusal is one line, a bug keeps its traceback, mail is legible."""

import io
import logging
import os
import subprocess
import sys

import pytest
from django.core.mail import EmailMultiAlternatives

from portal.mail import ConsoleEmailBackend
from tests.factories import employer_contact
from tests.portal.test_settings import BASE_DIR, NOT_INHERITED

pytestmark = pytest.mark.django_db


def request_records(caplog):
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_refused_page_is_logged_as_one_line_without_a_traceback(client, caplog):
    client.force_login(employer_contact())
    with caplog.at_level(logging.INFO):
        assert client.get("/dashboard/").status_code == 403
    [record] = request_records(caplog)
    assert record.levelname == "WARNING"
    assert record.getMessage() == "Forbidden (Permission denied): /dashboard/"
    assert record.exc_info is None


@pytest.mark.urls("tests.portal.urls")
def test_a_bug_is_logged_with_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        assert client.get("/test/broken/").status_code == 500
    [record] = request_records(caplog)
    assert record.levelname == "ERROR"
    assert record.exc_info[0] is RuntimeError


def log_in_a_fresh_process(code: str) -> str:
    """What the console shows when the portal, started as in development, logs `code`."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "-c", "import django, logging; django.setup()\n" + code],
        cwd=BASE_DIR,
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


RAISE = "try:\n    raise {error}('x')\nexcept Exception as e:\n    error = e\n"


def test_in_development_a_403_prints_one_line_once():
    output = log_in_a_fresh_process(
        RAISE.format(error="PermissionError")
        + "logging.getLogger('django.request').warning('Forbidden (Permission denied): /a/',"
        " exc_info=error, extra={'status_code': 403})"
    )
    assert output == "Forbidden (Permission denied): /a/\n"


def test_in_development_a_500_prints_its_traceback_once():
    output = log_in_a_fresh_process(
        RAISE.format(error="RuntimeError")
        + "logging.getLogger('django.request').error('Internal Server Error: /a/',"
        " exc_info=error, extra={'status_code': 500})"
    )
    assert output.count("Internal Server Error: /a/") == 1
    assert output.count("Traceback") == 1


def test_the_development_server_logs_pages_but_not_each_static_file():
    output = log_in_a_fresh_process(
        "from django.core.servers.basehttp import logger\n"
        "for line, status in [('GET /static/css/portal.css HTTP/1.1', 200),"
        " ('GET /static/css/portal.css HTTP/1.1', 304), ('GET /static/nope.css HTTP/1.1', 404),"
        " ('GET /agreements/ HTTP/1.1', 200)]:\n"
        "    logger.info('\"%s\" %s %s', line, str(status), '10',"
        " extra={'status_code': status, 'server_time': 'now'})"
    )
    assert "portal.css" not in output
    assert "/static/nope.css" in output
    assert "/agreements/" in output


def test_development_mail_shows_the_verification_link_whole():
    link = "http://127.0.0.1:8000/accounts/confirm-email/MQ:1vOb2s:" + "a" * 60 + "/"
    message = EmailMultiAlternatives(
        "Bekreft e-postadressen din",
        f"Åpne lenken for å bekrefte adressen din: {link}\n",
        to=["siri@fjordbakeri.no"],
    )
    message.attach_alternative(f'<a href="{link}">Bekreft</a>', "text/html")
    stream = io.StringIO()
    ConsoleEmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert f"bekrefte adressen din: {link}\n" in printed
    assert "E-mail to siri@fjordbakeri.no" in printed
    assert "<a href" not in printed
