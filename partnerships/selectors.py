"""Reads for organisations and agreements, scoped by the access module, with their joins."""

import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, F, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Organisation, User
from portal.search import AnyOf

from . import progress, search, services
from .models import (
    NEWEST_FIRST,
    Activity,
    Agreement,
    AgreementDocument,
    AgreementParty,
    FocusArea,
    Goal,
    Signatory,
)

# --- Agreements -----------------------------------------------------------------------------


# Lists show no signatories: only an agreement's own page and its edit form read them.
SIGNATORIES = Prefetch("parties__signatories", queryset=Signatory.objects.order_by("pk"))


def agreements_visible(user) -> QuerySet:
    parties = AgreementParty.objects.select_related("organisation")
    return (
        access.visible(user, Agreement.objects.all())
        # The search columns are the database's to read: loading them makes every list,
        # page and export row several times wider.
        .defer(*search.COLUMNS)
        .select_related("responsible_adviser", "partner_contact")
        .prefetch_related(Prefetch("parties", queryset=parties))
    )


def agreements_searched(user, query: str, *, near=None) -> QuerySet:
    """The agreements the user may see that match the query, best first (the search page)."""
    return search.agreements_search(agreements_visible(user), query, near=near)


def agreement_get(user, reference: str) -> Agreement:
    """One agreement the user may see, or 404: a guessed reference reveals nothing."""
    return get_object_or_404(
        agreements_visible(user)
        # The one it replaces and the one replacing it, in the same query (their links).
        .select_related("replaces", "successor")
        .defer(
            *(
                f"{link}__{column}"
                for link in ("replaces", "successor")
                for column in search.COLUMNS
            )
        )
        .prefetch_related(
            SIGNATORIES,
            "goals",
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("responsible").order_by(
                    "done_at", "due_date"
                ),
            ),
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.select_related("uploaded_by"),
            ),
        ),
        reference=reference,
    )


def agreement_neighbours(user, agreement: Agreement) -> dict:
    """The agreement it replaces and the one replacing it, where the user may see them
    (agreement_get loaded both)."""
    neighbours = {
        "predecessor": agreement.replaces,
        "successor": getattr(agreement, "successor", None),
    }
    return {
        name: other if other is not None and access.can_view(user, other) else None
        for name, other in neighbours.items()
    }


# --- Progress -------------------------------------------------------------------------------


@dataclass
class GoalProgress:
    goal: Goal
    reached: int

    @property
    def percent(self) -> int | None:
        if not self.goal.target:
            return None
        return min(100, round(100 * self.reached / self.goal.target))


def goals_with_progress(agreement: Agreement) -> list[GoalProgress]:
    goals = list(agreement.goals.all())
    counted = (
        progress.agreement_progress(agreement)
        if any(g.measure != Goal.Measure.MANUAL for g in goals)
        else {}
    )
    return [
        GoalProgress(
            goal=goal,
            reached=goal.reached_manual
            if goal.measure == Goal.Measure.MANUAL
            else counted.get(goal.measure, 0),
        )
        for goal in goals
    ]


# --- History --------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: object
    who: object
    what: str  # the model's verbose name
    action: str  # "+", "~", "-"
    label: str
    changes: list  # (field verbose name, old, new)
    reason: str = ""

    @property
    def verb(self) -> str:
        return {"+": _("added"), "-": _("removed")}.get(self.action, _("changed"))


# JSON lists of codes, and the choices that name them.
CODE_LISTS = {(Agreement, "focus_areas"): FocusArea}


def _codes_shown(choices, codes) -> str | None:
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes) if codes else None


def _change_shown(field, change) -> tuple:
    """(field name, old, new) as a reader understands them: labels, not codes or ids."""
    name = str(field.verbose_name)
    if choices := CODE_LISTS.get((field.model, field.name)):
        return (name, _codes_shown(choices, change.old), _codes_shown(choices, change.new))
    if field.choices:
        labels = dict(field.flatchoices)
        return (name, labels.get(change.old, change.old), labels.get(change.new, change.new))
    if field.many_to_one:
        return (name, "", "")  # the related object's name would cost a query per change
    return (name, change.old, change.new)


