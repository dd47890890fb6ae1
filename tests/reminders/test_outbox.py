"""The outbox core: each reminder recorded once, sent once, retried when the mail server
fails, and never lost (portal/reminders/services.py)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from portal.reminders import rules, services
from portal.reminders.models import Reminder
from portal.reminders.tasks import reminder_send_task, reminders_sweep_task
from tests.factories import UserFactory
from tests.reminders.conftest import MAIL_SERVER_DOWN, MAIL_SERVER_UP
from tests.reminders.support import nudge_users

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def one_reminder(nudge):
    [user] = nudge_users(1)
    assert services.reminders_sweep() == 1
    return Reminder.objects.get(recipient=user)


def test_recording_the_same_reminder_twice_keeps_one_row(nudge):
    [user] = nudge_users(1)
    due = rules.Due(target=user, occasion="7", recipient=user)
    assert services.reminders_record(nudge, [due, due]) == 1
    assert services.reminders_record(nudge, [due]) == 0
    assert services.reminders_sweep() == 0
    assert Reminder.objects.get().key == f"test_nudge:accounts.user.{user.pk}:u{user.pk}:7"


def test_one_recording_keeps_each_rows_address_language_wait_and_occasion(nudge):
    [user] = nudge_users(1)
    user.language = "nn"
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=OSLO)
    odd = '7:"sitert",{klammer}\\'  # what PostgreSQL's array text would misread unescaped
    dues = [
        rules.Due(target=user, occasion=odd, recipient=user),
        rules.Due(None, "NULL", email="Kontakt@Partner.example", language="en", employer=True),
    ]
    assert services.reminders_record(nudge, dues, now=saturday) == 2
    assert services.reminders_record(nudge, dues, now=saturday) == 0
    rows = Reminder.objects.order_by("pk").values_list(
        "key", "recipient", "email", "language", "target_id", "occasion", "not_before", "status"
    )
    assert list(rows) == [
        (
            f"test_nudge:accounts.user.{user.pk}:u{user.pk}:{odd}",
            *(user.pk, user.email, "nn", user.pk, odd, saturday, "pending"),
        ),
        (
            "test_nudge:-:kontakt@partner.example:NULL",
            *(None, "Kontakt@Partner.example", "en", None, "NULL"),
            *(datetime(2026, 11, 30, 8, 0, tzinfo=OSLO), "pending"),
        ),
    ]


def test_a_second_delivery_of_the_send_task_sends_nothing(nudge):
    reminder = one_reminder(nudge)
    assert reminder_send_task.apply(args=[reminder.pk]).result == "sent"
    assert reminder_send_task.apply(args=[reminder.pk]).result == "skipped"
    [message] = mail.outbox
    assert message.to == [reminder.email]
    assert message.extra_headers["Message-ID"].startswith(f"<reminder.{reminder.pk}.")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 1)
    assert reminder.subject == f"Test reminder: {reminder.email}"


def test_a_failing_mail_server_retries_after_1_2_4_minutes_then_shows_it_failed(nudge, settings):
    settings.MAILERS = MAIL_SERVER_DOWN
    settings.REMINDER_MAX_ATTEMPTS = 8
    reminder = one_reminder(nudge)
    now = timezone.now()
    waits = []
    for attempt in range(1, 8):
        assert services.reminder_send(reminder.pk, now=now) == "failed"
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, attempt)
        assert "refused" in reminder.last_error.lower()
        # Not before its time: a sweep a second early leaves it alone.
        early = reminder.not_before - timedelta(seconds=1)
        assert services.reminder_send(reminder.pk, now=early) == "skipped"
        waits.append(int((reminder.not_before - now).total_seconds() // 60))
        now = reminder.not_before
    assert waits == [1, 2, 4, 8, 16, 32, 60]
    assert services.reminder_send(reminder.pk, now=now) == "failed"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 8)
    # Failed for good: no sweep tries it again, however late.
    assert services.reminders_dispatch(now=now + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_an_admin_sends_a_failed_reminder_again_from_the_outbox(nudge, settings, client):
    settings.MAILERS = MAIL_SERVER_DOWN
    settings.REMINDER_MAX_ATTEMPTS = 1
    reminder = one_reminder(nudge)
    assert services.reminder_send(reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED

    settings.MAILERS = MAIL_SERVER_UP
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/admin/reminders/reminder/",
        {"action": "resend", "_selected_action": [reminder.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 reminder will be sent again." in response.content.decode()
    [message] = mail.outbox
    assert message.to == [reminder.email]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 1, "")


def test_a_row_claimed_by_a_dead_worker_is_sent_by_the_sweep_after_the_claim_timeout(
    nudge, settings
):
    settings.REMINDER_CLAIM_TIMEOUT = 600
    start = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    with freeze_time(start):
        reminder = one_reminder(nudge)
        # A worker claimed it and died before it sent anything.
        Reminder.objects.filter(pk=reminder.pk).update(
            status=Reminder.Status.SENDING, claimed_at=start, queued_at=start, attempts=1
        )
    with freeze_time(start + timedelta(minutes=9)):
        reminders_sweep_task.apply()
        assert mail.outbox == []
    with freeze_time(start + timedelta(minutes=11)):
        reminders_sweep_task.apply()
        reminders_sweep_task.apply()
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 2)


def test_employer_reminders_recorded_on_a_saturday_wait_till_monday_8_in_oslo(employer_nudge):
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=OSLO)
    monday_8 = datetime(2026, 11, 30, 8, 0, tzinfo=OSLO)
    nudge_users(1)
    with freeze_time(saturday):
        reminders_sweep_task.apply()
    employer = Reminder.objects.get(rule="test_employer_nudge")
    assert employer.not_before == monday_8
    # The rule without the employer flag is not held back.
    assert Reminder.objects.get(rule="test_nudge").status == Reminder.Status.SENT
    for moment in (saturday + timedelta(days=1), monday_8 - timedelta(minutes=1)):
        with freeze_time(moment):
            reminders_sweep_task.apply()
    assert len(mail.outbox) == 1
    with freeze_time(monday_8):
        reminders_sweep_task.apply()
    assert len(mail.outbox) == 2
    employer.refresh_from_db()
    assert employer.sent_at == monday_8


def test_run_reminders_says_what_it_did_and_a_second_run_does_nothing(nudge, settings, capsys):
    nudge_users(3)
    with freeze_time("2026-11-25 10:00"):
        call_command("run_reminders")
        assert capsys.readouterr().out == "recorded 3, sent 3, failed 0\n"
        call_command("run_reminders")
        assert capsys.readouterr().out == "recorded 0, sent 0, failed 0\n"
        assert len(mail.outbox) == 3

        nudge_users(2, start=3)
        settings.MAILERS = MAIL_SERVER_DOWN
        call_command("run_reminders")
        assert capsys.readouterr().out == "recorded 2, sent 0, failed 2\n"
        call_command("run_reminders")
        assert capsys.readouterr().out == "recorded 0, sent 0, failed 0\n"
    settings.MAILERS = MAIL_SERVER_UP
    with freeze_time("2026-11-25 10:01"):
        call_command("run_reminders")
        assert capsys.readouterr().out == "recorded 0, sent 2, failed 0\n"
    assert len(mail.outbox) == 5


def message_for(address):
    return mail.EmailMessage("Emne", "Tekst", to=[address])


def test_email_enqueue_sends_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.email_enqueue(message=message_for("a@example.no"))
        assert mail.outbox == []
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == ("Emne", "Tekst", ["a@example.no"])
    reminder.refresh_from_db()
    # Sent, and the rendered message (it may hold a password-reset link) is not kept.
    assert (reminder.status, reminder.message) == (Reminder.Status.SENT, None)


def test_email_enqueue_in_a_rolled_back_transaction_sends_and_keeps_nothing(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.email_enqueue(message=message_for("a@example.no"))
        raise RuntimeError
    assert callbacks == []
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_email_enqueue_with_a_key_records_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_enqueue(message=message_for("a@example.no"), key="promoted:1")
    with django_capture_on_commit_callbacks(execute=True):
        # The same promotion again (its code ran twice): nothing new, nothing sent again.
        services.email_enqueue(message=message_for("a@example.no"), key="promoted:1")
    assert Reminder.objects.count() == 1
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_web_app_sends_the_mail_itself(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.email_enqueue(message=message_for("a@example.no"))
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT


def test_with_the_broker_and_the_mail_server_down_the_row_waits_for_the_next_dispatch(
    broker_down, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = MAIL_SERVER_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.email_enqueue(message=message_for("a@example.no"))
    reminder.refresh_from_db()
    assert (reminder.status, reminder.queued_at) == (Reminder.Status.PENDING, None)
    # A dispatch while the broker is still down queues nothing and loses nothing.
    later = reminder.not_before + timedelta(seconds=1)
    assert services.reminders_dispatch(now=later) == 0
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.PENDING


def test_the_row_that_waited_for_the_broker_is_sent_when_it_is_back(settings):
    settings.MAILERS = MAIL_SERVER_DOWN
    reminder = services.email_enqueue(message=message_for("a@example.no"))
    services.reminder_send(reminder.pk)  # what the web app did while the broker was down
    settings.MAILERS = MAIL_SERVER_UP
    reminder.refresh_from_db()
    with freeze_time(reminder.not_before):
        assert services.reminders_dispatch() == 1
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT


def test_a_hung_send_task_is_killed_before_its_claim_runs_out_and_is_redelivered(settings):
    # Otherwise a second worker could claim the row while the first still sends it.
    assert settings.CELERY_TASK_TIME_LIMIT < settings.REMINDER_CLAIM_TIMEOUT
    # Acknowledged after it ran, and put back if the worker dies: the claim makes that safe.
    assert reminder_send_task.acks_late is True
    assert reminder_send_task.reject_on_worker_lost is True
