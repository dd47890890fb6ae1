"""The access matrix: every role against organisations and memberships."""

import pytest

from portal.accounts import access
from portal.accounts.models import Membership, Organisation
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    adviser,
    employer_contact,
    partner_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    nav = OrganisationFactory(kind=Organisation.Kind.NAV_UNIT, name="NAV Nordland")
    own = OrganisationFactory(kind=Organisation.Kind.PARTNER, name="Eget partnerlag")
    other = OrganisationFactory(kind=Organisation.Kind.PARTNER, name="Annen partner")
    company = OrganisationFactory(kind=Organisation.Kind.EMPLOYER, name="Bedrift AS")
    return {
        "nav": nav,
        "own": own,
        "other": other,
        "company": company,
        "adviser": MembershipFactory(organisation=nav).user,
        "partner": MembershipFactory(organisation=own).user,
        "other_partner": MembershipFactory(organisation=other).user,
        "employer": MembershipFactory(organisation=company).user,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "nobody": UserFactory(),
    }


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_admin_and_adviser_see_every_organisation(world):
    everyone = names(Organisation.objects.all())
    assert names(access.visible(world["admin"], Organisation.objects.all())) == everyone
    assert names(access.visible(world["adviser"], Organisation.objects.all())) == everyone


def test_partner_staff_see_only_their_own_organisation(world):
    assert names(access.visible(world["partner"], Organisation.objects.all())) == [
        "Eget partnerlag"
    ]
    assert not access.can_view(world["partner"], world["other"])
    assert access.can_view(world["partner"], world["own"])


def test_employer_sees_only_their_company(world):
    assert names(access.visible(world["employer"], Organisation.objects.all())) == ["Bedrift AS"]


def test_user_without_membership_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible(world["nobody"], Organisation.objects.all()).exists()
    assert not access.visible(AnonymousUser(), Organisation.objects.all()).exists()


def test_inactive_user_sees_nothing_even_as_adviser(world):
    user = world["adviser"]
    user.is_active = False
    assert not access.visible(user, Organisation.objects.all()).exists()


def test_only_admins_and_advisers_change_organisations(world):
    assert access.can_change(world["admin"], world["own"])
    assert access.can_change(world["adviser"], world["own"])
    assert not access.can_change(world["partner"], world["own"])
    assert not access.can_change(world["employer"], world["company"])


def test_partner_staff_see_colleagues_but_not_other_partners_members(world):
    colleague = MembershipFactory(organisation=world["own"])
    seen = access.visible(world["partner"], Membership.objects.all())
    assert colleague in seen
    assert not seen.filter(organisation=world["other"]).exists()


def test_a_model_without_a_scope_is_an_error_not_a_leak(world):
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError):
        access.visible(world["partner"], Group.objects.all())


def test_roles_are_read_once_per_request_user(world, django_assert_num_queries):
    user = world["partner"]
    with django_assert_num_queries(1):
        access.roles_of(user)
        access.roles_of(user)
        access.is_nav_adviser(user)


@pytest.mark.parametrize("make_user", [adviser, partner_staff, employer_contact])
def test_each_member_sees_their_own_organisation(make_user):
    user = make_user()
    own = user.memberships.get().organisation
    assert access.can_view(user, own)
