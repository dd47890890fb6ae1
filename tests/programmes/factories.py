"""Programmes, sessions and sign-ups for tests, made through the services where it matters."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from programmes import services
from programmes.models import Programme, Session
from tests.factories import MembershipFactory, OrganisationFactory, employer_contact
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

SIGNUP_DATA = {
    "contact_name": "Kari Nordmann",
    "contact_phone": "+47 400 00 000",
    "contact_email": "kari@bedrift.example.no",
    "internship_places": 2,
    "job_openings": 1,
    "mentors": 1,
    "company_visit": True,
    "talk": False,
    "sector": "hospitality",
    "comment": "",
    "consent_to_contact": True,
}


def at(days: int, hour: int = 12):
    """A time days from today, at hour, in Oslo."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def programme_for(*, organiser=None, state="open", title="WorkOP Gardermoen", **data):
    """An open programme under a signed agreement, organised by a partner."""
    nav = nav_unit()
    organiser = organiser or partner(name="Innovasjonsforum Gardermoen")
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, organiser, status="active")
    values = {
        "title": title,
        "description": "Møteplasser der arbeidsgivere treffer unge arbeidssøkere.",
        "target_group": "Unge arbeidssøkere 16–30 år",
        "start_date": timezone.localdate() - timedelta(days=10),
        "end_date": timezone.localdate() + timedelta(days=120),
        "state": state,
        "offer_kinds": ["internship", "job"],
        **data,
    }
    return services.programme_create(
        user=adviser, data=values, organisers=[organiser], agreements=[agreement]
    )


def session_in(programme: Programme, *, days=7, capacity=10, **data) -> Session:
    values = {
        "title": "Møteplass",
        "starts_at": at(days),
        "ends_at": at(days, 15),
        "address": "Storgata 1, 2050 Jessheim",
        "capacity": capacity,
        **data,
    }
    return Session.objects.create(programme=programme, **values)


def company():
    """A new employer's contact person (user) and the company (organisation)."""
    user = employer_contact()
    return user, user.memberships.get().organisation


def sign_up(session, user=None, employer=None, **data):
    if user is None:
        user, employer = company()
    return services.signup_create(
        user=user, employer=employer, sessions=[session], data={**SIGNUP_DATA, **data}
    )[0]


__all__ = ["MembershipFactory", "OrganisationFactory", "date"]


def programme_under(agreement, *, state="open", **data) -> Programme:
    """A programme under an existing agreement, organised by its non-employer parties (made
    directly, so it may also sit under an unsigned agreement where a test needs that)."""
    values = {
        "title": "Jobbsjansen",
        "description": "Møteplasser der arbeidsgivere treffer unge arbeidssøkere.",
        "target_group": "Unge arbeidssøkere 16–30 år",
        "start_date": date(2026, 2, 1),
        "state": state,
        **data,
    }
    values.setdefault("slug", services._unique_slug(values["title"]))
    programme = Programme.objects.create(**values)
    programme.agreements.add(agreement)
    programme.organisers.add(
        *[p.organisation for p in agreement.parties.exclude(organisation__kind="employer")]
    )
    return programme


def signup_row(session, employer, status="pending", **data):
    """A sign-up in any state, made directly (the services decide states in real use)."""
    from programmes.models import SignUp

    return SignUp.objects.create(
        session=session, employer=employer, status=status, **{**SIGNUP_DATA, **data}
    )
