"""Measure the adviser's pages with many agreements: queries and time per page.

Adds the agreements inside a transaction that is rolled back, so the database is left as it
was. Run with DATABASE_URL set to measure PostgreSQL (search then uses its indexes).
"""

import random
import statistics
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships.models import Agreement, AgreementParty
from portal.accounts.models import Membership, Organisation, Role, User
from portal.accounts.services import totp_enrol
from portal.accounts.validators import org_number_check_digit

WORDS = [
    "inkludering",
    "rekruttering",
    "ungdom",
    "arbeidsgivere",
    "praksisplasser",
    "kompetanse",
    "reiseliv",
    "logistikk",
    "havbruk",
    "sykehus",
    "bygg",
    "anlegg",
    "mangfold",
    "sommerjobb",
]


FILLER = [f"ord{n}" for n in range(80)]
RARE_WORD = "tareskog"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Times the workspace pages with N extra agreements (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, agreements, repeat, **options):
        if not settings.DEBUG:
            raise CommandError("benchmark_workspace writes test data: run it with DEBUG on.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # The Excel export is timed as written in the request, however many rows: above the
        # threshold a worker writes the same file (benchmark_large_world times that).
        settings.EXPORT_IN_BACKGROUND_ROWS = agreements + 1000
        if connection.vendor == "postgresql":
            # Earlier runs' rolled-back rows are dead tuples until a vacuum: clear them, or
            # each run would read the tables and indexes of all the runs before it.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        try:
            with transaction.atomic():
                adviser, reference = self._populate(agreements)
                self._measure(adviser, reference, repeat, agreements)
                raise Rollback
        except Rollback:
            pass

    def _populate(self, n):
        rng = random.Random(2026)
        numbers = (
            f"{base}{check}"
            for base in range(70000000, 79999999)
            if (check := org_number_check_digit(str(base))) is not None
        )
        nav = Organisation.objects.create(
            name="NAV Måleenhet", kind="nav_unit", org_number=next(numbers)
        )
        adviser = User.objects.create_user(email="maaler@example.no", full_name="Måle Rådgiver")
        Membership.objects.create(user=adviser, organisation=nav, role=Role.NAV_ADVISER)
        # Advisers must have two-factor login, or every page sends them to set it up.
        totp_enrol(user=adviser, secret="JBSWY3DPEHPK3PXP")
        partners = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Partner {i} {rng.choice(WORDS).title()} AS",
                    kind="partner",
                    org_number=next(numbers),
                    county=rng.choice(["18", "55", "32", "03"]),
                )
                for i in range(max(10, n // 10))
            ]
        )
        started = time.perf_counter()
        # bulk_create, not the service: 20,000 agreements one by one take minutes, and the
        # pages measured read the same rows (only the history, which no page times, is empty).
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    reference=f"SA-2025-{i:05d}",
                    reference_year=2025,
                    reference_number=i,
                    title=f"Avtale {i} om {rng.choice(WORDS)} og {rng.choice(WORDS)}",
                    # Three domain words among filler, so a search hits a realistic share;
                    # one agreement in a thousand mentions the rare word.
                    purpose=" ".join(
                        [
                            *(rng.choice(WORDS) for _ in range(3)),
                            *FILLER[i % 50 : i % 50 + 20],
                            *([RARE_WORD] if i % 1000 == 7 else []),
                        ]
                    ),
                    focus_areas=["inclusion"],
                    start_date=date(2024, 1, 1) + timedelta(days=rng.randrange(700)),
                    end_date=date(2027, 1, 1) + timedelta(days=rng.randrange(700)),
                    responsible_adviser=adviser,
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        AgreementParty.objects.bulk_create(
            [
                AgreementParty(agreement=agreement, organisation=organisation)
                for agreement in agreements
                for organisation in (nav, rng.choice(partners))
            ],
            batch_size=2000,
        )
        agreement = agreements[-1]
        self.stdout.write(f"Added {n} agreements in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            # Fresh statistics and GIN indexes with their pending lists merged, as autovacuum
            # would give a live database after such a load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                cursor.execute(
                    "SELECT gin_clean_pending_list(indexrelid) FROM pg_index"
                    " JOIN pg_class ON pg_class.oid = indexrelid"
                    " JOIN pg_am ON pg_am.oid = pg_class.relam WHERE amname = 'gin'"
                )
        return adviser, agreement.reference

    def _measure(self, adviser, reference, repeat, n):
        client = Client()
        client.force_login(adviser)
        pages = [
            ("dashboard", "/dashboard/"),
            ("agreement list", "/agreements/"),
            ("list, filtered", "/agreements/?status=draft&county=18&sort=title"),
            ("list, typo", "/agreements/?q=rekrutering"),
            ("agreement page", f"/agreements/{reference}/"),
            ("list, common word", "/agreements/?q=inkludering"),
            ("list, rare word", f"/agreements/?q={RARE_WORD}"),
            ("search page", "/search/?q=arbeidsgiver"),
            ("export xlsx", "/agreements/export/?format=xlsx"),
        ]
        self.stdout.write(
            f"\n{connection.vendor}, {n} agreements, median of {repeat} requests\n"
            f"{'page':<18} {'queries':>8} {'ms':>8} {'slowest query ms':>17}"
        )
        for name, url in pages:
            timings, slowest = [], []
            for _ in range(repeat):
                reset_queries()  # the log is capped; the set-up above filled it
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    # An export is made as it is sent: read it all (which also closes it).
                    if response.streaming:
                        b"".join(response.streaming_content)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                slowest.append(max(float(query["time"]) for query in queries) * 1000)
            self.stdout.write(
                f"{name:<18} {len(queries):>8} {statistics.median(timings):>8.0f}"
                f" {statistics.median(slowest):>17.0f}"
            )
