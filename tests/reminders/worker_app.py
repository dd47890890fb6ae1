"""The Celery app a test worker runs (``celery -A tests.reminders.worker_app worker``): the
portal's own, plus the rule and templates that only tests register, and a file it touches
when it is ready to take tasks (PORTAL_TEST_WORKER_READY)."""

import os
from pathlib import Path

from celery.signals import worker_ready
from django.conf import settings

from portal.celery import app
from portal.reminders import rules
from tests.reminders.support import TEMPLATES, nudge_rule

settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]
rules.rule_add(nudge_rule())


@worker_ready.connect
def _say_ready(**kwargs):
    if path := os.environ.get("PORTAL_TEST_WORKER_READY"):
        Path(path).touch()


__all__ = ["app"]
