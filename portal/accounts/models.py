from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.links import WebURLField
from portal.search import PostgresGinIndex, PostgresOnly
from portal.validators import text_limit

from .validators import validate_org_number


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # The language of the e-mails the portal sends them (the worker has no request to ask).
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class County(models.TextChoices):
    """Norway's 15 counties from 2024, by their official county numbers."""

    OSLO = "03", "Oslo"
    ROGALAND = "11", "Rogaland"
    MORE_OG_ROMSDAL = "15", "Møre og Romsdal"
    NORDLAND = "18", "Nordland"
    OSTFOLD = "31", "Østfold"
    AKERSHUS = "32", "Akershus"
    BUSKERUD = "33", "Buskerud"
    INNLANDET = "34", "Innlandet"
    VESTFOLD = "39", "Vestfold"
    TELEMARK = "40", "Telemark"
    AGDER = "42", "Agder"
    VESTLAND = "46", "Vestland"
    TRONDELAG = "50", "Trøndelag"
    TROMS = "55", "Troms"
    FINNMARK = "56", "Finnmark"


class OrganisationKind(models.TextChoices):
    NAV_UNIT = "nav_unit", _("NAV unit")
    PARTNER = "partner", _("Partner")
    EMPLOYER = "employer", _("Employer")


class Organisation(models.Model):
    Kind = OrganisationKind

    class Category(models.TextChoices):
        BUSINESS_ASSOCIATION = "business_association", _("Business association")
        EVENT_ORGANISER = "event_organiser", _("Event organiser")
        PUBLIC_BODY = "public_body", _("Public body")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        validators=[validate_org_number],
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
        error_messages={"unique": _("An organisation with this organisation number exists.")},
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    county = models.CharField(_("county"), max_length=2, choices=County.choices, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    website = WebURLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, **text_limit())
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Counts the saves of the edit form (with the contact persons): a form opened at an older
    # version is stale and is refused, not saved over.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # What search reads (partnerships/search.py), kept by the database on every write.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "name",
                Value(" "),
                "description",
                Value(" "),
                "municipality",
                Value(" "),
                "org_number",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=PostgresOnly(
            SearchVector("name", weight="A", config="norwegian")
            + SearchVector("description", weight="C", config="norwegian")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_known",
            ),
        ]
        indexes = [
            # Lists of one kind in name order (the NAV units of every filter): an index
            # read, not a scan of every employer.
            models.Index(fields=["kind", "name"], name="organisation_kind_name"),
            PostgresGinIndex(fields=["search_vector"], name="organisation_vector_gin"),
            PostgresGinIndex(
                OpClass("search_text", name="gin_trgm_ops"), name="organisation_text_trgm"
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """What a member may do in an organisation. Admins are Django superusers instead."""

    NAV_ADVISER = "nav_adviser", _("NAV adviser")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    EMPLOYER_CONTACT = "employer_contact", _("Employer contact")


# The one role each kind of organisation gives its members.
ROLE_FOR_KIND = {
    Organisation.Kind.NAV_UNIT: Role.NAV_ADVISER,
    Organisation.Kind.PARTNER: Role.PARTNER_STAFF,
    Organisation.Kind.EMPLOYER: Role.EMPLOYER_CONTACT,
}


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    # The leader of a NAV unit: renewal reminders nobody answered escalate to them.
    is_leader = models.BooleanField(_("unit leader"), default=False)
    # An employer who registers for a company the portal knows already is linked to it
    # unconfirmed: they sign up and see their own sign-ups, not their colleagues', until the
    # company's contact or NAV confirms them (anyone could type a company's number).
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unconfirmed members act for themselves only, not for the organisation."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_user_and_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def clean(self):
        if self.organisation_id and self.role != ROLE_FOR_KIND[self.organisation.kind]:
            raise ValidationError(
                {
                    "role": _("Members of a %(kind)s have the role %(role)s.")
                    % {
                        "kind": self.organisation.get_kind_display(),
                        "role": ROLE_FOR_KIND[self.organisation.kind].label,
                    }
                }
            )


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    MFA_ADDED = "mfa_added", _("Second factor added")
    MFA_REMOVED = "mfa_removed", _("Second factor removed")
    MFA_RESET = "mfa_reset", _("Recovery codes made anew")
    GROUPS_CHANGED = "groups_changed", _("Groups changed")
    PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
    STAFF_CHANGED = "staff_changed", _("Staff or admin status changed")
    EXPORT = "export", _("List exported")
    EXPORT_DOWNLOAD = "export_download", _("Prepared export downloaded")
    DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
    DATA_EXPORT = "data_export", _("Own data downloaded")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")


class AuditEvent(models.Model):
    """Who did what security-relevant thing, when and from where (portal/accounts/audit.py).

    Written once, never changed; removed after AUDIT_RETENTION_DAYS by a beat task.
    """

    Action = AuditAction

    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("who"),
    )
    # The user the event is about (a failed login's account, whose groups changed), when
    # that is not the actor.
    subject = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events_about",
        verbose_name=_("about user"),
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    target = models.CharField(_("what"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="auditevent_action_known"
            ),
        ]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self):
        return (
            f"{self.get_action_display()} – {self.actor or '-'} – {self.created_at:%Y-%m-%d %H:%M}"
        )
