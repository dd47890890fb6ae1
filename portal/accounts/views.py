from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language

from . import privacy, services
from .forms import AccountDeleteForm


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


@never_cache
@login_required
def my_data(request):
    """Everything the portal stores about the user, as a JSON download."""
    data = privacy.user_data_export(user=request.user, request=request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
    return response


@never_cache
@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.user_delete(user=request.user, request=request)
        logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("front_page")
    return render(request, "account/account_delete.html", {"form": form})


def language_set(request):
    """Django's set_language, and for a logged-in user the language of their e-mails too
    (the worker that sends reminders has no request to ask)."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(request.user, request.POST.get("language", ""))
    return response
