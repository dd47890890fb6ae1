"""fill_large_world makes the large world (docs/BENCHMARKS.md), here at a tiny scale."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from partnerships.models import Activity, Agreement, AgreementParty, Goal
from portal.accounts.models import Organisation, User
from portal.news.models import Article
from portal.reminders.models import Reminder
from programmes.management.commands.fill_large_world import ADVISER_EMAIL
from programmes.models import Programme, Session, SignUp

pytestmark = pytest.mark.django_db


def test_a_tiny_world_has_everything_in_proportion_and_its_pages_open(capsys):
    call_command("fill_large_world", scale=0.002)
    out = capsys.readouterr().out
    assert "agreements" in out and "Filled in" in out  # the timings
    assert Agreement.objects.count() == 200
    assert AgreementParty.objects.count() == 400
    assert Goal.objects.count() == Activity.objects.count() == 200
    assert Organisation.objects.filter(kind="partner").count() == 2 * 1  # 500 * 0.002 = 1 → 2
    assert Organisation.objects.filter(kind="employer").count() == 40
    history = sum(m.history.count() for m in (Agreement, AgreementParty, Goal, Activity))
    assert history >= 200 * 10  # about ten rows an agreement
    assert Agreement.history.filter(id=Agreement.objects.order_by("pk")[0].pk).count() == 2000
    assert Programme.objects.count() == 2 and Session.objects.count() == 20
    assert SignUp.objects.count() == 200
    assert Article.objects.filter(state="published").count() == 4
    assert Reminder.objects.filter(status="sent").count() == 200
    # The ids were handed out by the command; the sequences go on after them.
    assert (
        Agreement.objects.create(
            reference="SA-2030-0001",
            reference_year=2030,
            reference_number=1,
            title="Ny",
            purpose="Ny",
            start_date="2030-01-01",
            responsible_adviser=User.objects.get(email=ADVISER_EMAIL),
        ).pk
        > Agreement.objects.exclude(reference="SA-2030-0001").order_by("-pk")[0].pk
    )
    client = Client()
    client.force_login(User.objects.get(email=ADVISER_EMAIL))
    reference = Agreement.objects.order_by("pk")[0].reference
    for url in ["/dashboard/", "/agreements/?scope=all", f"/agreements/{reference}/"]:
        assert client.get(url).status_code == 200, url


def test_it_refuses_a_database_that_holds_agreements():
    call_command("fill_large_world", scale=0.0005)
    with pytest.raises(CommandError):
        call_command("fill_large_world", scale=0.0005)


def test_the_benchmark_times_the_sweep_alone_and_leaves_no_reminder_behind(capsys):
    call_command("fill_large_world", scale=0.0005)
    before = Reminder.objects.count()
    capsys.readouterr()
    call_command("benchmark_large_world", sweeps_only=True, repeat=2)
    # "reminder sweep   <recorded>   <ms>   recorded", then "and again ...", per round.
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [row[:-3] for row in rows] == [["reminder", "sweep"], ["and", "again"]] * 2
    recorded = [int(row[-3]) for row in rows]
    assert recorded[0] > 0 and recorded[1] == 0  # the second sweep finds every key known
    assert recorded[2:] == recorded[:2]  # rolled back: the next round records them again
    assert Reminder.objects.count() == before
