from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "portal.reminders"
    label = "reminders"
    verbose_name = _("Reminders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.metrics import backlog_register

        from . import rules, services

        rules.rule_add(rules.MessageRule())
        # portal_backlog{queue="outbox"}: an alert fires when the worker or beat stops.
        backlog_register("outbox", services.backlog)
