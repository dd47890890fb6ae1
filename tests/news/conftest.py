"""Fixtures shared by the news tests: a signed agreement with signatories, and a programme
under it with results."""

from datetime import date

import pytest

from partnerships.services import PartyInput, agreement_update
from programmes.models import SessionResult
from tests.factories import OrganisationFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import programme_under, session_in, signup_row


@pytest.fixture
def agreement():
    nav = nav_unit(name="NAV Nordland")
    race = partner(name="Nordlysrittet AS")
    adviser = member_of(nav)
    agreement = agreement_for(
        adviser,
        nav,
        race,
        status="active",
        title="Rittet som plattform",
        purpose="Flere arbeidsgivere skal ansette folk som står utenfor.",
        focus_areas=["inclusion"],
    )
    agreement_update(
        agreement=agreement,
        user=adviser,
        data={"responsible_adviser": adviser},
        parties=[
            PartyInput(
                nav,
                [{"name": "Solveig Strand", "title": "Direktør", "signed_on": date(2026, 1, 5)}],
            ),
            PartyInput(
                race,
                [{"name": "Kari Dybvik", "title": "Daglig leder", "signed_on": date(2026, 1, 5)}],
            ),
        ],
    )
    return agreement


@pytest.fixture
def programme(agreement):
    programme = programme_under(
        agreement, title="Jobbsjansen", description="Møteplasser under rittet."
    )
    held = session_in(programme, days=-3, title="Stand")
    session_in(programme, days=5, title="Neste")
    signup_row(held, OrganisationFactory(kind="employer"), status="confirmed")
    SessionResult.objects.create(session=held, permanent_jobs=3, temporary_jobs=1)
    return programme
