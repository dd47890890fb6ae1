"""The admin site, branded as the portal, for everyone the access module lets in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .accounts import access


class PortalAdminSite(admin.AdminSite):
    site_header = _("NAV partnership portal – administration")
    site_title = _("NAV partnership portal")
    index_title = _("Administration")

    def has_permission(self, request):
        # Django's own rule is "is_staff"; ours lets NAV advisers and partner staff in too,
        # and what each sees is their group's permissions narrowed by the access module.
        return access.uses_admin_site(request.user)
