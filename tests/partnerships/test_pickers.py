"""Pickers: organisations and people are chosen with a search, never from a list of all of them
(issue 13): the page holds the chosen one, the search asks for at most 20 matches, and it
offers only what the form accepts and the user may see."""

import re

import pytest

from partnerships.models import Activity, ContactPerson
from portal.accounts.models import Membership, Organisation, Role, User
from portal.pickers import PICKER_MATCHES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.measuring import page_and_queries
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.posting import form_values

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(client):
    """A NAV unit with its adviser (logged in, in English), a partner with a contact person,
    and an agreement between them that the adviser is responsible for."""
    nav = nav_unit(name="NAV Skalering")
    adviser = UserFactory(full_name="Ada Rådgiver", email="ada@nav.no")
    MembershipFactory(user=adviser, organisation=nav)
    own = partner(name="Første Partner AS")
    contact = ContactPerson.objects.create(
        organisation=own, name="Kari Kontakt", email="kari@forste.no"
    )
    agreement = agreement_for(adviser, nav, own, title="Avtale om inkludering")
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    return {"nav": nav, "adviser": adviser, "own": own, "contact": contact, "agreement": agreement}


def advisers_in(nav, n, name="Rådgiver"):
    """n more advisers in the NAV unit, each with a contact person at a partner of their own."""
    users = User.objects.bulk_create(
        User(email=f"r{i}@nav.no", full_name=f"{name} {i:03}") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=nav, role=Role.NAV_ADVISER) for u in users
    )
    partners = Organisation.objects.bulk_create(
        OrganisationFactory.build(kind=Organisation.Kind.PARTNER, name=f"Partner {i:03} AS")
        for i in range(n)
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(organisation=p, name=f"Kontakt {i:03}", email=f"k{i}@p.no")
        for i, p in enumerate(partners)
    )
    return users


def options(client, url, **params):
    response = client.get(url, params, **HTMX, HTTP_HX_TRIGGER="id_search")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


ADVISERS = "/forms/pickers/agreement/responsible_adviser/"
CONTACTS = "/forms/pickers/agreement/partner_contact/"
PARTIES = "/forms/pickers/party/organisation/"


def test_the_forms_do_not_grow_with_300_advisers_and_contact_persons(
    client, world, django_assert_max_num_queries
):
    ref = world["agreement"].reference
    urls = [f"/agreements/{ref}/edit/", "/agreements/new/", f"/agreements/{ref}/"]
    few = {url: page_and_queries(client, url) for url in urls}
    advisers_in(world["nav"], 300)
    for url in urls:
        page, _ = page_and_queries(client, url)
        print(f"{url}: {len(few[url][0])} bytes with 1 adviser, {len(page)} with 301")
        assert "Rådgiver 0" not in page and "Kontakt 0" not in page
        assert "Ada Rådgiver" in page  # the chosen one, and the one who registers
        assert len(page) < len(few[url][0]) + 200  # the form's signed state varies a little
        with django_assert_max_num_queries(few[url][1]):
            client.get(url)


def test_advisers_are_found_by_name_and_by_email_at_most_twenty(client, world):
    advisers_in(world["nav"], 30)
    found = options(client, ADVISERS, responsible_adviser_search="rådgiver 01")
    assert found.count("<option") == 1 + 10  # the blank choice, Rådgiver 010 to 019
    assert "Rådgiver 010 (r10@nav.no)" in found and "Choose from 10 matches" in found
    by_email = options(client, ADVISERS, responsible_adviser_search="r7@nav")
    assert "Rådgiver 007 (r7@nav.no)" in by_email and "Choose from 1 match" in by_email
    many = options(client, ADVISERS, responsible_adviser_search="nav.no")
    assert many.count("<option") == 1 + PICKER_MATCHES == 21


