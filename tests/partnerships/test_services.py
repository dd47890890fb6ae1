from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.models import Agreement, Goal
from partnerships.services import PartyInput
from portal.exceptions import BusinessRuleError
from tests.factories import UserFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

S = Agreement.Status


@pytest.fixture
def world():
    nav = nav_unit(name="NAV Nordland")
    other_nav = nav_unit(name="NAV Troms og Finnmark")
    organiser = partner(name="Nordlysrittet AS")
    return {
        "nav": nav,
        "organiser": organiser,
        "adviser": member_of(nav),
        "other_adviser": member_of(other_nav),
        "partner_staff": member_of(organiser),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


def test_references_count_up_within_the_year(world):
    first = agreement_for(world["adviser"], world["nav"], world["organiser"])
    second = agreement_for(world["adviser"], world["nav"], world["organiser"])
    year = timezone.localdate().year
    assert first.reference == f"SA-{year}-0001"
    assert second.reference == f"SA-{year}-0002"


def test_an_agreement_needs_a_nav_unit_and_a_partner(world):
    with pytest.raises(BusinessRuleError) as raised:
        agreement_for(world["adviser"], world["nav"], nav_unit())
    assert raised.value.field == "parties"
    assert not Agreement.objects.exists()


def test_nobody_signs_in_the_future(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(BusinessRuleError, match="Ola") as raised:
        services.agreement_create(
            user=world["adviser"],
            data={
                "title": "x",
                "purpose": "y",
                "start_date": date(2026, 1, 1),
                "responsible_adviser": world["adviser"],
            },
            parties=[
                PartyInput(world["nav"], [{"name": "Ola", "title": "", "signed_on": tomorrow}]),
                PartyInput(world["organiser"]),
            ],
        )
    assert raised.value.field == "parties"
    assert not Agreement.objects.exists()


def test_the_end_comes_after_the_start(world):
    with pytest.raises(ValidationError) as raised:
        agreement_for(
            world["adviser"],
            world["nav"],
            world["organiser"],
            start_date=date(2026, 5, 1),
            end_date=date(2026, 4, 1),
        )
    assert "end_date" in raised.value.message_dict


def test_an_agreement_signed_years_ago_can_be_registered(world):
    agreement = services.agreement_create(
        user=world["adviser"],
        data={
            "title": "Nordlysrittet mot utenforskap",
            "purpose": "Bruke rittet til å nå arbeidsgivere.",
            "start_date": date(2020, 11, 19),
            "responsible_adviser": world["adviser"],
        },
        parties=[
            PartyInput(world["nav"], [{"name": "Direktør", "signed_on": date(2020, 11, 18)}]),
            PartyInput(world["organiser"], [{"name": "Leder", "signed_on": date(2020, 11, 18)}]),
        ],
    )
    assert agreement.parties.count() == 2
    assert agreement.start_date.year == 2020


def test_partner_staff_cannot_register_agreements(world):
    with pytest.raises(BusinessRuleError):
        agreement_for(world["partner_staff"], world["nav"], world["organiser"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["negotiate"], S.NEGOTIATION),
        (["negotiate", "activate"], S.ACTIVE),
        (["negotiate", "activate", "end"], S.ENDED),
        (["negotiate", "activate", "terminate"], S.TERMINATED),
    ],
)
def test_every_transition_moves_the_status_and_records_who(world, path, expected):
    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"])
    for name in path:
        agreement = services.agreement_transition(
            agreement=agreement, user=world["adviser"], name=name
        )
    assert agreement.status == expected
    last = agreement.history.latest()
    assert last.history_user == world["adviser"]
    assert last.status == expected
    assert last.history_change_reason


@pytest.mark.parametrize(
    ("start", "name"),
    [
        (S.DRAFT, "activate"),  # must be negotiated first
        (S.DRAFT, "end"),
        (S.NEGOTIATION, "terminate"),
        (S.ACTIVE, "negotiate"),
        (S.ENDED, "activate"),
    ],
)
def test_transitions_out_of_order_are_refused(world, start, name):
    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"], status=start)
    with pytest.raises(BusinessRuleError):
        services.agreement_transition(agreement=agreement, user=world["adviser"], name=name)
    agreement.refresh_from_db()
    assert agreement.status == start


@pytest.mark.parametrize(
    ("who", "name", "allowed"),
    [
        ("adviser", "negotiate", True),
        ("other_adviser", "negotiate", True),  # advisers help each other
        ("partner_staff", "negotiate", False),
        ("admin", "negotiate", True),
        ("adviser", "terminate", True),
        ("other_adviser", "terminate", False),  # only the responsible adviser ends it early
        ("partner_staff", "terminate", False),
        ("admin", "terminate", True),
        ("partner_staff", "end", False),
    ],
)
def test_each_transition_has_its_own_permission(world, who, name, allowed):
    start = S.DRAFT if name == "negotiate" else S.ACTIVE
    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"], status=start)
    user = world[who]
    assert services.transition_allowed(user, agreement, services.TRANSITIONS[name]) is allowed
    if allowed:
        services.agreement_transition(agreement=agreement, user=user, name=name)
    else:
        with pytest.raises(BusinessRuleError):
            services.agreement_transition(agreement=agreement, user=user, name=name)


def test_renewing_creates_a_linked_draft_successor(world):
    agreement = agreement_for(
        world["adviser"],
        world["nav"],
        world["organiser"],
        status="active",
        end_date=date(2027, 1, 1),
        focus_areas=["inclusion"],
    )
    Goal.objects.create(agreement=agreement, text="Jobber", target=5, measure="jobs_gained")
    successor = services.agreement_renew(agreement=agreement, user=world["adviser"])
    assert successor.status == S.DRAFT
    assert successor.replaces == agreement
    assert successor.start_date == date(2027, 1, 1)
    assert successor.focus_areas == ["inclusion"]
    assert {p.organisation for p in successor.parties.all()} == {world["nav"], world["organiser"]}
    assert list(successor.goals.values_list("text", "target")) == [("Jobber", 5)]
    with pytest.raises(BusinessRuleError):
        services.agreement_renew(agreement=agreement, user=world["adviser"])  # only once


def test_changes_to_parties_goals_and_activities_are_kept_in_history(world):
    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"])
    other = partner(name="Næringsforum")
    services.agreement_update(
        agreement=agreement,
        user=world["other_adviser"],
        data={"title": "Nytt navn", "responsible_adviser": world["adviser"]},
        parties=[PartyInput(world["nav"]), PartyInput(other)],
        goals=[{"text": "Ti jobber", "target": 10, "measure": "manual", "reached_manual": 2}],
    )
    services.activity_create(
        agreement=agreement,
        user=world["adviser"],
        data={
            "kind": "meeting",
            "title": "Møte",
            "due_date": date(2026, 6, 1),
            "responsible": world["adviser"],
        },
    )
    from django.utils import translation

    from partnerships.selectors import agreement_timeline

    with translation.override("en"):
        timeline = agreement_timeline(agreement).entries
    described = {(e.what, e.action, e.label, getattr(e.who, "pk", None)) for e in timeline}
    assert ("party", "-", "Nordlysrittet AS", world["other_adviser"].pk) in described
    assert ("party", "+", "Næringsforum", world["other_adviser"].pk) in described
    assert ("goal", "+", "Ti jobber", world["other_adviser"].pk) in described
    assert ("follow-up activity", "+", "Møte", world["adviser"].pk) in described
    title_change = next(e for e in timeline if e.what == "cooperation agreement" and e.changes)
    assert ("title", "Samarbeid om inkludering", "Nytt navn") in title_change.changes


def test_partner_staff_add_activities_but_not_to_others_agreements(world):
    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"])
    foreign = agreement_for(world["adviser"], world["nav"], partner())
    data = {
        "kind": "phone_call",
        "title": "Ring",
        "due_date": date(2026, 3, 1),
        "responsible": world["partner_staff"],
    }
    assert services.activity_create(agreement=agreement, user=world["partner_staff"], data=data)
    with pytest.raises(BusinessRuleError):
        services.activity_create(agreement=foreign, user=world["partner_staff"], data=data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_from_forms_of_the_same_version_at_once_save_once(world):
    """Two real transactions: the row lock makes the second wait, then find its version gone."""
    import threading

    from django.db import connection

    from portal.exceptions import StaleEditError

    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"])
    both_ready = threading.Barrier(2, timeout=30)
    outcomes = []

    def save(title):
        try:
            opened = Agreement.objects.get(pk=agreement.pk)
            both_ready.wait()
            services.agreement_update(
                agreement=opened,
                user=world["adviser"],
                data={"title": title, "responsible_adviser": world["adviser"]},
                parties=[PartyInput(world["nav"]), PartyInput(world["organiser"])],
                version=1,
            )
            outcomes.append(("saved", title))
        except StaleEditError:
            outcomes.append(("stale", title))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(title,)) for title in ["Først", "Sist"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome for outcome, _title in outcomes) == ["saved", "stale"]
    saved = next(title for outcome, title in outcomes if outcome == "saved")
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == (saved, 2)


def test_a_save_from_a_form_opened_at_an_older_version_changes_nothing(world):
    from portal.exceptions import StaleEditError

    agreement = agreement_for(world["adviser"], world["nav"], world["organiser"])
    data = {"title": "Første endring", "responsible_adviser": world["adviser"]}
    parties = [PartyInput(world["nav"]), PartyInput(world["organiser"])]
    services.agreement_update(
        agreement=agreement, user=world["admin"], data=data, parties=parties, version=1
    )
    with pytest.raises(StaleEditError) as raised:
        services.agreement_update(
            agreement=Agreement.objects.get(pk=agreement.pk),
            user=world["adviser"],
            data={**data, "title": "Andre endring"},
            parties=[PartyInput(world["nav"])],
            version=1,
        )
    assert raised.value.version == 2 and raised.value.saved_by == [str(world["admin"])]
    agreement.refresh_from_db()
    assert agreement.title == "Første endring" and agreement.parties.count() == 2


def test_another_adviser_cannot_take_over_an_agreement_to_terminate_it(client, setting):
    agreement, other = setting["agreement"], setting["other"]
    with pytest.raises(BusinessRuleError) as raised:
        services.agreement_update(
            agreement=agreement,
            user=other,
            data={"responsible_adviser": other, "title": agreement.title},
            parties=[services.PartyInput(setting["nav"]), services.PartyInput(setting["owner"])],
        )
    assert raised.value.field == "responsible_adviser"
    # Through the form the field is locked: a posted value is ignored.
    client.force_login(other)
    page = client.get(f"{agreement.get_absolute_url()}edit/").content.decode()
    assert 'name="responsible_adviser"' in page and "disabled" in page
    client.post(f"{agreement.get_absolute_url()}status/terminate/")
    agreement.refresh_from_db()
    assert agreement.responsible_adviser == setting["responsible"]
    assert agreement.status == Agreement.Status.ACTIVE


def test_the_responsible_adviser_can_hand_over(setting):
    agreement = services.agreement_update(
        agreement=setting["agreement"],
        user=setting["responsible"],
        data={"responsible_adviser": setting["other"]},
        parties=[services.PartyInput(setting["nav"]), services.PartyInput(setting["owner"])],
    )
    assert agreement.responsible_adviser == setting["other"]
