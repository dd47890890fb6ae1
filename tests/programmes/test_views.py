from datetime import date, timedelta

import pytest
from django.utils import timezone

from programmes.models import Programme, ProgrammeSession, SignUp
from tests.factories import OrganisationFactory, employer_contact
from tests.partnerships.factories import adviser_in, agreement_for, nav_unit, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    nav = nav_unit()
    owner = partner(name="Næringsforum Gardermoen")
    agreement = agreement_for(adviser_in(nav), nav, owner, status="active")
    programme = Programme.objects.create(
        agreement=agreement, title="JobbStart Gardermoen", start_date=date(2026, 2, 1)
    )
    now = timezone.now()
    ProgrammeSession.objects.create(
        programme=programme, title="Jobbmesse", starts_at=now - timedelta(days=5)
    )
    ProgrammeSession.objects.create(
        programme=programme, title="Bedriftsbesøk", starts_at=now + timedelta(days=5)
    )
    SignUp.objects.create(
        programme=programme,
        employer=OrganisationFactory(kind="employer", name="Logistikk AS"),
        status="confirmed",
        jobs_gained=2,
    )
    SignUp.objects.create(
        programme=programme,
        employer=OrganisationFactory(kind="employer"),
        status="pending",
        jobs_gained=4,
    )
    return programme


def test_the_programme_page_shows_its_results_sessions_and_employers(client, programme):
    client.force_login(programme.agreement.responsible_adviser)
    response = client.get(programme.get_absolute_url())
    assert response.context["results"] == {
        "employers_signed_up": 1,
        "sessions_held": 1,
        "jobs_gained": 2,
    }
    page = response.content.decode()
    assert "Jobbmesse" in page and "Bedriftsbesøk" in page and "Logistikk AS" in page


def test_the_agreement_page_links_its_programmes(client, programme):
    client.force_login(programme.agreement.responsible_adviser)
    page = client.get(programme.agreement.get_absolute_url()).content.decode()
    assert f'href="{programme.get_absolute_url()}"' in page


def test_partners_see_their_own_programmes_only(client, programme):
    owner = programme.agreement.parties.get(organisation__kind="partner").organisation
    client.force_login(adviser_in(owner))
    assert client.get(programme.get_absolute_url()).status_code == 200
    client.force_login(adviser_in(partner()))
    assert client.get(programme.get_absolute_url()).status_code == 404
    client.force_login(employer_contact())
    assert client.get(programme.get_absolute_url()).status_code == 404


def test_my_signups_never_lists_other_companies_whatever_the_role(client, programme):
    """ "My sign-ups" are the user's own company's: a NAV adviser, who sees every programme,
    has no company and so no sign-ups there."""
    client.force_login(programme.agreement.responsible_adviser)
    response = client.get("/programmes/my-signups/")
    assert response.context["signups"] == []
    assert "Logistikk AS" not in response.content.decode()