def test_only_active_advisers_are_found(client, world):
    partner_staff = member_of(world["own"])
    gone = advisers_in(world["nav"], 1, name="Sluttet")[0]
    gone.is_active = False
    gone.save()
    found = options(client, ADVISERS, responsible_adviser_search=partner_staff.full_name)
    assert partner_staff.full_name not in found and "No adviser matches" in found
    assert "Sluttet" not in options(client, ADVISERS, responsible_adviser_search="sluttet")


def test_contact_persons_are_found_by_name_email_or_organisation_of_partners_only(client, world):
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Kari Bakeri")
    ContactPerson.objects.create(organisation=employer, name="Kari Baker")
    for text in ["kari", "forste.no", "første partner"]:
        found = options(client, CONTACTS, partner_contact_search=text)
        assert "Kari Kontakt (Første Partner AS)" in found, text
        assert "Kari Baker" not in found


def test_the_chosen_one_stays_chosen_while_searching(client, world):
    found = options(
        client,
        ADVISERS,
        responsible_adviser_search="nobody like this",
        responsible_adviser=world["adviser"].pk,
    )
    assert f'<option value="{world["adviser"].pk}" selected>Ada Rådgiver (ada@nav.no)' in found
    # What the search found goes to the live region beside it.
    assert 'id="id_search-status"' in found and 'hx-swap-oob="innerHTML"' in found
    assert ">No adviser matches</p>" in found


def test_an_empty_search_leaves_the_list_as_it_is(client, world):
    response = client.get(ADVISERS, {"responsible_adviser_search": " "}, **HTMX)
    assert response.status_code == 204


@pytest.mark.parametrize("url", [ADVISERS, CONTACTS, PARTIES])
def test_only_those_who_register_agreements_may_search(client, world, url):
    query = {"q": "a"}
    outsiders = [
        member_of(world["own"]),  # partner staff
        member_of(OrganisationFactory(kind=Organisation.Kind.EMPLOYER)),
        MembershipFactory(organisation=world["nav"], confirmed=False).user,  # not confirmed
        UserFactory(is_staff=True),  # staff, such as an editor
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url, query, **HTMX).status_code == 404, user
    client.logout()
    assert client.get(url, query).status_code == 302  # to the login page


def test_an_unknown_picker_is_not_found(client, world):
    assert client.get("/forms/pickers/agreement/title/", {"q": "a"}).status_code == 404
    assert client.get("/forms/pickers/signatory/name/", {"q": "a"}).status_code == 404


def _edit(client, agreement, **changes):
    url = f"/agreements/{agreement.reference}/edit/"
    data = form_values(client.get(url)) | {k: [str(v)] for k, v in changes.items()}
    return client.post(url, data)


def test_an_adviser_and_a_contact_chosen_from_the_search_are_saved(client, world):
    other = advisers_in(world["nav"], 1, name="Ny Ansvarlig")[0]
    contact = world["contact"]  # the service asks for a contact person of a party
    response = _edit(
        client,
        world["agreement"],
        responsible_adviser=other.pk,
        partner_contact=contact.pk,
        responsible_adviser_search="ny ansv",  # what the user typed is only a search
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    world["agreement"].refresh_from_db()
    assert world["agreement"].responsible_adviser == other
    assert world["agreement"].partner_contact == contact


def test_foreign_people_are_refused_as_before(client, world):
    partner_staff = member_of(world["own"])
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER)
    bakers = ContactPerson.objects.create(organisation=employer, name="Baker")
    unconfirmed = MembershipFactory(organisation=world["nav"], confirmed=False).user
    for field, foreign in [
        ("responsible_adviser", partner_staff.pk),
        ("responsible_adviser", 999_999),
        ("partner_contact", bakers.pk),
        ("partner_contact", "x"),
    ]:
        response = _edit(client, world["agreement"], **{field: foreign})
        page = response.content.decode()
        assert response.status_code == 200, (field, foreign)
        assert "Select a valid choice. That choice is not one of the available choices." in page
        assert partner_staff.full_name not in page and "Baker" not in page
    # The form lists an unconfirmed adviser (as before); the service refuses them.
    page = _edit(client, world["agreement"], responsible_adviser=unconfirmed.pk).content.decode()
    assert "The responsible adviser must work in a NAV unit." in page
    world["agreement"].refresh_from_db()
    assert world["agreement"].responsible_adviser == world["adviser"]
    assert world["agreement"].partner_contact is None


