"""Holes found in review: each test shows one stays closed."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from partnerships import services
from partnerships.models import Agreement
from portal.exceptions import BusinessRuleError
from portal.news import services as news_services
from tests.factories import UserFactory, employer_contact
from tests.partnerships.factories import adviser_in, agreement_for, nav_unit, partner
from tests.programmes.factories import programme_under, session_in, signup_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    nav = nav_unit()
    owner = partner()
    responsible = adviser_in(nav)
    return {
        "nav": nav,
        "owner": owner,
        "responsible": responsible,
        "other": adviser_in(nav),
        "agreement": agreement_for(responsible, nav, owner, status="active"),
    }


def test_another_adviser_cannot_take_over_an_agreement_to_terminate_it(client, setting):
    agreement, other = setting["agreement"], setting["other"]
    with pytest.raises(BusinessRuleError) as raised:
        services.agreement_update(
            agreement=agreement,
            user=other,
            data={"responsible_adviser": other, "title": agreement.title},
            parties=[services.PartyInput(setting["nav"]), services.PartyInput(setting["owner"])],
        )
    assert raised.value.field == "responsible_adviser"
    # Through the form the field is locked: a posted value is ignored.
    client.force_login(other)
    page = client.get(f"{agreement.get_absolute_url()}edit/").content.decode()
    assert 'name="responsible_adviser"' in page and "disabled" in page
    client.post(f"{agreement.get_absolute_url()}status/terminate/")
    agreement.refresh_from_db()
    assert agreement.responsible_adviser == setting["responsible"]
    assert agreement.status == Agreement.Status.ACTIVE


def test_the_responsible_adviser_can_hand_over(setting):
    agreement = services.agreement_update(
        agreement=setting["agreement"],
        user=setting["responsible"],
        data={"responsible_adviser": setting["other"]},
        parties=[services.PartyInput(setting["nav"]), services.PartyInput(setting["owner"])],
    )
    assert agreement.responsible_adviser == setting["other"]


def test_editors_relate_articles_only_to_signed_agreements(client, setting):
    draft = agreement_for(
        setting["responsible"], setting["nav"], partner(), title="Hemmelig utkast"
    )
    programme_under(draft, title="Hemmelig program")
    editor = UserFactory(is_staff=True)
    news_services.editor_add(user=editor)
    client.force_login(editor)
    page = client.get("/admin/news/article/add/").content.decode()
    assert setting["agreement"].reference in page
    assert "Hemmelig utkast" not in page and "Hemmelig program" not in page


def test_exports_never_hold_a_live_formula(client, setting):
    agreement = setting["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(
        title='=HYPERLINK("https://x.example","Klikk")'
    )
    client.force_login(setting["responsible"])
    sheet = load_workbook(io.BytesIO(client.get("/agreements/export/?format=xlsx").content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == '=HYPERLINK("https://x.example","Klikk")'
    csv_body = client.get("/agreements/export/?format=csv").content.decode("utf-8-sig")
    assert ";\"'=HYPERLINK" in csv_body  # quoted by csv, and starting with the apostrophe


def test_my_signups_lists_the_companys_signups(client, setting):
    contact = employer_contact()
    company = contact.memberships.get().organisation
    programme = programme_under(setting["agreement"], title="JobbStart")
    signup_row(session_in(programme), company, status="confirmed")
    client.force_login(contact)
    page = client.get("/programmes/my-signups/").content.decode()
    assert "JobbStart" in page and "Bekreftet" in page


def test_adding_a_party_row_shows_no_errors_yet(client, setting):
    client.force_login(setting["responsible"])
    response = client.post(
        "/agreements/new/",
        {
            "title": "Halvferdig",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "2",
            "parties-MAX_NUM_FORMS": "1000",
            "goals-TOTAL_FORMS": "1",
            "goals-INITIAL_FORMS": "0",
            "goals-MIN_NUM_FORMS": "0",
            "goals-MAX_NUM_FORMS": "1000",
            "add_party": "1",
        },
    )
    page = response.content.decode()
    assert 'name="parties-2-organisation"' in page and 'value="Halvferdig"' in page
    assert "aksel-error-message" not in page and 'role="alert"' not in page


def test_the_history_speaks_the_readers_language(client, setting):
    agreement = agreement_for(setting["responsible"], setting["nav"], setting["owner"])
    with translation.override("en"):
        services.agreement_transition(
            agreement=agreement, user=setting["responsible"], name="negotiate"
        )
    client.force_login(setting["responsible"])
    client.cookies["django_language"] = "nb"
    assert "(Start forhandling)" in client.get(agreement.get_absolute_url()).content.decode()


def test_a_successor_the_reader_cannot_see_is_not_linked(client, setting):
    agreement = setting["agreement"]
    successor = services.agreement_renew(agreement=agreement, user=setting["responsible"])
    services.agreement_update(
        agreement=successor,
        user=setting["responsible"],
        data={"responsible_adviser": setting["responsible"]},
        parties=[services.PartyInput(setting["nav"]), services.PartyInput(partner())],
    )
    client.force_login(adviser_in(setting["owner"]))
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert successor.reference not in page
    client.force_login(setting["responsible"])
    assert successor.reference in client.get(agreement.get_absolute_url()).content.decode()


def test_employers_have_no_organisation_pages(client, setting):
    contact = employer_contact()
    client.force_login(contact)
    own = contact.memberships.get().organisation
    assert client.get(f"/organisations/{own.pk}/").status_code == 403
