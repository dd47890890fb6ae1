"""Once the search indexes, built in RunPython from live code; now nothing.

The stored search columns and their GIN indexes are declared in the models (accounts 0003 with
pg_trgm, partnerships 0004), which drop the indexes this migration used to build. It stays, empty,
because databases have it applied and later migrations depend on it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("accounts", "0002_organisation_category_organisation_county_and_more"),
    ]

    operations = []
