from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "portal.reminders"
    label = "reminders"
    verbose_name = _("Reminders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import registry
        from portal.metrics import backlog_register

        from . import rules, selectors, services

        rules.rule_add(rules.MessageRule())
        # portal_backlog{queue="outbox"}: an alert fires when the worker or beat stops.
        backlog_register("outbox", services.backlog)
        # Every start page (the dashboard, my sign-ups) shows the latest notifications.
        registry.panel_add(
            "start",
            registry.Panel(
                "notifications",
                "reminders/includes/_notifications_panel.html",
                lambda request, obj: {
                    "notifications": selectors.notifications_for(request.user)[:5]
                },
                order=10,
            ),
        )