def _entry(record, before, model, label, who) -> TimelineEntry | None:
    """A history record as the timeline shows it, with what changed since ``before``."""
    changes = []
    if before is not None and record.history_type == "~":
        delta = record.diff_against(before)
        for change in delta.changes:
            changes.append(_change_shown(model._meta.get_field(change.field), change))
        if not changes:
            return None  # a save that changed nothing
    return TimelineEntry(
        when=record.history_date,
        who=who,
        what=str(model._meta.verbose_name),
        action=record.history_type,
        label=label,
        changes=changes,
        reason=services.change_reason_label(record.history_change_reason or ""),
    )


# What the timeline shows: each model's history of one agreement, and a record's label (a
# deleted organisation leaves no name).
TIMELINE_MODELS = [
    (Agreement, "id", F("title")),
    (AgreementParty, "agreement_id", Coalesce(F("organisation__name"), Value(""))),
    (Goal, "agreement_id", F("text")),
    (Activity, "agreement_id", F("title")),
    (AgreementDocument, "agreement_id", F("title")),
]


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _loaded(model, db, **values):
    """An instance of model with only these fields read (the others deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _decoded(field, value, vendor):
    """A value as JSON carried it, as the field holds it (Django reads a JSON fixture's so)."""
    if value is None:
        return None
    if isinstance(field, JSONField):
        # SQLite's JSON_OBJECT carries the stored text; PostgreSQL's the value itself.
        return json.loads(value) if vendor == "sqlite" else value
    value = field.to_python(value)
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)  # SQLite's, stored in UTC
    return value


# What the timeline reads of a history record (its fields, the row before it) is never
# changed by the portal, so the first page's records are kept by their ids and times:
# reading them is the costliest part of an agreement's page, most of it Django building the
# query (docs/BENCHMARKS.md, "Sixth round"). Who made a change and a party's name can change:
# the page's first query reads those every time. Only the first page, the one the agreement's
# page shows: older pages would fill the cache with entries seldom read again.
TIMELINE_RECORDS_SECONDS = 60 * 60


@functools.cache
def _timeline_layout() -> str:
    return repr(
        [
            (history._meta.label, [field.attname for field in history._meta.concrete_fields])
            for history in (model.history.model for model, _key, _label in TIMELINE_MODELS)
        ]
    )


def _timeline_records_key(db, rows) -> str:
    """The cache key of these rows' records. The history models and their fields are part
    of it, so a deploy that changes them never reads an entry written before; the database's
    name and the rows' times, so another database (or one made again) never reads this one's.
    The tests clear the cache before each test, as their databases repeat ids and times."""
    identity = (_timeline_layout(), connections[db].settings_dict["NAME"], sorted(rows))
    return "timeline-records:v1:" + hashlib.sha256(repr(identity).encode()).hexdigest()


def _timeline_records(histories, rows, *, cached) -> dict:
    """The history records of a page's rows and the record before each (to tell what
    changed), in one query whichever tables they are in, or from the cache when `cached`:
    {(table, history_id): record}. Each table's record comes as one JSON object: the tables'
    columns differ, and the parts of a UNION must have the same."""
    if not rows:
        return {}
    db = histories[0][0].db
    if cached:
        values = cache.get_or_set(
            _timeline_records_key(db, rows),
            lambda: _timeline_values(histories, rows),
            TIMELINE_RECORDS_SECONDS,
        )
    else:
        values = _timeline_values(histories, rows)
    records = {}
    for index, fields in values:
        record = _loaded(histories[index][0].model, db, **fields)
        records[(index, record.history_id)] = record
    return records


