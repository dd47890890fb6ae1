import pytest

from portal.reminders import rules
from tests.reminders.support import TEMPLATES, broker_use, nudge_rule, rule_remove

# An SMTP server on a port where nothing listens: every send is refused at once.
MAIL_SERVER_DOWN = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}
MAIL_SERVER_UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def nudge(settings):
    """The tests' own rule (support.NudgeRule), registered for this test only."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    rule = nudge_rule()
    rules.rule_add(rule)
    yield rule
    rule_remove(rule.code)


@pytest.fixture
def employer_nudge(nudge):
    rule = nudge_rule("test_employer_nudge", employer=True)
    rules.rule_add(rule)
    yield rule
    rule_remove(rule.code)


@pytest.fixture
def broker_down():
    """Celery's broker is a Redis where nothing listens: publishing a task fails (after
    Celery's own short retries) with kombu's OperationalError, as in an outage."""
    from portal.celery import app

    before, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False
    broker_use("redis://127.0.0.1:1/0")
    yield
    broker_use(before)
    app.conf.task_always_eager = eager
