"""Time the heavy pages on the world fill_large_world made: queries, median ms, size.

Reads only (a login session is the one row it writes). Run it with DEBUG off, as production
runs: `DJANGO_DEBUG=0 python manage.py benchmark_large_world` (docs/BENCHMARKS.md).
"""

import resource
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement
from portal.accounts.models import Organisation, User

from .fill_large_world import ADVISER_EMAIL


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Times the heavy pages on the large world (fill_large_world)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--no-exports", action="store_true")

    def handle(self, *args, repeat, no_exports, **options):
        adviser = User.objects.filter(email=ADVISER_EMAIL).first()
        if adviser is None:
            raise CommandError("No large world here: run fill_large_world first.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The long-history agreement is the adviser's (fill_large_world gives it them).
        long_history = Agreement.objects.order_by("pk").values_list("reference", flat=True)[0]
        unit = adviser.memberships.values_list("organisation_id", flat=True)[0]
        assert Organisation.objects.filter(pk=unit, kind="nav_unit").exists()
        client = Client()
        client.force_login(adviser)
        pages = [
            ("dashboard", "/dashboard/"),
            ("agreement list, all", "/agreements/?scope=all"),
            ("list, last page", "/agreements/?scope=all&page=last"),
            ("list, typo 'rekrutering'", "/agreements/?scope=all&q=rekrutering"),
            ("search 'arbeidsgiver'", "/search/?q=arbeidsgiver"),
            ("NAV unit's page", f"/organisations/{unit}/"),
            ("agreement edit form", f"/agreements/{long_history}/edit/"),
            ("agreement, 2,000 changes", f"/agreements/{long_history}/"),
            ("news", "/news/"),
            ("organisation list", "/organisations/"),
            ("programme list", "/programmes/"),
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