def _timeline_values(histories, rows) -> list:
    """[(table, {column: value})] of the rows' records and those before them."""
    parts = []
    for index in sorted({table for table, _id, _date in rows}):
        history = histories[index][0]
        ids = [history_id for table, history_id, _date in rows if table == index]
        before = (
            history.model._default_manager.filter(
                id=OuterRef("id"), history_id__lt=OuterRef("history_id")
            )
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        before_ids = history.filter(history_id__in=ids).annotate(b=Subquery(before)).values("b")
        fields = history.model._meta.concrete_fields
        parts.append(
            history.filter(Q(history_id__in=ids) | Q(history_id__in=before_ids))
            .order_by()  # SQLite refuses ORDER BY in the parts of a UNION
            .annotate(
                part=Value(index),
                record=JSONObject(**{field.attname: field.attname for field in fields}),
            )
            .values_list("part", "record")
        )
    together = parts[0].union(*parts[1:], all=True).order_by()  # not the history's own
    vendor = connections[histories[0][0].db].vendor
    return [
        (
            index,
            {
                field.attname: _decoded(field, record[field.attname], vendor)
                for field in histories[index][0].model._meta.concrete_fields
            },
        )
        for index, record in together
    ]


def agreement_timeline(agreement: Agreement, page=1, per_page=20) -> TimelinePage:
    """One page of the changes to the agreement and its parties, goals, activities and
    documents, newest first. An agreement may have thousands of history rows: the page's rows
    are found by one query over all five history tables, then read, with the rows before them
    (to tell what changed), by one more (the first page's from the cache once read), so the
    work and the queries are the same for every page. No count: the page tells only whether
    older changes exist."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    histories = [
        (model.history.filter(**{key: agreement.pk}), model, label)
        for model, key, label in TIMELINE_MODELS
    ]
    keys = [
        # No ordering of their own: SQLite refuses ORDER BY in the parts of a UNION.
        history.order_by()
        .annotate(
            table=Value(index),
            label=label,
            who_name=F("history_user__full_name"),
            who_email=F("history_user__email"),
        )
        .values_list(
            "table",
            "history_id",
            "history_date",
            "label",
            "history_user_id",
            "who_name",
            "who_email",
        )
        for index, (history, _model, label) in enumerate(histories)
    ]
    start = (number - 1) * per_page
    rows = list(
        keys[0]
        .union(*keys[1:], all=True)
        .order_by("-history_date", "-history_id")[start : start + per_page + 1]
    )
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    records = _timeline_records(histories, [row[:3] for row in rows], cached=number == 1)
    db = histories[0][0].db
    entries = []
    for table, history_id, _date, label, who_id, who_name, who_email in rows:
        record = records[(table, history_id)]
        previous = max(
            (
                other
                for (other_table, other_id), other in records.items()
                if other_table == table and other.id == record.id and other_id < history_id
            ),
            key=lambda other: other.history_id,
            default=None,
        )
        who = who_id and _loaded(User, db, id=who_id, full_name=who_name, email=who_email)
        entries.append(_entry(record, previous, histories[table][1], label or "", who))
    return TimelinePage(
        entries=[entry for entry in entries if entry is not None], number=number, has_next=has_next
    )


# --- Dashboard ------------------------------------------------------------------------------


# How old the dashboard's counts may be. Counting by county reads every party of every
# agreement the user sees (a second at 100,000 agreements): once per scope and period, not
# on every visit. Past that, one visitor counts again while those who come in the same
# second are shown the last counts (kept a day), rather than all counting at once.
DASHBOARD_COUNTS_SECONDS = 300
DASHBOARD_COUNTS_KEPT_SECONDS = 24 * 60 * 60


def dashboard_counts_key(visible: QuerySet) -> str:
    """The cache key of these counts: the visible queryset's SQL, so users who see the same
    agreements share one entry and no user ever gets another scope's counts."""
    return "dashboard-counts:v2:" + hashlib.sha256(str(visible.query).encode()).hexdigest()


def _dashboard_counts(visible: QuerySet) -> tuple[dict, list]:
    """Agreements by status and by county, as (status: n, [(county, n)])."""
    key = dashboard_counts_key(visible)
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None:
        counts, counted_at = cached
        fresh = now - counted_at < timedelta(seconds=DASHBOARD_COUNTS_SECONDS)
        # add() succeeds for one visitor, who counts again (a count that fails leaves the
        # others on the last counts for a minute).
        if fresh or not cache.add(f"{key}:counting", True, 60):
            return counts
    by_status = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    by_county = list(
        AgreementParty.objects.filter(agreement__in=visible.values("pk"))
        .exclude(organisation__county="")
        .values_list("organisation__county")
        .annotate(n=Count("agreement", distinct=True))
        .order_by()
    )
    cache.set(key, ((by_status, by_county), now), DASHBOARD_COUNTS_KEPT_SECONDS)
    cache.delete(f"{key}:counting")
    return by_status, by_county


def dashboard_for(user, today: date | None = None) -> dict:
    """What an adviser (or partner) needs at a glance."""
    today = today or timezone.localdate()
    visible = access.visible(user, Agreement.objects.all())
    by_status, by_county_rows = _dashboard_counts(visible)
    statuses = [(label, by_status.get(value, 0)) for value, label in Agreement.Status.choices]
    county_labels = dict(Organisation._meta.get_field("county").choices)
    counties = sorted(
        ((county_labels.get(code, code), n) for code, n in by_county_rows),
        key=lambda pair: (-pair[1], pair[0]),
    )
    ending_soon = (
        visible.filter(
            status=Agreement.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=90),
        )
        .select_related("responsible_adviser")
        .order_by("end_date")[:10]
    )
    activities = (
        access.visible(user, Activity.objects.all())
        .filter(done_at__isnull=True, due_date__lte=today + timedelta(days=14))
        .filter(
            Q(responsible=user)
            | Q(
                AnyOf(
                    "agreement_id", Agreement.objects.filter(responsible_adviser=user).values("pk")
                )
            )
        )
        .select_related("agreement", "responsible")
        .order_by("due_date", "pk")[:15]
    )
    recent = list(
        Agreement.history.filter(id__in=visible.values("pk"))
        .exclude(history_user=user)
        .select_related("history_user")
        .order_by("-history_date")[:10]
    )
    for record in recent:
        record.reason_label = services.change_reason_label(record.history_change_reason or "")
    return {
        "statuses": statuses,
        "status_max": max([n for _, n in statuses] or [0]),
        "counties": counties,
        "county_max": max([n for _, n in counties] or [0]),
        "ending_soon": list(ending_soon),
        "activities": list(activities),
        "recent_changes": list(recent),
        "today": today,
    }


