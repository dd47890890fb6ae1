"""Programmes that employers sign up for: sessions with places, sign-ups per session.

Keeps what there was: sessions are renamed, not recreated (their location becomes the
address, and they end two hours after they start); a programme's agreement becomes the first
of its agreements and its partners and NAV units its organisers; a sign-up to a programme
moves to the programme's first session (made at its start date when it had none).
"""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organisation_website_http_https_only"),
        ("partnerships", "0003_agreement_number_and_limits"),
        ("programmes", "0003_programme_news_articles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Sessions
        migrations.RenameModel("ProgrammeSession", "Session"),
        migrations.RenameField("session", "location", "address"),
        migrations.AddField("session", "ends_at", models.DateTimeField(null=True)),
        migrations.AddField(
            "session", "online", models.BooleanField(default=False, verbose_name="online")
        ),
        migrations.AddField(
            "session",
            "capacity",
            models.PositiveSmallIntegerField(
                default=20,
                help_text="How many employers can take part.",
                verbose_name="places for employers",
            ),
        ),
        migrations.AddField(
            "session",
            "description",
            models.TextField(blank=True, max_length=2000, verbose_name="description"),
        ),
        migrations.AddField(
            "session",
            "created_at",
            models.DateTimeField(auto_now_add=True, default=timezone.now, verbose_name="created"),
            preserve_default=False,
        ),
        # Programmes
        migrations.AddField(
            "programme", "slug", models.SlugField(db_index=False, max_length=80, null=True)
        ),
        migrations.AddField(
            "programme",
            "target_group",
            models.CharField(default="", max_length=200, verbose_name="target group"),
            preserve_default=False,
        ),
        migrations.AddField(
            "programme",
            "county",
            models.CharField(
                blank=True,
                choices=[
                    ("03", "Oslo"),
                    ("11", "Rogaland"),
                    ("15", "Møre og Romsdal"),
                    ("18", "Nordland"),
                    ("31", "Østfold"),
                    ("32", "Akershus"),
                    ("33", "Buskerud"),
                    ("34", "Innlandet"),
                    ("39", "Vestfold"),
                    ("40", "Telemark"),
                    ("42", "Agder"),
                    ("46", "Vestland"),
                    ("50", "Trøndelag"),
                    ("55", "Troms"),
                    ("56", "Finnmark"),
                ],
                help_text="Leave empty for a programme across the country.",
                max_length=2,
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            "programme",
            "organisers",
            models.ManyToManyField(
                related_name="organised_programmes",
                to="accounts.organisation",
                verbose_name="organisers",
            ),
        ),
        migrations.AddField(
            "programme",
            "agreements",
            models.ManyToManyField(
                help_text="The signed agreements the programme belongs to.",
                related_name="programmes",
                to="partnerships.agreement",
                verbose_name="agreements",
            ),
        ),
        migrations.AddField(
            "programme",
            "signup_deadline",
            models.DateField(blank=True, null=True, verbose_name="sign-up deadline"),
        ),
        migrations.AddField(
            "programme",
            "state",
            models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("open", "Open for sign-up"),
                    ("closed", "Closed for sign-up"),
                    ("completed", "Completed"),
                ],
                default="draft",
                max_length=20,
                verbose_name="state",
            ),
        ),
        migrations.AddField(
            "programme",
            "offer_kinds",
            models.JSONField(blank=True, default=list, verbose_name="what employers can offer"),
        ),
        migrations.AddField(
            "programme",
            "created_at",
            models.DateTimeField(auto_now_add=True, default=timezone.now, verbose_name="created"),
            preserve_default=False,
        ),
        migrations.AddField(
            "programme",
            "updated_at",
            models.DateTimeField(auto_now=True, verbose_name="updated"),
        ),
        # Sign-ups
        migrations.AddField(
            "signup",
            "session",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="signups",
                to="programmes.session",
                verbose_name="session",
            ),
        ),
        migrations.AddField(
            "signup",
            "signed_up_by",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="signups",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signed up by",
            ),
        ),
        migrations.AddField(
            "signup",
            "contact_name",
            models.CharField(default="", max_length=200, verbose_name="contact person"),
            preserve_default=False,
        ),
        migrations.AddField(
            "signup",
            "contact_phone",
            models.CharField(default="", max_length=30, verbose_name="phone"),
            preserve_default=False,
        ),
        migrations.AddField(
            "signup",
            "contact_email",
            models.EmailField(default="", max_length=254, verbose_name="e-mail"),
            preserve_default=False,
        ),
        migrations.AddField(
            "signup",
            "internship_places",
            models.PositiveSmallIntegerField(default=0, verbose_name="internship places"),
        ),
        migrations.AddField(
            "signup",
            "job_openings",
            models.PositiveSmallIntegerField(default=0, verbose_name="job openings"),
        ),
        migrations.AddField(
            "signup", "mentors", models.PositiveSmallIntegerField(default=0, verbose_name="mentors")
        ),
        migrations.AddField(
            "signup",
            "company_visit",
            models.BooleanField(default=False, verbose_name="we can host a company visit"),
        ),
        migrations.AddField(
            "signup",
            "talk",
            models.BooleanField(
                default=False, verbose_name="we can give a talk at the meeting place"
            ),
        ),
        migrations.AddField(
            "signup",
            "sector",
            models.CharField(
                choices=[
                    ("hospitality", "Hotels, restaurants and tourism"),
                    ("retail", "Retail"),
                    ("construction", "Building and construction"),
                    ("transport", "Transport and logistics"),
                    ("industry", "Industry and production"),
                    ("health", "Health and care"),
                    ("technology", "IT and technology"),
                    ("office", "Office and administration"),
                    ("public", "Public sector"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
                verbose_name="sector",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            "signup",
            "comment",
            models.TextField(blank=True, max_length=2000, verbose_name="comment"),
        ),
        migrations.AddField(
            "signup",
            "consent_to_contact",
            models.BooleanField(
                default=True, verbose_name="NAV may contact us about the sign-up"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            "signup",
            "language",
            models.CharField(default="nb", max_length=5, verbose_name="language"),
        ),
        migrations.AddField(
            "signup",
            "message",
            models.TextField(
                blank=True,
                help_text="Sent with the confirmation or the decline.",
                max_length=2000,
                verbose_name="message to the employer",
            ),
        ),
        migrations.AddField(
            "signup",
            "decided_by",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            "signup",
            "decided_at",
            models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AddField(
            "signup", "updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")
        ),
    ]
