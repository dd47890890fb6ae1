"""Writes for programmes, sessions and sign-ups. Views and forms call these; rules live here.

Places: a sign-up that is pending, confirmed, attended or a no-show holds one of its
session's places; when the session is full a new sign-up goes on the waiting list. The
session row is locked (SELECT ... FOR UPDATE) while places are counted, so two employers
racing for the last place cannot both get it. A place that is given up (a cancellation or a
decline) goes to the first on the waiting list, who is told by e-mail.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Organisation
from portal.exceptions import BusinessRuleError
from portal.news.services import article_draft_create
from portal.reminders import services as reminder_services

from . import notifications, selectors
from .models import HOLDS_A_PLACE, RESERVED_SLUGS, Programme, Session, SessionResult, SignUp
from .reminders import SESSION_TOMORROW

S = SignUp.Status

# --- Programmes -----------------------------------------------------------------------------


def _programme_rules(user, organisers, agreements, already=()) -> None:
    if not organisers:
        raise BusinessRuleError(_("Name at least one organiser."), field="organisers")
    if any(org.kind == Organisation.Kind.EMPLOYER for org in organisers):
        raise BusinessRuleError(
            _("Organisers are NAV units and partners, not employers."), field="organisers"
        )
    if not access.can_organise_as(user, organisers, already):
        raise BusinessRuleError(
            _(
                "Partner staff organise programmes for their own organisation; a NAV adviser "
                "adds another partner."
            ),
            field="organisers",
        )
    if not agreements:
        raise BusinessRuleError(
            _("A programme belongs to at least one signed agreement."), field="agreements"
        )
    unsigned = [a for a in agreements if not a.is_signed]
    if unsigned:
        raise BusinessRuleError(
            _("%(agreement)s is not signed: a programme belongs to signed agreements only.")
            % {"agreement": unsigned[0]},
            field="agreements",
        )


def _unique_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title)[:70] or "program"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or (
        Programme.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def programme_create(*, user, data: dict, organisers, agreements) -> Programme:
    if not access.can_create_programme(user):
        raise BusinessRuleError(_("Only NAV advisers and partner staff can create programmes."))
    organisers, agreements = list(organisers), list(agreements)
    _programme_rules(user, organisers, agreements)
    programme = Programme(**data)
    if not programme.slug:
        programme.slug = _unique_slug(programme.title)
    return _programme_write(programme, user, organisers, agreements)


def _programme_write(programme, user, organisers, agreements) -> Programme:
    programme.full_clean()
    programme._history_user = user
    programme.save()
    programme.organisers.set(organisers)
    programme.agreements.set(agreements)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, user, data: dict, organisers, agreements):
    if not access.can_change(user, programme):
        raise BusinessRuleError(_("You may not change this programme."))
    organisers, agreements = list(organisers), list(agreements)
    _programme_rules(user, organisers, agreements, already=list(programme.organisers.all()))
    for name, value in data.items():
        setattr(programme, name, value)
    return _programme_write(programme, user, organisers, agreements)


def session_check(*, session: Session, user) -> None:
    """The rules of a session across rows (the admin site's form asks before saving)."""
    if not access.can_change(user, session.programme):
        raise BusinessRuleError(_("You may not change this programme."), field="programme")
    if session.pk:
        taken = session.signups.filter(status__in=HOLDS_A_PLACE).count()
        if session.capacity < taken:
            raise BusinessRuleError(
                _("%(taken)s employers hold a place: the session needs at least as many.")
                % {"taken": taken},
                field="capacity",
            )


def session_save(*, session: Session, user) -> Session:
    """Create or change a session of a programme user may change."""
    session_check(session=session, user=user)
    session.full_clean()
    session._history_user = user
    session.save()
    return session


def session_result_save(*, session: Session, user, figures: dict) -> SessionResult:
    """The aggregate figures of a session: no personal data about any job seeker."""
    if not access.can_change(user, session.programme):
        raise BusinessRuleError(_("You may not change this programme."))
    if session.starts_at > timezone.now():
        raise BusinessRuleError(_("Results can be recorded once the session has started."))
    result, _created = SessionResult.objects.get_or_create(session=session)
    for name, value in figures.items():
        setattr(result, name, value)
    result.full_clean()
    result._history_user = user
    result.save()
    return result


# --- Sign-ups -------------------------------------------------------------------------------

SIGNUP_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "internship_places",
    "job_openings",
    "mentors",
    "company_visit",
    "talk",
    "sector",
    "comment",
    "consent_to_contact",
)


def _company_of(user, employer: Organisation) -> Organisation:
    if not access.can_sign_up_for(user, employer):
        raise BusinessRuleError(_("You can sign up only your own company."))
    return employer


def _may_act_on(user, signup: SignUp) -> None:
    if not access.can_act_on_signup(user, signup):
        raise BusinessRuleError(_("You may not change this sign-up."))


