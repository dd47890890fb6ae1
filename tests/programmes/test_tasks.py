"""Sign-ups' contact data is erased SIGNUP_CONTACT_RETENTION_DAYS after the programme ends."""

from datetime import date

import pytest
from freezegun import freeze_time

from programmes.models import SignUp
from programmes.tasks import signup_contacts_purge_task
from tests.factories import OrganisationFactory
from tests.programmes.factories import programme_for, session_in, signup_row

pytestmark = pytest.mark.django_db


def contacts(signup):
    signup.refresh_from_db()
    return signup.contact_name, signup.contact_phone, signup.contact_email


@pytest.fixture
def signups():
    with freeze_time("2026-01-10 12:00"):
        ended = programme_for(title="Avsluttet", end_date=date(2026, 3, 31))
        undated = programme_for(title="Uten sluttdato", end_date=None)
        running = programme_for(title="Pågår", end_date=date(2026, 12, 31))
        rows = {
            programme.title: signup_row(
                session_in(programme, days=30), OrganisationFactory(kind="employer")
            )
            for programme in (ended, undated, running)
        }
    return rows


def test_contact_data_is_erased_after_the_retention_and_only_once(settings, signups):
    settings.SIGNUP_CONTACT_RETENTION_DAYS = 180
    kept = ("Kari Nordmann", "+47 400 00 000", "kari@bedrift.example.no")
    # 31 March + 180 days is 27 September: the last day the contact data is kept.
    # The undated programme's last session (9 February) ended more than 180 days before.
    with freeze_time("2026-09-27 12:00"):
        assert signup_contacts_purge_task.delay().get() == 1
    assert contacts(signups["Avsluttet"]) == kept
    with freeze_time("2026-09-28 12:00"):
        assert signup_contacts_purge_task.delay().get() == 1
        assert signup_contacts_purge_task.delay().get() == 0
    assert contacts(signups["Avsluttet"]) == ("", "", "")
    assert contacts(signups["Uten sluttdato"]) == ("", "", "")
    assert contacts(signups["Pågår"]) == kept
    # What the company offered stays for the results; the history forgets the contact too.
    erased = SignUp.objects.get(pk=signups["Avsluttet"].pk)
    assert erased.internship_places == 2 and erased.job_openings == 1
    assert not SignUp.history.filter(id=erased.pk, contact_email="kari@bedrift.example.no").exists()
