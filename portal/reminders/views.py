from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts import access

from . import calendar, mail, selectors, services
from .forms import PreferencesForm
from .models import REQUIRED_CATEGORIES, Category, Reminder, Unsubscription


# The signed token in the link is the credential: mail clients' one-click unsubscribe
# (RFC 8058) POSTs to it with no session and no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (a link scanner must not unsubscribe anyone); POST unsubscribes."""
    found = mail.unsubscribe_read(token)
    if found is None or found[1] not in Category.values or found[1] in REQUIRED_CATEGORIES:
        raise Http404
    email, category = found
    done = request.method == "POST"
    if done:
        Unsubscription.objects.get_or_create(email=email, category=category)
    return render(
        request,
        "reminders/unsubscribe.html",
        {"email": email, "category": Category(category).label, "done": done},
    )


# --- In-app notifications -------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "reminders/notification_list.html", {"page": page})


def _mark_read(request, pk) -> Reminder:
    """One of the user's own notifications, marked read; anybody else's is a 404."""
    try:
        return services.notification_mark_read(request.user, pk)
    except Reminder.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def notification_open(request, pk):
    """Following a notification's link marks it read, then goes where it points."""
    reminder = _mark_read(request, pk)
    return redirect(reminder.link or reverse("reminders:notification_list"))


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("reminders:notification_list")


@login_required
@require_POST
def notification_read(request, pk):
    reminder = _mark_read(request, pk)
    if request.htmx:
        return render(
            request,
            "reminders/includes/_notification.html",
            {"notification": reminder, "next": request.POST.get("next", "")},
        )
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(request.user)
    if not request.htmx:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


# --- Account settings: e-mail preferences and calendar feed --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    email = request.user.email
    unsubscribed = selectors.categories_unsubscribed(email)
    form = PreferencesForm(
        # Bound on every POST: unticking every box sends no field at all.
        request.POST if request.method == "POST" else None,
        initial={
            "categories": [
                value
                for value, _label in selectors.categories_optional()
                if value not in unsubscribed
            ]
        },
    )
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["categories"])
        services.unsubscriptions_set(
            email,
            [value for value, _label in selectors.categories_optional() if value not in wanted],
        )
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("reminders:email_preferences")
    return render(request, "reminders/email_preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if not access.has_calendar_feed(request.user):
        raise Http404
    if request.method == "POST":
        services.calendar_feed_renew(request.user)
        messages.success(
            request, _("Your calendar has a new address. The old one no longer works.")
        )
        return redirect("reminders:calendar_settings")
    feed = selectors.calendar_feed_of(request.user)
    feed_url = (
        settings.PORTAL_URL + reverse("reminders:calendar_feed", args=[feed.token]) if feed else ""
    )
    return render(request, "reminders/calendar_settings.html", {"feed_url": feed_url})


# No login: calendar apps (Outlook, Google) fetch the address without a session; the token
# in it is the credential, and a wrong or revoked one looks like any missing page.
@never_cache
@require_GET
def calendar_feed(request, token):
    user = selectors.calendar_feed_owner(token)
    if user is None or not access.has_calendar_feed(user):
        raise Http404
    response = HttpResponse(
        calendar.calendar_ics(user), content_type="text/calendar; charset=utf-8"
    )
    # never_cache adds no-store; private says no shared cache may keep someone's calendar.
    response["Cache-Control"] = "private, no-cache, no-store, max-age=0"
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response
