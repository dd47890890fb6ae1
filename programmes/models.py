"""Programmes such as WorkOP: meeting places where employers meet young job seekers.

A programme belongs to one or more signed agreements and is organised by NAV units and
partners. Its sessions (meeting places) take a number of employers each; an employer signs
its company up for a session with what it offers. The portal stores no personal data about
job seekers: results are aggregate figures per session.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models import Agreement
from portal.accounts.models import County, Organisation
from portal.search import lower_trigram_index
from portal.validators import (
    text_limit,
    validate_date_in_range,
    validate_datetime_in_range,
    validate_one_line,
)

# Paths under /programmes/ that a programme's slug must not take (programmes/urls.py).
RESERVED_SLUGS = {"results", "my-signups", "manage", "new"}


def validate_slug_free(slug: str) -> None:
    from django.core.exceptions import ValidationError

    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This address is taken by the portal. Choose another one."))


class OfferKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship places")
    JOB = "job", _("Job openings")
    MENTORING = "mentoring", _("Mentoring")
    COMPANY_VISIT = "company_visit", _("A company visit")
    TALK = "talk", _("A talk at the meeting place")


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Closed for sign-up")
    COMPLETED = "completed", _("Completed")


class ProgrammeQuerySet(models.QuerySet):
    def listed(self):
        """What the public catalogue shows: programmes open for sign-up."""
        return self.filter(state=ProgrammeState.OPEN)

    def public(self):
        """What anyone may read about: every programme but drafts."""
        return self.exclude(state=ProgrammeState.DRAFT)

    def publishable(self):
        """What news may name: public programmes under a signed agreement."""
        return self.public().filter(
            pk__in=Programme.agreements.through.objects.filter(
                agreement__status__in=Agreement.SIGNED
            ).values("programme_id")
        )


class Programme(models.Model):
    State = ProgrammeState

    title = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        validators=[validate_slug_free],
        help_text=_("The end of the programme's address, as in /programmes/workop-gardermoen/."),
        error_messages={"unique": _("Another programme has this address. Choose another one.")},
    )
    description = models.TextField(_("description"), **text_limit())
    target_group = models.CharField(
        _("target group"),
        max_length=200,
        help_text=_("Who the employers will meet, e.g. young job seekers aged 16 to 30."),
    )
    county = models.CharField(
        _("county"),
        max_length=2,
        choices=County.choices,
        blank=True,
        help_text=_("Leave empty for a programme across the country."),
    )
    organisers = models.ManyToManyField(
        Organisation,
        related_name="organised_programmes",
        verbose_name=_("organisers"),
    )
    agreements = models.ManyToManyField(
        Agreement,
        related_name="programmes",
        verbose_name=_("agreements"),
        help_text=_("The signed agreements the programme belongs to."),
    )
    start_date = models.DateField(_("start date"), validators=[validate_date_in_range])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    signup_deadline = models.DateField(
        _("sign-up deadline"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_(
            "The last day employers can sign up. Leave empty to take sign-ups until the "
            "sessions start."
        ),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    # Codes from OfferKind: what the programme asks employers for.
    offer_kinds = models.JSONField(_("what employers can offer"), default=list, blank=True)
    # News that mentions the programme (owned here so the core knows no domain app; the
    # table is the one Article's field made before).
    news_articles = models.ManyToManyField(
        "news.Article",
        blank=True,
        related_name="related_programmes",
        db_table="news_article_related_programmes",
        verbose_name=_("news articles"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProgrammeState.values), name="programme_state_known"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.signup_deadline and self.end_date and self.signup_deadline > self.end_date:
            raise ValidationError(
                {"signup_deadline": _("The sign-up deadline cannot be after the programme ends.")}
            )
        unknown = set(self.offer_kinds or []) - set(OfferKind.values)
        if unknown:
            raise ValidationError({"offer_kinds": _("Choose among the kinds of offer listed.")})

    def offer_kind_labels(self):
        labels = dict(OfferKind.choices)
        return [labels[code] for code in self.offer_kinds if code in labels]

    def takes_signups(self, today=None) -> bool:
        """Open for sign-up, and the deadline (if any) has not passed."""
        today = today or timezone.localdate()
        return self.state == ProgrammeState.OPEN and (
            self.signup_deadline is None or today <= self.signup_deadline
        )


class SessionQuerySet(models.QuerySet):
    def public(self):
        """Sessions of programmes anyone may read about (not drafts)."""
        return self.exclude(programme__state=ProgrammeState.DRAFT)


class Session(models.Model):
    """A meeting place: a date and time, a place or online, room for some employers."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    starts_at = models.DateTimeField(_("starts"), validators=[validate_datetime_in_range])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_datetime_in_range])
    address = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Street address and town."),
        validators=[validate_one_line],
    )
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("places for employers"), help_text=_("How many employers can take part.")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(address=""), name="session_has_a_place"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_takes_someone"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if not self.online and not self.address.strip():
            errors["address"] = _("Give the address, or mark the session as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def place(self) -> str:
        return str(_("Online")) if self.online and not self.address else self.address

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())


