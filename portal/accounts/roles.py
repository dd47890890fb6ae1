"""Where each role starts, and what its menu holds (the entries come from portal.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import registry

from . import access


def primary_membership(user):
    """The membership shown in the header: the user's first organisation."""
    memberships = access.memberships_of(user)
    return memberships[0] if memberships else None


def role_label(user) -> str:
    """What the header says the user is: their organisation's role, or Administrator."""
    membership = primary_membership(user)
    if membership and not membership.confirmed:
        return f"{membership.organisation} · {_('unconfirmed')}"
    if membership:
        return f"{membership.organisation} · {membership.get_role_display()}"
    if access.is_admin(user):
        return str(_("Administrator"))
    return ""


def start_url(user) -> str:
    """The page each role lands on after logging in: the first menu entry marked as a
    start page that the user sees (the dashboard, my sign-ups, the admin site)."""
    for item in registry.menu_entries(user):
        if item.start:
            return reverse(item.url_name)
    return reverse("front_page")


def menu(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return registry.menu_for(user)
