"""Error pages in the portal's look and the visitor's language, with a way back."""

import pytest
from django.test import Client

from tests.factories import employer_contact

pytestmark = pytest.mark.django_db


def assert_portal_error_page(response, status, language, heading):
    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'data-testid="error-page"' in page
    assert heading in page
    assert 'href="/"' in page  # the way back to the front page
    assert "aksel-button" in page and "css/portal.css" in page


def test_an_unknown_address_gives_the_portals_not_found_page_in_bokmal(client):
    response = client.get("/finnes-ikke/")
    # The page's own words are translated centrally; the header and title already are.
    assert_portal_error_page(response, 404, "nb", "Partnerportalen")
    assert "NAVs partnerportal" in response.content.decode()


def test_the_not_found_page_follows_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    assert_portal_error_page(client.get("/finnes-ikke/"), 404, "en", "Page not found")


def test_the_not_found_page_follows_the_browsers_language(client):
    response = client.get("/finnes-ikke/", HTTP_ACCEPT_LANGUAGE="en")
    assert_portal_error_page(response, 404, "en", "Page not found")


def test_a_refused_page_gives_the_portals_forbidden_page_with_the_menu(client):
    client.force_login(employer_contact())
    response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert_portal_error_page(response, 403, "en", "You do not have access to this page")
    assert "Log out" in response.content.decode()


def test_a_refused_page_in_bokmal_keeps_the_portals_header(client):
    client.force_login(employer_contact())
    response = client.get("/dashboard/")
    assert_portal_error_page(response, 403, "nb", "Partnerportalen")
    assert "Driftsstatus" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_explains_in_the_portals_look():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert_portal_error_page(response, 403, "en", "The form could not be sent")


@pytest.mark.urls("tests.portal.urls")
def test_a_bug_gives_the_portals_error_page_without_details(client):
    client.raise_request_exception = False
    response = client.get("/test/broken/", HTTP_ACCEPT_LANGUAGE="en")
    assert_portal_error_page(response, 500, "en", "Something went wrong on our side")
    assert "a bug in a view" not in response.content.decode()


@pytest.mark.urls("tests.portal.urls")
def test_the_error_page_is_in_bokmal_by_default(client):
    client.raise_request_exception = False
    assert_portal_error_page(client.get("/test/broken/"), 500, "nb", "NAVs partnerportal")


@pytest.mark.urls("tests.portal.urls")
def test_a_bad_request_gives_the_portals_page(client):
    response = client.get("/test/suspicious/", HTTP_ACCEPT_LANGUAGE="en")
    assert_portal_error_page(response, 400, "en", "The request could not be understood")
