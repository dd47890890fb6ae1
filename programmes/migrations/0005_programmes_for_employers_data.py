"""Fills what 0004 added from what there was (a migration of its own: PostgreSQL will not
change tables in the transaction that changed their rows)."""

import datetime

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify


def forwards(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Session = apps.get_model("programmes", "Session")
    SignUp = apps.get_model("programmes", "SignUp")
    taken = set()
    for programme in Programme.objects.order_by("pk"):
        base = slugify(programme.title)[:70] or "program"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        programme.slug = slug
        programme.target_group = programme.target_group or "Arbeidssøkere"
        programme.description = programme.description or programme.title
        programme.save()
        programme.agreements.add(programme.agreement_id)
        parties = programme.agreement.parties.exclude(organisation__kind="employer")
        programme.organisers.add(*parties.values_list("organisation_id", flat=True))
    for session in Session.objects.filter(ends_at__isnull=True):
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
        session.address = session.address or "—"
        session.save()
    for signup in SignUp.objects.filter(session__isnull=True):
        session = Session.objects.filter(programme_id=signup.programme_id).order_by("starts_at").first()
        if session is None:
            programme = signup.programme
            starts = timezone.make_aware(
                datetime.datetime.combine(programme.start_date, datetime.time(12))
            )
            session = Session.objects.create(
                programme=programme,
                title=programme.title,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                address="—",
                capacity=max(20, SignUp.objects.filter(programme=programme).count()),
            )
        signup.session = session
        signup.contact_name = signup.contact_name or signup.employer.name
        signup.save()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_programmes_for_employers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