# --- Organisations --------------------------------------------------------------------------


def organisations_visible(user) -> QuerySet:
    return access.visible(user, Organisation.objects.defer(*search.COLUMNS)).order_by("name")


def organisations_searched(user, query: str, *, near=None) -> QuerySet:
    return search.organisations_search(organisations_visible(user), query, near=near)


# --- Searches of an edit form's pickers (portal.pickers.Picker) ---------------------------
#
# Each narrows the field's own choices (what its validation accepts) by what was typed; the
# form shows at most portal.pickers.PICKER_MATCHES of them.


def organisations_matching(user, organisations: QuerySet, query: str) -> QuerySet:
    """The organisations among ``organisations`` that user may see whose name matches the
    query, best first (the organisation search's ranking)."""
    visible = access.visible(user, organisations.defer(*search.COLUMNS))
    return search.organisations_search(visible, query).only("name")


def nav_units_matching(user, units: QuerySet, query: str) -> QuerySet:
    """The NAV units among ``units`` whose name matches the query, best first. Not narrowed
    by who searches: NAV's offices are known to all, and the agreement list's filter, which
    partner staff use too, has always offered every one of them."""
    return search.organisations_search(units.defer(*search.COLUMNS), query).only("name")


def people_matching(user, people: QuerySet, query: str) -> QuerySet:
    """The people among ``people`` whose name contains the query, or whose e-mail does where
    the e-mail is theirs to read: user may see the person (access), or the person has no name
    and the list shows the e-mail instead. A partner picking who follows up an agreement sees
    the other parties' people by name only, and cannot probe their addresses."""
    readable = Q(full_name="") | Q(pk__in=access.visible(user, people.model.objects.all()))
    matches = Q(full_name__icontains=query) | (Q(email__icontains=query) & readable)
    return people.filter(matches).order_by("full_name", "email")


