"""Reads for programmes, sessions and sign-ups, scoped by the access module."""

from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnerships import search
from partnerships.models import Goal
from portal.accounts import access
from portal.accounts.models import Membership

from .models import HOLDS_A_PLACE, Programme, Session, SignUp

# --- Sessions and places ----------------------------------------------------------------------


def with_places(sessions: QuerySet) -> QuerySet:
    """Sessions annotated with taken (sign-ups holding a place), waiting and places_left."""
    return sessions.annotate(
        taken=Count("signups", filter=Q(signups__status__in=HOLDS_A_PLACE)),
        waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
    ).annotate(
        places_left=Greatest(
            Value(0),
            Coalesce("capacity", Value(0)) - Coalesce("taken", Value(0)),
            output_field=IntegerField(),
        )
    )


def sessions_of(programme: Programme) -> list[Session]:
    return list(with_places(programme.sessions.all()).order_by("starts_at", "pk"))


def sessions_open_for_signup(programme: Programme, now=None) -> QuerySet:
    """Sessions an employer can still choose (not started yet), with their free places."""
    now = now or timezone.now()
    return with_places(programme.sessions.filter(starts_at__gt=now)).order_by("starts_at", "pk")


# --- Programmes -------------------------------------------------------------------------------


def programmes_visible(user) -> QuerySet:
    return access.visible(user, Programme.objects.all())


def catalogue() -> QuerySet:
    """The public catalogue: programmes open for sign-up, soonest first, each with its
    upcoming sessions and their free places (programmes.filters narrows it)."""
    now = timezone.now()
    return (
        Programme.objects.listed()
        .prefetch_related(
            "organisers",
            Prefetch(
                "sessions",
                queryset=with_places(Session.objects.filter(starts_at__gt=now)).order_by(
                    "starts_at", "pk"
                ),
                to_attr="upcoming_sessions",
            ),
        )
        .order_by("start_date", "title")
    )


def programmes_open(*, limit: int) -> list[Programme]:
    """The first programmes open for sign-up, for the front page (one query)."""
    return list(Programme.objects.listed().order_by("start_date", "title")[:limit])


def programme_get(user, slug: str) -> Programme:
    """A programme the user may see (everyone sees those that are not drafts), or 404."""
    return get_object_or_404(
        programmes_visible(user).prefetch_related("organisers", "agreements"), slug=slug
    )


def programme_results(programme: Programme, now=None) -> dict[str, int]:
    return results_of(Programme.objects.filter(pk=programme.pk), now)


RESULT_FIGURES = [
    "young_people_met",
    "interviews",
    "internships_started",
    "permanent_jobs",
    "temporary_jobs",
]


def results_of(programmes: QuerySet, now=None) -> dict[str, int]:
    """What programmes have achieved, as aggregate figures: the one place these are counted,
    for a programme's pages, the public overview and the goals of the agreements above."""
    now = now or timezone.now()
    sessions = Session.objects.filter(programme__in=programmes)
    employers = (
        SignUp.objects.filter(
            session__in=sessions,
            status__in=[SignUp.Status.CONFIRMED, SignUp.Status.ATTENDED],
        )
        .values("employer")
        .distinct()
        .count()
    )
    # One row a session (its result is one-to-one), so one query counts and sums.
    figures = sessions.aggregate(
        sessions_held=Count("pk", filter=Q(starts_at__lt=now)),
        **{name: Sum(f"result__{name}") for name in RESULT_FIGURES},
    )
    figures = {name: value or 0 for name, value in figures.items()}
    return {
        "employers_taking_part": employers,
        **figures,
        "jobs_gained": figures["permanent_jobs"] + figures["temporary_jobs"],
    }


def agreement_figures(agreement, now) -> dict[str, int]:
    """The goal figures of an agreement, counted from its programmes (partnerships.progress)."""
    results = results_of(Programme.objects.filter(agreements=agreement), now)
    return {
        Goal.Measure.EMPLOYERS_SIGNED_UP: results["employers_taking_part"],
        Goal.Measure.SESSIONS_HELD: results["sessions_held"],
        Goal.Measure.JOBS_GAINED: results["jobs_gained"],
    }


