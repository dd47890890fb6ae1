"""A person's own data: the JSON download, and deleting the account (anonymised where the
agreements' history needs the row)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement
from portal.accounts.models import AuditAction, AuditEvent, Membership, User
from programmes.models import SignUp
from tests.factories import PASSWORD, employer_contact, totp_code
from tests.news.factories import ArticleFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import programme_for, session_in, sign_up

pytestmark = pytest.mark.django_db

DELETE = "/account/delete/"
MY_DATA = "/account/my-data/"


def download(client):
    response = client.get(MY_DATA)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mine-data.json"'
    return json.loads(response.content)


def test_an_employer_downloads_everything_stored_about_them(client):
    session = session_in(programme_for(title="WorkOP Gardermoen"))
    user = employer_contact()
    company = user.memberships.get().organisation
    sign_up(session, user, company, contact_name="Kari Kontakt", contact_phone="99887766")
    client.force_login(user)
    data = download(client)
    assert data["account"]["email"] == user.email
    assert data["account"]["full_name"] == user.full_name
    assert data["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert [m["organisation"] for m in data["memberships"]] == [company.name]
    [signup] = data["signups"]
    assert signup["programme"] == "WorkOP Gardermoen"
    assert signup["contact_name"] == "Kari Kontakt" and signup["contact_phone"] == "99887766"
    # The force_login is in the audit log, and so is this download (after it was made).
    assert [e["action"] for e in data["audit_events"]] == ["login"]
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.DATA_EXPORT).exists()
    # The sign-up's creation is a history row the employer made.
    assert any(row["change"] == "+" for row in data["history"])


def test_an_adviser_finds_the_articles_and_changes_they_made(client):
    nav = nav_unit()
    adviser = member_of(nav)
    agreement_for(adviser, nav, partner(), title="Samarbeid i nord")
    ArticleFactory(author=adviser, title="Nytt samarbeid")
    client.force_login(adviser)
    data = download(client)
    assert [a["title"] for a in data["articles_written"]] == ["Nytt samarbeid"]
    assert "partnerships.historicalagreement" in {row["model"] for row in data["history"]}
    assert len(data["second_factors"]) == 2  # TOTP and recovery codes, never their secrets
    assert "secret" not in json.dumps(data["second_factors"])


def test_the_download_costs_the_same_queries_however_much_there_is(client):
    user = employer_contact()
    company = user.memberships.get().organisation
    programme = programme_for()
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            download(client)
        return len(captured)

    sign_up(session_in(programme, days=5), user, company)
    few = queries()
    for days in (6, 7, 8):
        sign_up(session_in(programme, days=days), user, company)
    ArticleFactory(author=user)
    assert queries() == few


def test_deleting_needs_the_password_and_keeps_the_account_on_a_wrong_one(client):
    user = employer_contact()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.post(DELETE, {"password": "feil"})
    assert response.status_code == 200
    assert "The password is not right." in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.memberships.exists()


def test_an_employer_deletes_their_account_and_their_sign_ups_lose_the_contact_data(client):
    session = session_in(programme_for())
    user = employer_contact()
    email = user.email
    company = user.memberships.get().organisation
    signup = sign_up(session, user, company, contact_name="Kari Kontakt")
    client.force_login(user)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    user.refresh_from_db()
    assert user.full_name == "Slettet bruker"
    assert user.email != email and user.email.endswith("@slettet.invalid")
    assert not user.is_active and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    signup.refresh_from_db()
    # The sign-up stays (the programme's results count it), without who to contact.
    assert (signup.contact_name, signup.contact_phone, signup.contact_email) == ("", "", "")
    assert not SignUp.history.filter(contact_name="Kari Kontakt").exists()
    # Logged out, and the old address and password open nothing.
    assert client.get("/programmes/my-signups/").status_code == 302
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_adviser_confirms_with_a_code_and_the_agreements_keep_an_anonymous_person(client):
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner(), title="Samarbeid i nord")
    AuditEvent.objects.create(action=AuditAction.LOGIN, actor=adviser, ip_address="10.0.0.1")
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    response = client.post(DELETE, {"password": PASSWORD, "code": "000000"})
    assert "The code is not right." in response.content.decode()
    assert User.objects.get(pk=adviser.pk).is_active
    response = client.post(DELETE, {"password": PASSWORD, "code": totp_code()})
    assert response.status_code == 302
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert str(agreement.responsible_adviser) == "Slettet bruker"
    assert {str(row.history_user) for row in agreement.history.all()} == {"Slettet bruker"}
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_DELETED).exists()
    # The audit log keeps the person's events, but not where they came from.
    assert AuditEvent.objects.filter(actor=adviser, action=AuditAction.LOGIN).exists()
    assert not AuditEvent.objects.filter(actor=adviser, ip_address__isnull=False).exists()


def test_the_page_is_linked_from_the_account_settings_and_its_form_needs_csrf():
    user = employer_contact()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert 'href="/account/delete/"' in client.get("/accounts/email/").content.decode()
    page = client.get(DELETE).content.decode()
    assert "csrfmiddlewaretoken" in page and 'href="/account/my-data/"' in page
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert User.objects.get(pk=user.pk).is_active


def test_the_privacy_page_states_the_configured_retention_periods(client, settings):
    settings.AUDIT_RETENTION_DAYS = 400
    settings.SIGNUP_CONTACT_RETENTION_DAYS = 90
    client.cookies["django_language"] = "en"
    page = client.get("/privacy/").content.decode()
    assert "Each entry is deleted after 400 days." in page
    assert "deleted 90 days after the programme ends" in page
    assert "download everything the portal stores about you" in page
