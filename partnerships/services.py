"""Writes for organisations and agreements. Views and forms call these; rules live here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Organisation
from portal.exceptions import BusinessRuleError, StaleEditError
from portal.news.services import article_draft_create
from portal.reminders import services as reminder_services
from portal.reminders.rules import Due

from .models import (
    Activity,
    Agreement,
    AgreementDocument,
    AgreementParty,
    ContactPerson,
    Goal,
    Signatory,
)
from .reminders import AGREEMENT_MANUAL
from .validators import sniff_document_type

# --- Parties ------------------------------------------------------------------------------


@dataclass
class PartyInput:
    """One party of an agreement with the people who signed for it."""

    organisation: Organisation
    # name, title, signed_on; and the id of a signatory already saved, to change it.
    signatories: list[dict] = field(default_factory=list)


def parties_check(parties: list[PartyInput]) -> None:
    """At least one NAV unit and one partner among the parties."""
    kinds = {party.organisation.kind for party in parties}
    if Organisation.Kind.NAV_UNIT not in kinds or Organisation.Kind.PARTNER not in kinds:
        raise BusinessRuleError(
            _("An agreement needs at least one NAV unit and one partner among its parties."),
            field="parties",
        )


def _rows_save(
    rows: list[dict], existing: QuerySet, new: Callable[[], Model], user, *, field: str
) -> None:
    """Make a parent's rows (goals, signatories, contacts) these: a row with the id of one
    of ``existing`` changes it, a row without one is added, and the others are deleted.
    Each row is saved on its own, so the history records every change and who made it."""
    keep = [row["id"] for row in rows if row.get("id")]
    for gone in existing.exclude(pk__in=keep):
        gone._history_user = user
        gone.delete()
    saved = {row.pk: row for row in existing.filter(pk__in=keep)}
    for values in rows:
        values = dict(values)
        row = saved.get(values.pop("id", None)) or new()
        for name, value in values.items():
            setattr(row, name, value)
        try:
            row.full_clean()
        except ValidationError as error:  # the model's rule, told with the row it broke
            raise BusinessRuleError(
                format_lazy("{}: {}", row, " ".join(error.messages)), field=field
            ) from error
        row._history_user = user
        row.save()


def _parties_save(agreement: Agreement, parties: list[PartyInput], user) -> None:
    # Parties are matched by organisation: one party per organisation (a constraint).
    keep = {party.organisation.pk for party in parties}
    for gone in agreement.parties.exclude(organisation_id__in=keep):
        gone._history_user = user
        gone.delete()
    existing = {party.organisation_id: party for party in agreement.parties.all()}
    for party_input in parties:
        party = existing.get(party_input.organisation.pk)
        if party is None:
            party = AgreementParty(agreement=agreement, organisation=party_input.organisation)
            party._history_user = user
            party.save()
        _rows_save(
            party_input.signatories,
            party.signatories.all(),
            lambda party=party: Signatory(party=party),
            user,
            field="parties",
        )


def edit_version_check(obj: Model, version: int | None, *, lock: bool = False) -> int:
    """The version of obj (an agreement or organisation) as saved now; StaleEditError when a
    form opened at ``version`` is out of date (None: not from a form, no check).

    Locked (on PostgreSQL), the row stays so until the transaction ends: of two saves of the
    same version, the second waits for the first and then finds its version taken.
    """
    model = type(obj)
    queryset = model.objects.select_for_update() if lock else model.objects.all()
    current = queryset.values_list("version", flat=True).get(pk=obj.pk)
    if version is not None and version != current:
        saved_by = []
        if history := getattr(model, "history", None):
            records = history.filter(id=obj.pk, version__gt=version, history_user__isnull=False)
            saved_by = sorted({str(record.history_user) for record in records})
        raise StaleEditError(
            _("Someone else saved this after you opened it."), version=current, saved_by=saved_by
        )
    return current


def _version_claim(obj: Model, version: int | None) -> None:
    """Take the next version of obj for this save, or refuse a stale form."""
    obj.version = edit_version_check(obj, version, lock=True) + 1


# --- Agreements -----------------------------------------------------------------------------


def agreement_number_next(year: int) -> int:
    """The year's next number, from the numeric column: as text "SA-2026-9999" sorts above
    "SA-2026-10000", so the text maximum stopped counting at 10,000."""
    last = Agreement.objects.filter(reference_year=year).aggregate(Max("reference_number"))
    return (last["reference_number__max"] or 0) + 1


def _adviser_check(adviser) -> None:
    if not access.can_be_responsible(adviser):
        raise BusinessRuleError(
            _("The responsible adviser must work in a NAV unit."), field="responsible_adviser"
        )


def _contact_check(contact: ContactPerson | None, parties: list[PartyInput]) -> None:
    if contact and contact.organisation_id not in {p.organisation.pk for p in parties}:
        raise BusinessRuleError(
            _("The partner's contact person must belong to one of the parties."),
            field="partner_contact",
        )


def _goals_save(agreement: Agreement, goals: list[dict], user) -> None:
    _rows_save(goals, agreement.goals.all(), lambda: Goal(agreement=agreement), user, field="goals")


@transaction.atomic
def agreement_create(
    *, user, data: dict, parties: list[PartyInput], goals: list[dict] = ()
) -> Agreement:
    """Register an agreement (also one signed years ago) with its parties and goals."""
    if not access.can_register(user):
        raise BusinessRuleError(_("Only NAV advisers can register agreements."))
    parties_check(parties)
    _adviser_check(data["responsible_adviser"])
    _contact_check(data.get("partner_contact"), parties)
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                number = agreement_number_next(year)
                agreement = Agreement(
                    reference=f"SA-{year}-{number:04d}",
                    reference_year=year,
                    reference_number=number,
                    **data,
                )
                # The reference's uniqueness is left to the database: a registration that
                # took the same number at the same moment is an IntegrityError, retried.
                agreement.full_clean(exclude=["reference", "reference_year", "reference_number"])
                agreement._history_user = user
                agreement.save()
                break
        except IntegrityError:  # two registrations took the same number: take the next
            continue
    else:
        raise BusinessRuleError(_("Could not give the agreement a reference. Try again."))
    _parties_save(agreement, parties, user)
    _goals_save(agreement, list(goals), user)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    user,
    data: dict,
    parties: list[PartyInput],
    goals: list[dict] = (),
    version: int | None = None,
) -> Agreement:
    """Change an agreement with its parties, signatories and goals, all or nothing.

    ``version`` is the one the edit form was opened at: if someone saved the agreement since,
    StaleEditError, and nothing is saved.
    """
    if not access.can_change(user, agreement):
        raise BusinessRuleError(_("You may not change this agreement."))
    _version_claim(agreement, version)
    if not access.can_hand_over(user, agreement) and (
        data["responsible_adviser"].pk != agreement.responsible_adviser_id
    ):
        # Otherwise any adviser could make themselves responsible, then terminate early.
        raise BusinessRuleError(
            _("Only the responsible adviser or an admin can hand the agreement over."),
            field="responsible_adviser",
        )
    parties_check(parties)
    _adviser_check(data["responsible_adviser"])
    _contact_check(data.get("partner_contact"), parties)
    for name, value in data.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement._history_user = user
    # Only what the form edits: a status changed meanwhile is not written back.
    agreement.save(update_fields=[*data, "version", "updated_at"])
    _parties_save(agreement, parties, user)
    _goals_save(agreement, list(goals), user)
    return agreement


# --- Lifecycle ------------------------------------------------------------------------------

S = Agreement.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    # Who may press the button, beyond being allowed to change the agreement.
    responsible_only: bool = False
    # A step that cannot be undone asks first: the question and what it means.
    confirm_heading: str = ""
    confirm_body: str = ""


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("negotiate", _("Start negotiation"), frozenset({S.DRAFT}), S.NEGOTIATION),
        Transition("activate", _("Activate"), frozenset({S.NEGOTIATION}), S.ACTIVE),
        Transition("end", _("Mark as ended"), frozenset({S.ACTIVE}), S.ENDED),
        # Ending early breaks a signed agreement: only its responsible adviser (or an admin).
        Transition(
            "terminate",
            _("Terminate early"),
            frozenset({S.ACTIVE}),
            S.TERMINATED,
            responsible_only=True,
            confirm_heading=_("Terminate the agreement early?"),
            confirm_body=_(
                "The agreement ends today and cannot be activated again. "
                "The history keeps who did it."
            ),
        ),
    ]
}


def change_reason_label(reason: str) -> str:
    """The history's change reason as the reader says it (transitions store their name)."""
    transition = TRANSITIONS.get(reason)
    return str(transition.label) if transition else reason


