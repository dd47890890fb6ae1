"""Programmes under an agreement (such as WorkOP), their sessions and employers' sign-ups.

Kept small for now: enough for agreements to count their progress (employers signed up,
sessions held, jobs gained). Managed in the admin site until the programmes pages arrive.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement
from portal.accounts.models import Organisation


class Programme(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # News that mentions the programme (owned here so the core knows no domain app; the
    # table is the one Article's field made before).
    news_articles = models.ManyToManyField(
        "news.Article",
        blank=True,
        related_name="related_programmes",
        db_table="news_article_related_programmes",
        verbose_name=_("news articles"),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.pk])


class ProgrammeSession(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title


class SignUp(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="signups", verbose_name=_("programme")
    )
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signups", verbose_name=_("employer")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    jobs_gained = models.PositiveIntegerField(_("jobs gained"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "employer"], name="signup_once_per_programme_and_employer"
            )
        ]

    def __str__(self):
        return f"{self.employer} – {self.programme}"
