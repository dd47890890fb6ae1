import uuid

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.accounts.models import Organisation
from portal.search import PostgresGinIndex, PostgresGistIndex, PostgresOnly, lower_trigram_index
from portal.validators import text_limit, validate_date_in_range

from .storage import get_private_storage
from .validators import validate_document


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class FocusArea(models.TextChoices):
    YOUTH_EMPLOYMENT = "youth_employment", _("Youth employment")
    INCLUSION = "inclusion", _("Inclusion")
    RECRUITMENT = "recruitment", _("Recruitment")
    COMPETENCE = "competence", _("Competence")
    INNOVATION = "innovation", _("Innovation")
    DIVERSITY = "diversity", _("Diversity")


class AgreementQuerySet(models.QuerySet):
    def signed(self):
        """Agreements that are signed and no secret: active or ended. Drafts, negotiations
        and terminated ones are never named in news or on public pages."""
        return self.filter(status__in=Agreement.SIGNED)


# An agreement's default order, with an index of its own (agreement_newest).
NEWEST_FIRST = ["-start_date", "-reference_year", "-reference_number"]


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("In negotiation")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated early")

    SIGNED = (Status.ACTIVE, Status.ENDED)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    # The reference's year and number as integers, for the next number and for sorting: as
    # text "SA-2026-9999" sorts after "SA-2026-10000".
    reference_year = models.PositiveSmallIntegerField(_("reference year"), editable=False)
    reference_number = models.PositiveIntegerField(_("reference number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), **text_limit())
    # Codes from FocusArea; a JSON list keeps the labels translatable and works on SQLite too.
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    start_date = models.DateField(_("start date"), validators=[validate_date_in_range])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_date_in_range]
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), null=True, blank=True
    )
    responsible_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_agreements",
        verbose_name=_("responsible NAV adviser"),
    )
    partner_contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("partner's contact person"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("replaces"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # News that mentions the agreement. The relation lives here, not on the core's Article,
    # so the core knows no domain app; the table is the one Article's field made before.
    news_articles = models.ManyToManyField(
        "news.Article",
        blank=True,
        related_name="related_agreements",
        db_table="news_article_related_agreements",
        verbose_name=_("news articles"),
    )
    # Counts the saves of the edit form (the agreement with its parties, signatories and
    # goals): a form opened at an older version is stale and is refused, not saved over.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # What search reads (partnerships/search.py), kept by the database on every write.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "title",
                Value(" "),
                "purpose",
                Value(" "),
                "reference",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=PostgresOnly(
            SearchVector("title", weight="A", config="norwegian")
            + SearchVector("purpose", weight="B", config="norwegian")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # The reference's year and number never change and the reference is in the history; the
    # search columns are the database's.
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "reference_year",
            "reference_number",
            "search_text",
            "search_vector",
        ]
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = NEWEST_FIRST
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"],
                name="agreement_reference_number_once_per_year",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="agreement_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            # The list's default sort (AgreementFilter.filter_sort): its last page is read from
            # the index instead of sorting every agreement.
            models.Index(
                fields=["end_date", "reference_year", "reference_number"],
                name="agreement_end_date_sort",
            ),
            # Newest first: a NAV unit's page (thousands of agreements) reads its first page
            # from the index instead of sorting all of them; the list's "Newest first" too.
            models.Index(fields=NEWEST_FIRST, name="agreement_newest"),
            PostgresGinIndex(fields=["search_vector"], name="agreement_vector_gin"),
            PostgresGinIndex(
                OpClass("search_text", name="gin_trgm_ops"), name="agreement_text_trgm"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("partnerships:agreement_detail", args=[self.reference])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must be after the start date.")})

    @property
    def is_signed(self) -> bool:
        return self.status in self.SIGNED

    def focus_area_labels(self):
        labels = dict(FocusArea.choices)
        return [labels[code] for code in self.focus_areas if code in labels]

    def days_to_run(self, today=None):
        """Days an active agreement still runs; None when it is not active, has no end date
        or is past it."""
        days = self.days_left(today)
        if self.status != self.Status.ACTIVE or days is None or days < 0:
            return None
        return days

    def days_left(self, today=None):
        """Days until the end date; None for an open-ended agreement. Computed, never stored."""
        if self.end_date is None:
            return None
        return (self.end_date - (today or timezone.localdate())).days


class SearchWord(models.Model):
    """A word in use in the agreements' and organisations' search text, for the typo way of
    search (partnerships/search.py, `near_words`): its trigram index finds the words near a
    typo among thousands of words instead of reading them out of 100,000 rows.

    Filled by the database, on PostgreSQL only (migration 0009): triggers on both tables add
    the words of every row written. Words are never removed: a word no row holds any longer
    only matches nothing.
    """

    word = models.TextField()

    class Meta:
        # A constraint, not unique=True, which would add a LIKE index no query uses.
        constraints = [models.UniqueConstraint(fields=["word"], name="searchword_once")]
        indexes = [
            # GiST, not GIN: its nearest-first scan is what the planner picks at any size. A
            # GIN index answers in 0.1 ms, but below some 8,000 words the planner (pricing
            # word similarity as a cheap operator) reads every word instead: 7.6 µs a word. The
            # signature of 256 bytes keeps a scan of 50,000 words at about 2 ms (the default
            # 12 bytes: 8 ms).
            PostgresGistIndex(
                OpClass("word", name="gist_trgm_ops(siglen=256)"), name="searchword_trgm"
            )
        ]

    def __str__(self):
        return self.word


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["organisation__kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_once_per_agreement"
            )
        ]

    def __str__(self):
        return str(self.organisation)


class Signatory(models.Model):
    party = models.ForeignKey(
        AgreementParty,
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("party"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    signed_on = models.DateField(
        _("date signed"), null=True, blank=True, validators=[validate_date_in_range]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})


class Goal(models.Model):
    class Measure(models.TextChoices):
        MANUAL = "manual", _("Typed in")
        EMPLOYERS_SIGNED_UP = "employers_signed_up", _("Employers signed up")
        SESSIONS_HELD = "sessions_held", _("Sessions held")
        JOBS_GAINED = "jobs_gained", _("Jobs gained")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="goals", verbose_name=_("agreement")
    )
    text = models.CharField(_("goal"), max_length=300)
    target = models.PositiveIntegerField(_("target figure"), null=True, blank=True)
    measure = models.CharField(
        _("how progress is counted"),
        max_length=30,
        choices=Measure.choices,
        default=Measure.MANUAL,
    )
    reached_manual = models.PositiveIntegerField(_("figure reached"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Activity(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Event")
        PHONE_CALL = "phone_call", _("Phone call")
        REPORT = "report", _("Report")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="activities", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[validate_date_in_range])
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("responsible"),
    )
    notes = models.TextField(_("notes"), blank=True, **text_limit())
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up activity")
        verbose_name_plural = _("follow-up activities")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["done_at", "due_date"]),
            # The admin's search (portal.search.admin_search) and its sort by due date (with
            # the id, which the admin's list sorts by after the column).
            lower_trigram_index("title", name="activity_title_trgm"),
            models.Index(fields=["due_date", "id"], name="activity_due"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()


def document_path(instance, filename):
    return f"agreements/{instance.agreement.reference}/{filename}"


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        SIGNED_AGREEMENT = "signed_agreement", _("Signed agreement")
        ANNEX = "annex", _("Annex")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # Outside MEDIA_ROOT: documents are served only through a view that checks access.
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        storage=get_private_storage,
        validators=[validate_document],
    )
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:document_download", args=[self.agreement.reference, self.pk])


def export_path(instance, filename):
    return f"exports/{instance.pk}.xlsx"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    REFUSED = "refused", _("Refused: no access")
    FAILED = "failed", _("Failed")


class AgreementExport(models.Model):
    """An Excel export of the agreement list too big to write while the user waits
    (EXPORT_IN_BACKGROUND_ROWS). A worker builds it with the filters and the access of the
    user who asked (exports.agreement_export_build), keeps it in private storage and mails
    them a link only they can open; after expires_at the file and the row are deleted."""

    Status = ExportStatus

    # Random: the link names nothing another user could guess or count (and only its user
    # may open it anyway).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # SET_NULL, not CASCADE: the row outlives a deleted user until the purge deletes its file.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The list's query string (without format=), applied again by the worker.
    filters = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("file"), upload_to=export_path, storage=get_private_storage, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # The worker's claim (exports.agreement_export_build): since when, and how many tries.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values),
                name="agreementexport_status_known",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="agreementexport_expires")]

    def __str__(self):
        return f"{self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("partnerships:agreement_export_download", args=[self.pk])
