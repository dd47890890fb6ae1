"""Where each role starts and what its menu holds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role


def primary_membership(user):
    """The membership shown in the header: the user's first organisation."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_primary_membership", False)
    if cached is False:
        cached = user.memberships.select_related("organisation").order_by("created_at").first()
        user._portal_primary_membership = cached
    return cached


def start_url(user) -> str:
    """The page each role lands on after logging in."""
    roles = set(access.roles_of(user).values())
    if access.is_admin(user) or roles & {Role.NAV_ADVISER, Role.PARTNER_STAFF}:
        return reverse("dashboard")
    if user.is_staff and not roles:
        return reverse("admin:index")  # editors: staff who belong to no organisation
    return reverse("programmes:my_signups")


def menu(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    roles = set(access.roles_of(user).values())
    items = []
    if access.is_admin(user) or roles & {Role.NAV_ADVISER, Role.PARTNER_STAFF}:
        items.append({"label": _("Dashboard"), "url": reverse("dashboard")})
        items.append({"label": _("Agreements"), "url": reverse("partnerships:agreement_list")})
        items.append(
            {"label": _("Organisations"), "url": reverse("partnerships:organisation_list")}
        )
        items.append({"label": _("Search"), "url": reverse("partnerships:search")})
    if Role.EMPLOYER_CONTACT in roles or not (roles or user.is_staff):
        items.append({"label": _("My sign-ups"), "url": reverse("programmes:my_signups")})
    items.append({"label": _("News"), "url": reverse("news:article_list")})
    items.append({"label": _("My account"), "url": reverse("account_email")})
    if user.is_staff:
        items.append({"label": _("Admin site"), "url": reverse("admin:index")})
    return items
