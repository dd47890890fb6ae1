import itertools
import time

import factory
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from portal.accounts import services
from portal.accounts.models import ROLE_FOR_KIND, Membership, Organisation, Role, User
from portal.accounts.validators import org_number_check_digit

PASSWORD = "test-passord-123"
# Every staff-type user in the tests has two-factor login with this secret, as the portal
# demands (RequireMFAMiddleware); the demo accounts use the same one.
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def enrol_totp(user, secret=TOTP_SECRET) -> User:
    services.totp_enrol(user=user, secret=secret)
    return user


def totp_code(secret=TOTP_SECRET) -> str:
    """The code an authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _valid_org_numbers():
    for n in itertools.count(80000000):
        check = org_number_check_digit(str(n))
        if check is not None:
            yield f"{n}{check}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Give the user a verified primary e-mail address, as allauth expects for login."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(user, create, extracted, **kwargs):
        """Staff and admins get TOTP, as they must; mfa=False leaves it out."""
        if create and extracted is not False and (user.is_staff or user.is_superuser):
            user.save()
            enrol_totp(user)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n} AS")
    kind = Organisation.Kind.PARTNER
    org_number = factory.Iterator(_valid_org_numbers())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyAttribute(lambda m: ROLE_FOR_KIND[m.organisation.kind])

    @factory.post_generation
    def mfa(membership, create, extracted, **kwargs):
        """NAV advisers and partner staff get TOTP, as they must; mfa=False leaves it out."""
        if create and extracted is not False and membership.role != Role.EMPLOYER_CONTACT:
            enrol_totp(membership.user)


def member(kind: str, *, mfa=True, **org_kwargs) -> User:
    """A user who belongs to a new organisation of the given kind, with its role."""
    organisation = OrganisationFactory(kind=kind, **org_kwargs)
    return MembershipFactory(organisation=organisation, mfa=mfa).user


def adviser(**kwargs) -> User:
    return member(Organisation.Kind.NAV_UNIT, **kwargs)


def partner_staff(**kwargs) -> User:
    return member(Organisation.Kind.PARTNER, **kwargs)


def employer_contact(**kwargs) -> User:
    return member(Organisation.Kind.EMPLOYER, **kwargs)


__all__ = ["PASSWORD", "Role"]
