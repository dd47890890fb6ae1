"""Reads for programmes, scoped by the access module."""

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.accounts import access

from .models import Programme, SignUp


def programme_get(user, pk: int) -> Programme:
    """One programme the user may see, or 404."""
    queryset = access.visible(user, Programme.objects.all()).select_related("agreement")
    return get_object_or_404(
        queryset.prefetch_related("sessions", "signups__employer"),
        pk=pk,
    )


def programme_results(programme: Programme, now=None) -> dict:
    """What the programme has achieved so far, counted from its sessions and sign-ups."""
    now = now or timezone.now()
    confirmed = Q(signups__status=SignUp.Status.CONFIRMED)
    figures = Programme.objects.filter(pk=programme.pk).aggregate(
        employers=Count("signups__employer", filter=confirmed, distinct=True),
        jobs=Sum("signups__jobs_gained", filter=confirmed),
    )
    return {
        "employers_signed_up": figures["employers"] or 0,
        "sessions_held": sum(1 for s in programme.sessions.all() if s.starts_at < now),
        "jobs_gained": figures["jobs"] or 0,
    }


def signups_of(user) -> list[SignUp]:
    """The sign-ups of the user's own company (employers), newest first."""
    return list(
        access.visible(user, SignUp.objects.all())
        .select_related("programme", "employer")
        .order_by("-created_at")
    )
