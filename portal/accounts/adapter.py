from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from portal.reminders.services import email_enqueue

from .models import User


def portal_site() -> SimpleNamespace:
    """What allauth's mails call the site: the portal's name and address, never the
    request's host ("Hello from 127.0.0.1:8000!")."""
    return SimpleNamespace(name=settings.PORTAL_NAME, domain=urlsplit(settings.PORTAL_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """As allauth's, but the message goes through the outbox after the commit.

        allauth sends inside the signup and password-reset requests: a mail server that was
        down made them a 500 after the user, company and membership were saved. Now the
        user sees the usual confirmation page and the worker retries the server.
        """
        from allauth.core import context

        ctx = {"request": context.request, "email": email, "current_site": portal_site()}
        ctx.update(context_)
        email_enqueue(
            message=self.render_mail(template_prefix, email, ctx),
            recipient=User.objects.filter(email__iexact=email).first(),
        )
