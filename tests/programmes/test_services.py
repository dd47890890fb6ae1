"""The rules of programmes and sign-ups, through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from freezegun import freeze_time
from icalendar import Calendar

from portal.exceptions import BusinessRuleError
from programmes import selectors, services
from programmes.models import SessionResult, SignUp
from tests.factories import employer_contact
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import (
    SIGNUP_DATA,
    company,
    programme_for,
    session_in,
    sign_up,
)

pytestmark = pytest.mark.django_db(transaction=False)

S = SignUp.Status


@pytest.fixture
def programme():
    return programme_for()


def _sent(django_capture_on_commit_callbacks, action):
    """Run action, then the mails it queued for after commit; return what was sent."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = action()
    return result


# --- Programmes -------------------------------------------------------------------------------


def test_a_programme_belongs_to_signed_agreements_only():
    nav, organiser = nav_unit(), partner()
    adviser = member_of(nav)
    draft = agreement_for(adviser, nav, organiser)
    with pytest.raises(BusinessRuleError) as error:
        services.programme_create(
            user=adviser,
            data={
                "title": "Hemmelig",
                "description": "x",
                "target_group": "Unge",
                "start_date": timezone.localdate(),
            },
            organisers=[organiser],
            agreements=[draft],
        )
    assert error.value.field == "agreements"


def test_partner_staff_create_programmes_for_their_own_organisation_only():
    nav, own = nav_unit(), partner()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, own, status="active")
    staff = member_of(own)
    data = {
        "title": "WorkOP",
        "description": "Møteplasser",
        "target_group": "Unge",
        "start_date": timezone.localdate(),
    }
    with pytest.raises(BusinessRuleError):
        services.programme_create(
            user=staff, data=data, organisers=[partner()], agreements=[agreement]
        )
    programme = services.programme_create(
        user=staff, data=data, organisers=[own], agreements=[agreement]
    )
    assert programme.slug == "workop"
    assert list(programme.history.values_list("history_user", flat=True)) == [staff.pk]


def test_employers_cannot_create_programmes(programme):
    user, _company = company()
    with pytest.raises(BusinessRuleError):
        services.programme_create(
            user=user,
            data={"title": "x"},
            organisers=list(programme.organisers.all()),
            agreements=list(programme.agreements.all()),
        )


def test_two_programmes_with_the_same_name_get_their_own_addresses():
    first, second = programme_for(title="WorkOP"), programme_for(title="WorkOP")
    assert (first.slug, second.slug) == ("workop", "workop-2")


# --- Signing up -------------------------------------------------------------------------------


def test_a_sign_up_holds_a_place_until_the_session_is_full_then_waits(programme):
    session = session_in(programme, capacity=2)
    assert [sign_up(session).status for _ in range(3)] == [S.PENDING, S.PENDING, S.WAITING]
    [row] = selectors.sessions_of(programme)
    assert (row.taken, row.waiting, row.places_left) == (2, 1, 0)


def test_a_company_cannot_sign_up_twice_for_the_same_session(programme):
    session = session_in(programme)
    user, employer = company()
    sign_up(session, user, employer)
    with translation.override("en"), pytest.raises(BusinessRuleError) as error:
        sign_up(session, user, employer)
    assert "already signed up" in str(error.value.message)
    assert SignUp.objects.count() == 1


def test_a_company_that_cancelled_may_sign_up_again(programme):
    session = session_in(programme)
    user, employer = company()
    services.signup_cancel(user=user, signup=sign_up(session, user, employer))
    assert sign_up(session, user, employer).status == S.PENDING


def test_nobody_signs_up_after_the_deadline(programme):
    session = session_in(programme, days=20)
    programme.signup_deadline = timezone.localdate() + timedelta(days=5)
    programme.save()
    with freeze_time(timezone.now() + timedelta(days=6)), pytest.raises(BusinessRuleError):
        sign_up(session)
    assert sign_up(session).status == S.PENDING  # before the deadline


def test_a_closed_or_draft_programme_takes_no_sign_ups():
    for state in ("draft", "closed", "completed"):
        session = session_in(programme_for(state=state))
        with pytest.raises(BusinessRuleError):
            sign_up(session)


def test_a_session_that_has_started_takes_no_sign_ups(programme):
    session = session_in(programme, days=-1)
    with pytest.raises(BusinessRuleError) as error:
        sign_up(session)
    assert error.value.field == "sessions"


def test_an_employer_signs_up_only_their_own_company(programme):
    session = session_in(programme)
    user, _own = company()
    _other_user, other = company()
    with pytest.raises(BusinessRuleError):
        services.signup_create(user=user, employer=other, sessions=[session], data=SIGNUP_DATA)


