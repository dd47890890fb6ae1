"""The stored search columns of organisations and their GIN indexes (partnerships/search.py).

The old indexes were built by partnerships 0002 outside the migration state; they are dropped
by name (IF EXISTS: a database migrated from zero never had them).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.contrib.postgres.search
import django.db.models.functions.text
import portal.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_organisation_version"),
    ]

    operations = [
        django.contrib.postgres.operations.TrigramExtension(),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS organisation_search_vector;"
            " DROP INDEX IF EXISTS organisation_search_trigram;",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "name",
                        models.Value(" "),
                        "description",
                        models.Value(" "),
                        "municipality",
                        models.Value(" "),
                        "org_number",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=portal.search.PostgresOnly(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "name", config="norwegian", weight="A"
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "description", config="norwegian", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("norwegian"),
                    )
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=portal.search.PostgresGinIndex(
                fields=["search_vector"], name="organisation_vector_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=portal.search.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="organisation_text_trgm",
            ),
        ),
    ]
