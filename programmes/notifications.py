"""E-mails to employers about their sign-ups, in the language they signed up in.

Each goes out after the transaction commits, through the mail task with retries
(portal.reminders.services.email_enqueue), with the session as an .ics attachment. Each has
a key naming what it tells (this sign-up's promotion, this decision), so the same news is
never mailed twice even if the code that makes it runs twice.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from portal.reminders.models import Category
from portal.reminders.services import email_enqueue

from .calendar import sessions_ics

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _message(template: str, signups: list, key: str) -> None:
    first = signups[0]
    with translation.override(first.language):
        context = {
            "signups": signups,
            "signup": first,
            "programme": first.session.programme,
            "portal_name": settings.PORTAL_NAME,
            "portal_url": settings.PORTAL_URL,
            "my_signups_url": settings.PORTAL_URL + "/programmes/my-signups/",
        }
        subject = render_to_string(f"programmes/email/{template}_subject.txt", context)
        message = EmailMultiAlternatives(
            " ".join(subject.split()),
            render_to_string(f"programmes/email/{template}.txt", context),
            to=[recipient(first)],
        )
        message.attach_alternative(
            render_to_string(f"programmes/email/{template}.html", context), "text/html"
        )
        message.attach(
            "motested.ics",
            sessions_ics(
                [s.session for s in signups],
                name=first.session.programme.title,
                base_url=settings.PORTAL_URL,
            ).decode(),
            ICS_TYPE,
        )
    email_enqueue(message=message, category=Category.SIGNUP, recipient=first.signed_up_by, key=key)


def recipient(signup) -> str:
    """Mail goes to the verified address of whoever signed up, never to the contact address
    typed in the form: anyone could type someone else's address there and make the portal
    send it mail. (Sign-ups made before accounts were recorded fall back on it.)"""
    return signup.signed_up_by.email if signup.signed_up_by else signup.contact_email


def signups_received(signups: list) -> None:
    """One confirmation of what was received: places held and places on the waiting list."""
    if signups:
        _message("signup_received", signups, f"signup_received:{signups[0].pk}")


def signup_promoted(signup) -> None:
    # The promotion's moment, from the history row _promote_next wrote: stable however often
    # this runs for it, and new for a later promotion of the same sign-up.
    promoted = (
        signup.history.filter(history_change_reason="promoted")
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    when = promoted.isoformat() if promoted else "-"
    _message("signup_promoted", [signup], f"signup_promoted:{signup.pk}:{when}")


def signup_decided(signup) -> None:
    when = signup.decided_at.isoformat() if signup.decided_at else "-"
    _message("signup_decided", [signup], f"signup_decided:{signup.pk}:{signup.status}:{when}")
