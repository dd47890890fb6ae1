import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import Membership, Organisation, Role, User
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, member, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def log_in_with_code(client, email):
    """Password, then the code from the authenticator app, as staff-type users log in."""
    response = log_in(client, email)
    assert response.url == "/accounts/2fa/authenticate/"
    return client.post(response.url, {"code": totp_code()})


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        (Organisation.Kind.NAV_UNIT, "/dashboard/"),
        (Organisation.Kind.PARTNER, "/dashboard/"),
        (Organisation.Kind.EMPLOYER, "/programmes/my-signups/"),
    ],
)
def test_each_role_lands_on_its_own_start_page(client, kind, start):
    user = member(kind)
    if kind == Organisation.Kind.EMPLOYER:
        response = log_in(client, user.email)
    else:
        response = log_in_with_code(client, user.email)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == start
    assert response.status_code == 200


def test_admin_lands_on_the_dashboard_with_the_admin_site_in_the_menu(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    response = client.get(log_in_with_code(client, admin.email).url, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert reverse("admin:index") in response.content.decode()


def test_header_shows_who_is_logged_in_and_where(client):
    user = member(Organisation.Kind.NAV_UNIT, name="NAV Nordland")
    client.force_login(user)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(user) in page
    assert "NAV Nordland · NAV adviser" in page


def test_unknown_user_gets_a_clear_error_and_keeps_what_they_typed(client):
    response = client.post(
        LOGIN, {"login": "ukjent@example.no", "password": "feil"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The email address and/or password you specified are not correct." in page
    assert 'value="ukjent@example.no"' in page


def test_employers_cannot_open_the_dashboard(client):
    client.force_login(member(Organisation.Kind.EMPLOYER))
    assert client.get("/dashboard/").status_code == 403


def test_pages_behind_login_send_anonymous_visitors_to_log_in(client):
    for url in ["/dashboard/", "/programmes/my-signups/", "/start/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def test_after_five_failed_logins_even_the_right_password_waits(client):
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.email, "feil-passord")
    response = client.post(
        LOGIN, {"login": user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200  # the form again, not a login
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


SIGNUP = {
    "full_name": "Siri Sjef",
    "email": "siri@fjordbakeri.no",
    "company_name": "Fjordbakeriet AS",
    "org_number": "974 760 673",
    "password1": "et-langt-passord-2026",
    "password2": "et-langt-passord-2026",
}


def test_employer_registers_verifies_the_address_and_lands_on_my_signups(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="siri@fjordbakeri.no")
    membership = Membership.objects.get(user=user)
    assert membership.organisation.name == "Fjordbakeriet AS"
    assert membership.organisation.org_number == "974760673"
    assert membership.role == Role.EMPLOYER_CONTACT

    # Login is refused until the address is verified (mandatory verification).
    with django_capture_on_commit_callbacks(execute=True):
        response = log_in(client, user.email, SIGNUP["password1"])
    assert response.url == "/accounts/confirm-email/"
    assert len(mail.outbox) >= 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body)
    response = client.post(link.group(1))
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == "/programmes/my-signups/"
    assert "Fjordbakeriet AS" in response.content.decode()


def test_signup_with_a_wrong_org_number_shows_the_error_and_keeps_the_input(client):
    response = client.post(
        "/accounts/signup/", SIGNUP | {"org_number": "974760674"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "974760674 is not a valid organisation number" in page
    assert 'value="Fjordbakeriet AS"' in page
    assert 'value="siri@fjordbakeri.no"' in page
    assert not User.objects.exists()


def test_registering_for_a_known_company_links_it_unconfirmed_and_tells_its_contacts(
    client, django_capture_on_commit_callbacks
):
    """The company is linked, never duplicated; but anyone could type its number, so the
    newcomer gets no role in it (and so none of its data) until confirmed."""
    from django.core import mail

    from portal.accounts import access
    from tests.factories import MembershipFactory

    company = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, org_number="974760673")
    contact = MembershipFactory(organisation=company).user
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)
    user = User.objects.get(email="siri@fjordbakeri.no")
    assert Organisation.objects.filter(org_number="974760673").count() == 1
    membership = user.memberships.get()
    assert membership.organisation == company and not membership.confirmed
    assert access.employer_ids(user) == [] and access.employer_ids_own(user) == [company.pk]
    [notice] = [m for m in mail.outbox if m.to == [contact.email]]
    assert "siri@fjordbakeri.no" in notice.body


def test_a_partners_number_links_no_employer(client):
    OrganisationFactory(kind=Organisation.Kind.PARTNER, org_number="974760673")
    client.post("/accounts/signup/", SIGNUP)
    assert not User.objects.get(email="siri@fjordbakeri.no").memberships.exists()


def test_password_reset_sends_a_link(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_mfa_pages_use_the_portal_layout(client):
    client.force_login(UserFactory())
    page = client.get("/accounts/2fa/totp/activate/", follow=True).content.decode()
    assert 'class="portal-header"' in page
    assert "aksel-text-field__input" in page
    assert "aksel-button" in page