def test_no_sign_up_without_consent_to_be_contacted(programme):
    with pytest.raises(BusinessRuleError) as error:
        sign_up(session_in(programme), consent_to_contact=False)
    assert error.value.field == "consent_to_contact"


def test_one_form_signs_up_for_several_sessions_at_once(programme):
    first, second = session_in(programme, days=7), session_in(programme, days=14)
    user, employer = company()
    created = services.signup_create(
        user=user, employer=employer, sessions=[first, second], data=SIGNUP_DATA
    )
    assert {s.session for s in created} == {first, second}


# --- Confirmation e-mail ----------------------------------------------------------------------


def test_the_confirmation_is_sent_after_commit_in_the_employers_language_with_the_session(
    programme, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session = session_in(programme, title="Jobbmesse")
    user, employer = company()
    with translation.override("en"):
        _sent(django_capture_on_commit_callbacks, lambda: sign_up(session, user, employer))
    [message] = mail.outbox
    # To the account's verified address: the contact address typed in the form could be
    # anyone's.
    assert message.to == [user.email] != ["kari@bedrift.example.no"]
    assert message.subject == f"Your sign-up for {programme.title}"
    assert "you have a place" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["summary"]) == f"{programme.title}: Jobbmesse"
    assert event["dtstart"].dt == session.starts_at
    assert str(event["location"]) == "Storgata 1, 2050 Jessheim"


def test_nothing_is_sent_when_the_sign_up_fails(programme, django_capture_on_commit_callbacks):
    session = session_in(programme)
    user, employer = company()
    sign_up(session, user, employer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BusinessRuleError):
        sign_up(session, user, employer)
    assert mail.outbox == []


# --- Cancelling and the waiting list -------------------------------------------------------


