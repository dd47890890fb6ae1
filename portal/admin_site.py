"""The admin site, branded as the portal, for everyone the access module lets in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from .accounts import access


class PortalAdminSite(admin.AdminSite):
    site_header = _("NAV partnership portal – administration")
    site_title = _("NAV partnership portal")
    index_title = _("Administration")

    def has_permission(self, request):
        # Django's own rule is "is_staff"; ours lets NAV advisers and partner staff in too,
        # and what each sees is their group's permissions narrowed by the access module.
        return access.uses_admin_site(request.user)


# Strings of Django's admin site (6.1) and django-simple-history (3.13) that their bokmål or
# nynorsk catalogues lack: listing them here puts them in the portal's catalogues, which
# Django consults first (LOCALE_PATHS), so no admin page shows English in Norwegian.
# "Add %(name)s" is here for its gender: Django's "Legg til ny %(name)s" is wrong for a
# neuter noun ("ny program"), so the portal says "Legg til %(name)s".
LIBRARY_STRINGS = [
    gettext_noop("Add %(name)s"),
    gettext_noop("Add link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Change or view list link"),
    gettext_noop("Change reason"),
    gettext_noop("Changed by"),
    gettext_noop("Changed"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("Deleted"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Model name"),
    gettext_noop("Object"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Run"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Show counts"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("View history: %s"),
    gettext_noop("View selected %(model)s"),
    ngettext_lazy("entry", "entries", 1),
]
