from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        # Programmes plug into the pages and figures of the layers below (portal.registry,
        # partnerships.progress); those layers never import programmes.
        from partnerships import progress
        from portal import registry
        from portal.accounts import access, privacy
        from portal.news import mentions
        from portal.reminders.rules import rule_add

        from . import calendar_feed, reminders, selectors, services
        from .models import Programme

        registry.menu_add(
            registry.MenuItem(
                "programmes", _("Programmes"), "programmes:catalogue", lambda user: True, 45
            )
        )
        registry.menu_add(
            registry.MenuItem(
                "my_signups",
                _("My sign-ups"),
                "programmes:my_signups",
                lambda user: access.is_employer_contact(user) or access.has_no_role(user),
                50,
                start=True,
            )
        )
        progress.provider_add("programmes", selectors.agreement_figures)
        registry.panel_add(
            "agreement_detail",
            registry.Panel(
                "programmes",
                "programmes/includes/_agreement_programmes.html",
                lambda request, agreement: {
                    "programmes": selectors.programmes_of_agreement(request.user, agreement)
                },
            ),
        )
        registry.panel_add(
            "organisation_detail",
            registry.Panel(
                "programmes",
                "programmes/includes/_organisation_programmes.html",
                lambda request, organisation: {
                    "programmes": selectors.programmes_of_organisation(request.user, organisation)
                },
            ),
        )
        mentions.mention_add(
            mentions.Mention(
                name="programme",
                relation="related_programmes",
                model=Programme,
                heading=_("Programmes in this article"),
                label=_("Programme"),
                publishable=lambda programmes: programmes.publishable(),
                order=30,
            )
        )
        registry.panel_add(
            "search",
            registry.Panel(
                "programmes",
                "programmes/includes/_search_hits.html",
                lambda request, query: {
                    "programmes": selectors.programmes_searched(request.user, query)
                },
                order=20,
            ),
        )
        registry.panel_add(
            "front_page",
            registry.Panel(
                "programmes",
                "programmes/includes/_front_page.html",
                lambda request, obj: {"programmes": selectors.programmes_open(limit=3)},
            ),
        )
        for rule in reminders.RULES:
            rule_add(rule)
        registry.calendar_provider_add("programmes", calendar_feed.events)
        registry.demo_seeder_add(registry.DemoSeeder("programmes", "programmes.demo.seed", 30))
        # Sign-ups a user made: in their data download, and erased with their account.
        privacy.personal_data_add(
            privacy.PersonalData(
                "signups", selectors.signups_made_by, services.signup_contacts_of_user_erase
            )
        )
