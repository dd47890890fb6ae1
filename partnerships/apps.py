from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # The core shows partnerships' menu, dashboard and demo data through its registry.
        from portal import registry
        from portal.accounts import access
        from portal.news import mentions

        from . import calendar_feed, reminders, selectors
        from .models import Agreement

        for item in [
            registry.MenuItem(
                "agreements",
                _("Agreements"),
                "partnerships:agreement_list",
                access.uses_workspace,
                20,
            ),
            registry.MenuItem(
                "organisations",
                _("Organisations"),
                "partnerships:organisation_list",
                access.uses_workspace,
                30,
            ),
            registry.MenuItem(
                "search", _("Search"), "partnerships:search", access.uses_workspace, 40
            ),
        ]:
            registry.menu_add(item)
        registry.panel_add(
            "dashboard",
            registry.Panel(
                "agreements",
                "partnerships/includes/_dashboard.html",
                lambda request, obj: selectors.dashboard_for(request.user),
            ),
        )
        mentions.mention_add(
            mentions.Mention(
                name="agreement",
                relation="related_agreements",
                model=Agreement,
                heading=_("Agreements in this article"),
                label=_("Agreement"),
                publishable=lambda agreements: agreements.signed(),
                filterable=False,
                order=20,
            )
        )
        registry.calendar_provider_add("partnerships", calendar_feed.events)
        reminders.register()
        registry.demo_seeder_add(
            registry.DemoSeeder("partnerships", "partnerships.demo.seed", order=20)
        )
