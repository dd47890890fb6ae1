"""A person's own data: download it (JSON), or delete the account.

The core knows what it stores itself (the account, memberships, e-mail addresses, second
factors, articles written, audit events, history rows made); the apps above it register
what they store about a user here from their ``AppConfig.ready()`` (``personal_data_add``),
as they register menu entries in portal.registry: the core never imports them.

Deleting an account never deletes the user's row: agreements, activities and documents
refer to it (PROTECT), and their history must keep saying that *someone* did it. The row is
anonymised instead (name "Slettet bruker", an address that reaches nobody, no password,
inactive) and everything that identifies the person is removed or cleared.
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import transaction

from .audit import audit_record
from .models import AuditAction, AuditEvent, Membership

DELETED_NAME = "Slettet bruker"
DELETED_DOMAIN = "slettet.invalid"  # RFC 2606: never delivers


@dataclass(frozen=True)
class PersonalData:
    name: str
    # (user) -> JSON-ready data; a fixed number of queries, whatever the user has.
    export: Callable
    # (user) -> None: clear or remove what identifies the user (in the same transaction).
    erase: Callable | None = None


_providers: dict[str, PersonalData] = {}


def personal_data_add(provider: PersonalData) -> None:
    _providers[provider.name] = provider


def _dt(value):
    return value.isoformat() if value else None


def _history_models():
    """Every simple-history model: the rows a user made in them are theirs to see."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_user")
    ]


def user_data_export(*, user, request=None) -> dict:
    """Everything stored about user, as JSON-ready data. One query per kind of data, so the
    cost does not grow with how much there is."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    data = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "groups": list(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "second_factors": [
            {"type": a.type, "created_at": _dt(a.created_at), "last_used_at": _dt(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "org_number": m.organisation.org_number,
                "role": m.role,
                "title": m.title,
                "confirmed": m.confirmed,
                "created_at": _dt(m.created_at),
            }
            for m in memberships
        ],
        "articles_written": [
            {
                "title": a["title"],
                "slug": a["slug"],
                "state": a["state"],
                "created_at": _dt(a["created_at"]),
            }
            for a in user.news_articles.values("title", "slug", "state", "created_at")
        ],
        "audit_events": [
            {
                "action": e.action,
                "target": e.target,
                "ip_address": e.ip_address,
                "user_agent": e.user_agent,
                "created_at": _dt(e.created_at),
            }
            for e in AuditEvent.objects.filter(actor=user) | AuditEvent.objects.filter(subject=user)
        ],
        "history": [
            {
                "model": model._meta.label_lower,
                "object_id": row["id"],
                "change": row["history_type"],
                "at": _dt(row["history_date"]),
            }
            for model in _history_models()
            for row in model.objects.filter(history_user=user).values(
                "history_type", "history_date", "id"
            )
        ],
    }
    for provider in sorted(_providers.values(), key=lambda p: p.name):
        data[provider.name] = provider.export(user)
    audit_record(action=AuditAction.DATA_EXPORT, request=request, actor=user, target=user.email)
    return data


@transaction.atomic
def user_delete(*, user, request=None) -> None:
    """Delete user's account: anonymise the row the agreements' history points at, remove
    what identifies them, and let the apps clear what they hold (sign-ups' contact data)."""
    for provider in _providers.values():
        if provider.erase is not None:
            provider.erase(user)
    audit_record(
        action=AuditAction.ACCOUNT_DELETED, request=request, actor=user, target=f"#{user.pk}"
    )
    Membership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    # The audit trail keeps the events (a deleted user's logins stay evidence) but no longer
    # says from where or with what browser.
    AuditEvent.objects.filter(actor=user).update(ip_address=None, user_agent="")
    AuditEvent.objects.filter(subject=user).update(target="", ip_address=None, user_agent="")
    user.email = f"slettet-{user.pk}@{DELETED_DOMAIN}"
    user.full_name = DELETED_NAME
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.last_login = None
    user.save()
