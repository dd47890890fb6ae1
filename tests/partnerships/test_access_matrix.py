"""Every role against every workspace URL of one agreement owned by a partner."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.demo import DEMO_PDF
from tests.factories import UserFactory, employer_contact
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302

# role: (list, detail, edit, export, document, organisation, organisation edit, search,
#        the agreement form's adviser search, the activity form's search)
MATRIX = {
    "admin": (OK,) * 10,
    "responsible_adviser": (OK,) * 10,
    "other_adviser": (OK,) * 10,
    "partner_of_the_agreement": (OK, OK, FORBIDDEN, OK, OK, OK, FORBIDDEN, OK, NOT_FOUND, OK),
    "other_partner": (
        OK,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ),
    "employer": (
        FORBIDDEN,
        NOT_FOUND,
        NOT_FOUND,
        FORBIDDEN,
        NOT_FOUND,
        FORBIDDEN,
        NOT_FOUND,
        FORBIDDEN,
        NOT_FOUND,
        FORBIDDEN,
    ),
    "anonymous": (LOGIN,) * 10,
}


@pytest.fixture
def setting():
    nav = nav_unit()
    owner = partner(name="Eierpartner AS")
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, owner)
    document = services.document_upload(
        agreement=agreement,
        user=adviser,
        title="Avtale",
        kind="signed_agreement",
        file=SimpleUploadedFile("avtale.pdf", DEMO_PDF),
    )
    users = {
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "responsible_adviser": adviser,
        "other_adviser": member_of(nav_unit()),
        "partner_of_the_agreement": member_of(owner),
        "other_partner": member_of(partner()),
        "employer": employer_contact(),
        "anonymous": None,
    }
    ref = agreement.reference
    urls = [
        "/agreements/?scope=all",
        f"/agreements/{ref}/",
        f"/agreements/{ref}/edit/",
        "/agreements/export/?format=csv",
        document.get_absolute_url(),
        f"/organisations/{owner.pk}/",
        f"/organisations/{owner.pk}/edit/",
        "/search/?q=avtale",
        "/forms/pickers/agreement/responsible_adviser/?q=a",
        f"/agreements/{ref}/activities/pickers/responsible/?q=a",
    ]
    return users, urls


@pytest.mark.parametrize("role", MATRIX)
def test_access_matrix(client, setting, role):
    users, urls = setting
    if users[role]:
        client.force_login(users[role])
    got = []
    for url in urls:
        response = client.get(url)
        got.append(response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, which closes the file
    got = tuple(got)
    assert got == MATRIX[role], dict(zip(urls, got, strict=True))
