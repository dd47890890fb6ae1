"""The agreement reminder rules (partnerships/reminders.py), on a frozen clock."""

import time
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from partnerships import reminders, services
from partnerships.models import Activity, Agreement, AgreementParty, ContactPerson
from portal.reminders import services as outbox
from portal.reminders.models import Reminder, ReminderSetting
from tests.factories import MembershipFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
# A Monday, 07:00 in Oslo.
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=OSLO)
TODAY = MONDAY.date()


def at(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, datetime.min.time(), OSLO).replace(hour=hour)


@pytest.fixture
def world():
    with freeze_time(at(date(2026, 1, 5))):
        nav = nav_unit(name="NAV Nordland")
        owner = partner(name="Nordlysrittet AS")
        adviser = member_of(nav)
        contact = ContactPerson.objects.create(
            organisation=owner, name="Pia Partner", email="pia@nordlys.example.no"
        )
        agreement = agreement_for(
            adviser,
            nav,
            owner,
            status="active",
            title="Nordlysrittet",
            end_date=TODAY + timedelta(days=30),
            notice_period_months=3,
            partner_contact=contact,
        )
    return {
        "nav": nav,
        "owner": owner,
        "adviser": adviser,
        "contact": contact,
        "agreement": agreement,
    }


def sweep(day: date, django_capture_on_commit_callbacks=None) -> int:
    with freeze_time(at(day)):
        return outbox.reminders_sweep()


def send(day: date) -> dict:
    with freeze_time(at(day)):
        return outbox.reminders_send_due()


def rows(rule: str) -> set[tuple]:
    return {(r.recipient_id, r.email, r.occasion) for r in Reminder.objects.filter(rule=rule)}


# --- agreement_ending -------------------------------------------------------------------------


def test_an_ending_agreement_reminds_the_adviser_and_the_contact_at_90_30_and_7_days(world):
    agreement, adviser = world["agreement"], world["adviser"]
    end = agreement.end_date
    for days in (91, 90, 89, 30, 29, 7, 6, 0, -1):
        sweep(end - timedelta(days=days))
        sweep(end - timedelta(days=days))  # twice: acts once
    occasions = [f"{end}:90", f"{end}:30", f"{end}:7"]
    assert rows("agreement_ending") == {
        *[(adviser.pk, adviser.email, o) for o in occasions],
        *[(None, "pia@nordlys.example.no", o) for o in occasions],
    }


def test_a_missed_sweep_sends_only_the_nearest_threshold_passed(world):
    end = world["agreement"].end_date
    sweep(end - timedelta(days=20))
    assert {r[2] for r in rows("agreement_ending")} == {f"{end}:30"}


def test_no_ending_reminder_after_the_end_date(world):
    sweep(world["agreement"].end_date + timedelta(days=1))
    assert rows("agreement_ending") == set()


def test_admins_change_the_days_in_the_reminder_setting(world):
    ReminderSetting.objects.create(rule="agreement_ending", offsets=[60])
    end = world["agreement"].end_date
    sweep(end - timedelta(days=30))
    assert {r[2] for r in rows("agreement_ending")} == {f"{end}:60"}


def test_the_ending_mail_is_in_norwegian_with_the_date_and_a_link(world, settings):
    agreement = world["agreement"]
    sweep(agreement.end_date - timedelta(days=7))
    assert send(agreement.end_date - timedelta(days=7)) == {"sent": 2, "failed": 0}
    to_contact = next(m for m in mail.outbox if m.to == ["pia@nordlys.example.no"])
    assert to_contact.subject == f"Avtalen {agreement.reference} utløper 23. desember 2026"
    assert "om 7 dager" in to_contact.body
    assert settings.PORTAL_URL + agreement.get_absolute_url() in to_contact.body
    html = to_contact.alternatives[0][0]
    assert agreement.get_absolute_url() in html and "Nordlysrittet" in html
    reminder = Reminder.objects.get(rule="agreement_ending", recipient=world["adviser"])
    assert reminder.link == agreement.get_absolute_url()


def test_an_adviser_who_reads_english_gets_the_mail_in_english(world):
    adviser = world["adviser"]
    adviser.language = "en"
    adviser.save()
    day = world["agreement"].end_date - timedelta(days=30)
    sweep(day)
    send(day)
    to_adviser = next(m for m in mail.outbox if m.to == [adviser.email])
    assert to_adviser.subject.startswith(f"Agreement {world['agreement'].reference} ends on")
    assert "renew it in the portal" in to_adviser.body


@pytest.mark.parametrize("change", ["renewed", "ended", "moved"])
def test_a_stale_ending_reminder_is_not_sent(world, change):
    agreement, adviser = world["agreement"], world["adviser"]
    day = agreement.end_date - timedelta(days=7)
    sweep(day)
    with freeze_time(at(day)):
        if change == "renewed":
            services.agreement_renew(agreement=agreement, user=adviser)
        elif change == "ended":
            services.agreement_transition(agreement=agreement, user=adviser, name="end")
        else:
            Agreement.objects.filter(pk=agreement.pk).update(end_date=date(2027, 6, 30))
    send(day)
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {"obsolete"}