def public_overview(now=None) -> dict:
    """The figures NAV quotes in its news: across every programme that is not a draft."""
    programmes = Programme.objects.public()
    return {"programmes": programmes.count(), **results_of(programmes, now)}


def programmes_of_agreement(user, agreement) -> list[Programme]:
    return list(programmes_visible(user).filter(agreements=agreement).order_by("-start_date"))


def programmes_of_organisation(user, organisation) -> list[Programme]:
    """Programmes the organisation organises or whose agreements it is a party to."""
    return list(
        programmes_visible(user)
        .filter(Q(organisers=organisation) | Q(agreements__parties__organisation=organisation))
        .distinct()
        .order_by("-start_date")
    )


# --- Sign-ups ---------------------------------------------------------------------------------


def company_signups(user, now=None) -> QuerySet:
    """My sign-ups: those of the user's own companies (only those they made themselves where
    their link to the company is unconfirmed). Never anyone else's, whatever the user's role:
    a NAV adviser who is no company's contact has none. The coming sessions first, soonest
    first, then the earlier ones, latest first: a company that has taken part for years
    finds what is next on the first page."""
    coming = Q(session__starts_at__gte=now or timezone.now())
    return (
        SignUp.objects.filter(access.signups_of_own(user))
        .select_related("session__programme", "employer")
        .annotate(coming=ExpressionWrapper(coming, output_field=BooleanField()))
        .order_by(
            "-coming",
            Case(When(coming, then=F("session__starts_at"))).asc(nulls_last=True),
            "-session__starts_at",
            "-created_at",
            "-pk",  # a steady order from page to page
        )
    )


def company_signup_get(user, pk: int) -> SignUp:
    """One of the user's own company's sign-ups, or 404."""
    return get_object_or_404(
        SignUp.objects.filter(access.signups_of_own(user)).select_related(
            "session__programme", "employer"
        ),
        pk=pk,
    )


def programme_signups(user, programme: Programme, filters: dict | None = None) -> QuerySet:
    """The sign-ups of a programme that user may see, for its staff pages and exports."""
    filters = filters or {}
    queryset = access.visible(
        user, SignUp.objects.filter(session__programme=programme)
    ).select_related("session", "employer", "decided_by")
    if filters.get("status"):
        queryset = queryset.filter(status__in=filters["status"])
    if filters.get("session"):
        queryset = queryset.filter(session=filters["session"])
    return queryset.order_by("session__starts_at", "created_at", "pk")


def signup_for_staff(user, pk: int) -> SignUp:
    return get_object_or_404(
        access.visible(user, SignUp.objects.all()).select_related("session__programme", "employer"),
        pk=pk,
    )


