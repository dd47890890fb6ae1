"""Time the heavy pages on the world fill_large_world made: queries, median ms, size.

Reads only (a login session, audit events and the prepared Excel export, which it deletes
again, are what it writes). Run it with DEBUG off, as production runs:
`DJANGO_DEBUG=0 python manage.py benchmark_large_world` (docs/BENCHMARKS.md).
"""

import resource
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships import exports
from partnerships.models import Agreement, AgreementExport, ExportStatus, export_path
from portal.accounts.models import Organisation, User
from portal.reminders.services import reminders_sweep
from portal.storage import private_storage
from programmes.models import Programme

from .fill_large_world import ADVISER_EMAIL


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Times the heavy pages on the large world (fill_large_world)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--no-exports", action="store_true")
        parser.add_argument(
            "--sweeps-only", action="store_true", help="Time the reminder sweep, nothing else."
        )

    def handle(self, *args, repeat, no_exports, sweeps_only, **options):
        adviser = User.objects.filter(email=ADVISER_EMAIL).first()
        if adviser is None:
            raise CommandError("No large world here: run fill_large_world first.")
        if sweeps_only:
            for _ in range(repeat):
                self._sweeps()
            return
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The long-history agreement is the adviser's (fill_large_world gives it them).
        long_history = Agreement.objects.order_by("pk").values_list("reference", flat=True)[0]
        unit = adviser.memberships.values_list("organisation_id", flat=True)[0]
        programme = Programme.objects.order_by("pk").values_list("slug", flat=True)[0]
        assert Organisation.objects.filter(pk=unit, kind="nav_unit").exists()
        client = Client()
        client.force_login(adviser)
        pages = [
            ("dashboard", "/dashboard/"),
            ("agreement list, all", "/agreements/?scope=all"),
            ("list, last page", "/agreements/?scope=all&page=last"),
            ("list, typo 'rekrutering'", "/agreements/?scope=all&q=rekrutering"),
            ("search 'arbeidsgiver'", "/search/?q=arbeidsgiver"),
            ("search, typo 'rekrutering'", "/search/?q=rekrutering"),
            ("search, no match 'xylofon'", "/search/?q=xylofon"),
            ("search 'inkludering'", "/search/?q=inkludering"),
            ("NAV unit's page", f"/organisations/{unit}/"),
            ("agreement edit form", f"/agreements/{long_history}/edit/"),
            ("agreement, 2,000 changes", f"/agreements/{long_history}/"),
            ("news", "/news/"),
            ("organisation list", "/organisations/"),
            ("programme list", "/programmes/"),
            ("programmes run (staff)", "/programmes/manage/"),
            ("programme form, new", "/programmes/new/"),
            ("programme form, edit", f"/programmes/{programme}/edit/"),
            ("programme's sign-ups", f"/programmes/{programme}/manage/"),
        ]
        self.stdout.write(
            f"{connection.vendor}, DEBUG={settings.DEBUG}, median of {repeat} requests\n"
            f"{'page':<28} {'status':>6} {'queries':>8} {'ms':>8} {'KB':>8}"
        )
        for name, url in pages:
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    body = b"".join(response) if response.streaming else response.content
                    timings.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"{name:<28} {response.status_code:>6} {len(queries):>8}"
                f" {statistics.median(timings):>8.0f} {len(body) / 1024:>8.0f}"
            )
        self._sweeps()
        if no_exports:
            return
        for name, url in [
            ("export CSV, all", "/agreements/export/?scope=all"),
            ("export XLSX, all", "/agreements/export/?scope=all&format=xlsx"),
        ]:
            before = _rss_mb()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                size = 0
                for chunk in response if response.streaming else [response.content]:
                    size += len(chunk)
                elapsed = time.perf_counter() - started
            self.stdout.write(
                f"{name:<28} {response.status_code:>6} {len(queries):>8} {elapsed * 1000:>8.0f}"
                f" {size / 1024:>8.0f}   peak RSS {before:.0f} -> {_rss_mb():.0f} MB"
            )
        self._prepared_export(adviser)

    def _sweeps(self):
        """The reminder sweep over the whole world, twice (the second finds every key known,
        as every sweep after the first does), in a transaction that is rolled back."""
        timings = []
        try:
            with transaction.atomic():
                for _ in range(2):
                    started = time.perf_counter()
                    recorded = reminders_sweep()
                    timings.append((recorded, time.perf_counter() - started))
                raise Rollback
        except Rollback:
            pass
        for name, (recorded, elapsed) in zip(
            ["reminder sweep", "  and again"], timings, strict=True
        ):
            self.stdout.write(f"{name:<28} {recorded:>6} {'':>8} {elapsed * 1000:>8.0f}   recorded")

    def _prepared_export(self, adviser):
        """The Excel export of more than EXPORT_IN_BACKGROUND_ROWS is recorded by the request
        and built by a worker: the worker's part runs here, in this process, and is then
        undone (no mail, the file and the row deleted)."""
        export = (
            AgreementExport.objects.filter(user=adviser, status=ExportStatus.PENDING)
            .order_by("-created_at")
            .first()
        )
        if export is None:
            return  # the export above was written in the request: under the threshold
        before = _rss_mb()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            try:
                with transaction.atomic():  # rolled back: the mail is never sent
                    outcome = exports.agreement_export_build(export.pk)
                    export.refresh_from_db()
                    raise Rollback
            except Rollback:
                pass
            elapsed = time.perf_counter() - started
        size = private_storage.size(export.file.name) if export.file else 0
        private_storage.delete(export_path(export, ""))
        export.delete()
        self.stdout.write(
            f"{'  built by the worker':<28} {outcome:>6} {len(queries):>8} {elapsed * 1000:>8.0f}"
            f" {size / 1024:>8.0f}   peak RSS {before:.0f} -> {_rss_mb():.0f} MB,"
            f" {export.rows} agreements"
        )