def transition_allowed(user, agreement: Agreement, transition: Transition) -> bool:
    return agreement.status in transition.sources and access.can_move(
        user, agreement, responsible_only=transition.responsible_only
    )


def transitions_available(user, agreement: Agreement) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if transition_allowed(user, agreement, t)]


@transaction.atomic
def agreement_transition(*, agreement: Agreement, user, name: str) -> Agreement:
    """Move the agreement along its lifecycle; the history records who did it and when."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    transition = TRANSITIONS.get(name)
    if transition is None or not transition_allowed(user, agreement, transition):
        raise BusinessRuleError(_("This change of status is not allowed."))
    if transition.target == S.ACTIVE and not agreement.parties.exists():
        raise BusinessRuleError(_("An agreement without parties cannot be activated."))
    if transition.target in (S.ENDED, S.TERMINATED) and not agreement.end_date:
        try:
            day_after_start = agreement.start_date + timedelta(days=1)
        except OverflowError:  # stored before dates were limited, like 9999-12-31
            raise BusinessRuleError(
                _("The start date %(date)s cannot be right: correct it first.")
                % {"date": agreement.start_date.isoformat()},
                field="start_date",
            ) from None
        agreement.end_date = max(timezone.localdate(), day_after_start)
    agreement.status = transition.target
    # A new version: an edit form opened before this would otherwise write the old end date
    # (and so undo what the step filled in) when it is saved.
    agreement.version += 1
    agreement._history_user = user
    agreement._change_reason = transition.name  # shown translated, in the reader's language
    agreement.save()
    return agreement


def renew_allowed(user, agreement: Agreement) -> bool:
    return (
        agreement.status in (S.ACTIVE, S.ENDED)
        and not hasattr(agreement, "successor")
        and access.can_renew(user)
    )


@transaction.atomic
def agreement_renew(*, agreement: Agreement, user, start_date: date | None = None) -> Agreement:
    """A draft successor with the same parties, focus and goals, linked to the one it replaces."""
    if not renew_allowed(user, agreement):
        raise BusinessRuleError(_("This agreement cannot be renewed."))
    parties = [
        PartyInput(organisation=party.organisation)
        for party in agreement.parties.select_related("organisation")
    ]
    start = start_date or (agreement.end_date or timezone.localdate())
    successor = agreement_create(
        user=user,
        data={
            "title": agreement.title,
            "purpose": agreement.purpose,
            "focus_areas": agreement.focus_areas,
            "start_date": start,
            "end_date": None,
            "notice_period_months": agreement.notice_period_months,
            "responsible_adviser": agreement.responsible_adviser,
            "partner_contact": agreement.partner_contact,
            "replaces": agreement,
        },
        parties=parties,
        goals=[
            {"text": g.text, "target": g.target, "measure": g.measure}
            for g in agreement.goals.all()
        ],
    )
    return successor


# --- Activities and documents --------------------------------------------------------------


def activity_create(*, agreement: Agreement, user, data: dict) -> Activity:
    """NAV advisers and the partners' staff may add follow-ups to an agreement they can see."""
    if not access.can_view(user, agreement):
        raise BusinessRuleError(_("You may not add activities to this agreement."))
    activity = Activity(agreement=agreement, **data)
    activity.full_clean()
    activity._history_user = user
    activity.save()
    return activity


