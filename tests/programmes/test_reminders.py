"""The programme reminder rules (programmes/reminders.py) and the sign-up mails' outbox keys,
on a frozen clock. 2026-11-30 is a Monday; times are Oslo times."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from freezegun import freeze_time

from portal.reminders import rules, services
from portal.reminders.models import Category, Reminder, ReminderSetting
from programmes import notifications
from programmes import services as programme_services
from programmes.models import Session, SignUp
from programmes.reminders import (
    SESSION_TOMORROW,
    SESSION_TOMORROW_ORGANISERS,
    SIGNUP_WAITING_REVIEW,
)
from tests.factories import MembershipFactory, employer_contact
from tests.partnerships.factories import member_of, nav_unit, partner
from tests.programmes.factories import company, programme_for, sign_up, signup_row

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
S = SignUp.Status


def oslo(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=OSLO)


def frozen(day: int, hour: int = 10, month: int = 11):
    return freeze_time(oslo(day, hour, month=month))


def session_at(programme, start: datetime, **data) -> Session:
    return Session.objects.create(
        programme=programme,
        title=data.pop("title", "Jobbmesse"),
        starts_at=start,
        ends_at=start.replace(hour=start.hour + 3),
        address=data.pop("address", "Jessheim kulturhus"),
        capacity=data.pop("capacity", 10),
        **data,
    )


def confirmed(session, *, language="en", **data):
    user, employer = company()
    return signup_row(session, employer, "confirmed", signed_up_by=user, language=language, **data)


def rows(rule) -> list[Reminder]:
    return list(Reminder.objects.filter(rule=rule.code).order_by("pk"))


@pytest.fixture
def programme():
    with frozen(20):
        return programme_for()


@pytest.fixture
def organiser_staff(programme):
    user = member_of(programme.organisers.get())
    user.language = "en"  # the tests read the e-mails in English
    user.save()
    return user


# --- session_tomorrow: the employers -----------------------------------------------------


def test_an_employer_gets_a_reminder_the_day_before_with_the_session_and_a_link(programme):
    session = session_at(programme, oslo(2, 10, month=12), description="Ta med roll-up.")
    signup = confirmed(session, contact_name="Kari Nordmann")
    with frozen(1, month=12):  # Tuesday, 10:00
        services.reminders_sweep()
        [reminder] = rows(SESSION_TOMORROW)
        assert (reminder.recipient, reminder.email) == (
            signup.signed_up_by,
            signup.signed_up_by.email,
        )
        assert (reminder.language, reminder.category) == ("en", Category.SESSIONS)
        services.reminders_send_due()
    [message] = [m for m in mail.outbox if "Reminder" in m.subject]
    assert message.to == [signup.signed_up_by.email]
    assert "Jobbmesse" in message.subject
    assert f"{signup.employer.name} has a confirmed place at Jobbmesse" in message.body
    assert "Jessheim kulturhus" in message.body and "Ta med roll-up." in message.body
    assert "/programmes/my-signups/" in message.body
    [(name, ics, mimetype)] = message.attachments
    assert name == "motested.ics" and mimetype.startswith("text/calendar")
    assert f"UID:session-{session.pk}@" in ics
    html = message.alternatives[0][0]
    assert "Jessheim kulturhus" in html and "/programmes/my-signups/" in html


def test_an_online_session_gives_its_link(programme):
    session = session_at(
        programme, oslo(2, 10, month=12), online=True, address="https://meet.example.no/abc"
    )
    confirmed(session)
    with frozen(1, month=12):
        call_command("run_reminders", stdout=StringIO())
    [message] = [m for m in mail.outbox if "Reminder" in m.subject]
    assert "Online: https://meet.example.no/abc" in message.body
    assert 'href="https://meet.example.no/abc"' in message.alternatives[0][0]


@pytest.mark.parametrize("day", [5, 6, 7])  # Saturday, Sunday, Monday 7 December
def test_a_session_on_a_weekend_or_a_monday_is_reminded_of_on_the_friday(programme, day):
    confirmed(session_at(programme, oslo(day, 10, month=12)))
    with frozen(3, month=12):  # Thursday: too early
        services.reminders_sweep()
    assert rows(SESSION_TOMORROW) == []
    with frozen(4, month=12):  # Friday 10:00: recorded and sendable at once
        services.reminders_sweep()
        [reminder] = rows(SESSION_TOMORROW)
        assert reminder.not_before == oslo(4, 10, month=12)
        assert reminder.occasion == f"2026-12-0{day}:1"


def test_a_reminder_recorded_outside_the_send_window_waits_for_it(programme):
    confirmed(session_at(programme, oslo(2, 10, month=12)))
    with frozen(1, hour=19, month=12):  # Tuesday evening: the employer hears next morning
        services.reminders_sweep()
        assert services.reminders_send_due() == {"sent": 0, "failed": 0}
    [reminder] = rows(SESSION_TOMORROW)
    assert reminder.not_before == oslo(2, 8, month=12)
    assert reminder.status == Reminder.Status.PENDING


def test_a_missed_friday_is_caught_up_at_the_weekend_for_the_monday(programme):
    confirmed(session_at(programme, oslo(7, 12, month=12)))
    with frozen(5, month=12):  # Saturday: recorded, waits for Monday 08:00
        services.reminders_sweep()
    [reminder] = rows(SESSION_TOMORROW)
    assert reminder.not_before == oslo(7, 8, month=12)


def test_sweeping_and_sending_twice_reminds_once(programme):
    confirmed(session_at(programme, oslo(2, 10, month=12)))
    with frozen(1, month=12):
        services.reminders_sweep()
        services.reminders_sweep()
        services.reminders_send_due()
        services.reminders_send_due()
    assert len(rows(SESSION_TOMORROW)) == 1
    assert len([m for m in mail.outbox if "Reminder" in m.subject]) == 1


def test_no_reminder_for_a_sign_up_cancelled_after_it_was_recorded(programme):
    signup = confirmed(session_at(programme, oslo(2, 10, month=12)))
    with frozen(1, 7, month=12):
        services.reminders_sweep()
        SignUp.objects.filter(pk=signup.pk).update(status=S.CANCELLED)
    with frozen(1, 9, month=12):
        services.reminders_send_due()
    [reminder] = rows(SESSION_TOMORROW)
    assert reminder.status == Reminder.Status.OBSOLETE
    assert mail.outbox == []


def test_a_moved_session_drops_the_old_reminder_and_gets_one_for_its_new_day(programme):
    session = session_at(programme, oslo(2, 10, month=12))
    confirmed(session)
    with frozen(1, 7, month=12):
        services.reminders_sweep()
    Session.objects.filter(pk=session.pk).update(
        starts_at=oslo(3, 10, month=12), ends_at=oslo(3, 13, month=12)
    )
    with frozen(1, 9, month=12):
        services.reminders_sweep()  # too early for the new day
        services.reminders_send_due()
    assert [r.status for r in rows(SESSION_TOMORROW)] == [Reminder.Status.OBSOLETE]
    with frozen(2, 9, month=12):
        services.reminders_sweep()
        services.reminders_send_due()
    old, new = rows(SESSION_TOMORROW)
    assert (old.status, new.status) == (Reminder.Status.OBSOLETE, Reminder.Status.SENT)
    assert new.occasion == "2026-12-03:1"


def test_no_reminder_for_pending_waiting_or_declined_sign_ups(programme):
    session = session_at(programme, oslo(2, 10, month=12))
    for status in (S.PENDING, S.WAITING, S.DECLINED, S.CANCELLED):
        signup_row(session, company()[1], status)
    with frozen(1, month=12):
        services.reminders_sweep()
    assert rows(SESSION_TOMORROW) == []


def test_a_sign_up_without_an_account_is_reminded_at_its_contact_address(programme):
    session = session_at(programme, oslo(2, 10, month=12))
    signup_row(session, company()[1], "confirmed", contact_email="kontakt@bedrift.example.no")
    with frozen(1, month=12):
        services.reminders_sweep()
    [reminder] = rows(SESSION_TOMORROW)
    assert (reminder.recipient, reminder.email) == (None, "kontakt@bedrift.example.no")


def test_the_reminder_goes_out_in_the_language_of_the_sign_up(programme):
    confirmed(session_at(programme, oslo(2, 10, month=12)), language="nn")
    with frozen(1, month=12):
        call_command("run_reminders", stdout=StringIO())
    [reminder] = rows(SESSION_TOMORROW)
    assert reminder.language == "nn" and reminder.status == Reminder.Status.SENT
    [message] = mail.outbox
    with translation.override("nn"):
        assert translation.gettext("The session is attached as a calendar file.") in message.body


# --- session_tomorrow_organisers ---------------------------------------------------------


def test_the_organisers_get_the_list_of_who_comes_the_day_before(programme, organiser_staff):
    nav = nav_unit(name="NAV Øvre Romerike")
    programme.organisers.add(nav)
    adviser = member_of(nav)
    # Neither an unconfirmed member nor an inactive one hears about it.
    MembershipFactory(organisation=nav, confirmed=False)
    gone = member_of(programme.organisers.get(kind="partner"))
    gone.is_active = False
    gone.save()
    session = session_at(programme, oslo(2, 10, month=12))
    confirmed(
        session,
        contact_name="Kari Nordmann",
        internship_places=2,
        job_openings=1,
        mentors=0,
        company_visit=False,
        talk=True,
    )
    signup_row(session, company()[1], "pending", contact_name="Per Venter")
    signup_row(session, company()[1], "cancelled", contact_name="Ola Avlyst")
    with frozen(1, 7, month=12):  # not bound by the employers' window
        services.reminders_sweep()
        services.reminders_send_due()
    reminders = rows(SESSION_TOMORROW_ORGANISERS)
    assert {r.recipient for r in reminders} == {organiser_staff, adviser}
    assert {r.status for r in reminders} == {Reminder.Status.SENT}
    message = next(m for m in mail.outbox if m.to == [organiser_staff.email])
    assert "1 employer comes" in message.subject
    assert "Kari Nordmann" in message.body
    assert "2 internship places; 1 job opening; a talk" in message.body
    assert "Per Venter" not in message.body and "Ola Avlyst" not in message.body
    assert "1 sign-up still waits for review." in message.body
    assert f"/programmes/{programme.slug}/manage/" in message.body


def test_an_adviser_who_left_the_organiser_is_not_reminded(programme, organiser_staff):
    session_at(programme, oslo(2, 10, month=12))
    with frozen(1, 7, month=12):
        services.reminders_sweep()
        organiser_staff.memberships.all().delete()
        services.reminders_send_due()
    [reminder] = rows(SESSION_TOMORROW_ORGANISERS)
    assert reminder.status == Reminder.Status.OBSOLETE


def test_employers_are_not_told_about_other_programmes_sessions(programme, organiser_staff):
    employer = employer_contact()
    programme.organisers.add(employer.memberships.get().organisation)
    session_at(programme, oslo(2, 10, month=12))
    with frozen(1, month=12):
        services.reminders_sweep()
    assert [r.recipient for r in rows(SESSION_TOMORROW_ORGANISERS)] == [organiser_staff]


# --- signup_waiting_review ---------------------------------------------------------------


def test_a_sign_up_waiting_more_than_two_working_days_reminds_the_organisers(
    programme, organiser_staff
):
    session = session_at(programme, oslo(10, 10, month=12))
    signup = signup_row(
        session, company()[1], "pending", contact_name="Per Venter", created_at=oslo(27, 15)
    )  # Friday
    for day in (28, 29, 30):  # Saturday, Sunday, Monday
        with frozen(day):
            services.reminders_sweep()
    with frozen(1, month=12):  # Tuesday: two working days have passed, not more
        services.reminders_sweep()
    assert rows(SIGNUP_WAITING_REVIEW) == []
    with frozen(2, month=12):  # Wednesday
        services.reminders_sweep()
        services.reminders_sweep()
        services.reminders_send_due()
    [reminder] = rows(SIGNUP_WAITING_REVIEW)
    assert (reminder.recipient, reminder.category) == (organiser_staff, Category.REVIEWS)
    [message] = mail.outbox
    assert f"{signup.employer.name} waits for an answer about Jobbmesse" in message.subject
    assert "Per Venter" in message.body
    assert f"/programmes/{programme.slug}/manage/#signups" in message.body


def test_a_sign_up_reviewed_meanwhile_is_not_reminded_of(programme, organiser_staff):
    session = session_at(programme, oslo(10, 10, month=12))
    signup = signup_row(session, company()[1], "pending", created_at=oslo(30, 9))
    with frozen(3, 7, month=12):  # Thursday
        services.reminders_sweep()
        SignUp.objects.filter(pk=signup.pk).update(status=S.CONFIRMED)
        services.reminders_send_due()
    [reminder] = rows(SIGNUP_WAITING_REVIEW)
    assert reminder.status == Reminder.Status.OBSOLETE
    assert mail.outbox == []


def test_the_review_reminder_follows_the_admins_setting(programme, organiser_staff):
    session = session_at(programme, oslo(10, 10, month=12))
    signup_row(session, company()[1], "pending", created_at=oslo(30, 9))
    ReminderSetting.objects.create(rule=SIGNUP_WAITING_REVIEW.code, offsets=[4])
    with frozen(3, month=12):
        services.reminders_sweep()
    assert rows(SIGNUP_WAITING_REVIEW) == []
    with frozen(7, month=12):  # Monday: Tuesday to Friday have passed
        services.reminders_sweep()
    assert [r.occasion for r in rows(SIGNUP_WAITING_REVIEW)] == ["4"]


def test_no_review_reminder_for_a_session_that_has_begun(programme, organiser_staff):
    session = session_at(programme, oslo(2, 8, month=12))
    signup_row(session, company()[1], "pending", created_at=oslo(20, 9))
    with frozen(2, 12, month=12):
        services.reminders_sweep()
    assert rows(SIGNUP_WAITING_REVIEW) == []


# --- Constant queries ----------------------------------------------------------------------


def _many(programme, count: int):
    for n in range(count):
        session = session_at(programme, oslo(2, 9 + n, month=12))
        confirmed(session)
        signup_row(session, company()[1], "pending", created_at=oslo(25, 9))
    other = programme_for(title=f"Andre {count}", organiser=partner())
    member_of(other.organisers.get())
    session_at(other, oslo(2, 10, month=12))


@pytest.mark.parametrize(
    ("rule", "queries"),
    [(SESSION_TOMORROW, 1), (SESSION_TOMORROW_ORGANISERS, 2), (SIGNUP_WAITING_REVIEW, 2)],
)
def test_each_rule_finds_what_is_due_in_a_fixed_number_of_queries(
    programme, organiser_staff, rule, queries, django_assert_max_num_queries
):
    with frozen(1, month=12):
        _many(programme, 1)
        with django_assert_max_num_queries(queries):
            few = list(rule.due(rules.working_days_after(oslo(30, 1).date(), 1), [1, 2]))
        _many(programme, 4)
        with django_assert_max_num_queries(queries):
            many = list(rule.due(rules.working_days_after(oslo(30, 1).date(), 1), [1, 2]))
    assert len(many) > len(few) > 0


# --- The sign-up mails (programmes/notifications.py) ----------------------------------------


def test_a_promotion_is_mailed_once_even_when_its_code_runs_twice(
    programme, django_capture_on_commit_callbacks
):
    session = session_at(programme, oslo(10, 10, month=12), capacity=1)
    user, employer = company()
    with frozen(25):
        holder = sign_up(session, user, employer)
        waiting_user, waiting_company = company()
        waiting = sign_up(session, waiting_user, waiting_company)
    mail.outbox.clear()
    with frozen(26), django_capture_on_commit_callbacks(execute=True):
        programme_services.signup_cancel(user=user, signup=holder)
    with frozen(26, 11), django_capture_on_commit_callbacks(execute=True):
        waiting.refresh_from_db()
        notifications.signup_promoted(waiting)  # a retried request, a second worker
    assert [m.to for m in mail.outbox] == [[waiting_user.email]]
    [reminder] = Reminder.objects.filter(key__startswith=f"signup_promoted:{waiting.pk}:")
    assert (reminder.category, reminder.recipient) == (Category.SIGNUP, waiting_user)
    assert reminder.status == Reminder.Status.SENT


def test_the_sign_up_mails_are_in_the_sign_up_category_for_their_account(
    programme, organiser_staff, django_capture_on_commit_callbacks
):
    session = session_at(programme, oslo(10, 10, month=12), capacity=5)
    user, employer = company()
    with frozen(25), django_capture_on_commit_callbacks(execute=True):
        signup = sign_up(session, user, employer)
    received = Reminder.objects.get(key=f"signup_received:{signup.pk}")
    assert (received.category, received.recipient) == (Category.SIGNUP, user)
    assert received.status == Reminder.Status.SENT
    with frozen(26), django_capture_on_commit_callbacks(execute=True):
        programme_services.signup_decide(user=organiser_staff, signup=signup, confirm=True)
    [decided] = Reminder.objects.filter(key__startswith=f"signup_decided:{signup.pk}:confirmed:")
    assert (decided.category, decided.recipient) == (Category.SIGNUP, user)
    assert decided.status == Reminder.Status.SENT


# --- The demo ------------------------------------------------------------------------------


def test_run_reminders_right_after_seed_demo_records_the_session_reminders(settings):
    settings.DEBUG = True
    with frozen(1, 7, month=12):  # Tuesday, before the employers' send window
        call_command("seed_demo", stdout=StringIO())
        out = StringIO()
        call_command("run_reminders", stdout=out)
    assert out.getvalue().startswith("recorded ")
    [employer] = rows(SESSION_TOMORROW)
    assert employer.target.status == S.CONFIRMED
    assert employer.target.session.title == "Jobbmesse i Jessheim"
    assert employer.status == Reminder.Status.PENDING  # waits for 08:00
    assert employer.not_before == oslo(1, 8, month=12)
    organisers = rows(SESSION_TOMORROW_ORGANISERS)
    assert organisers and {r.status for r in organisers} == {Reminder.Status.SENT}
    assert "gro.partner@example.no" in {r.email for r in organisers}


def test_a_reminder_not_sent_before_the_session_began_is_dropped(programme):
    confirmed(session_at(programme, oslo(2, 10, month=12)))
    with frozen(1, 19, month=12):
        services.reminders_sweep()
    with frozen(2, 11, month=12):  # the mail server was down all morning
        services.reminders_send_due()
    [reminder] = rows(SESSION_TOMORROW)
    assert reminder.status == Reminder.Status.OBSOLETE
    assert mail.outbox == []
