from datetime import date, timedelta

import pytest
from django.utils import timezone

from partnerships import selectors, services
from partnerships.models import Agreement, Goal
from programmes.models import SessionResult
from tests.factories import OrganisationFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import programme_under, session_in, signup_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    nav = nav_unit()
    return agreement_for(member_of(nav), nav, partner(), status="active")


def test_progress_is_counted_from_the_programmes_so_it_is_never_stale(agreement):
    programme = programme_under(agreement, title="JobbStart")
    held = [session_in(programme, days=days) for days in (-10, -1)]
    session_in(programme, days=3)
    employers = [OrganisationFactory(kind="employer") for _ in range(3)]
    signup_row(held[0], employers[0], status="confirmed")
    signup_row(held[1], employers[1], status="attended")
    pending = signup_row(held[1], employers[2], status="pending")
    SessionResult.objects.create(session=held[0], permanent_jobs=2, temporary_jobs=1)
    Goal.objects.create(
        agreement=agreement, text="Arbeidsgivere", target=4, measure="employers_signed_up"
    )
    Goal.objects.create(agreement=agreement, text="Møteplasser", target=4, measure="sessions_held")
    Goal.objects.create(agreement=agreement, text="Jobber", target=6, measure="jobs_gained")
    Goal.objects.create(agreement=agreement, text="Praksis", target=10, reached_manual=7)

    progress = {
        p.goal.text: (p.reached, p.percent) for p in selectors.goals_with_progress(agreement)
    }
    assert progress == {
        "Arbeidsgivere": (2, 50),  # pending sign-ups do not count yet
        "Møteplasser": (2, 50),  # the one next week is not held yet
        "Jobber": (3, 50),
        "Praksis": (7, 70),
    }
    # A new confirmed sign-up shows at once: nothing is stored to go stale.
    pending.status = "confirmed"
    pending.save()
    SessionResult.objects.filter(session=held[0]).update(permanent_jobs=7)
    reached = {p.goal.text: p.reached for p in selectors.goals_with_progress(agreement)}
    assert reached["Arbeidsgivere"] == 3 and reached["Jobber"] == 8


def test_days_left_is_computed_not_stored(agreement):
    agreement.end_date = date(2026, 12, 31)
    assert agreement.days_left(today=date(2026, 12, 1)) == 30
    assert agreement.days_left(today=date(2026, 12, 31)) == 0


def test_dashboard_shows_what_needs_the_adviser(agreement):
    adviser = agreement.responsible_adviser
    today = timezone.localdate()
    agreement.end_date = today + timedelta(days=40)
    agreement.save()
    nav = nav_unit()
    colleague = member_of(nav)
    later = agreement_for(
        colleague, nav, partner(), status="active", end_date=today + timedelta(days=200)
    )
    services.activity_create(
        agreement=agreement,
        user=adviser,
        data={
            "kind": "meeting",
            "title": "Forfalt møte",
            "due_date": today - timedelta(days=2),
            "responsible": adviser,
        },
    )
    services.activity_create(
        agreement=agreement,
        user=adviser,
        data={
            "kind": "report",
            "title": "Rapport om en måned",
            "due_date": today + timedelta(days=30),
            "responsible": adviser,
        },
    )
    services.agreement_update(
        agreement=agreement,
        user=colleague,
        data={"title": "Endret av kollega", "responsible_adviser": adviser},
        parties=[services.PartyInput(p.organisation) for p in agreement.parties.all()],
    )
    board = selectors.dashboard_for(adviser)
    assert [a.pk for a in board["ending_soon"]] == [agreement.pk]
    assert later not in board["ending_soon"]
    assert [a.title for a in board["activities"]] == ["Forfalt møte"]
    assert board["recent_changes"][0].title == "Endret av kollega"
    assert dict(board["statuses"])[str(Agreement.Status.ACTIVE.label)] == 2
