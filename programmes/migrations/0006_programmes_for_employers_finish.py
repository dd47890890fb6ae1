"""Drops what the old shape had and makes the new fields required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programmes", "0005_programmes_for_employers_data")]

    operations = [
        # What the old shape had and the new one does not.
        migrations.RemoveConstraint("signup", "signup_once_per_programme_and_employer"),
        migrations.RemoveField("signup", "programme"),
        migrations.RemoveField("signup", "jobs_gained"),
        migrations.RemoveField("programme", "agreement"),
        migrations.AlterField(
            "session",
            "ends_at",
            models.DateTimeField(verbose_name="ends"),
        ),
        migrations.AlterField(
            "session",
            "address",
            models.CharField(
                blank=True, help_text="Street address and town.", max_length=300,
                verbose_name="place",
            ),
        ),
        migrations.AlterField(
            "programme",
            "slug",
            models.SlugField(
                error_messages={"unique": "Another programme has this address. Choose another one."},
                help_text="The end of the programme's address, as in /programmes/workop-gardermoen/.",
                max_length=80,
                unique=True,
                verbose_name="address",
            ),
        ),
        migrations.AlterField(
            "signup",
            "session",
            models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="signups",
                to="programmes.session",
                verbose_name="session",
            ),
        ),
    ]