def test_a_cancelled_place_goes_to_the_first_on_the_waiting_list_who_is_told(
    programme, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session = session_in(programme, capacity=1)
    user, employer = company()
    holder = sign_up(session, user, employer)
    first_user, first_company = company()
    with translation.override("en"):
        first_waiting = sign_up(session, first_user, first_company)
    second_waiting = sign_up(session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(user=user, signup=holder)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert (first_waiting.status, second_waiting.status) == (S.PENDING, S.WAITING)
    assert [m.to for m in mail.outbox] == [[first_user.email]]
    assert "A place became free" in mail.outbox[0].body  # in the language they signed up in


def test_cancelling_a_place_on_the_waiting_list_promotes_nobody(programme):
    session = session_in(programme, capacity=1)
    sign_up(session)
    user, employer = company()
    waiting = sign_up(session, user, employer)
    third = sign_up(session)
    services.signup_cancel(user=user, signup=waiting)
    third.refresh_from_db()
    assert third.status == S.WAITING


def test_employers_cancel_until_the_cut_off_only(programme, settings):
    settings.SIGNUP_CANCEL_CUTOFF_HOURS = 24
    session = session_in(programme, days=2)
    user, employer = company()
    signup = sign_up(session, user, employer)
    with freeze_time(session.starts_at - timedelta(hours=23)), pytest.raises(BusinessRuleError):
        services.signup_cancel(user=user, signup=signup)
    with freeze_time(session.starts_at - timedelta(hours=25)):
        assert services.signup_cancel(user=user, signup=signup).status == S.CANCELLED


def test_nobody_cancels_another_companys_sign_up(programme):
    signup = sign_up(session_in(programme))
    with pytest.raises(BusinessRuleError):
        services.signup_cancel(user=employer_contact(), signup=signup)
    signup.refresh_from_db()
    assert signup.status == S.PENDING


def test_an_employer_changes_what_the_company_offers(programme):
    user, employer = company()
    signup = sign_up(session_in(programme), user, employer)
    services.signup_change(user=user, signup=signup, data={"job_openings": 4, "mentors": 0})
    signup.refresh_from_db()
    assert (signup.job_openings, signup.mentors) == (4, 0)


# --- Review by the organisers -----------------------------------------------------------------


def test_organisers_confirm_and_the_employer_gets_their_message(
    programme, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with translation.override("en"):
        signup = sign_up(session_in(programme))
    organiser_staff = member_of(programme.organisers.get())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_decide(
            user=organiser_staff, signup=signup, confirm=True, message="Velkommen til standen!"
        )
    signup.refresh_from_db()
    assert (signup.status, signup.decided_by) == (S.CONFIRMED, organiser_staff)
    assert "Velkommen til standen!" in mail.outbox[0].body


def test_a_decline_frees_the_place_for_the_next_in_line(programme):
    session = session_in(programme, capacity=1)
    first, waiting = sign_up(session), sign_up(session)
    services.signup_decide(user=member_of(nav_unit()), signup=first, confirm=False, message="Fullt")
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING


def test_staff_of_another_partner_cannot_review_a_sign_up(programme):
    signup = sign_up(session_in(programme))
    with pytest.raises(BusinessRuleError):
        services.signup_decide(user=member_of(partner()), signup=signup, confirm=True)


def test_a_full_session_confirms_no_one_from_the_waiting_list(programme):
    session = session_in(programme, capacity=1)
    sign_up(session)
    waiting = sign_up(session)
    with pytest.raises(BusinessRuleError):
        services.signup_decide(user=member_of(nav_unit()), signup=waiting, confirm=True)


def test_a_session_cannot_shrink_below_the_places_taken(programme):
    session = session_in(programme, capacity=3)
    sign_up(session), sign_up(session)
    session.capacity = 1
    with pytest.raises(BusinessRuleError) as error:
        services.session_save(session=session, user=member_of(nav_unit()))
    assert error.value.field == "capacity"


# --- Results ----------------------------------------------------------------------------------


def test_results_are_aggregate_figures_that_feed_the_agreements_goals(programme):
    adviser = member_of(nav_unit())
    held = session_in(programme, days=-3)
    signup = sign_up(session_in(programme, days=5))
    services.signup_decide(user=adviser, signup=signup, confirm=True)
    services.session_result_save(
        session=held,
        user=adviser,
        figures={"young_people_met": 25, "interviews": 6, "permanent_jobs": 2, "temporary_jobs": 1},
    )
    results = selectors.programme_results(programme)
    assert results["employers_taking_part"] == 1
    assert results["sessions_held"] == 1
    assert results["jobs_gained"] == 3
    assert results["young_people_met"] == 25
    from partnerships import progress

    agreement = programme.agreements.get()
    figures = progress.agreement_progress(agreement)
    assert figures == {"employers_signed_up": 1, "sessions_held": 1, "jobs_gained": 3}


def test_results_wait_until_the_session_has_started(programme):
    with pytest.raises(BusinessRuleError):
        services.session_result_save(
            session=session_in(programme, days=3),
            user=member_of(nav_unit()),
            figures={"interviews": 1},
        )
    assert not SessionResult.objects.exists()


def test_plain_text_mails_show_names_as_typed_and_html_mails_escape_them(
    django_capture_on_commit_callbacks, settings
):
    programme = programme_for(title="Bygg & Anlegg <Vår>")
    session = session_in(programme)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(session, contact_name="Ola & Kari")
    [message] = mail.outbox
    assert "Bygg & Anlegg <Vår>" in message.subject
    assert "Ola & Kari" in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "Bygg &amp; Anlegg &lt;Vår&gt;" in html and "<Vår>" not in html


def test_a_line_break_in_a_programme_name_is_refused_and_the_calendar_holds():
    from django.core.exceptions import ValidationError

    programme = programme_for()
    programme.title = "Evil\r\nX-INJECTED: yes"
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "title" in error.value.message_dict
    # Even a name stored before the rule stays inside its calendar line.
    from programmes.calendar import sessions_ics

    ics = sessions_ics([session_in(programme_for())], name="A\r\nX-INJECTED: yes")
    assert b"\r\nX-INJECTED" not in ics


def test_a_decline_after_the_session_promotes_nobody(programme):
    from programmes.models import Session

    session = session_in(programme, capacity=1)
    first, waiting = sign_up(session), sign_up(session)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    services.signup_decide(user=member_of(nav_unit()), signup=first, confirm=False)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITING


def test_partner_staff_add_no_other_partner_as_organiser_but_a_nav_adviser_may():
    own, other = partner(), partner()
    programme = programme_for(organiser=own)
    staff = member_of(own)
    data = {"title": programme.title}
    with pytest.raises(BusinessRuleError) as error:
        services.programme_update(
            programme=programme,
            user=staff,
            data=data,
            organisers=[own, other],
            agreements=list(programme.agreements.all()),
        )
    assert error.value.field == "organisers"
    services.programme_update(
        programme=programme,
        user=member_of(nav_unit()),
        data=data,
        organisers=[own, other],
        agreements=list(programme.agreements.all()),
    )
    # Once a NAV adviser added them, the partner's own staff keep them when they edit.
    services.programme_update(
        programme=programme,
        user=staff,
        data=data,
        organisers=[own, other],
        agreements=list(programme.agreements.all()),
    )
    assert set(programme.organisers.all()) == {own, other}


def test_a_draft_programme_is_no_news():
    draft = programme_for(state="draft")
    from tests.factories import UserFactory

    with pytest.raises(BusinessRuleError):
        services.programme_news_draft(
            programme=draft, user=UserFactory(is_superuser=True, is_staff=True)
        )