def test_who_may_not_hand_the_agreement_over_gets_no_adviser_search(client, world):
    client.force_login(member_of(world["nav"]))  # another adviser
    page = client.get(f"/agreements/{world['agreement'].reference}/edit/").content.decode()
    assert 'name="responsible_adviser_search"' not in page
    assert 'name="partner_contact_search"' in page
    assert "Ada Rådgiver (ada@nav.no)" in page


def test_without_javascript_search_sends_the_form_back_with_the_matches(client, world):
    advisers_in(world["nav"], 3)
    url = f"/agreements/{world['agreement'].reference}/edit/"
    data = form_values(client.get(url)) | {
        "title": [""],  # not judged yet: the form comes back as typed
        "responsible_adviser_search": ["rådgiver 00"],
        "parties-0-organisation_search": ["partner 001"],
        "find": ["responsible_adviser_search"],
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose from 3 matches" in page and "Rådgiver 002 (r2@nav.no)" in page
    assert "Partner 001 AS" in page  # every search typed is answered
    assert "This field is required" not in page
    assert 'id="id_responsible_adviser_search-status"' in page
    assert '<noscript><button type="submit" name="find" value="responsible_adviser_search"' in page
    world["agreement"].refresh_from_db()
    assert world["agreement"].title == "Avtale om inkludering"
    # The adviser stays chosen until another is picked.
    assert form_values(page)["responsible_adviser"] == [str(world["adviser"].pk)]


# --- The activity form: whoever follows the agreement up picks who is responsible ------------


def activity_options(client, agreement, text):
    url = f"/agreements/{agreement.reference}/activities/pickers/responsible/"
    return client.get(url, {"activity-responsible_search": text}, **HTMX)


def test_the_activity_search_finds_the_agreements_people_only(client, world):
    colleague = member_of(world["nav"])
    staff = member_of(world["own"])
    stranger = member_of(partner(name="Fremmed AS"))
    for person in [colleague, staff, world["adviser"]]:
        found = activity_options(client, world["agreement"], person.email).content.decode()
        assert person.full_name in found
    found = activity_options(client, world["agreement"], stranger.full_name).content.decode()
    assert stranger.full_name not in found and "Nobody matches" in found


def test_partner_staff_find_the_other_parties_people_by_name_not_by_email(client, world):
    staff = member_of(world["own"])
    colleague = member_of(world["own"])
    client.force_login(staff)
    agreement = world["agreement"]
    assert "Ada Rådgiver" in activity_options(client, agreement, "ada råd").content.decode()
    assert "Ada Rådgiver" not in activity_options(client, agreement, "ada@nav").content.decode()
    found = activity_options(client, agreement, colleague.email).content.decode()
    assert colleague.full_name in found


def test_the_activity_search_is_closed_to_who_may_not_see_the_agreement(client, world):
    client.force_login(member_of(partner()))  # partner staff of another agreement
    assert activity_options(client, world["agreement"], "ada").status_code == 404
    client.force_login(member_of(OrganisationFactory(kind=Organisation.Kind.EMPLOYER)))
    assert activity_options(client, world["agreement"], "ada").status_code == 403
    client.force_login(world["adviser"])
    url = f"/agreements/{world['agreement'].reference}/activities/pickers/kind/"
    assert client.get(url, {"q": "ada"}).status_code == 404


def test_an_activity_for_someone_found_is_added_and_a_search_without_javascript_is_not(
    client, world
):
    colleague = member_of(world["nav"])
    url = f"/agreements/{world['agreement'].reference}/activities/"
    typed = {
        "activity-kind": "meeting",
        "activity-title": "Oppstartsmøte",
        "activity-due_date": "2026-12-01",
        "activity-responsible": world["adviser"].pk,
        "activity-responsible_search": colleague.email,
    }
    response = client.post(url, {**typed, "find": "activity-responsible_search"})
    page = response.content.decode()
    assert response.status_code == 200 and "Choose from 1 match" in page
    assert colleague.full_name in page and not Activity.objects.exists()
    response = client.post(url, {**typed, "activity-responsible": colleague.pk})
    assert response.status_code == 302
    assert Activity.objects.get().responsible == colleague


# --- Parties ---------------------------------------------------------------------------------


def test_a_party_row_offers_the_chosen_organisation_and_a_search_not_every_organisation(
    client, world
):
    for n in range(30):
        partner(name=f"Annen Partner {n}")
    form = client.get(f"/agreements/{world['agreement'].reference}/edit/").content.decode()
    assert "Første Partner AS" in form and "NAV Skalering" in form
    assert "Annen Partner" not in form
    assert f'hx-get="{PARTIES}"' in form


def test_the_organisation_search_finds_units_and_partners_but_no_employers(client, world):
    partner(name="Nordlysrittet AS")
    OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Nordlys Bakeri")
    found = options(client, PARTIES, **{"parties-3-organisation_search": "nordlys"})
    assert "Nordlysrittet AS" in found and "Nordlys Bakeri" not in found
    assert "Choose from 1 match" in found


def test_a_party_chosen_from_the_search_is_saved(client, world):
    agreement = world["agreement"]
    new_partner = partner(name="Valgt Fra Søk AS")
    url = f"/agreements/{agreement.reference}/edit/"
    data = form_values(client.get(url)) | {
        "parties-TOTAL_FORMS": ["3"],
        "parties-2-organisation": [str(new_partner.pk)],
        "parties-2-signatories-TOTAL_FORMS": ["0"],
        "parties-2-signatories-INITIAL_FORMS": ["0"],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert agreement.parties.filter(organisation=new_partner).exists()


# --- The agreement list's filters: an adviser and a NAV unit found with a search -------------

LIST = "/agreements/?scope=all"
FILTER_ADVISERS = "/agreements/pickers/adviser/"
FILTER_UNITS = "/agreements/pickers/nav_unit/"


def offered(html, name) -> list[str]:
    """The ids a filter's list offers, the blank choice left out."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group(0)
    return re.findall(r'<option value="(\d+)"', select)


def test_the_list_filters_hold_no_adviser_or_unit_but_the_chosen_one(
    client, world, django_assert_max_num_queries
):
    few, queries = page_and_queries(client, LIST)
    advisers = advisers_in(world["nav"], 300)
    units = [nav_unit(name=f"NAV Enhet {n}") for n in range(30)]
    page, _ = page_and_queries(client, LIST)
    assert "Rådgiver 0" not in page and "NAV Enhet" not in page
    assert len(page) < len(few) + 200
    with django_assert_max_num_queries(queries):
        client.get(LIST)
    chosen = advisers[7]
    page, _ = page_and_queries(client, f"{LIST}&adviser={chosen.pk}&nav_unit={units[3].pk}")
    assert f'<option value="{chosen.pk}" selected>Rådgiver 007</option>' in page
    assert f'<option value="{units[3].pk}" selected>NAV Enhet 3</option>' in page
    assert offered(page, "adviser") == [str(chosen.pk)]
    assert offered(page, "nav_unit") == [str(units[3].pk)]
    # One query for each chosen one (the check that it may be chosen), none for its label.
    with django_assert_max_num_queries(queries + 2):
        client.get(f"{LIST}&adviser={chosen.pk}&nav_unit={units[3].pk}")


def test_an_adviser_found_in_the_list_filter_narrows_the_list_to_their_agreements(client, world):
    other = advisers_in(world["nav"], 3)[1]
    agreement_for(other, world["nav"], partner(name="Andre Partner AS"), title="Andres avtale")
    found = options(client, FILTER_ADVISERS, adviser_search="rådgiver 00")
    assert "Choose from 3 matches" in found and "Rådgiver 001" in found
    pk = re.search(r'<option value="(\d+)">Rådgiver 001<', found).group(1)
    response = client.get("/agreements/", {"scope": "all", "adviser": pk})
    assert {a.title for a in response.context["page"].object_list} == {"Andres avtale"}
    assert "Avtale om inkludering" not in response.content.decode()


def test_nav_units_are_found_by_name_at_most_twenty(client, world):
    for n in range(25):
        nav_unit(name=f"NAV Vestland {n}")
    partner(name="Vestland Partner AS")
    found = options(client, FILTER_UNITS, nav_unit_search="vestland")
    assert found.count("<option") == 1 + PICKER_MATCHES
    assert "Vestland Partner AS" not in found
    nothing = options(client, FILTER_UNITS, nav_unit_search="finnes ikke")
    assert "No NAV unit matches" in nothing and "All NAV units" not in nothing


def test_partner_staff_find_advisers_for_the_filter_by_name_not_by_email(client, world):
    # Partner staff see the list and its adviser filter, as before the search.
    client.force_login(member_of(world["own"]))
    assert "Ada Rådgiver" in options(client, FILTER_ADVISERS, adviser_search="ada råd")
    assert "Ada Rådgiver" not in options(client, FILTER_ADVISERS, adviser_search="ada@nav")
    assert "NAV Skalering" in options(client, FILTER_UNITS, nav_unit_search="skalering")


def test_who_may_not_see_the_list_may_not_search_its_filters(client, world):
    outsiders = [
        member_of(OrganisationFactory(kind=Organisation.Kind.EMPLOYER)),
        MembershipFactory(organisation=world["nav"], confirmed=False).user,  # not confirmed
    ]
    for user in outsiders:
        client.force_login(user)
        for url in [FILTER_ADVISERS, FILTER_UNITS]:
            assert client.get(url, {"q": "ada"}, **HTMX).status_code == 403, user
    client.force_login(world["adviser"])
    assert client.get("/agreements/pickers/status/", {"q": "a"}).status_code == 404
    client.logout()
    assert client.get(FILTER_ADVISERS, {"q": "ada"}).status_code == 302  # to the login page


def test_the_chosen_adviser_stays_in_the_paging_sorting_and_export_links(client, world):
    other = advisers_in(world["nav"], 1)[0]
    for n in range(26):
        agreement_for(other, world["nav"], world["own"], title=f"Avtale {n:02d}")
    page = client.get("/agreements/", {"scope": "all", "adviser": other.pk, "sort": "title"})
    page = page.content.decode()
    assert "26 agreements" in page
    following = re.search(r'href="\?([^"]*page=2[^"]*)" rel="next"', page).group(1)
    assert f"adviser={other.pk}" in following.replace("&amp;", "&")
    assert f"/agreements/export/?scope=all&amp;adviser={other.pk}&amp;sort=title" in page
    second = client.get(f"/agreements/?{following.replace('&amp;', '&')}")
    assert {a.title for a in second.context["page"].object_list} == {"Avtale 25"}
    assert f'<option value="{other.pk}" selected>Rådgiver 000</option>' in second.content.decode()
    # "My agreements": the adviser's own agreements with that other adviser responsible, none.
    mine = client.get("/agreements/", {"scope": "mine", "adviser": other.pk})
    assert "No agreements match these filters." in mine.content.decode()
    assert f'<option value="{other.pk}" selected>' in mine.content.decode()
    export = client.get("/agreements/export/", {"adviser": other.pk, "scope": "all"})
    assert export.getvalue().decode("utf-8-sig").count("Avtale ") == 26


def test_without_javascript_the_list_filter_search_comes_back_with_the_matches(client, world):
    advisers_in(world["nav"], 3)
    page = client.get(f"{LIST}&adviser_search=rådgiver+00&find=adviser_search")
    html = page.content.decode()
    assert "Choose from 3 matches" in html and "Rådgiver 002" in html
    assert '<noscript><button type="submit" name="find" value="adviser_search"' in html
    assert 'hx-get="/agreements/pickers/adviser/"' in html
