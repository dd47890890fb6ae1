"""Agreements for tests, built through the service so they are as real as the portal makes them."""

from datetime import date

from partnerships import services
from partnerships.services import PartyInput
from portal.accounts.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory


def nav_unit(**kwargs):
    return OrganisationFactory(kind=Organisation.Kind.NAV_UNIT, **kwargs)


def partner(**kwargs):
    return OrganisationFactory(kind=Organisation.Kind.PARTNER, **kwargs)


def member_of(organisation):
    """A user in organisation with the role its kind gives: an adviser in a NAV unit,
    partner staff in a partner, a contact person in an employer."""
    return MembershipFactory(organisation=organisation).user


def agreement_for(adviser, *organisations, status=None, **data):
    """An agreement between the given organisations, registered by adviser."""
    values = {
        "title": "Samarbeid om inkludering",
        "purpose": "Flere arbeidsgivere skal rekruttere via NAV.",
        "start_date": date(2026, 1, 1),
        "responsible_adviser": adviser,
        **data,
    }
    agreement = services.agreement_create(
        user=adviser,
        data=values,
        parties=[PartyInput(organisation=org) for org in organisations],
    )
    path = {
        None: [],
        "draft": [],
        "negotiation": ["negotiate"],
        "active": ["negotiate", "activate"],
        "ended": ["negotiate", "activate", "end"],
    }[status]
    for name in path:
        agreement = services.agreement_transition(agreement=agreement, user=adviser, name=name)
    return agreement