# --- notice_deadline --------------------------------------------------------------------------


def test_the_adviser_is_reminded_14_days_before_the_last_day_to_give_notice(world):
    agreement, adviser = world["agreement"], world["adviser"]
    Agreement.objects.filter(pk=agreement.pk).update(end_date=date(2027, 3, 31))
    deadline = date(2026, 12, 31)  # 31 March 2027 minus three months
    for day in (deadline - timedelta(days=15), deadline - timedelta(days=14), deadline):
        sweep(day)
    assert rows("notice_deadline") == {(adviser.pk, adviser.email, f"{deadline}:14")}
    send(deadline)
    (message,) = [m for m in mail.outbox if "oppsigelse" in m.subject]
    assert (
        message.subject
        == f"Siste frist for oppsigelse av avtale {agreement.reference}: 31. desember 2026"
    )
    assert "fornye avtalen eller la den utløpe" in message.body


def test_months_before_keeps_to_the_last_day_of_a_short_month():
    assert reminders.months_before(date(2027, 5, 31), 3) == date(2027, 2, 28)
    assert reminders.months_before(date(2027, 1, 15), 13) == date(2025, 12, 15)


# --- renewal_escalation -----------------------------------------------------------------------


def test_an_unanswered_renewal_escalates_to_the_leader_of_the_nav_unit_party(world):
    agreement = world["agreement"]
    leader = MembershipFactory(organisation=world["nav"], is_leader=True).user
    end = agreement.end_date
    sweep(end - timedelta(days=7))  # the 7-day reminder: the leader hears nothing yet
    assert rows("renewal_escalation") == {
        (leader.pk, leader.email, f"notice:{reminders.notice_deadline(agreement)}:0")
    }
    sweep(end - timedelta(days=6))
    sweep(end - timedelta(days=5))
    assert (leader.pk, leader.email, f"ending:{end - timedelta(days=7)}:0") in rows(
        "renewal_escalation"
    )
    assert len(rows("renewal_escalation")) == 2
    send(end - timedelta(days=5))
    message = next(m for m in mail.outbox if m.to == [leader.email] and "utløper" in m.body)
    assert "verken fornyet eller avsluttet" in message.body
    assert agreement.get_absolute_url() in message.body


def test_without_a_leader_in_the_party_units_the_advisers_own_unit_leader_hears(world):
    agreement = world["agreement"]
    own_unit = nav_unit(name="NAV Bodø")
    MembershipFactory(organisation=own_unit, user=world["adviser"])
    boss = MembershipFactory(organisation=own_unit, is_leader=True).user
    sweep(agreement.end_date - timedelta(days=1))
    assert {r[0] for r in rows("renewal_escalation")} == {boss.pk}


def test_a_renewed_agreement_does_not_escalate(world):
    MembershipFactory(organisation=world["nav"], is_leader=True)
    day = world["agreement"].end_date - timedelta(days=1)
    with freeze_time(at(day)):
        services.agreement_renew(agreement=world["agreement"], user=world["adviser"])
    sweep(day)
    assert rows("renewal_escalation") == set()


# --- follow_up_due ----------------------------------------------------------------------------


def _activity(world, due_date, **data):
    with freeze_time(at(date(2026, 1, 5))):
        return services.activity_create(
            agreement=world["agreement"],
            user=world["adviser"],
            data={
                "kind": "meeting",
                "title": "Evalueringsmøte",
                "due_date": due_date,
                "responsible": world["adviser"],
                **data,
            },
        )


def test_a_follow_up_reminds_the_day_before_and_once_when_overdue(world):
    adviser = world["adviser"]
    _activity(world, date(2026, 12, 10))
    for day in range(5, 20):
        sweep(date(2026, 12, day))
    assert rows("follow_up_due") == {
        (adviser.pk, adviser.email, "overdue"),
        (adviser.pk, adviser.email, "tomorrow"),
    }
    created = dict(
        Reminder.objects.filter(rule="follow_up_due").values_list("occasion", "created_at")
    )
    assert timezone.localdate(created["tomorrow"]) == date(2026, 12, 9)
    assert timezone.localdate(created["overdue"]) == date(2026, 12, 11)


def test_a_done_follow_up_is_not_reminded_and_a_stale_one_not_sent(world):
    done = _activity(world, date(2026, 12, 10))
    sweep(date(2026, 12, 9))
    with freeze_time(at(date(2026, 12, 9))):
        services.activity_mark_done(activity=done, user=world["adviser"])
    send(date(2026, 12, 9))
    sweep(date(2026, 12, 12))
    assert not [m for m in mail.outbox if "oppfølging" in m.subject.lower()]
    assert list(Reminder.objects.filter(rule="follow_up_due").values_list("status", flat=True)) == [
        "obsolete"
    ]


