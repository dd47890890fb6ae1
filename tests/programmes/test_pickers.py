"""The programme form's organisers and agreements are picked with a search, never listed all
(issue 13): the form holds the chosen ones as ticked checkboxes, the search asks for at most
20 matches to tick, and it offers only what the user may name or see."""

from datetime import date

import pytest

from partnerships.models import Agreement, AgreementParty
from portal.accounts.models import Organisation
from portal.pickers import PICKER_MATCHES
from programmes.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.measuring import page_and_queries
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.posting import form_values
from tests.programmes.factories import programme_under

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "id_search"}
NEW = "/programmes/new/"
ORGANISERS = "/programmes/new/pickers/organisers/"
AGREEMENTS = "/programmes/new/pickers/agreements/"
MOST_QUERIES = 12  # issue 13: every page at most 12 queries


@pytest.fixture
def world(client):
    """A NAV unit with its adviser (logged in, in English), a partner with its staff, a
    signed agreement between them and a programme under it."""
    nav = nav_unit(name="NAV Skalering")
    adviser = member_of(nav)
    own = partner(name="Første Partner AS")
    staff = member_of(own)
    agreement = agreement_for(adviser, nav, own, status="active", title="Avtale om inkludering")
    programme = programme_under(agreement, title="Jobbmesse Skalering")
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    return {
        "nav": nav,
        "adviser": adviser,
        "own": own,
        "staff": staff,
        "agreement": agreement,
        "programme": programme,
    }


def organisations(n, kind=Organisation.Kind.PARTNER, name="Partner"):
    return Organisation.objects.bulk_create(
        OrganisationFactory.build(kind=kind, name=f"{name} {i:03} AS") for i in range(n)
    )


def signed_agreements(world, n, title="Samarbeid"):
    """n active agreements between the NAV unit and a partner of their own each."""
    partners = organisations(n, name="Avtalepartner")
    agreements = Agreement.objects.bulk_create(
        Agreement(
            reference=f"SA-2025-{i:04d}",
            reference_year=2025,
            reference_number=i,
            title=f"{title} {i:03}",
            purpose="Test",
            status=Agreement.Status.ACTIVE,
            start_date=date(2025, 1, 1),
            responsible_adviser=world["adviser"],
        )
        for i in range(1, n + 1)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, organisation=org)
        for a, p in zip(agreements, partners, strict=True)
        for org in (world["nav"], p)
    )
    return agreements


def options(client, url, **params):
    response = client.get(url, params, **HTMX)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_form_does_not_grow_with_600_organisations_and_300_agreements(
    client, world, django_assert_max_num_queries
):
    urls = [NEW, f"/programmes/{world['programme'].slug}/edit/"]
    few = {url: page_and_queries(client, url) for url in urls}
    organisations(300)
    organisations(300, kind=Organisation.Kind.NAV_UNIT, name="NAV Enhet")
    signed_agreements(world, 300)
    for url in urls:
        page, _ = page_and_queries(client, url)
        print(f"{url}: {len(few[url][0])} bytes with 1 agreement, {len(page)} with 301")
        assert "Partner 000" not in page and "NAV Enhet" not in page and "Samarbeid 0" not in page
        assert len(page) < len(few[url][0]) + 200  # the CSRF token varies a little
        assert few[url][1] <= MOST_QUERIES
        with django_assert_max_num_queries(few[url][1]):
            client.get(url)
    # A new programme starts with the user's own NAV unit ticked; an existing one shows its own.
    assert form_values(client.get(NEW))["organisers"] == [str(world["nav"].pk)]
    edit = client.get(urls[1]).content.decode()
    assert "Første Partner AS" in edit and "Avtale om inkludering" in edit
    assert form_values(edit)["agreements"] == [str(world["agreement"].pk)]


def test_organisers_are_found_by_name_at_most_twenty_as_checkboxes(client, world):
    organisations(30)
    organisations(3, name="Kystlaget")
    found = options(client, ORGANISERS, organisers_search="kystlag")
    assert found.count('type="checkbox"') == 3
    assert "Kystlaget 002 AS" in found and "Choose from 3 matches" in found
    assert 'name="organisers"' in found and 'id="id_organisers_0"' in found
    assert "checked" not in found
    many = options(client, ORGANISERS, organisers_search="partner")
    assert many.count('type="checkbox"') == PICKER_MATCHES == 20


