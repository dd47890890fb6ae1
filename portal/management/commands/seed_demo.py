"""Fill an empty portal with a small, believable demo world (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo
from portal.accounts.models import User


class Command(BaseCommand):
    help = f"Adds demo organisations and one account per role (password: {demo.PASSWORD})."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users (used by the run command).",
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo adds known passwords: it refuses to run with DEBUG off.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database has data already; no demo data added.")
            return
        with transaction.atomic():
            demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data added. Log in with one of:"))
        for email, role in demo.ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role}  (password: {demo.PASSWORD})")
        self.stdout.write(
            "All but arbeidsgiver@ also ask for a code from an authenticator app set up with "
            f"the TOTP secret {demo.TOTP_SECRET} (e.g. oathtool --totp -b {demo.TOTP_SECRET})."
        )
