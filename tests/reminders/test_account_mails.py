"""allauth's account e-mails name the portal and its address, in text and in HTML."""

import re

import pytest
from django.core import mail

from tests.accounts.test_login_and_signup import SIGNUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL_URL = "https://partnerportal.nav.example"


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_NAME = "NAV partnerportal"
    settings.PORTAL_URL = PORTAL_URL


def assert_names_the_portal(message):
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    for part in (message.body, html):
        assert "NAV partnerportal" in part
        assert PORTAL_URL in part
        for wrong in ("127.0.0.1:8000", "example.com", "testserver"):
            assert wrong not in part
    # The HTML carries the portal's look.
    assert "max-width:600px" in html and "#0067c5" in html
    return html


def test_the_confirmation_mail_names_the_portal_and_links_to_it(
    client, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/signup/", SIGNUP).status_code == 302
    [message] = mail.outbox
    html = assert_names_the_portal(message)
    link = re.search(rf"{re.escape(PORTAL_URL)}/accounts/confirm-email/[^\s\"<]+/", message.body)
    assert link and link.group(0) in html


def test_the_password_reset_mail_names_the_portal_and_links_to_it(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    [message] = mail.outbox
    html = assert_names_the_portal(message)
    assert f"{PORTAL_URL}/accounts/password/reset/key/" in message.body
    assert f'href="{PORTAL_URL}/accounts/password/reset/key/' in html