class Sector(models.TextChoices):
    HOSPITALITY = "hospitality", _("Hotels, restaurants and tourism")
    RETAIL = "retail", _("Retail")
    CONSTRUCTION = "construction", _("Building and construction")
    TRANSPORT = "transport", _("Transport and logistics")
    INDUSTRY = "industry", _("Industry and production")
    HEALTH = "health", _("Health and care")
    TECHNOLOGY = "technology", _("IT and technology")
    OFFICE = "office", _("Office and administration")
    PUBLIC = "public", _("Public sector")
    OTHER = "other", _("Other")


class SignUpStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# Sign-ups that hold one of the session's places.
HOLDS_A_PLACE = (
    SignUpStatus.PENDING,
    SignUpStatus.CONFIRMED,
    SignUpStatus.ATTENDED,
    SignUpStatus.NO_SHOW,
)
# Sign-ups that are over: the company may sign up for the session again.
GIVEN_UP = (SignUpStatus.DECLINED, SignUpStatus.CANCELLED)


class SignUp(models.Model):
    """A company's sign-up for one session, with what it offers."""

    Status = SignUpStatus

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="signups", verbose_name=_("session")
    )
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signups", verbose_name=_("employer")
    )
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="signups",
        verbose_name=_("signed up by"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_phone = models.CharField(_("phone"), max_length=30)
    contact_email = models.EmailField(_("e-mail"))
    internship_places = models.PositiveSmallIntegerField(_("internship places"), default=0)
    job_openings = models.PositiveSmallIntegerField(_("job openings"), default=0)
    mentors = models.PositiveSmallIntegerField(_("mentors"), default=0)
    company_visit = models.BooleanField(_("we can host a company visit"), default=False)
    talk = models.BooleanField(_("we can give a talk at the meeting place"), default=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    consent_to_contact = models.BooleanField(_("NAV may contact us about the sign-up"))
    # The language the employer used: confirmations and reminders go out in it.
    language = models.CharField(_("language"), max_length=5, default="nb")
    status = models.CharField(
        _("status"), max_length=20, choices=SignUpStatus.choices, default=SignUpStatus.PENDING
    )
    message = models.TextField(
        _("message to the employer"),
        max_length=2000,
        blank=True,
        help_text=_("Sent with the confirmation or the decline."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live sign-up per company and session; a cancelled or declined one may be
            # followed by a new one.
            models.UniqueConstraint(
                fields=["session", "employer"],
                condition=~Q(status__in=GIVEN_UP),
                name="signup_once_per_session_and_employer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignUpStatus.values), name="signup_status_known"
            ),
            models.CheckConstraint(
                condition=Q(consent_to_contact=True), name="signup_consents_to_contact"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            # The admin's search (portal.search.admin_search) and its sort by date (with the
            # id, which the admin's list sorts by after the column).
            lower_trigram_index("contact_name", "contact_email", name="signup_contact_trgm"),
            models.Index(fields=["created_at", "id"], name="signup_created"),
        ]

    def __str__(self):
        return f"{self.employer} – {self.session}"

    @property
    def programme(self):
        return self.session.programme

    @property
    def holds_a_place(self) -> bool:
        return self.status in HOLDS_A_PLACE

    @property
    def is_waiting(self) -> bool:
        return self.status == SignUpStatus.WAITING

    @property
    def is_confirmed(self) -> bool:
        return self.status == SignUpStatus.CONFIRMED

    @property
    def can_be_decided(self) -> bool:
        """The organisers may still confirm or decline it."""
        return self.status in (SignUpStatus.PENDING, SignUpStatus.WAITING)

    @property
    def can_be_marked_present(self) -> bool:
        return (
            self.status
            in (
                SignUpStatus.CONFIRMED,
                SignUpStatus.ATTENDED,
                SignUpStatus.NO_SHOW,
            )
            and self.session.has_started()
        )


class SessionResult(models.Model):
    """What came of a session, as aggregate figures: no data about any job seeker."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="result", verbose_name=_("session")
    )
    # A session meets hundreds of people at most: a larger figure is a typo that would
    # reach the public results and the agreements' goals.
    young_people_met = models.PositiveIntegerField(
        _("young job seekers who took part"), default=0, validators=[MaxValueValidator(10_000)]
    )
    interviews = models.PositiveIntegerField(
        _("job interviews"), default=0, validators=[MaxValueValidator(10_000)]
    )
    internships_started = models.PositiveIntegerField(
        _("internships started"), default=0, validators=[MaxValueValidator(10_000)]
    )
    permanent_jobs = models.PositiveIntegerField(
        _("permanent jobs"), default=0, validators=[MaxValueValidator(10_000)]
    )
    temporary_jobs = models.PositiveIntegerField(
        _("temporary jobs"), default=0, validators=[MaxValueValidator(10_000)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("session result")
        verbose_name_plural = _("session results")

    def __str__(self):
        return str(self.session)
