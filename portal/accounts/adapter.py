from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from portal.reminders.services import email_enqueue

from .models import User


def portal_site() -> SimpleNamespace:
    """What allauth's mails call the site: the portal's name and address, never the
    request's host ("Hello from 127.0.0.1:8000!")."""
    return SimpleNamespace(name=settings.PORTAL_NAME, domain=urlsplit(settings.PORTAL_URL).netloc)


def on_portal(url: str) -> str:
    """url at the portal's own address (PORTAL_URL): allauth builds links from the request,
    whose host behind a proxy or in a worker is not the one people know."""
    parts = urlsplit(url)
    return settings.PORTAL_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_portal(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_portal(super().get_reset_password_from_key_url(key))

    def save_user(self, request, user, form, commit=True):
        # The language the person signed up in is the language of their e-mails.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """As allauth's, but the message goes through the outbox after the commit.

        allauth sends inside the signup and password-reset requests: a mail server that was
        down made them a 500 after the user, company and membership were saved. Now the
        user sees the usual confirmation page and the worker retries the server.
        """
        from allauth.core import context

        ctx = {
            "request": context.request,
            "email": email,
            "current_site": portal_site(),
            "portal_url": settings.PORTAL_URL,
        }
        ctx.update(context_)
        email_enqueue(
            message=self.render_mail(template_prefix, email, ctx),
            recipient=User.objects.filter(email__iexact=email).first(),
        )
