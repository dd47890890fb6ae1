"""An organisation's website: http and https only, with no invisible characters."""

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.models import Organisation
from tests.partnerships.factories import member_of, nav_unit
from tests.partnerships.test_organisations import form_data

pytestmark = pytest.mark.django_db


def organisation(website):
    return Organisation(name="Rittet AS", kind="partner", org_number="974760673", website=website)


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "java\u200bscript:alert(1)",
        "\x01javascript:alert(1)",
        "\u200bjavascript:alert(1)",
        "ftp://files.example.no/",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_website_other_than_http_or_https_is_refused(website):
    with pytest.raises(ValidationError) as raised:
        organisation(website).full_clean()
    assert "website" in raised.value.error_dict


def test_invisible_characters_are_dropped_from_a_website():
    candidate = organisation("https://ritt\u200bet.exa\u2060mple.no/\ufeff")
    candidate.full_clean()
    assert candidate.website == "https://rittet.example.no/"


@pytest.mark.parametrize(
    "website", ["java\u200bscript:alert(1)", "\x01javascript:alert(1)", "ftp://example.no"]
)
def test_the_organisation_form_refuses_a_hostile_website(client, website):
    client.force_login(member_of(nav_unit()))
    response = client.post("/organisations/new/", form_data(website=website))
    assert response.status_code in (200, 400)
    assert 'id="id_website-error"' in response.content.decode()
    assert not Organisation.objects.filter(org_number="974760673").exists()


def test_the_organisation_form_stores_a_website_without_invisible_characters(client):
    client.force_login(member_of(nav_unit()))
    client.post("/organisations/new/", form_data(website="https://exam\u200bple.no"))
    assert Organisation.objects.get(org_number="974760673").website == "https://example.no"
