from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import mail
from .models import REQUIRED_CATEGORIES, Category, Unsubscription


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
