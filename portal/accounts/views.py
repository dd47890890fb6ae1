from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


def admin_login(request, extra_context=None):
    """The admin site's login page, replaced by allauth's: one login for the whole portal,
    with its rate limits and its second factor. Django's own admin form takes a password
    alone and counts no failures."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        # Logged in without access to the admin site: sending them to log in again would
        # go round in circles.
        raise PermissionDenied
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    # allauth checks that next stays on this site.
    return redirect_to_login(next_url, reverse("account_login"))
