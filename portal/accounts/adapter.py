from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """As allauth's, but the message goes out through Celery after the commit.

        allauth sends inside the signup and password-reset requests: a mail server that was
        down made them a 500 after the user, company and membership were saved. Now the
        user sees the usual confirmation page and the task retries the server.
        """
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context_)
        services.email_enqueue(message=self.render_mail(template_prefix, email, ctx))
