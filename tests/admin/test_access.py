"""Who gets into the admin site, and partner staff see and change only their own there:
every admin page (changelist, change, delete, history, autocomplete, export)."""

import pytest
from django.contrib.auth.models import Group

from portal.accounts import access, groups
from portal.accounts.models import Membership
from tests.factories import UserFactory, enrol_totp

pytestmark = pytest.mark.django_db

# model URL part -> (own object key, other object key)
PAGES = {
    "partnerships/agreement": ("own_agreement", "other_agreement"),
    "programmes/programme": ("own_programme", "other_programme"),
    "programmes/session": ("own_session", "other_session"),
    "programmes/signup": ("own_signup", "other_signup"),
}


@pytest.fixture
def as_partner(client, world):
    client.force_login(world["partner"])
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("role", ["admin", "adviser", "partner", "editor"])
def test_admins_advisers_partner_staff_and_editors_get_in(client, world, role):
    client.force_login(world[role])
    assert client.get("/admin/").status_code == 200
    assert access.uses_admin_site(world[role])


def test_employers_and_people_without_a_role_are_refused(client, world):
    for user in [world["employer"], UserFactory()]:
        client.force_login(user)
        assert client.get("/admin/", follow=True).status_code == 403
        assert not access.uses_admin_site(user)


def test_an_unconfirmed_partner_member_is_refused(client, world):
    Membership.objects.filter(user=world["partner"]).update(confirmed=False)
    client.force_login(world["partner"])
    assert client.get("/admin/", follow=True).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_partner_staff_see_only_their_own_in_the_changelist(as_partner, world, page):
    own, _other = PAGES[page]
    response = as_partner.get(f"/admin/{page}/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world[own]]


@pytest.mark.parametrize("page", PAGES)
def test_partner_staff_open_their_own_change_page_and_never_anothers(as_partner, world, page):
    own, other = PAGES[page]
    assert as_partner.get(f"/admin/{page}/{world[own].pk}/change/").status_code == 200
    response = as_partner.get(f"/admin/{page}/{world[other].pk}/change/")
    # The admin site answers an id it does not find with a redirect to its index.
    assert response.status_code == 302
    assert str(world[other]) not in as_partner.get(response.url).content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_partner_staff_read_only_their_own_history(as_partner, world, page):
    own, other = PAGES[page]
    assert as_partner.get(f"/admin/{page}/{world[own].pk}/history/").status_code == 200
    assert as_partner.get(f"/admin/{page}/{world[other].pk}/history/").status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_partner_staff_never_reach_anothers_delete_page(as_partner, world, page):
    _own, other = PAGES[page]
    assert as_partner.get(f"/admin/{page}/{world[other].pk}/delete/").status_code in (302, 403)
    assert as_partner.post(f"/admin/{page}/{world[other].pk}/delete/", {"post": "yes"})
    assert type(world[other]).objects.filter(pk=world[other].pk).exists()


def test_partner_staff_delete_their_own_session_without_sign_ups(as_partner, world):
    from tests.programmes.factories import session_in

    spare = session_in(world["own_programme"], title="Ekstra møteplass")
    assert as_partner.get(f"/admin/programmes/session/{spare.pk}/delete/").status_code == 200
    as_partner.post(f"/admin/programmes/session/{spare.pk}/delete/", {"post": "yes"})
    assert not type(spare).objects.filter(pk=spare.pk).exists()


def test_partner_staff_change_their_own_session_but_not_anothers(as_partner, world):
    from django.utils import translation
    from django.utils.formats import get_format

    own, other = world["own_session"], world["other_session"]
    with translation.override("en"):
        day = get_format("DATE_INPUT_FORMATS")[0]
    data = {
        "programme": world["other_programme"].pk,
        "title": "Flyttet",
        "starts_at_0": own.starts_at.strftime(day),
        "starts_at_1": "12:00",
        "ends_at_0": own.ends_at.strftime(day),
        "ends_at_1": "15:00",
        "address": "Storgata 1",
        "capacity": 12,
        "signups-TOTAL_FORMS": 1,
        "signups-INITIAL_FORMS": 1,
    }
    # Another partner's programme is no choice.
    response = as_partner.post(f"/admin/programmes/session/{own.pk}/change/", data)
    assert response.status_code == 200
    assert "programme" in response.context["adminform"].form.errors
    data["programme"] = world["own_programme"].pk
    response = as_partner.post(f"/admin/programmes/session/{own.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    own.refresh_from_db()
    assert (own.title, own.capacity) == ("Flyttet", 12)
    response = as_partner.post(f"/admin/programmes/session/{other.pk}/change/", data)
    other.refresh_from_db()
    assert other.title == "Deres møteplass"


def autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_partner_staff_autocomplete_only_their_own(as_partner, world):
    agreements = autocomplete(as_partner, "partnerships", "activity", "agreement")
    assert agreements == [str(world["own_agreement"])]
    organisations = autocomplete(as_partner, "partnerships", "agreementparty", "organisation")
    assert organisations == ["Eget partnerlag"]
    people = autocomplete(as_partner, "partnerships", "activity", "responsible")
    assert people == [str(world["partner"])]


def test_a_programme_autocompletes_only_signed_agreements(client, world):
    from tests.partnerships.factories import agreement_for

    agreement_for(world["adviser"], world["nav"], world["own"], title="Utkast")
    client.force_login(world["adviser"])
    found = autocomplete(client, "programmes", "programme", "agreements")
    assert not [text for text in found if "Utkast" in text]
    assert len(found) == 2
    # An activity may belong to a draft.
    assert len(autocomplete(client, "partnerships", "activity", "agreement")) == 3


@pytest.mark.parametrize(
    ("page", "own", "other", "text"),
    [
        ("partnerships/agreement", "own_agreement", "other_agreement", lambda a: a.title),
        ("programmes/signup", "own_signup", "other_signup", lambda s: s.session.title),
    ],
)
@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_partner_staff_export_only_their_own(as_partner, world, page, own, other, text, action):
    response = as_partner.post(
        f"/admin/{page}/",
        {"action": action, "_selected_action": [world[own].pk, world[other].pk]},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    # Exports stream (portal/exports.py); reading to the end closes the file.
    body = b"".join(response.streaming_content)
    if action == "export_csv":
        body = body.decode()
        assert text(world[own]) in body
        assert text(world[other]) not in body


def test_nav_staff_confirm_an_employers_contact_person(client, world):
    membership = Membership.objects.get(user=world["employer"])
    membership.confirmed = False
    membership.save()
    client.force_login(world["adviser"])
    client.post(
        "/admin/accounts/membership/",
        {"action": "confirm", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.confirmed


def test_partner_staff_confirm_their_own_sign_ups_with_the_action(as_partner, world):
    response = as_partner.post(
        "/admin/programmes/signup/",
        {
            "action": "confirm",
            "_selected_action": [world["own_signup"].pk, world["other_signup"].pk],
        },
        follow=True,
    )
    assert "1 sign-up confirmed." in response.content.decode()
    world["own_signup"].refresh_from_db()
    world["other_signup"].refresh_from_db()
    assert world["own_signup"].status == "confirmed"
    assert world["other_signup"].status == "pending"


def test_a_new_install_has_the_four_groups_with_exact_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "NAV advisers",
        "Partner staff",
        "Editors",
        "Administrators",
    }
    for name, table in groups.GROUP_PERMISSIONS.items():
        held = {
            f"{app}.{codename}"
            for app, codename in Group.objects.get(name=name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        wanted = {
            f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
            for label, actions in table.items()
            for action in actions
        }
        assert held == wanted, name


def test_roles_have_their_groups_permissions_while_the_membership_is_confirmed(world):
    partner_user = world["partner"]
    assert partner_user.has_perm("programmes.change_session")
    assert not partner_user.has_perm("partnerships.change_agreement")
    assert world["adviser"].has_perm("partnerships.change_agreement")
    assert not world["employer"].has_perm("programmes.view_signup")
    Membership.objects.filter(user=partner_user).update(confirmed=False)
    partner_user = type(partner_user).objects.get(pk=partner_user.pk)
    assert not partner_user.has_perm("programmes.change_session")


def test_staff_in_the_administrators_group_are_admins():
    user = enrol_totp(UserFactory(is_staff=True))
    assert not access.is_admin(user)
    user.groups.add(Group.objects.get(name=groups.ADMINISTRATORS))
    user = type(user).objects.get(pk=user.pk)
    assert access.is_admin(user)
    assert user.has_perm("partnerships.change_agreement")


def test_the_session_changelist_needs_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    from tests.programmes.factories import session_in

    client.force_login(world["partner"])
    with django_assert_max_num_queries(15):
        assert client.get("/admin/programmes/session/").status_code == 200
    for n in range(20):
        session_in(world["own_programme"], title=f"Møteplass {n}")
    with django_assert_max_num_queries(15):
        assert client.get("/admin/programmes/session/").status_code == 200
