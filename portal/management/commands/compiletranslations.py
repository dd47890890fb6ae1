"""Compile the portal's .po catalogues to .mo without GNU gettext.

Django's compilemessages needs msgfmt, which a fresh machine may lack; polib is pure Python.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compiles every .po file under LOCALE_PATHS to its .mo file."
    # Compiling catalogues needs no database: Django 6.1's model checks would connect to it
    # (the search columns' GeneratedField asks PostgreSQL its version), before one may exist.
    requires_system_checks = []

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