def activity_mark_done(*, activity: Activity, user, done: bool = True) -> Activity:
    if not access.can_change(user, activity):
        raise BusinessRuleError(_("You may not change this activity."))
    activity.done_at = timezone.now() if done else None
    activity._history_user = user
    activity.save()
    return activity


def document_upload(
    *, agreement: Agreement, user, title: str, kind: str, file
) -> AgreementDocument:
    if not access.can_view(user, agreement):
        raise BusinessRuleError(_("You may not add documents to this agreement."))
    document = AgreementDocument(
        agreement=agreement,
        title=title,
        kind=kind,
        file=file,
        content_type=sniff_document_type(file) or "",
        size=file.size,
        uploaded_by=user,
    )
    document.full_clean()
    document._history_user = user
    document.save()
    return document


# --- News -----------------------------------------------------------------------------------


def agreement_news_draft(*, agreement: Agreement, user):
    """Start a news article from the agreement's facts, for an editor to finish."""
    if not (access.can_start_news_draft(user) and access.can_view(user, agreement)):
        raise BusinessRuleError(_("Only editors and NAV advisers can start news articles."))
    if not agreement.is_signed:
        # Until it is signed an agreement is no news, and its title no public matter.
        raise BusinessRuleError(_("News can be drafted about signed agreements only."))
    parties = list(agreement.parties.select_related("organisation").prefetch_related("signatories"))
    names = [str(party.organisation) for party in parties]
    signed = [
        ", ".join(filter(None, [f"- {signatory.name}", signatory.title, str(party.organisation)]))
        for party in parties
        for signatory in party.signatories.all()
    ]
    body = [agreement.purpose]
    if agreement.focus_areas:
        body.append(
            gettext("The cooperation focuses on: %(areas)s.")
            % {"areas": ", ".join(str(label).lower() for label in agreement.focus_area_labels())}
        )
    if signed:
        body += ["## " + gettext("Signed by"), "\n".join(signed)]
    article = article_draft_create(
        author=user,
        title=gettext("New cooperation agreement: %(title)s") % {"title": agreement.title},
        lead=gettext("%(parties)s have entered into a cooperation agreement.")
        % {"parties": _join(names)},
        body="\n\n".join(body),
        language=translation.get_language() or "nb",
        organisations=[party.organisation for party in parties],
    )
    article.related_agreements.add(agreement)
    return article


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# --- Organisations --------------------------------------------------------------------------


