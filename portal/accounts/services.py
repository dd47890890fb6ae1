import logging

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from portal.reminders.services import email_enqueue

from .models import ROLE_FOR_KIND, Membership, Organisation

logger = logging.getLogger(__name__)


@transaction.atomic
def employer_register(*, user, company_name: str, org_number: str) -> Membership | None:
    """Tie a newly registered user to their company, never a second copy of it.

    Anyone could type a company's number, so nobody acts for a company until NAV (or an
    admin) confirms them: until then they sign up and see the sign-ups they make themselves,
    and not its colleagues'. A company new to the portal is created with the user as its
    first, unconfirmed member; for a company it knows, its confirmed contacts are told by
    e-mail. A number that belongs to no employer links nothing (None).
    """
    organisation, created = Organisation.objects.get_or_create(
        org_number=org_number,
        defaults={"name": company_name, "kind": Organisation.Kind.EMPLOYER},
    )
    if not created and organisation.kind != Organisation.Kind.EMPLOYER:
        return None
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=ROLE_FOR_KIND[organisation.kind],
        confirmed=False,
    )
    if not created:
        _colleague_joined_notify(membership)
    return membership


def _colleague_joined_notify(membership: Membership) -> None:
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    contacts = Membership.objects.filter(
        organisation=membership.organisation, confirmed=True
    ).select_related("user")
    for contact in contacts:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "newcomer": membership.user,
                "company": membership.organisation,
                "portal_name": settings.PORTAL_NAME,
                "portal_url": settings.PORTAL_URL,
            }
            message = EmailMultiAlternatives(
                " ".join(
                    render_to_string("account/email/colleague_joined_subject.txt", context).split()
                ),
                render_to_string("account/email/colleague_joined.txt", context),
                to=[contact.user.email],
            )
        email_enqueue(message=message, recipient=contact.user)


@transaction.atomic
def totp_enrol(*, user, secret: str) -> None:
    """Give user a TOTP authenticator with this secret, and recovery codes, as allauth's
    set-up page does. For the demo accounts and tests, whose secret is known; idempotent."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    RecoveryCodes.activate(user)  # returns the existing codes when there are some


def totp_get(*, user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def totp_code_valid(*, user, code: str) -> bool:
    """Is code the current one of user's authenticator app (and not used before)?"""
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = totp_get(user=user)
    return authenticator is not None and TOTP(authenticator).validate_code(code.strip())


def memberships_confirm(*, user, memberships) -> int:
    """NAV (or an admin) confirms contact persons: from now on they act for their company.
    Returns how many were confirmed; those user may not change are left as they are."""
    from . import access

    return access.changeable(user, memberships).filter(confirmed=False).update(confirmed=True)


def user_language_set(user, language: str) -> None:
    """Keep the language user chose for the e-mails the portal sends them."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
