"""Reads for programmes, scoped by the access module."""

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnerships.models import Goal
from portal.accounts import access

from .models import Programme, ProgrammeSession, SignUp


def programme_get(user, pk: int) -> Programme:
    """One programme the user may see, or 404."""
    queryset = access.visible(user, Programme.objects.all()).select_related("agreement")
    return get_object_or_404(
        queryset.prefetch_related("sessions", "signups__employer"),
        pk=pk,
    )


def results_of(programmes: QuerySet, now=None) -> dict[str, int]:
    """What programmes have achieved so far: the one place these figures are counted, for a
    programme's page and for the goals of the agreement above it."""
    now = now or timezone.now()
    signups = SignUp.objects.filter(
        programme__in=programmes, status=SignUp.Status.CONFIRMED
    ).aggregate(employers=Count("employer", distinct=True), jobs=Sum("jobs_gained"))
    sessions = ProgrammeSession.objects.filter(programme__in=programmes, starts_at__lt=now)
    return {
        "employers_signed_up": signups["employers"] or 0,
        "sessions_held": sessions.count(),
        "jobs_gained": signups["jobs"] or 0,
    }


def programme_results(programme: Programme, now=None) -> dict[str, int]:
    return results_of(Programme.objects.filter(pk=programme.pk), now)


def agreement_figures(agreement, now) -> dict[str, int]:
    """The goal figures of an agreement, counted from its programmes (partnerships.progress)."""
    results = results_of(Programme.objects.filter(agreement=agreement), now)
    return {
        Goal.Measure.EMPLOYERS_SIGNED_UP: results["employers_signed_up"],
        Goal.Measure.SESSIONS_HELD: results["sessions_held"],
        Goal.Measure.JOBS_GAINED: results["jobs_gained"],
    }


def programmes_of_agreement(user, agreement) -> list[Programme]:
    return list(access.visible(user, Programme.objects.filter(agreement=agreement)))


def programmes_of_organisation(user, organisation) -> list[Programme]:
    """Programmes under the agreements the organisation is a party to, where user may see them."""
    return list(
        access.visible(user, Programme.objects.all())
        .filter(agreement__parties__organisation=organisation)
        .select_related("agreement")
        .distinct()
    )


def company_signups(user) -> list[SignUp]:
    """My sign-ups: those of the user's own companies, newest first. Never anyone else's,
    whatever the user's role: a NAV adviser who is no company's contact has none."""
    return list(
        SignUp.objects.filter(employer_id__in=access.employer_ids(user))
        .select_related("programme", "employer")
        .order_by("-created_at")
    )
