from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import get_script_prefix, reverse
from django.utils.functional import cached_property

from . import access

MFA_ENROLLED_KEY = "portal.mfa_enrolled"


class RequireMFAMiddleware:
    """Send a user who must have two-factor login (access.mfa_required) and has none to
    allauth's TOTP set-up, whatever page they ask for.

    allauth makes MFA possible but never compulsory, so the portal enforces it here: a
    password alone must not open another organisation's data or the admin site. Left
    open: the MFA pages themselves (and re-entering the password they may ask for),
    logging out, the language switch, static files and the health checks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            access.mfa_required(request.user)
            and not self._exempt(request.path_info)
            and not self._enrolled(request)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _enrolled(request) -> bool:
        """Has the user TOTP? Asked once a session, then remembered in it (so pages cost no
        extra query); removing the authenticator forgets it (portal/accounts/apps.py)."""
        if request.session.get(MFA_ENROLLED_KEY) == request.user.pk:
            return True
        enrolled = Authenticator.objects.filter(
            user_id=request.user.pk, type=Authenticator.Type.TOTP
        ).exists()
        if enrolled:
            request.session[MFA_ENROLLED_KEY] = request.user.pk
        return enrolled

    def _exempt(self, path_info: str) -> bool:
        return path_info.startswith(self._open_paths)

    @cached_property
    def _open_paths(self) -> tuple[str, ...]:
        """The open addresses as path_info has them. Looked up at the first request, not at
        each (0.18 ms of a page here); reverse() and the static URLs carry that request's
        script prefix, which gunicorn takes from a header, so it is taken off."""
        prefix = get_script_prefix()
        urls = (
            reverse("mfa_index"),  # /accounts/2fa/: set-up, recovery codes, authenticate
            reverse("account_reauthenticate"),
            reverse("account_logout"),
            reverse("set_language"),
            # The load balancer's checks (/health/, /health/live/, /health/ready/).
            "/health/",
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
        return tuple(
            "/" + url.removeprefix(prefix) if url.startswith(prefix) else url for url in urls
        )
