from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django 6.1's label for an empty choice has no bokmål or nynorsk translation yet: listing it
# here puts it in the portal's own catalogues, which Django consults first.
gettext_noop("- Select an option -")


class PortalConfig(AppConfig):
    name = "portal"
    # This module also holds the admin site's config: this one is the portal's.
    default = True
    verbose_name = _("Portal")

    def ready(self):
        from . import (
            checks,  # noqa: F401  registers the production checks
            metrics,  # noqa: F401  connects the query and Celery task counters
            registry,
        )
        from .accounts import access
        from .celery import ensure_embedded_broker_folders

        ensure_embedded_broker_folders()
        for item in [
            registry.MenuItem(
                "dashboard", _("Dashboard"), "dashboard", access.uses_workspace, 10, start=True
            ),
            registry.MenuItem("news", _("News"), "news:article_list", lambda user: True, 60),
            registry.MenuItem("account", _("My account"), "account_email", lambda user: True, 70),
            registry.MenuItem(
                "admin", _("Admin site"), "admin:index", access.uses_admin_site, 80, start=True
            ),
        ]:
            registry.menu_add(item)


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin site as portal/admin_site.py makes it (who gets in, the portal's name)."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
