"""Time the reminder sweep and the send of its batch over N agreements.

The agreements go in with bulk_create inside a transaction that is rolled back, so the
database is left as it was. The sweep runs whatever reminder rules are registered; while no
agreement rule is (partnerships/reminders.py is not written yet), a synthetic one stands in:
every active agreement ending within 90, 30 or 7 days reminds its responsible adviser.
Sending happens in this process into Django's in-memory mail backend (no network, no
worker), so the figure is the outbox's own work: claim, render, mark sent. Inside the one
transaction no send commits; the worker test (tests/reminders/test_worker.py) gives the
end-to-end figure with a real worker, Redis and SMTP server.
"""

import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from partnerships.models import Agreement
from portal.accounts.models import User
from portal.reminders import rules, services
from portal.reminders.models import Category, Reminder

SYNTHETIC = "benchmark_agreement_ending"
# The synthetic rule's e-mail, from memory: no template of it ships with the portal.
TEMPLATES = {
    f"{SYNTHETIC}_subject.txt": "{{ target.reference }} ends {{ target.end_date }}",
    f"{SYNTHETIC}.txt": (
        '{% extends "reminders/email/base.txt" %}'
        "{% block content %}{{ target.title }}: {{ target.end_date }}{% endblock %}"
    ),
    f"{SYNTHETIC}.html": (
        '{% extends "reminders/email/base.html" %}'
        "{% block content %}<p>{{ target.title }}: {{ target.end_date }}</p>{% endblock %}"
    ),
}


class AgreementEnding(rules.Rule):
    def due(self, today, offsets):
        agreements = Agreement.objects.filter(
            status=Agreement.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=max(offsets)),
        ).select_related("responsible_adviser")
        for agreement in agreements.iterator(chunk_size=2000):
            for offset in offsets:
                if agreement.end_date <= today + timedelta(days=offset):
                    yield rules.Due(
                        target=agreement,
                        occasion=str(offset),
                        recipient=agreement.responsible_adviser,
                    )

    def link(self, reminder, context):
        return f"/agreements/{reminder.target.reference}/"


class Rollback(Exception):
    pass


def _templates_with(extra: dict) -> list:
    engine = settings.TEMPLATES[0]
    options = {**engine["OPTIONS"]}
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", extra),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return [{**engine, "APP_DIRS": False, "OPTIONS": options}]


class Command(BaseCommand):
    help = "Times the reminder sweep and send over N agreements (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=1000)

    def handle(self, *args, agreements, **options):
        if not settings.DEBUG:
            raise CommandError("benchmark_reminders writes test data: run it with DEBUG on.")
        synthetic = not any(rule.category == Category.AGREEMENTS for rule in rules.rules_all())
        if synthetic:
            rules.rule_add(
                AgreementEnding(
                    code=SYNTHETIC,
                    category=Category.AGREEMENTS,
                    label="Benchmark: agreement ending",
                    template=SYNTHETIC,
                    default_offsets=[90, 30, 7],
                )
            )
        memory_mail = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        try:
            with (
                override_settings(MAILERS=memory_mail, TEMPLATES=_templates_with(TEMPLATES)),
                transaction.atomic(),
            ):
                self._populate(agreements)
                self._measure(agreements, synthetic)
                raise Rollback
        except Rollback:
            pass
        finally:
            rules._rules.pop(SYNTHETIC, None)

    def _populate(self, n):
        rng = random.Random(2026)
        adviser = User.objects.create_user(email="maaler-paaminnelser@example.no")
        today = timezone.localdate()
        started = time.perf_counter()
        # bulk_create, not the service: the sweep reads the same rows (the history is empty).
        Agreement.objects.bulk_create(
            [
                Agreement(
                    reference=f"SA-1999-{i:05d}",  # a year no real agreement has
                    reference_year=1999,
                    reference_number=i,
                    title=f"Avtale {i}",
                    purpose="Måling av påminnelser.",
                    status=Agreement.Status.ACTIVE,
                    start_date=today - timedelta(days=365),
                    # Ending within a year: about a quarter within 90 days.
                    end_date=today + timedelta(days=rng.randrange(1, 366)),
                    responsible_adviser=adviser,
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Added {n} agreements in {time.perf_counter() - started:.1f} s")

    def _measure(self, n, synthetic):
        codes = ", ".join(rule.code for rule in rules.rules_all())
        self.stdout.write(
            f"{connection.vendor}, {n} agreements, rules: {codes}"
            + (" (synthetic: no agreement rule is registered)" if synthetic else "")
        )
        started = time.perf_counter()
        recorded = services.reminders_sweep()
        sweep = time.perf_counter() - started
        started = time.perf_counter()
        again = services.reminders_sweep()
        second = time.perf_counter() - started
        started = time.perf_counter()
        outcome = services.reminders_send_due()
        send = time.perf_counter() - started
        sent = outcome["sent"]
        self.stdout.write(
            f"sweep: recorded {recorded} in {sweep * 1000:.0f} ms\n"
            f"second sweep: recorded {again} in {second * 1000:.0f} ms\n"
            f"send: sent {sent}, failed {outcome['failed']} in {send:.1f} s"
            + (f" ({send / sent * 1000:.1f} ms each)" if sent else "")
        )
        assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == sent
