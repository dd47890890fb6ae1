"""The portal's Celery app: worker and beat share this configuration.

Settings come from Django's settings under the CELERY_ namespace; beat's schedule is kept
here in code (django-celery-beat does not support Django 6.1 yet).
"""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Europe/Oslo (CELERY_TIMEZONE). Beat only says "look now": what is due comes from
# the database, so a beat that was down catches up at its next tick, and a second beat by
# mistake records nothing twice (portal/reminders/services.py).
app.conf.beat_schedule = {
    "reminders-sweep": {
        "task": "portal.reminders.tasks.reminders_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    # Retention (README "Privacy and audit"), at night.
    "audit-events-purge": {
        "task": "portal.accounts.tasks.audit_events_purge_task",
        "schedule": crontab(hour=3, minute=10),
    },
    # Deletes expired exports and queues builds no worker got: often, so a link a broker
    # outage delayed still comes within minutes.
    "agreement-exports-sweep": {
        "task": "partnerships.tasks.agreement_exports_sweep_task",
        "schedule": crontab(minute="*/10"),
    },
    "signup-contacts-purge": {
        "task": "programmes.tasks.signup_contacts_purge_task",
        "schedule": crontab(hour=3, minute=20),
    },
}


def ensure_embedded_broker_folders():
    """Kombu's filesystem transport expects its folders to exist."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
