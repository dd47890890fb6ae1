from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import ImageFieldFile
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation
from portal.storage import get_private_storage
from portal.validators import LONG_TEXT_MAX_LENGTH, text_limit

from .images import PhotoFormField, validate_photo, web_rendition
from .rendering import markdown_to_html, sanitise_html

# Paths under /news/ that an article's slug must not take.
RESERVED_SLUGS = {"feed"}


# Photos live in private storage and are served by the article's photo view
# (/news/<slug>/photo/), which shows a public article's photo to everyone and a draft's only
# to its editors: that is the whole of the rule, so no photo's visibility changes with its
# article's state, and no file moves when an article is published or taken down. The
# original, which keeps the camera's metadata (GPS position too), is never served at all.
# Neither file's name comes from the upload, so no address can be guessed from another.


def photo_original_path(instance, filename):
    return f"news/originals/{uuid4().hex}"


def photo_web_path(instance, filename):
    return f"news/web/{uuid4().hex}.jpg"


class PhotoFieldFile(ImageFieldFile):
    @property
    def url(self):
        """The article's photo view, never a path under MEDIA_URL (see above)."""
        self._require_file()
        return self.instance.photo_web_url


class PhotoField(models.ImageField):
    attr_class = PhotoFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers see: published, or scheduled for a time that has come.

        Worked out when read, so a scheduled article appears by itself at its time with no
        worker to flip its state.
        """
        now = now or timezone.now()
        return self.filter(
            Q(state=Article.State.PUBLISHED) | Q(state=Article.State.SCHEDULED, publish_at__lte=now)
        )

    def newest_first(self):
        return self.alias(public_since=Coalesce("published_at", "publish_at")).order_by(
            models.F("public_since").desc(nulls_last=True), "-created_at", "-pk"
        )


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleLanguage(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")


class Article(models.Model):
    # Module-level, so the check constraints below are written from the same choices.
    State = ArticleState
    Language = ArticleLanguage

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The end of the article's address, as in /news/new-agreement-in-the-north/."),
        error_messages={"unique": _("Another article has this slug. Choose another one.")},
    )
    lead = models.TextField(
        _("lead"),
        **text_limit(600),
        help_text=_("One or two sentences that sum up the news. Shown in lists and link previews."),
    )
    body = models.TextField(
        _("body"),
        **text_limit(LONG_TEXT_MAX_LENGTH),
        help_text=_(
            "Markdown: a blank line between paragraphs, ## for a heading, **bold**, "
            "[link text](https://…) for links and - for bullet points."
        ),
    )
    # The body rendered and sanitised on every save, so reads cost nothing.
    body_html = models.TextField(editable=False, default="")

    photo = PhotoField(
        _("photo"),
        upload_to=photo_original_path,
        storage=get_private_storage,
        blank=True,
        validators=[validate_photo],
        help_text=_(
            "JPEG, PNG or WebP, at most 10 MB and 24 megapixels. Readers get a copy 1600 "
            "pixels wide at most, without the photo's metadata (camera, GPS position)."
        ),
    )
    photo_web = PhotoField(
        upload_to=photo_web_path,
        storage=get_private_storage,
        blank=True,
        editable=False,
        width_field="photo_web_width",
        height_field="photo_web_height",
    )
    photo_web_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_web_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it. Required with a photo."),
    )
    photo_caption = models.CharField(_("caption"), max_length=300, blank=True)
    photo_credit = models.CharField(
        _("photo credit"), max_length=200, blank=True, help_text=_("Who took the photo.")
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="news_articles",
        verbose_name=_("author"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.BOKMAL
    )
    related_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="news_articles",
        verbose_name=_("related organisations"),
    )
    # Articles also mention agreements and programmes: those relations are owned by the
    # apps above the core (Agreement.news_articles, Programme.news_articles), which register
    # them in portal.news.mentions; here they read as article.related_agreements and so on.

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("For a scheduled article: when it goes public by itself."),
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_(
            "Stamped when the article is published. For news written after the event, "
            "give the date it is to carry (not in the future: schedule it instead)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "publish_at"], name="article_state_publish_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ArticleState.values),
                name="article_state_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=ArticleLanguage.values), name="article_language_known"
            ),
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_publish_at",
                violation_error_message=_("Choose when a scheduled article is to be published."),
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="article_published_has_published_at",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived data is made here rather than in a service so that no way of saving (the
        # admin, a service, a factory, the shell) can store an unsanitised body or a photo
        # without its web copy.
        self.body_html = markdown_to_html(self.body)
        if not self.photo:
            self.photo_web = None
        elif not self.photo._committed:  # a new upload
            self.photo_web = web_rendition(self.photo)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.state == self.State.SCHEDULED and self.publish_at is None:
            errors["publish_at"] = _("Choose when a scheduled article is to be published.")
        if self.photo and not self.photo_alt.strip():
            errors["photo_alt"] = _("Describe the photo for readers who cannot see it.")
        if self.published_at and self.published_at > timezone.now():
            errors["published_at"] = _(
                "The publication date cannot be in the future. To publish later, schedule "
                "the article."
            )
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This slug is taken by the portal. Choose another one.")
        if errors:
            raise ValidationError(errors)

    @property
    def body_safe(self):
        # Cleaned again on the way out (nh3 is fast): a body_html written behind save()'s
        # back, by a data migration or raw SQL, is still safe.
        return mark_safe(sanitise_html(self.body_html))

    @property
    def photo_web_url(self) -> str:
        if not self.photo_web:
            return ""
        # The web copy's random name in the query: a new photo gets a new address, so a
        # browser's or proxy's cached copy of the old one is never shown in its place.
        version = self.photo_web.name.rsplit("/", 1)[-1].split(".")[0][:12]
        return f"{reverse('news:article_photo', args=[self.slug])}?v={version}"

    @property
    def public_since(self):
        """When readers could first see it: published, or the scheduled time."""
        return self.published_at or self.publish_at

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.PUBLISHED or (
            self.state == self.State.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= now
        )