def test_the_ticked_ones_stay_ticked_while_searching(client, world):
    found = options(
        client,
        ORGANISERS,
        organisers_search="nobody like this",
        organisers=[world["own"].pk, world["nav"].pk],
    )
    assert found.count(" checked") == 2
    assert "Første Partner AS" in found and "NAV Skalering" in found
    # What the search found goes to the live region beside it.
    assert 'id="id_search-status"' in found and 'hx-swap-oob="innerHTML"' in found
    assert ">No organisation matches</p>" in found


def test_an_empty_search_leaves_the_list_as_it_is(client, world):
    response = client.get(ORGANISERS, {"organisers_search": " "}, **HTMX)
    assert response.status_code == 204


def test_the_organiser_search_finds_units_and_partners_but_no_employers(client, world):
    partner(name="Nordlysrittet AS")
    nav_unit(name="NAV Nordlys")
    OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Nordlys Bakeri")
    found = options(client, ORGANISERS, organisers_search="nordlys")
    assert "Nordlysrittet AS" in found and "NAV Nordlys" in found
    assert "Nordlys Bakeri" not in found


def test_agreements_are_found_by_title_or_reference_and_only_signed_ones(client, world):
    agreement_for(world["adviser"], world["nav"], world["own"], title="Utkast om inkludering")
    found = options(client, AGREEMENTS, agreements_search="inkludering")
    assert "Avtale om inkludering" in found and "Utkast" not in found
    assert "Choose from 1 match" in found
    by_reference = options(client, AGREEMENTS, agreements_search=world["agreement"].reference)
    assert "Avtale om inkludering" in by_reference
    signed_agreements(world, 30)
    many = options(client, AGREEMENTS, agreements_search="samarbeid")
    assert many.count('type="checkbox"') == PICKER_MATCHES


def test_partner_staff_find_their_own_and_nav_units_but_no_other_partner(client, world):
    partner(name="Fremmed Partner AS")
    OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Fremmed Bakeri")
    client.force_login(world["staff"])
    assert "Første Partner AS" in options(client, ORGANISERS, organisers_search="første")
    assert "NAV Skalering" in options(client, ORGANISERS, organisers_search="skalering")
    found = options(client, ORGANISERS, organisers_search="fremmed")
    assert "Fremmed" not in found and "No organisation matches" in found


def test_partner_staff_find_only_agreements_they_may_see(client, world):
    other = partner(name="Fremmed Partner AS")
    agreement_for(world["adviser"], world["nav"], other, status="active", title="Fremmed avtale")
    client.force_login(world["staff"])
    assert "Fremmed avtale" not in options(client, AGREEMENTS, agreements_search="fremmed")
    assert "Avtale om inkludering" in options(client, AGREEMENTS, agreements_search="avtale")
    # Nor does naming its id in the search reveal its name.
    found = options(
        client, AGREEMENTS, agreements_search="avtale", agreements=Agreement.objects.last().pk
    )
    assert "Fremmed" not in found


@pytest.mark.parametrize("field", ["organisers", "agreements"])
def test_only_those_who_run_programmes_may_search(client, world, field):
    query = {f"{field}_search": "a"}
    outsiders = [
        member_of(OrganisationFactory(kind=Organisation.Kind.EMPLOYER)),
        MembershipFactory(organisation=world["nav"], confirmed=False).user,  # not confirmed
        UserFactory(is_staff=True),  # staff, such as an editor
    ]
    edit = f"/programmes/{world['programme'].slug}/edit/pickers/{field}/"
    for user in outsiders:
        client.force_login(user)
        for url in [f"/programmes/new/pickers/{field}/", edit]:
            assert client.get(url, query, **HTMX).status_code == 404, (user, url)
    # Another partner's staff create programmes, but not this one's.
    client.force_login(member_of(partner()))
    assert client.get(edit, query, **HTMX).status_code == 404
    assert client.get(f"/programmes/new/pickers/{field}/", query, **HTMX).status_code == 200
    client.logout()
    assert client.get(edit, query).status_code == 302  # to the login page


def test_an_unknown_picker_is_not_found(client, world):
    assert client.get("/programmes/new/pickers/title/", {"q": "a"}).status_code == 404
    url = f"/programmes/{world['programme'].slug}/edit/pickers/state/"
    assert client.get(url, {"q": "a"}).status_code == 404