@transaction.atomic
def organisation_save(
    *, organisation: Organisation, user, contacts: list[dict], version: int | None = None
) -> Organisation:
    """Create or update an organisation with its contact persons (advisers and admins).

    ``version`` is the one the edit form was opened at: if someone saved the organisation
    since, StaleEditError, and nothing is saved.
    """
    allowed = (
        access.can_change(user, organisation) if organisation.pk else access.can_register(user)
    )
    if not allowed:
        raise BusinessRuleError(_("Only NAV advisers can register and edit organisations."))
    if organisation.pk is not None:
        _version_claim(organisation, version)
    organisation.full_clean()
    organisation.save()
    _rows_save(
        contacts,
        organisation.contacts.all(),
        lambda: ContactPerson(organisation=organisation),
        user,
        field="contacts",
    )
    return organisation


# --- Reminders sent by hand ---------------------------------------------------------------


def agreements_remind(*, user, agreements: QuerySet, now=None) -> int:
    """*Send a reminder now* (the admin site): each agreement user may change reminds its
    responsible adviser, once per press (the moment is the occasion, so every press is new
    rows). The rows go through the outbox and are queued once the transaction commits.
    Returns how many were queued."""
    now = now or timezone.now()
    occasion = f"manual:{now.strftime('%Y%m%dT%H%M%S%f')}"
    dues = [
        Due(agreement, occasion, recipient=agreement.responsible_adviser)
        for agreement in access.changeable(user, agreements)
        .filter(responsible_adviser__is_active=True)
        .select_related("responsible_adviser")
    ]
    recorded = reminder_services.reminders_record(AGREEMENT_MANUAL, dues, now=now)
    if recorded:
        transaction.on_commit(reminder_services.reminders_dispatch)
    return recorded
