from portal.accounts import roles


def portal(request):
    """The header's view of who is logged in, in which organisation and role, and their menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_membership": None, "portal_role_label": "", "portal_menu": []}
    menu = roles.menu(user)
    for item in menu:
        item["current"] = request.path.startswith(item["url"])
    return {
        "portal_membership": roles.primary_membership(user),
        "portal_role_label": roles.role_label(user),
        "portal_menu": menu,
    }
