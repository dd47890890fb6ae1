import pytest

from partnerships.models import ContactPerson
from portal.accounts.models import Organisation
from tests.factories import UserFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.posting import form_values

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "name": "Tromsø Næringsråd",
        "kind": "partner",
        "category": "business_association",
        "org_number": "974 760 673",
        "county": "55",
        "municipality": "Tromsø",
        "website": "https://example.no",
        "description": "Næringsforening.",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Ingrid Isaksen",
        "contacts-0-title": "Leder",
        "contacts-0-email": "ingrid@example.no",
        "contacts-0-phone": "+47 900 00 000",
    }
    data.update(changes)
    return data


def test_an_adviser_registers_an_organisation_with_a_contact(client):
    client.force_login(member_of(nav_unit()))
    response = client.post("/organisations/new/", form_data())
    organisation = Organisation.objects.get(org_number="974760673")
    assert response.url == organisation.get_absolute_url()
    assert organisation.contacts.get().name == "Ingrid Isaksen"
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Ingrid Isaksen" in page and "Troms" in page


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("974760674", "974760674 is not a valid organisation number"),
        ("12345", "An organisation number has exactly 9 digits"),
    ],
)
def test_a_wrong_org_number_is_explained_next_to_the_field(client, number, message):
    client.force_login(member_of(nav_unit()))
    response = client.post(
        "/organisations/new/", form_data(org_number=number), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert message in page
    assert 'id="id_org_number-error"' in page
    assert 'value="Tromsø Næringsråd"' in page and "Ingrid Isaksen" in page


def test_a_taken_org_number_is_refused(client):
    partner(org_number="974760673")
    client.force_login(member_of(nav_unit()))
    response = client.post("/organisations/new/", form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert "An organisation with this organisation number exists." in response.content.decode()


def test_partners_cannot_register_or_edit_organisations(client):
    own = partner()
    client.force_login(member_of(own))
    assert client.get("/organisations/new/").status_code == 403
    assert client.get(f"/organisations/{own.pk}/edit/").status_code == 403


def test_the_detail_page_lists_agreements_and_contacts(client):
    nav = nav_unit()
    organiser = partner(name="Nordlysrittet AS")
    adviser = member_of(nav)
    agreement_for(adviser, nav, organiser, title="Rittet som plattform")
    ContactPerson.objects.create(organisation=organiser, name="Pia Partner", email="pia@example.no")
    client.force_login(adviser)
    page = client.get(organiser.get_absolute_url()).content.decode()
    assert "Rittet som plattform" in page and "Pia Partner" in page


def test_search_and_filters_on_the_register(client):
    partner(name="Nordlysrittet AS", county="18")
    partner(name="Tromsø Næringsråd", county="55")
    client.force_login(member_of(nav_unit(name="NAV Nordland")))
    names = {o.name for o in client.get("/organisations/?county=55").context["page"].object_list}
    assert names == {"Tromsø Næringsråd"}
    names = {o.name for o in client.get("/organisations/?q=nordlys").context["page"].object_list}
    assert names == {"Nordlysrittet AS"}
    names = {
        o.name for o in client.get("/organisations/?kind=nav_unit").context["page"].object_list
    }
    assert names == {"NAV Nordland"}


def test_an_empty_register_says_so(client):
    client.force_login(UserFactory(is_superuser=True))
    page = client.get("/organisations/?q=finnesikke").content.decode()
    assert "Ingen organisasjoner passer til disse filtrene." in page


@pytest.mark.parametrize("number", ["٩٧٤٧٦٠٦٧٣", "９７４ ７６０ ６７３", "000000000"])
def test_look_alike_and_placeholder_org_numbers_are_refused(client, number):
    partner(org_number="974760673")
    client.force_login(member_of(nav_unit()))
    response = client.post(
        "/organisations/new/", form_data(org_number=number), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert 'id="id_org_number-error"' in response.content.decode()
    assert Organisation.objects.count() == 2  # the partner and the adviser's NAV unit


def test_a_stale_organisation_form_is_refused_and_keeps_both_peoples_work(client):
    from django.test import Client

    organisation = partner(name="Tromsø Næringsråd", municipality="Tromsø")
    ContactPerson.objects.create(organisation=organisation, name="Ingrid Isaksen")
    url = f"/organisations/{organisation.pk}/edit/"
    first, second = client, Client()
    first.force_login(member_of(nav_unit()))
    second.force_login(member_of(nav_unit()))
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))

    # The first renames it and adds a contact person in the empty row.
    mine |= {"name": ["Tromsø Næringsforening"], "contacts-1-name": ["Per Pedersen"]}
    assert first.post(url, mine).status_code == 302

    # The second changes the municipality, and removes Ingrid: refused, told what changed.
    theirs |= {"municipality": ["Karlsøy"], "contacts-0-DELETE": ["on"]}
    response = second.post(url, theirs, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this organisation after you opened it." in page
    assert "Name: from «Tromsø Næringsråd» to «Tromsø Næringsforening»" in page
    assert "Contact persons: added «Per Pedersen»" in page
    assert 'value="Karlsøy"' in page
    organisation.refresh_from_db()
    assert organisation.name == "Tromsø Næringsforening" and organisation.municipality == "Tromsø"
    assert set(organisation.contacts.values_list("name", flat=True)) == {
        "Ingrid Isaksen",
        "Per Pedersen",
    }

    # Sent again: their change and the first one's are both kept.
    assert second.post(url, form_values(page)).status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Tromsø Næringsforening" and organisation.municipality == "Karlsøy"
    assert list(organisation.contacts.values_list("name", flat=True)) == ["Per Pedersen"]