def signups_over_time(programme: Programme) -> list[dict]:
    """Sign-ups per week since the first, for the staff page's chart."""
    rows = (
        SignUp.objects.filter(session__programme=programme)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    rows = list(rows)
    if not rows:
        return []
    highest = max(row["n"] for row in rows)
    return [
        {"week": row["week"], "count": row["n"], "percent": round(100 * row["n"] / highest)}
        for row in rows
    ]


def signups_waiting_for_review(user) -> QuerySet:
    return access.visible(user, SignUp.objects.filter(status=SignUp.Status.PENDING))


def programme_advisers(programme_ids) -> dict[int, list]:
    """Programme id -> the users who run it (access.organiser_staff of its organisers), each
    once even when they belong to two of its organisers. One query."""
    memberships = (
        access.organiser_staff(
            Membership.objects.filter(organisation__organised_programmes__in=programme_ids)
        )
        .annotate(programme_pk=F("organisation__organised_programmes"))
        .select_related("user")
        .order_by("user__pk")
    )
    advisers: dict[int, dict] = {}
    for membership in memberships:
        advisers.setdefault(membership.programme_pk, {}).setdefault(
            membership.user_id, membership.user
        )
    return {pk: list(users.values()) for pk, users in advisers.items()}


def next_on_waiting_list(session: Session):
    return session.signups.filter(status=SignUp.Status.WAITING).order_by("created_at", "pk").first()


def upcoming_sessions(now=None, days: int = 365) -> QuerySet:
    now = now or timezone.now()
    return Session.objects.public().filter(
        starts_at__gte=now - timedelta(days=30), starts_at__lte=now + timedelta(days=days)
    )


# --- For the organisers -----------------------------------------------------------------------


def programmes_changeable(user, title: str = "") -> QuerySet:
    """The programmes user may run whose title contains ``title``, newest first, with how
    many sign-ups wait for review: counted per row shown (a subquery), not joined, so the
    paginator's count and a page cost the same with 99,000 sign-ups."""
    programmes = access.changeable(user, Programme.objects.all())
    if title:
        programmes = programmes.filter(title__icontains=title)
    pending = (
        SignUp.objects.filter(session__programme=OuterRef("pk"), status=SignUp.Status.PENDING)
        .order_by()
        .values("session__programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return programmes.annotate(
        pending=Coalesce(Subquery(pending, output_field=IntegerField()), 0)
    ).order_by("-start_date", "title", "pk")


def sessions_with_results(programme: Programme) -> list[Session]:
    return list(
        with_places(programme.sessions.select_related("result")).order_by("starts_at", "pk")
    )


def programme_history(programme: Programme, limit: int = 20) -> list:
    """The newest changes to the programme and its sessions, with who made them."""
    records = [
        *programme.history.select_related("history_user").order_by("-history_date")[:limit],
        *Session.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit],
    ]
    return sorted(records, key=lambda r: r.history_date, reverse=True)[:limit]


def programmes_searched(user, query: str, limit: int = 20) -> list[Programme]:
    """Programmes the user may see whose name, description or target group holds every word."""
    words = [word for word in query.split() if len(word) >= 2][:8]
    if not words:
        return []
    programmes = programmes_visible(user)
    for word in words:
        programmes = programmes.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(target_group__icontains=word)
        )
    return list(programmes.order_by("-start_date", "title")[:limit])


def signups_past_retention(cutoff) -> QuerySet:
    """Sign-ups of programmes that ended before cutoff (a date): by their end date, or with
    none, by their last session's end."""
    ended = Programme.objects.alias(last=Max("sessions__ends_at")).filter(
        Q(end_date__lt=cutoff) | Q(end_date__isnull=True, last__date__lt=cutoff)
    )
    return SignUp.objects.filter(session__programme__in=ended)


def signups_made_by(user) -> list[dict]:
    """The sign-ups user made, for their own data download (one query)."""
    return [
        {
            "programme": signup.session.programme.title,
            "session": signup.session.title,
            "session_starts_at": signup.session.starts_at.isoformat(),
            "company": signup.employer.name,
            "status": signup.status,
            "contact_name": signup.contact_name,
            "contact_phone": signup.contact_phone,
            "contact_email": signup.contact_email,
            "comment": signup.comment,
            "created_at": signup.created_at.isoformat(),
        }
        for signup in SignUp.objects.filter(signed_up_by=user).select_related(
            "session__programme", "employer"
        )
    ]


# --- Searches of the programme form's pickers (portal.pickers.Picker) ---------------------


def organisers_matching(user, organisations: QuerySet, query: str) -> QuerySet:
    """Among organisations (the form's choices), those user may name as organisers
    (access.organiser_candidates) whose name matches the query, best first."""
    candidates = access.organiser_candidates(user, organisations.defer(*search.COLUMNS))
    return search.organisations_search(candidates, query).only("name")


def agreements_matching(user, agreements: QuerySet, query: str) -> QuerySet:
    """Among agreements (the form's choices), those user may see that match the query in
    title, purpose, reference or a party's name, best first (the agreement search)."""
    visible = access.visible(user, agreements.defer(*search.COLUMNS))
    return search.agreements_search(visible, query)
