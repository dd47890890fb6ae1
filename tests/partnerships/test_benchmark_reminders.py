"""benchmark_reminders times the sweep and the send over N agreements and leaves nothing
behind (its figures are in docs/BENCHMARKS.md)."""

import pytest
from django.core.management import call_command

from partnerships.models import Agreement
from portal.reminders import rules
from portal.reminders.models import Reminder

pytestmark = pytest.mark.django_db


def test_the_reminder_benchmark_sweeps_and_sends_then_rolls_everything_back(capsys, settings):
    settings.DEBUG = True  # it refuses to write its test data otherwise
    call_command("benchmark_reminders", agreements=200)
    out = capsys.readouterr().out
    assert "200 agreements, rules: agreement_ending, " in out
    assert "second sweep: recorded 0 in" in out
    recorded = int(out.split("\nsweep: recorded ")[1].split()[0])
    assert recorded > 0
    assert f"send: sent {recorded}, failed 0 in" in out
    assert not Agreement.objects.exists()
    assert not Reminder.objects.exists()
    assert rules.rule_get("benchmark_agreement_ending") is None
