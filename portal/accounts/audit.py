"""The audit trail: logins, failed logins, second factors, rights, exports and downloads.

``audit_record(...)`` writes one ``AuditEvent``; the views of exports and downloads call it,
and the signal handlers below (connected in ``AccountsConfig.ready``) record what allauth and
Django's auth tell. Admins read the log in the admin site; ``audit_events_purge`` removes
what is older than ``AUDIT_RETENTION_DAYS``.
"""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .models import AuditAction, AuditEvent, User

USER_AGENT_MAX = 300


def _current_request():
    # simple-history's middleware keeps the request being answered; signals that come
    # without one (m2m_changed, pre_save) find it there.
    return getattr(HistoricalRecords.context, "request", None)


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    # allauth's answer honours TRUSTED_PROXY_COUNT, as the login rate limits do.
    try:
        ip = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address allauth trusts (a short X-Forwarded-For)
        ip = None
    return ip, request.headers.get("user-agent", "")[:USER_AGENT_MAX]


def _actor_of(request):
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def audit_record(
    *, action: str, request=None, actor=None, subject=None, target: str = "", detail=None
) -> AuditEvent:
    """Record one event. actor defaults to the request's user; where from comes from the
    request (or the request being answered, when the caller has none)."""
    request = request if request is not None else _current_request()
    ip, agent = _client(request)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None else _actor_of(request),
        subject=subject,
        target=str(target)[:300],
        ip_address=ip,
        user_agent=agent,
        detail=detail or {},
    )


def audit_events_purge(*, now=None) -> int:
    """Delete events older than AUDIT_RETENTION_DAYS. Idempotent: safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- Signal handlers ------------------------------------------------------------------------


def on_logged_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, request=request, actor=user, target=user.email)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has masked the password; the address typed is what we keep (it may name no
    # account at all).
    typed = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        subject=User.objects.filter(email__iexact=typed).first() if typed else None,
        target=typed,
    )


def _mfa(action):
    def handler(sender, request, user, authenticator=None, **kwargs):
        audit_record(
            action=action,
            request=request,
            subject=user,
            target=user.email,
            detail={"type": getattr(authenticator, "type", "")},
        )

    return handler


on_mfa_added = _mfa(AuditAction.MFA_ADDED)
on_mfa_removed = _mfa(AuditAction.MFA_REMOVED)
on_mfa_reset = _mfa(AuditAction.MFA_RESET)


def on_rights_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups or permissions added to or taken from a user (from either side)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    kind = (
        AuditAction.GROUPS_CHANGED
        if sender is User.groups.through
        else AuditAction.PERMISSIONS_CHANGED
    )
    if reverse:  # group.user_set.add(user): instance is the group, pk_set the users
        users = User.objects.filter(pk__in=pk_set or ())
        names = [str(instance)]
    else:
        users = [instance]
        names = [str(obj) for obj in model._default_manager.filter(pk__in=pk_set or ())]
    for user in users:
        audit_record(
            action=kind,
            subject=user,
            target=user.email,
            detail={"change": action.removeprefix("post_"), "names": names},
        )


def on_user_saving(sender, instance, update_fields=None, **kwargs):
    """is_staff or is_superuser switched on or off."""
    if instance.pk is None or (
        update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields)
    ):
        return
    before = User.objects.filter(pk=instance.pk).values("is_staff", "is_superuser").first()
    if before is None:
        return
    changed = {
        name: getattr(instance, name)
        for name in ("is_staff", "is_superuser")
        if before[name] != getattr(instance, name)
    }
    if changed:
        audit_record(
            action=AuditAction.STAFF_CHANGED,
            subject=instance,
            target=instance.email,
            detail=changed,
        )


def connect() -> None:
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="audit-login")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")
    mfa_signals.authenticator_added.connect(on_mfa_added, dispatch_uid="audit-mfa-added")
    mfa_signals.authenticator_removed.connect(on_mfa_removed, dispatch_uid="audit-mfa-removed")
    mfa_signals.authenticator_reset.connect(on_mfa_reset, dispatch_uid="audit-mfa-reset")
    m2m_changed.connect(on_rights_changed, sender=User.groups.through, dispatch_uid="audit-groups")
    m2m_changed.connect(
        on_rights_changed, sender=User.user_permissions.through, dispatch_uid="audit-perms"
    )
    pre_save.connect(on_user_saving, sender=User, dispatch_uid="audit-staff")
