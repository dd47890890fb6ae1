import functools

from portal.accounts import access, roles
from portal.reminders import selectors as reminders_selectors


def portal(request):
    """The header's view of who is logged in, in which organisation and role, and their menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "portal_membership": None,
            "portal_role_label": "",
            "portal_menu": [],
            "portal_unread": 0,
            "portal_calendar_feed": False,
        }
    menu = roles.menu(user)
    for item in menu:
        item["current"] = request.path.startswith(item["url"])
    return {
        "portal_membership": roles.primary_membership(user),
        "portal_role_label": roles.role_label(user),
        "portal_menu": menu,
        "portal_calendar_feed": access.has_calendar_feed(user),
        # Templates call it: one COUNT, only on pages that show it, however often they do.
        "portal_unread": functools.cache(
            lambda: reminders_selectors.notifications_unread_count(user)
        ),
    }
