"""The stored search columns of agreements and their GIN indexes (partnerships/search.py).

The old indexes were built by 0002 outside the migration state; they are dropped by name
(IF EXISTS: a database migrated from zero never had them).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.text
import portal.search
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_agreement_number_and_limits"),
        ("accounts", "0006_organisation_search_generated"),  # pg_trgm
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS agreement_search_vector;"
            " DROP INDEX IF EXISTS agreement_search_trigram;",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="agreement",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "title",
                        models.Value(" "),
                        "purpose",
                        models.Value(" "),
                        "reference",
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=portal.search.PostgresOnly(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "title", config="norwegian", weight="A"
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "purpose", config="norwegian", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("norwegian"),
                    )
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="agreement",
            index=portal.search.PostgresGinIndex(
                fields=["search_vector"], name="agreement_vector_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="agreement",
            index=portal.search.PostgresGinIndex(
                django.contrib.postgres.indexes.OpClass("search_text", name="gin_trgm_ops"),
                name="agreement_text_trgm",
            ),
        ),
    ]
