"""E-mails to employers about their sign-ups, in the language they signed up in.

Each goes out after the transaction commits, through the mail task with retries
(portal.reminders.services.email_enqueue), with the session as an .ics attachment.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from portal.reminders.services import email_enqueue

from .calendar import sessions_ics

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _message(template: str, signups: list, recipient: str, language: str) -> None:
    first = signups[0]
    with translation.override(language):
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
            to=[recipient],
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
    email_enqueue(message=message)


def recipient(signup) -> str:
    """Mail goes to the verified address of whoever signed up, never to the contact address
    typed in the form: anyone could type someone else's address there and make the portal
    send it mail. (Sign-ups made before accounts were recorded fall back on it.)"""
    return signup.signed_up_by.email if signup.signed_up_by else signup.contact_email


def signups_received(signups: list) -> None:
    """One confirmation of what was received: places held and places on the waiting list."""
    if signups:
        _message("signup_received", signups, recipient(signups[0]), signups[0].language)


def signup_promoted(signup) -> None:
    _message("signup_promoted", [signup], recipient(signup), signup.language)


def signup_decided(signup) -> None:
    _message("signup_decided", [signup], recipient(signup), signup.language)
