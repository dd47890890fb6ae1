"""Input at the edges: the 10,001st reference of a year, a megabyte of text, year 9999."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.models import Agreement
from portal.exceptions import BusinessRuleError
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.partnerships.test_views import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    nav = nav_unit(name="NAV Nordland")
    own = partner(name="Nordlysrittet AS")
    return {"nav": nav, "own": own, "adviser": member_of(nav)}


def renumber(agreement, number):
    """Give an agreement the reference of the year's number-th, as if that many came before."""
    year = agreement.reference_year
    Agreement.objects.filter(pk=agreement.pk).update(
        reference=f"SA-{year}-{number:04d}", reference_number=number
    )


def test_references_go_on_counting_past_ten_thousand(world):
    nav, own, adviser = world["nav"], world["own"], world["adviser"]
    renumber(agreement_for(adviser, nav, own), 9999)
    renumber(agreement_for(adviser, nav, own), 10000)
    year = timezone.localdate().year
    assert agreement_for(adviser, nav, own).reference == f"SA-{year}-10001"
    assert agreement_for(adviser, nav, own).reference == f"SA-{year}-10002"


def test_the_list_sorts_references_by_number_not_as_text(client, world):
    nav, own, adviser = world["nav"], world["own"], world["adviser"]
    renumber(agreement_for(adviser, nav, own, title="Avtale ti tusen"), 10000)
    renumber(agreement_for(adviser, nav, own, title="Avtale ni tusen"), 9999)
    client.force_login(adviser)
    page = client.get("/agreements/?scope=all&sort=reference").content.decode()
    assert page.index("Avtale ni tusen") < page.index("Avtale ti tusen")
    year = timezone.localdate().year
    assert client.get(f"/agreements/SA-{year}-10000/").status_code == 200


def test_a_megabyte_purpose_is_refused_beside_the_field(client, world):
    client.force_login(world["adviser"])
    response = client.post(
        "/agreements/new/",
        registration(world, purpose="x" * 1_000_000),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert not Agreement.objects.exists()


@pytest.mark.postgres
def test_a_megabyte_purpose_is_refused_on_postgresql_too(client, world):
    test_a_megabyte_purpose_is_refused_beside_the_field(client, world)


def test_the_service_refuses_a_purpose_over_the_limit(world):
    with pytest.raises(ValidationError) as raised:
        agreement_for(world["adviser"], world["nav"], world["own"], purpose="x" * 5001)
    assert "purpose" in raised.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "9999-12-31", "end_date": ""},
        {"end_date": "9999-12-31"},
        {"start_date": "1066-10-14"},
        {"parties-1-signatories-0-signed_on": "0001-01-01"},
    ],
)
def test_dates_far_outside_any_agreement_are_refused_with_a_message(client, world, changes):
    client.force_login(world["adviser"])
    response = client.post(
        "/agreements/new/", registration(world, **changes), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Give a date between 01/01/1990 and 12/31/2100." in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_activity_due_in_year_9999_is_refused(client, world):
    agreement = agreement_for(world["adviser"], world["nav"], world["own"])
    client.force_login(world["adviser"])
    response = client.post(
        f"/agreements/{agreement.reference}/activities/",
        {
            "activity-kind": "meeting",
            "activity-title": "Oppfølging",
            "activity-due_date": "9999-12-31",
            "activity-responsible": world["adviser"].pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Give a date between" in response.content.decode()
    assert not agreement.activities.exists()


def test_ending_an_agreement_stored_with_start_9999_12_31_explains_instead_of_crashing(
    client, world
):
    agreement = agreement_for(world["adviser"], world["nav"], world["own"], status="active")
    # Stored before dates were limited.
    Agreement.objects.filter(pk=agreement.pk).update(start_date=date(9999, 12, 31))
    with pytest.raises(BusinessRuleError) as raised:
        services.agreement_transition(agreement=agreement, user=world["adviser"], name="end")
    assert raised.value.field == "start_date"

    client.force_login(world["adviser"])
    response = client.post(
        f"/agreements/{agreement.reference}/status/end/", HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.status_code == 200
    assert "The start date 9999-12-31 cannot be right" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.ACTIVE


def test_a_megabyte_organisation_description_is_refused_beside_the_field(client, world):
    from tests.partnerships.test_organisations import form_data

    client.force_login(world["adviser"])
    response = client.post(
        "/organisations/new/",
        form_data(description="x" * 1_000_000),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.content.decode()


def test_agreements_are_registered_through_the_portal_not_the_admin_site(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/partnerships/agreement/add/").status_code == 403