def contacts_matching(user, contacts: QuerySet, query: str) -> QuerySet:
    """The contact persons among ``contacts`` that user may see whose name, e-mail or
    organisation contains the query."""
    matches = (
        Q(name__icontains=query)
        | Q(email__icontains=query)
        | Q(organisation__name__icontains=query)
    )
    return access.visible(user, contacts).filter(matches).order_by("name", "pk")


def organisation_get(user, pk: int) -> Organisation:
    return get_object_or_404(access.visible(user, Organisation.objects.all()), pk=pk)


def organisation_related(user, organisation: Organisation, page=None, per_page=25) -> dict:
    """An organisation's agreements a page at a time (a NAV unit may have thousands), and its
    contact persons."""
    parties = AgreementParty.objects.filter(organisation=organisation)
    agreements = (
        agreements_visible(user)
        .filter(pk__in=parties.values("agreement"))
        .order_by(*NEWEST_FIRST)  # the first pages along the index, not a sort of thousands
    )
    contacts = access.visible(user, organisation.contacts.all())
    paginator = Paginator(agreements, per_page)
    if access.sees_all(user, Agreement):
        # An organisation is a party once per agreement (party_once_per_agreement): its own
        # index counts its party rows without reading thousands of agreements.
        paginator.count = parties.count()
    page = paginator.get_page(page)
    return {"agreements": page.object_list, "page": page, "contacts": list(contacts)}


# --- What an edit form showed ------------------------------------------------------------


def agreement_for_edit(user, reference: str) -> Agreement:
    """An agreement the user may see, with everything its edit form shows, or 404."""
    return get_object_or_404(
        agreements_visible(user)
        .select_related("partner_contact__organisation")
        .prefetch_related(SIGNATORIES, "goals"),
        reference=reference,
    )


def organisation_for_edit(user, pk: int) -> Organisation:
    return get_object_or_404(
        access.visible(user, Organisation.objects.prefetch_related("contacts")), pk=pk
    )


def _text(value) -> str:
    return "" if value is None else str(value)


def agreement_snapshot(agreement: Agreement) -> dict:
    """What the edit form shows of an agreement, as text: kept in the form when it is
    opened, and compared with a later one to tell what someone else changed meanwhile."""
    return {
        **{
            name: _text(getattr(agreement, name))
            for name in ["title", "purpose", "start_date", "end_date", "notice_period_months"]
        },
        "focus_areas": ", ".join(str(label) for label in agreement.focus_area_labels()),
        "responsible_adviser": _text(agreement.responsible_adviser),
        "partner_contact": _text(agreement.partner_contact),
        "parties": sorted(
            " – ".join(
                [
                    str(party.organisation),
                    *(
                        ", ".join(filter(None, [s.name, s.title, _text(s.signed_on)]))
                        for s in party.signatories.all()
                    ),
                ]
            )
            for party in agreement.parties.all()
        ),
        "goals": sorted(
            ", ".join(filter(None, [goal.text, _text(goal.target), goal.get_measure_display()]))
            for goal in agreement.goals.all()
        ),
    }


def organisation_snapshot(organisation: Organisation) -> dict:
    """What the edit form shows of an organisation, as text (see agreement_snapshot)."""
    names = ["name", "org_number", "municipality", "website", "description"]
    return {
        **{name: getattr(organisation, name) for name in names},
        "kind": str(organisation.get_kind_display()),
        "category": str(organisation.get_category_display()),
        "county": str(organisation.get_county_display()),
        "contacts": sorted(
            ", ".join(filter(None, [c.name, c.title, c.email, c.phone]))
            for c in organisation.contacts.all()
        ),
    }


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    added: list[str] | None = None
    removed: list[str] | None = None


def changes_between(before: dict, after: dict, labels: dict) -> list[Change]:
    """What differs between two snapshots, in the order of ``labels`` (name: label)."""
    changes = []
    for name, label in labels.items():
        old, new = before.get(name), after.get(name)
        if old == new or old is None:
            continue
        if isinstance(new, list):
            changes.append(
                Change(
                    str(label),
                    added=[row for row in new if row not in old],
                    removed=[row for row in old if row not in new],
                )
            )
        else:
            changes.append(Change(str(label), before=old, after=new))
    return changes
