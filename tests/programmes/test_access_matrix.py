"""Every role against every programme URL: a draft programme, an open one, its sessions and a
sign-up, owned by one partner and one employer."""

import pytest

from tests.factories import UserFactory
from tests.partnerships.factories import member_of, nav_unit, partner
from tests.programmes.factories import company, programme_for, session_in, sign_up

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302

# Columns, in the order of the URLs in the fixture below.
COLUMNS = (
    "catalogue",
    "page",
    "draft page",
    "calendar",
    "results",
    "sign-up form",
    "my sign-ups",
    "change sign-up",
    "manage list",
    "manage",
    "edit",
    "new session",
    "session results",
    "export",
    "draft manage",
    "new form's search",
    "edit form's search",
)

MATRIX = {
    "admin": (OK, OK, OK, OK, OK, FORBIDDEN, OK, NOT_FOUND) + (OK,) * 9,
    "adviser": (OK, OK, OK, OK, OK, FORBIDDEN, OK, NOT_FOUND) + (OK,) * 9,
    "organiser": (OK, OK, OK, OK, OK, FORBIDDEN, OK, NOT_FOUND) + (OK,) * 9,
    "other_partner": (OK, OK, NOT_FOUND, OK, OK, FORBIDDEN, OK, NOT_FOUND, OK)
    + (NOT_FOUND,) * 6
    + (OK, NOT_FOUND),
    "signed_up_employer": (OK, OK, NOT_FOUND, OK, OK, OK, OK, OK, FORBIDDEN) + (NOT_FOUND,) * 8,
    "other_employer": (OK, OK, NOT_FOUND, OK, OK, OK, OK, NOT_FOUND, FORBIDDEN) + (NOT_FOUND,) * 8,
    "anonymous": (OK, OK, NOT_FOUND, OK, OK, OK) + (LOGIN,) * 11,
}


@pytest.fixture
def setting():
    organiser = partner(name="Arrangør AS")
    programme = programme_for(organiser=organiser)
    draft = programme_for(organiser=organiser, state="draft", title="Utkast")
    session = session_in(programme)
    held = session_in(programme, days=-2)
    employer_user, employer = company()
    signup = sign_up(session, employer_user, employer)
    users = {
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "adviser": member_of(nav_unit()),
        "organiser": member_of(organiser),
        "other_partner": member_of(partner()),
        "signed_up_employer": employer_user,
        "other_employer": company()[0],
        "anonymous": None,
    }
    base = programme.get_absolute_url()
    urls = [
        "/programmes/",
        base,
        draft.get_absolute_url(),
        f"{base}calendar.ics",
        f"{base}results/",
        f"{base}sign-up/",
        "/programmes/my-signups/",
        f"/programmes/my-signups/{signup.pk}/edit/",
        "/programmes/manage/",
        f"{base}manage/",
        f"{base}edit/",
        f"{base}sessions/new/",
        f"{base}sessions/{held.pk}/results/",
        f"{base}signups/export/?format=csv",
        f"{draft.get_absolute_url()}manage/",
        "/programmes/new/pickers/organisers/?q=arr",
        f"{base}edit/pickers/agreements/?q=samarbeid",
    ]
    assert len(urls) == len(COLUMNS)
    return users, urls


@pytest.mark.parametrize("role", MATRIX)
def test_programme_access_matrix(client, setting, role):
    users, urls = setting
    if users[role]:
        client.force_login(users[role])
    got = tuple(client.get(url).status_code for url in urls)
    assert got == MATRIX[role], dict(zip(COLUMNS, got, strict=True))


def test_nobody_but_the_organisers_decides_on_a_sign_up(client, setting):
    users, _urls = setting
    from programmes.models import SignUp

    signup = SignUp.objects.get()
    url = f"{signup.session.programme.get_absolute_url()}signups/{signup.pk}/decide/"
    for role in ("other_partner", "signed_up_employer", "other_employer"):
        client.force_login(users[role])
        assert client.post(url, {"decision": "confirm"}).status_code == 404, role
    signup.refresh_from_db()
    assert signup.status == "pending"
