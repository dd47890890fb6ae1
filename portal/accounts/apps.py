from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from allauth.mfa.signals import authenticator_removed
        from django.db.models.signals import post_migrate

        from . import audit

        authenticator_removed.connect(_forget_mfa_enrolment, dispatch_uid="portal-forget-mfa")
        audit.connect()
        # Also after a flush (tests that commit empty the database): the groups come back.
        post_migrate.connect(_groups_sync, sender=self, dispatch_uid="portal-groups-sync")


def _groups_sync(sender, apps=None, **kwargs):
    from django.apps import apps as live_apps

    from .groups import groups_sync

    # A flush sends no historical registry: the live one is the database's state then.
    groups_sync(apps or live_apps)


def _forget_mfa_enrolment(sender, request, user, authenticator, **kwargs):
    # The session remembered that its user has TOTP (RequireMFAMiddleware): not any more.
    from .middleware import MFA_ENROLLED_KEY

    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_ENROLLED_KEY, None)
