"""pg_trgm and the GIN indexes behind Norwegian search (PostgreSQL only; SQLite skips them)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from partnerships.search import agreement_vector, organisation_vector


def _indexes(apps):
    Agreement = apps.get_model("partnerships", "Agreement")
    Organisation = apps.get_model("accounts", "Organisation")
    return [
        (Agreement, GinIndex(agreement_vector(), name="agreement_search_vector")),
        (
            Agreement,
            GinIndex(
                OpClass("title", name="gin_trgm_ops"),
                OpClass("purpose", name="gin_trgm_ops"),
                name="agreement_search_trigram",
            ),
        ),
        (Organisation, GinIndex(organisation_vector(), name="organisation_search_vector")),
        (
            Organisation,
            GinIndex(
                OpClass("name", name="gin_trgm_ops"),
                OpClass("description", name="gin_trgm_ops"),
                name="organisation_search_trigram",
            ),
        ),
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("accounts", "0002_organisation_category_organisation_county_and_more"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