def _new_programme(world, **changes) -> dict:
    return {
        "title": "Sommerjobb Skalering",
        "description": "Sommerjobber for unge.",
        "target_group": "Unge 16–30",
        "county": "",
        "organisers": [world["nav"].pk],
        "agreements": [world["agreement"].pk],
        "start_date": "2026-05-01",
        "state": "open",
        "offer_kinds": ["job"],
        **changes,
    }


def test_organisers_and_agreements_found_by_the_search_are_saved(client, world):
    found_partner = partner(name="Valgt Fra Søk AS")
    second = agreement_for(
        world["adviser"], world["nav"], world["own"], status="active", title="Andre avtale"
    )
    assert "Valgt Fra Søk AS" in options(client, ORGANISERS, organisers_search="valgt fra")
    assert "Andre avtale" in options(client, AGREEMENTS, agreements_search="andre avtale")
    data = _new_programme(
        world,
        organisers=[world["nav"].pk, found_partner.pk],
        agreements=[world["agreement"].pk, second.pk],
        organisers_search="valgt fra",  # what the user typed is only a search
    )
    response = client.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Programme.objects.get(title="Sommerjobb Skalering")
    assert set(created.organisers.all()) == {world["nav"], found_partner}
    assert set(created.agreements.all()) == {world["agreement"], second}


def test_hostile_ids_are_refused_as_before(client, world):
    employer = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Fremmed Bakeri")
    draft = agreement_for(world["adviser"], world["nav"], world["own"], title="Hemmelig utkast")
    for field, foreign in [
        ("organisers", employer.pk),
        ("organisers", 999_999),
        ("organisers", "x"),
        ("agreements", draft.pk),
        ("agreements", 999_999),
    ]:
        response = client.post(NEW, _new_programme(world, **{field: [foreign]}))
        page = response.content.decode()
        assert response.status_code == 400, (field, foreign)
        assert "Select a valid choice" in page or "“x” is not a valid value" in page
        assert "Fremmed Bakeri" not in page and "Hemmelig utkast" not in page
    assert not Programme.objects.filter(title="Sommerjobb Skalering").exists()


def test_partner_staff_still_organise_only_as_their_own_organisation(client, world):
    other = partner(name="Annen Partner AS")
    client.force_login(world["staff"])
    response = client.post(NEW, _new_programme(world, organisers=[world["nav"].pk, other.pk]))
    assert response.status_code == 400
    assert "Partner staff organise programmes for their own organisation" in (
        response.content.decode()
    )
    response = client.post(NEW, _new_programme(world, organisers=[world["own"].pk]))
    assert response.status_code == 302
    created = Programme.objects.get(title="Sommerjobb Skalering")
    assert list(created.organisers.all()) == [world["own"]]


def test_without_javascript_search_sends_the_form_back_with_the_matches(client, world):
    organisations(3, name="Kystlaget")
    data = _new_programme(world, title="", organisers_search="kystlag", find="organisers_search")
    response = client.post(NEW, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose from 3 matches" in page and "Kystlaget 002 AS" in page
    assert "This field is required" not in page and "not saved yet" not in page
    assert 'id="id_organisers_search-status"' in page
    assert '<noscript><button type="submit" name="find" value="organisers_search"' in page
    assert not Programme.objects.filter(description="Sommerjobber for unge.").exists()
    # The ticked organiser stays ticked, the matches wait to be ticked.
    assert form_values(page)["organisers"] == [str(world["nav"].pk)]


def test_searching_on_the_edit_form_keeps_a_co_organisers_agreement_ticked(client, world):
    second = partner(name="Andre Arrangør AS")
    nav = nav_unit()
    theirs = agreement_for(member_of(nav), nav, second, status="active", title="Deres avtale")
    programme = world["programme"]
    programme.organisers.add(second)
    programme.agreements.add(theirs)
    client.force_login(world["staff"])  # sees only their own agreement
    url = f"/programmes/{programme.slug}/edit/pickers/agreements/"
    chosen = [world["agreement"].pk, theirs.pk]
    found = options(client, url, agreements_search="nothing like it", agreements=chosen)
    assert found.count(" checked") == 2 and "Deres avtale" in found
    # The new programme's search knows no such agreement: it is not shown there.
    found = options(client, AGREEMENTS, agreements_search="nothing like it", agreements=chosen)
    assert "Deres avtale" not in found
