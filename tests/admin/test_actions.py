"""The admin site's actions that reach beyond the page: exports leave an audit event, and
*Send a reminder now* sends through the outbox, only for what the user may change."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from partnerships import services as partnership_services
from partnerships.models import Agreement
from portal.accounts.models import AuditEvent
from portal.reminders.models import Reminder
from tests.programmes.factories import company, signup_row

pytestmark = pytest.mark.django_db


def act(client, page, action, *objects, follow=False):
    return client.post(
        f"/admin/{page}/",
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=follow,
    )


@pytest.mark.parametrize(
    ("role", "page", "selected", "target"),
    [
        ("adviser", "partnerships/agreement", "own_agreement", "agreements"),
        ("partner", "programmes/signup", "own_signup", "signups"),
    ],
)
@pytest.mark.parametrize(
    ("action", "file_format"), [("export_csv", "csv"), ("export_xlsx", "xlsx")]
)
def test_an_admin_export_leaves_an_audit_event(
    client, world, role, page, selected, target, action, file_format
):
    client.force_login(world[role])
    response = act(client, page, action, world[selected])
    assert "attachment" in response["Content-Disposition"]
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.actor == world[role]
    assert event.target == target
    assert event.detail == {
        "format": file_format,
        "source": "admin",
        "selected": [str(world[selected].pk)],
    }


def _sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_an_adviser_sends_an_agreement_reminder_now_and_again(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["adviser"])
    client.cookies["django_language"] = "en"
    assert 'value="remind"' in client.get("/admin/partnerships/agreement/").content.decode()
    agreement = world["own_agreement"]
    for _press in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = act(client, "partnerships/agreement", "remind", agreement, follow=True)
        assert "1 reminder queued." in response.content.decode()
    # Each press is a new row and a new e-mail, to the responsible adviser.
    sent = _sent_to(world["adviser"].email)
    assert len(sent) == 2
    assert agreement.reference in sent[0].subject
    assert agreement.title in sent[0].body
    assert agreement.get_absolute_url() in sent[0].body
    assert Reminder.objects.filter(rule="agreement_manual", status="sent").count() == 2


def test_partner_staff_cannot_send_a_reminder_for_another_partners_agreement(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["partner"])
    # Partner staff read agreements: the action is not offered them.
    assert 'value="remind"' not in client.get("/admin/partnerships/agreement/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "partnerships/agreement", "remind", world["other_agreement"])
        # Nor through the service itself, should an admin page offer it one day.
        queued = partnership_services.agreements_remind(
            user=world["partner"],
            agreements=Agreement.objects.filter(
                pk__in=[world["other_agreement"].pk, world["own_agreement"].pk]
            ),
        )
    assert queued == 0
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def _a_weekday_morning():
    """Employer mail goes out on weekdays 08-17: the next weekday at ten, before the
    world's sessions (a week ahead)."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_partner_staff_remind_their_own_sessions_confirmed_employers_only(
    client, world, django_capture_on_commit_callbacks
):
    confirmed = world["own_signup"]
    confirmed.status = "confirmed"
    confirmed.save()
    world["other_signup"].status = "confirmed"
    world["other_signup"].save()
    _employer_user, waiting_company = company()
    signup_row(world["own_session"], waiting_company, contact_email="venter@example.no")
    client.force_login(world["partner"])
    client.cookies["django_language"] = "en"
    with freeze_time(_a_weekday_morning()), django_capture_on_commit_callbacks(execute=True):
        response = act(
            client,
            "programmes/session",
            "remind",
            world["own_session"],
            world["other_session"],
            follow=True,
        )
    assert "1 reminder queued." in response.content.decode()
    [message] = mail.outbox
    assert message.to == [confirmed.contact_email]
    assert world["own_session"].title in message.subject
    assert message.attachments[0][0] == "motested.ics"


def test_a_session_that_has_begun_reminds_nobody(world):
    from programmes import services as programme_services
    from programmes.models import Session
    from tests.programmes.factories import session_in

    begun = session_in(world["own_programme"], days=-1, title="I går")
    signup_row(begun, world["employer"].memberships.get().organisation, status="confirmed")
    assert (
        programme_services.sessions_remind(
            user=world["partner"], sessions=Session.objects.filter(pk=begun.pk)
        )
        == 0
    )
    assert not Reminder.objects.exists()


def test_the_sweep_never_sends_the_manual_agreement_reminder(world):
    from portal.reminders import rules
    from portal.reminders import services as reminder_services
    from portal.reminders.models import ReminderSetting

    reminder_services.reminders_sweep()
    assert "agreement_manual" not in {rule.code for rule in rules.rules_all()}
    assert not Reminder.objects.filter(rule="agreement_manual").exists()
    assert not ReminderSetting.objects.filter(rule="agreement_manual").exists()
