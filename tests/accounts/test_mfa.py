"""Every account but an employer's logs in with a second factor, and through one login."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import URLPattern, URLResolver, get_resolver, resolve, set_script_prefix

from portal.accounts.models import Organisation
from tests.factories import (
    PASSWORD,
    UserFactory,
    adviser,
    employer_contact,
    member,
    partner_staff,
    totp_code,
)

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
# What a user who must set up MFA may still open.
OPEN = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/i18n/",
    "/health/",
    "/static/",
    "/media/",
    # Answered before anything else (portal/probes.py): on the internal port only, else 404.
    "/metrics",
)

SAMPLES = {
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
    "reference": "SA-2026-0001",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _example(route: str) -> str:
    """A path that the route matches, parameters filled with samples."""
    # Regex routes (allauth's keys, the admin site's app index): the first choice of a
    # group like (?P<app_label>auth|news), or "x".
    route = re.sub(
        r"\((?:\?P<\w+>)?([^()]*)\)",
        lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|]+", m.group(1)) else "x",
        route,
    )
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)
    return route.lstrip("^").rstrip("$")


def every_url(patterns=None, prefix="") -> list[str]:
    urls = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _example(str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            urls += every_url(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            urls.append("/" + route)
    return sorted(set(urls))


STAFF = {
    "admin": lambda: UserFactory(is_staff=True, is_superuser=True, mfa=False),
    "editor": lambda: UserFactory(is_staff=True, mfa=False),
    "nav_adviser": lambda: member(Organisation.Kind.NAV_UNIT, mfa=False),
    "partner_staff": lambda: member(Organisation.Kind.PARTNER, mfa=False),
}


def test_the_url_list_covers_the_workspace_the_admin_site_and_the_preview():
    urls = every_url()
    for url in ["/dashboard/", "/agreements/SA-2026-0001/edit/", "/admin/news/article/add/"]:
        assert url in urls
    assert "/news/x/preview/" in urls
    assert "/admin/accounts/" in urls
    assert len(urls) > 100
    for url in urls:
        resolve(url)  # each example is a path the portal answers


@pytest.mark.parametrize("kind", STAFF)
def test_staff_without_two_factor_reach_only_its_set_up_on_every_url(client, kind):
    client.force_login(STAFF[kind]())
    for url in every_url():
        if url.startswith(OPEN):
            continue
        for method in (client.get, client.post):
            response = method(url)
            assert (response.status_code, response.get("Location")) == (302, ACTIVATE), url


def test_employers_are_not_asked_to_set_up_two_factor(client):
    client.force_login(employer_contact())
    for url in ["/programmes/my-signups/", "/news/", "/accounts/email/", "/"]:
        assert client.get(url).status_code == 200, url


def test_a_new_adviser_sets_up_totp_gets_recovery_codes_and_then_works(client):
    user = member(Organisation.Kind.NAV_UNIT, mfa=False)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get(response.url, follow=True)
    # allauth asks for the password once more before anyone changes their second factor.
    reauthenticate = "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    assert response.redirect_chain[-1][0] == reauthenticate
    response = client.post(reauthenticate, {"password": PASSWORD})
    assert response.url == ACTIVATE

    client.get(ACTIVATE)
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.url == "/accounts/2fa/recovery-codes/"
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("make_user", [adviser, partner_staff])
def test_a_password_alone_does_not_log_staff_in(client, make_user):
    user = make_user()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.url == AUTHENTICATE
    assert "_auth_user_id" not in client.session
    assert client.post(AUTHENTICATE, {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302

    response = client.post(AUTHENTICATE, {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/dashboard/").status_code == 200


# --- the admin site ------------------------------------------------------------------------


def test_the_admin_login_page_sends_to_the_portals_login_with_next(client):
    response = client.get("/admin/login/?next=/admin/news/article/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/news/article/"
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_the_admin_login_form_takes_no_password(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(30):
        client.post("/admin/login/", {"username": admin.email, "password": "feil"})
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_an_admin_reaches_the_admin_site_through_the_portals_login_and_a_code(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response.url == AUTHENTICATE
    response = client.post(AUTHENTICATE, {"code": totp_code()})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_refuses_who_is_logged_in_without_access(client):
    client.force_login(employer_contact())
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_session_asks_for_the_authenticator_once_and_forgets_it_when_it_is_removed(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = adviser()
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/").status_code == 200
    assert not [q for q in queries if "mfa_authenticator" in q["sql"]]
    # Deactivated through allauth's own pages (which ask for the password first)...
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    # ...the session no longer counts the user as enrolled.
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response.url == ACTIVATE


def test_a_request_under_a_script_prefix_leaves_the_set_up_open_for_the_next(client):
    # gunicorn takes SCRIPT_NAME from a header: the first request a worker serves may carry
    # any prefix, and the open addresses it looks up then serve every later request.
    # allauth asks for the password again before the set-up: that is the set-up reached.
    client.force_login(member(Organisation.Kind.NAV_UNIT, mfa=False))
    # What gunicorn's handler does with the header (the test client sets no prefix).
    set_script_prefix("/x/")
    try:
        client.get(ACTIVATE, SCRIPT_NAME="/x")
    finally:
        set_script_prefix("/")
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    assert client.get("/dashboard/")["Location"] == ACTIVATE
