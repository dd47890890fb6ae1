from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.i18n import set_language

from . import services


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


def language_set(request):
    """Django's set_language, and for a logged-in user the language of their e-mails too
    (the worker that sends reminders has no request to ask)."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(request.user, request.POST.get("language", ""))
    return response