def test_the_overdue_mail_names_the_activity_and_links_the_agreement(world):
    _activity(world, date(2026, 12, 10), title="Halvårsrapport")
    sweep(date(2026, 12, 14))
    send(date(2026, 12, 14))
    (message,) = [m for m in mail.outbox if "oppfølging" in m.subject.lower()]
    assert message.subject == "Forfalt oppfølging: Halvårsrapport"
    assert "10. desember 2026" in message.body
    assert world["agreement"].get_absolute_url() in message.body


# --- weekly_digest ----------------------------------------------------------------------------


def test_the_weekly_digest_comes_on_monday_to_advisers_with_something_to_tell(world, settings):
    adviser = world["adviser"]
    idle = member_of(nav_unit())
    colleague = member_of(world["nav"])
    with freeze_time(MONDAY - timedelta(days=2)):
        new = agreement_for(colleague, world["nav"], world["owner"], title="Nytt samarbeid")
    _activity(world, TODAY + timedelta(days=3), title="Rapport denne uka")
    sweep(TODAY - timedelta(days=1))  # Sunday: nothing
    assert rows("weekly_digest") == set()
    sweep(TODAY)
    sweep(TODAY)
    assert rows("weekly_digest") == {
        (adviser.pk, adviser.email, "2026-W48"),
        (colleague.pk, colleague.email, "2026-W48"),
    }
    assert idle.pk not in {r[0] for r in rows("weekly_digest")}
    send(TODAY)
    (message,) = [m for m in mail.outbox if m.to == [adviser.email] and "Uke" in m.subject]
    assert message.subject == f"Uke 48 i {settings.PORTAL_NAME}"
    assert "Nordlysrittet" in message.body  # ends within 90 days
    assert "Rapport denne uka" in message.body  # due this week
    assert new.reference in message.body  # new in their unit


# --- size -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", reminders.RULES, ids=lambda rule: rule.code)
def test_due_takes_a_few_queries_whatever_the_number_of_agreements(
    world, rule, django_assert_max_num_queries
):
    MembershipFactory(organisation=world["nav"], is_leader=True)
    _bulk_agreements(world, 200)
    with freeze_time(MONDAY), django_assert_max_num_queries(6):
        dues = list(rule.due(TODAY, rule.default_offsets))
    assert dues


def _bulk_agreements(world, count: int) -> None:
    """count active agreements ending over the next four years, each with a follow-up due
    somewhere in the coming year (every other one done)."""
    agreements = Agreement.objects.bulk_create(
        Agreement(
            reference=f"SA-2025-{n:05d}",
            reference_year=2025,
            reference_number=n,
            title=f"Avtale {n}",
            purpose="Test",
            status=Agreement.Status.ACTIVE,
            start_date=date(2025, 1, 1),
            end_date=TODAY + timedelta(days=n % 1460),
            notice_period_months=1 + n % 3,
            responsible_adviser=world["adviser"],
            partner_contact=world["contact"],
        )
        for n in range(1, count + 1)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, organisation=world["nav"]) for agreement in agreements
    )
    Activity.objects.bulk_create(
        Activity(
            agreement=agreement,
            kind="meeting",
            title="Møte",
            due_date=TODAY + timedelta(days=agreement.reference_number % 365 - 30),
            responsible=world["adviser"],
            done_at=timezone.now() if agreement.reference_number % 2 else None,
        )
        for agreement in agreements
    )


def test_a_sweep_over_ten_thousand_agreements_takes_well_under_five_seconds(world):
    MembershipFactory(organisation=world["nav"], is_leader=True)
    _bulk_agreements(world, 10_000)
    # No freezegun here: it slows every clock reading the sweep makes.
    started = time.perf_counter()
    recorded = outbox.reminders_sweep(now=at(TODAY))
    elapsed = time.perf_counter() - started
    assert recorded > 1000
    assert elapsed < 5, elapsed


# --- the demo ---------------------------------------------------------------------------------


# A Wednesday at 10 in Oslo, inside the employer send window (weekdays 08-17): tomorrow's
# session's reminder to its employer goes at once, whatever the hour the tests run at.
@freeze_time("2026-11-25 10:00:00+01:00")
def test_run_reminders_right_after_seed_demo_sends_the_ending_and_overdue_reminders(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    out = StringIO()
    call_command("run_reminders", stdout=out)
    recorded = Reminder.objects.count()
    assert out.getvalue().strip() == f"recorded {recorded}, sent {recorded}, failed 0"
    ending = Agreement.objects.get(title="Innovasjonsverksted for inkludering")
    assert (ending.end_date - timezone.localdate()).days <= 7
    assert {
        (r.email, r.occasion)
        for r in Reminder.objects.filter(rule="agreement_ending", target_id=ending.pk)
    } == {
        ("lars.radgiver@example.no", f"{ending.end_date}:7"),
        ("gro.partner@example.no", f"{ending.end_date}:7"),
    }
    overdue = Reminder.objects.get(rule="follow_up_due", occasion="overdue")
    assert overdue.email == "radgiver@example.no" and overdue.status == "sent"
    assert Reminder.objects.filter(
        rule="renewal_escalation", email="tove.radgiver@example.no"
    ).exists()
