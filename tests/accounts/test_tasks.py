"""allauth's mail (address confirmation, password reset) goes through the outbox after the
commit: a mail server that is down fails no request, and the mail is retried, not lost."""

from datetime import timedelta

import pytest
from django.core import mail
from freezegun import freeze_time

from portal.accounts.models import Membership, User
from portal.reminders import services
from portal.reminders.models import Reminder
from portal.reminders.tasks import reminders_sweep_task
from tests.accounts.test_login_and_signup import SIGNUP
from tests.factories import UserFactory
from tests.reminders.conftest import MAIL_SERVER_DOWN, MAIL_SERVER_UP

pytestmark = pytest.mark.django_db


def waiting_then_sent_when_the_server_is_back(settings, address):
    """The one outbox row for address waits for a retry; the sweep after the backoff sends
    it; returns the message as it arrived."""
    reminder = Reminder.objects.get(email=address)
    assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 1)
    assert "refused" in reminder.last_error.lower()
    assert mail.outbox == []
    settings.MAILERS = MAIL_SERVER_UP
    with freeze_time(reminder.not_before + timedelta(seconds=1)):
        reminders_sweep_task.apply()
        reminders_sweep_task.apply()
    [message] = mail.outbox
    assert message.to == [address]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 2)
    return message


def test_signup_with_the_mail_server_down_shows_the_confirmation_page_and_retries(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = MAIL_SERVER_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert client.get(response.url).status_code == 200
    user = User.objects.get(email=SIGNUP["email"])
    assert Membership.objects.get(user=user).organisation.org_number == "974760673"
    message = waiting_then_sent_when_the_server_is_back(settings, SIGNUP["email"])
    assert "/accounts/confirm-email/" in message.body


def test_password_reset_with_the_mail_server_down_shows_the_done_page_and_retries(
    client, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = MAIL_SERVER_DOWN
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    message = waiting_then_sent_when_the_server_is_back(settings, user.email)
    assert "/accounts/password/reset/key/" in message.body
    # The reset link is not kept in the outbox once the message is sent.
    assert Reminder.objects.get(email=user.email).message is None


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


def test_a_message_with_html_arrives_as_it_was_made(django_capture_on_commit_callbacks):
    message = mail.EmailMultiAlternatives(
        "Emne", "Tekst", "NAV <ikke-svar@nav.example>", ["a@example.no"], headers={"X-A": "1"}
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.email_enqueue(message=message)
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email, sent.to) == (
        "Emne",
        "Tekst",
        "NAV <ikke-svar@nav.example>",
        ["a@example.no"],
    )
    assert sent.alternatives[0][:2] == ("<p>Tekst</p>", "text/html")
    assert sent.extra_headers["X-A"] == "1"
    # A stable Message-ID: a second attempt is the same message to the recipient's client.
    assert sent.extra_headers["Message-ID"].startswith(f"<reminder.{reminder.pk}.")
