"""allauth's mail (address confirmation, password reset) goes out from a Celery task after
the commit, and a mail server that is down fails no request."""

import logging

import pytest
from django.core import mail
from portal.accounts.tasks import email_send_task

from portal.accounts import services
from portal.accounts.models import Membership, User
from tests.accounts.test_login_and_signup import SIGNUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# An SMTP server on a port where nothing listens: every send is refused.
DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}


@pytest.fixture
def mail_server_down(settings, caplog):
    settings.MAILERS = DOWN
    caplog.set_level(logging.INFO, logger="celery.app.trace")
    return caplog


def retries(caplog):
    return [r for r in caplog.records if r.name == "celery.app.trace" and " retry: " in r.message]


def test_signup_with_the_mail_server_down_shows_the_confirmation_page_and_retries(
    client, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert client.get(response.url).status_code == 200
    user = User.objects.get(email=SIGNUP["email"])
    assert Membership.objects.get(user=user).organisation.org_number == "974760673"
    assert len(retries(mail_server_down)) == 8


def test_password_reset_with_the_mail_server_down_shows_the_done_page_and_retries(
    client, mail_server_down, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    assert len(retries(mail_server_down)) == 8


def test_the_task_retries_a_refused_send_eight_times_then_gives_up(mail_server_down):
    message = mail.EmailMessage("Emne", "Tekst", to=["siri@fjordbakeri.no"])
    result = email_send_task.apply(args=[services.email_serialise(message)])
    assert result.state == "FAILURE"
    assert isinstance(result.result, ConnectionRefusedError)
    assert len(retries(mail_server_down)) == 8


def test_the_confirmation_mail_leaves_only_after_the_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/accounts/signup/", SIGNUP)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [SIGNUP["email"]]
    assert message.subject.startswith("[NAV partnerportal] ")
    assert "/accounts/confirm-email/" in message.body


def test_a_message_with_html_arrives_as_it_was_made():
    message = mail.EmailMultiAlternatives(
        "Emne", "Tekst", "NAV <ikke-svar@nav.example>", ["a@example.no"], headers={"X-A": "1"}
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    email_send_task.apply(args=[services.email_serialise(message)])
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email, sent.to) == (
        "Emne",
        "Tekst",
        "NAV <ikke-svar@nav.example>",
        ["a@example.no"],
    )
    assert sent.alternatives[0][:2] == ("<p>Tekst</p>", "text/html")
    assert sent.extra_headers == {"X-A": "1"}