@transaction.atomic
def signup_create(*, user, employer: Organisation, sessions, data: dict, now=None) -> list[SignUp]:
    """Sign a company up for one or more sessions of a programme.

    Each sign-up holds a place while the session has one, and goes on the waiting list when
    it has none. Sends one confirmation in the employer's language, after commit.
    """
    now = now or timezone.now()
    employer = _company_of(user, employer)
    sessions = list(sessions)
    if not sessions:
        raise BusinessRuleError(_("Choose at least one session."), field="sessions")
    programmes = {session.programme_id for session in sessions}
    if len(programmes) != 1:
        raise BusinessRuleError(_("Choose sessions of one programme."), field="sessions")
    if not data.get("consent_to_contact"):
        raise BusinessRuleError(
            _("NAV needs your consent to contact you about the sign-up."),
            field="consent_to_contact",
        )
    programme = Programme.objects.get(pk=programmes.pop())
    if not programme.takes_signups(timezone.localdate(now)):
        raise BusinessRuleError(
            _("%(programme)s does not take sign-ups now.") % {"programme": programme}
        )
    created = []
    # Lock the sessions in one order, so that two sign-ups for the same sessions never
    # wait for each other crosswise.
    locked = Session.objects.select_for_update().filter(pk__in=[s.pk for s in sessions])
    for session in locked.order_by("pk"):
        if session.starts_at <= now:
            raise BusinessRuleError(
                _("%(session)s has started: choose a later session.") % {"session": session},
                field="sessions",
            )
        taken = session.signups.filter(status__in=HOLDS_A_PLACE).count()
        signup = SignUp(
            session=session,
            employer=employer,
            signed_up_by=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            status=S.PENDING if taken < session.capacity else S.WAITING,
            created_at=now,
            **{name: data.get(name) for name in SIGNUP_FIELDS if name in data},
        )
        signup.full_clean(exclude=["session", "employer"])
        signup._history_user = user
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError:
            raise BusinessRuleError(
                _("%(company)s is already signed up for %(session)s.")
                % {"company": employer, "session": session},
                field="sessions",
            ) from None
        created.append(signup)
    notifications.signups_received(created)
    return created


def cancel_cutoff(session: Session):
    """Employers may cancel until this time; later, they call the organisers."""
    return session.starts_at - timedelta(hours=settings.SIGNUP_CANCEL_CUTOFF_HOURS)


def signup_can_be_cancelled(signup: SignUp, now=None) -> bool:
    return signup.status in (S.PENDING, S.CONFIRMED, S.WAITING) and (
        now or timezone.now()
    ) < cancel_cutoff(signup.session)


