"""pg_trgm, for the typo-tolerant search (PostgreSQL only; SQLite skips it).

This migration used to build GIN indexes in RunPython from live code; the indexes now live in
the models' Meta.indexes (accounts 0003, partnerships 0004), which drop the old ones.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("accounts", "0002_organisation_category_organisation_county_and_more"),
    ]

    operations = [TrigramExtension()]
