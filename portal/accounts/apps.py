from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from allauth.mfa.signals import authenticator_removed

        from . import audit

        authenticator_removed.connect(_forget_mfa_enrolment, dispatch_uid="portal-forget-mfa")
        audit.connect()


def _forget_mfa_enrolment(sender, request, user, authenticator, **kwargs):
    # The session remembered that its user has TOTP (RequireMFAMiddleware): not any more.
    from .middleware import MFA_ENROLLED_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_ENROLLED_KEY, None)