@transaction.atomic
def signup_cancel(*, user, signup: SignUp, now=None) -> SignUp:
    """The employer gives up a sign-up; a place it held goes to the next on the waiting list."""
    _may_act_on(user, signup)
    session = Session.objects.select_for_update().get(pk=signup.session_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if not signup_can_be_cancelled(signup, now):
        raise BusinessRuleError(
            _("This sign-up can no longer be cancelled here. Contact the organisers.")
        )
    held = signup.holds_a_place
    signup.status = S.CANCELLED
    signup._history_user = user
    signup.save()
    if held:
        _promote_next(session, user)
    return signup


@transaction.atomic
def signup_change(*, user, signup: SignUp, data: dict, now=None) -> SignUp:
    """The employer changes what it offers or who to contact, until the cut-off."""
    _may_act_on(user, signup)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if not signup_can_be_cancelled(signup, now):
        raise BusinessRuleError(
            _("This sign-up can no longer be changed here. Contact the organisers.")
        )
    for name in SIGNUP_FIELDS:
        if name in data:
            setattr(signup, name, data[name])
    signup.full_clean(exclude=["session", "employer"])
    signup._history_user = user
    signup.save()
    return signup


def _promote_next(session: Session, user) -> SignUp | None:
    """Give a freed place to the first on the waiting list (the session row is locked)."""
    taken = session.signups.filter(status__in=HOLDS_A_PLACE).count()
    if taken >= session.capacity:
        return None
    following = selectors.next_on_waiting_list(session)
    if following is None:
        return None
    following.status = S.PENDING
    following._history_user = user
    following._change_reason = "promoted"
    following.save()
    notifications.signup_promoted(following)
    return following


@transaction.atomic
def signup_decide(*, user, signup: SignUp, confirm: bool, message: str = "") -> SignUp:
    """The organisers confirm or decline a sign-up; the employer is told, with the message."""
    if not access.can_change(user, signup):
        raise BusinessRuleError(_("You may not review this sign-up."))
    session = Session.objects.select_for_update().get(pk=signup.session_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    allowed = (S.PENDING, S.WAITING) if confirm else (S.PENDING, S.CONFIRMED, S.WAITING)
    if signup.status not in allowed:
        raise BusinessRuleError(
            _("A sign-up that is %(status)s cannot be changed so.")
            % {"status": signup.get_status_display().lower()}
        )
    if confirm and signup.status == S.WAITING:
        taken = session.signups.filter(status__in=HOLDS_A_PLACE).count()
        if taken >= session.capacity:
            raise BusinessRuleError(
                _("The session is full: raise its number of places first."), field="capacity"
            )
    held = signup.holds_a_place
    signup.status = S.CONFIRMED if confirm else S.DECLINED
    signup.message = message
    signup.decided_by = user
    signup.decided_at = timezone.now()
    signup._history_user = user
    signup.save()
    notifications.signup_decided(signup)
    if held and not confirm and not session.has_started():
        _promote_next(session, user)
    return signup


def signup_attendance(*, user, signup: SignUp, attended: bool) -> SignUp:
    if not access.can_change(user, signup):
        raise BusinessRuleError(_("You may not review this sign-up."))
    if signup.status not in (S.CONFIRMED, S.ATTENDED, S.NO_SHOW):
        raise BusinessRuleError(_("Only confirmed employers can be marked as present."))
    if not signup.session.has_started():
        raise BusinessRuleError(_("Attendance is marked once the session has started."))
    signup.status = S.ATTENDED if attended else S.NO_SHOW
    signup._history_user = user
    signup.save()
    return signup


# --- News -----------------------------------------------------------------------------------


def programme_news_draft(*, programme: Programme, user):
    """Start a news article from the programme's results, for an editor to finish."""
    if not (access.can_start_news_draft(user) and access.can_view(user, programme)):
        raise BusinessRuleError(_("Only editors and NAV advisers can start news articles."))
    agreements = list(programme.agreements.all())
    if programme.state == Programme.State.DRAFT:
        raise BusinessRuleError(_("A draft programme is no news yet."))
    if not agreements or not all(agreement.is_signed for agreement in agreements):
        raise BusinessRuleError(_("News can be drafted about signed agreements only."))
    results = selectors.programme_results(programme)
    figures = {"programme": programme.title, **results}
    body = [
        programme.description,
        "## " + gettext("Results so far"),
        "\n".join(
            [
                "- " + gettext("%(employers_taking_part)s employers taking part") % figures,
                "- " + gettext("%(sessions_held)s sessions held") % figures,
                "- " + gettext("%(jobs_gained)s people got a job") % figures,
            ]
        ),
    ]
    article = article_draft_create(
        author=user,
        title=gettext("Results from %(programme)s") % figures,
        lead=gettext(
            "%(employers_taking_part)s employers have taken part in %(programme)s so far, and "
            "%(jobs_gained)s people have got a job."
        )
        % figures,
        body="\n\n".join(part for part in body if part),
        language=translation.get_language() or "nb",
        organisations=list(programme.organisers.all()),
    )
    article.related_programmes.add(programme)
    article.related_agreements.add(*agreements)
    return article


# --- Privacy --------------------------------------------------------------------------------

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


def signup_contacts_erase(*, signups) -> int:
    """Clear the contact person, phone and e-mail of signups, in their history too; what the
    company offered stays (it is the programme's results). Idempotent."""
    erased = {field: "" for field in CONTACT_FIELDS}
    ids = list(signups.values_list("pk", flat=True))
    count = SignUp.objects.filter(pk__in=ids).exclude(**erased).update(**erased)
    SignUp.history.filter(id__in=ids).update(**erased)
    return count


def signup_contacts_of_user_erase(user) -> None:
    """An account being deleted: the sign-ups it made lose their contact data."""
    signup_contacts_erase(signups=SignUp.objects.filter(signed_up_by=user))


@transaction.atomic
def signup_contacts_purge(*, today=None) -> int:
    """Erase the contact data of sign-ups whose programme ended more than
    SIGNUP_CONTACT_RETENTION_DAYS ago. Idempotent: safe to run twice."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.SIGNUP_CONTACT_RETENTION_DAYS)
    return signup_contacts_erase(signups=selectors.signups_past_retention(cutoff))


# --- Reminders sent by hand ---------------------------------------------------------------


def sessions_remind(*, user, sessions, now=None) -> int:
    """*Send a reminder now* (the admin site): the confirmed employers of each session user
    may change, not yet begun, get the session reminder (with its calendar file), once per
    press. Employer mail keeps to the send window (weekdays 08-17); the rows are queued once
    the transaction commits. Returns how many were recorded."""
    now = now or timezone.now()
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    signups = SignUp.objects.filter(
        session__in=access.changeable(user, sessions).filter(starts_at__gt=now),
        status=SignUp.Status.CONFIRMED,
    ).select_related("session", "signed_up_by")
    dues = [SESSION_TOMORROW.due_for(signup, f"manual-{stamp}") for signup in signups]
    recorded = reminder_services.reminders_record(SESSION_TOMORROW, dues, now=now)
    if recorded:
        transaction.on_commit(reminder_services.reminders_dispatch)
    return recorded
