import pytest

from portal.accounts.models import Organisation, User
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Eva Angriper",
    "email": "eva@example.net",
    "company_name": "Fjellvind Hotell AS",
    "password1": "et-langt-passord-2026",
    "password2": "et-langt-passord-2026",
}


@pytest.mark.parametrize("number", ["٩٧٤٧٦٠٦٧٣", "９７４７６０６７３"])
def test_signing_up_with_non_ascii_digits_of_a_registered_number_creates_no_second_company(
    client, number
):
    OrganisationFactory(
        name="Fjellvind Hotell AS", kind=Organisation.Kind.EMPLOYER, org_number="974760673"
    )
    response = client.post(
        "/accounts/signup/", SIGNUP | {"org_number": number}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "An organisation number has exactly 9 digits (0–9)" in response.content.decode()
    assert Organisation.objects.filter(name="Fjellvind Hotell AS").count() == 1
    assert not User.objects.exists()
