"""Time every page of the admin site on the world fill_large_world made: for each registered
model its changelist, add page and the change page of its first row, as the admin, the NAV
adviser, a partner's staff member and an editor (queries, median ms, size).

Writes nothing that stays: every request runs in one transaction that is rolled back (the
large world has no editor, so one is made for the run, and partner staff get the second
factor the site asks of them). Run it with DEBUG off, as
production runs: `DJANGO_DEBUG=0 python manage.py benchmark_admin` (docs/BENCHMARKS.md).
"""

import logging
import statistics
import time
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts import services as account_services
from portal.accounts.models import User
from portal.news import services as news_services

from .benchmark_large_world import Rollback
from .fill_large_world import ADVISER_EMAIL, TOTP_SECRET

# What the autocomplete is asked (source model, field, what is typed) on the pages above.
AUTOCOMPLETE = [
    ("news", "article", "related_organisations", ""),
    ("news", "article", "related_organisations", "bergen"),
    ("news", "article", "related_agreements", ""),
    ("news", "article", "related_agreements", "rekrutt"),
    ("news", "article", "related_programmes", ""),
    ("partnerships", "agreementparty", "organisation", "as"),
    ("partnerships", "activity", "agreement", "SA-2024-0001"),
    ("partnerships", "agreement", "responsible_adviser", "radgiver"),
    ("programmes", "session", "programme", ""),
    ("programmes", "sessionresult", "session", ""),
]

# The big lists' searches and date sorts, as the admin (`--searches`): a word a few rows hold,
# one that thousands hold, and a header sort both ways (`o` counts the action checkbox).
SEARCHES = [
    "programmes/signup/?q=kontakt31",
    "programmes/signup/?q=rekruttering",
    "programmes/signup/?q=jobbmesse+17",
    "programmes/signup/?o=6",
    "programmes/signup/?o=-6",
    "partnerships/activity/?q=SA-2024-000123",
    "partnerships/activity/?q=havbruk",
    "partnerships/activity/?o=4",
    "partnerships/activity/?o=-4",
    "partnerships/agreementparty/?q=arbeidsgiver+1999",
    "partnerships/agreementparty/?q=SA-2024-000123",
    "reminders/reminder/?q=radgiver9@",
    "reminders/reminder/?q=avtale+99999",
    "reminders/reminder/?o=6",
    "reminders/reminder/?o=-7",
]


class Command(BaseCommand):
    help = "Times every admin page on the large world (fill_large_world)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--roles", default="admin,adviser,partner,editor")
        parser.add_argument("--only", default="", help="model labels, comma-separated")
        parser.add_argument("--no-changelists", action="store_true")
        parser.add_argument("--no-autocomplete", action="store_true")
        parser.add_argument(
            "--searches", action="store_true", help="only the big lists' searches and sorts"
        )

    def handle(
        self, *args, repeat, roles, only, no_changelists, no_autocomplete, searches, **options
    ):
        if not User.objects.filter(email=ADVISER_EMAIL).exists():
            raise CommandError("No large world here: run fill_large_world first.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.repeat = repeat
        logging.getLogger("portal.request").setLevel(logging.WARNING)  # a line per request
        self.stdout.write(
            f"{connection.vendor}, DEBUG={settings.DEBUG}, median of {repeat} requests\n"
            f"{'role':<8} {'page':<52} {'status':>6} {'queries':>8} {'ms':>8} {'KB':>8}"
        )
        try:
            with transaction.atomic():
                for role in roles.split(","):
                    client = Client()
                    client.force_login(self._user(role))
                    if searches:
                        self._searches(role, client)
                        continue
                    self._pages(role, client, only, no_changelists)
                    for app_label, model_name, field_name, term in (
                        () if no_autocomplete else AUTOCOMPLETE
                    ):
                        query = urlencode(
                            {
                                "app_label": app_label,
                                "model_name": model_name,
                                "field_name": field_name,
                                "term": term,
                            }
                        )
                        url = f"{reverse('admin:autocomplete')}?{query}"
                        label = f"autocomplete {model_name}.{field_name} {term!r}"
                        self._time(role, client, url, label)
                raise Rollback
        except Rollback:
            pass

    def _user(self, role):
        if role == "admin":
            return User.objects.filter(is_superuser=True).order_by("pk").first()
        if role == "adviser":
            return User.objects.get(email=ADVISER_EMAIL)
        if role == "partner":
            user = User.objects.get(email="partner0@example.no")
        else:
            user = User.objects.create_user(email="stor.redaktor@example.no", full_name="Redaktør")
            news_services.editor_add(user=user)
        # Without a second factor the site sends them to set one up first.
        account_services.totp_enrol(user=user, secret=TOTP_SECRET)
        return user

    def _searches(self, role, client):
        request = RequestFactory().get("/admin/")
        request.user = User.objects.get(pk=client.session["_auth_user_id"])
        for url in SEARCHES:
            model = apps.get_model(*url.split("/")[:2])
            if admin.site._registry[model].has_view_or_change_permission(request):
                self._time(role, client, f"{reverse('admin:index')}{url}")

    def _pages(self, role, client, only, no_changelists):
        request = RequestFactory().get("/admin/")
        request.user = User.objects.get(pk=client.session["_auth_user_id"])
        labels = set(filter(None, only.split(",")))
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            if labels and opts.label_lower not in labels:
                continue
            if not model_admin.has_view_or_change_permission(request):
                continue
            name = f"{opts.app_label}_{opts.model_name}"
            if not no_changelists:
                self._time(role, client, reverse(f"admin:{name}_changelist"))
            if model_admin.has_add_permission(request):
                self._time(role, client, reverse(f"admin:{name}_add"))
            first = model_admin.get_queryset(request).order_by("pk").values_list("pk", flat=True)
            if first[:1]:
                self._time(role, client, reverse(f"admin:{name}_change", args=[first[0]]))

    def _time(self, role, client, url, label=""):
        timings = []
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"{role:<8} {label or url:<52} {response.status_code:>6} {len(queries):>8}"
            f" {statistics.median(timings):>8.0f} {len(response.content) / 1024:>8.0f}"
        )
