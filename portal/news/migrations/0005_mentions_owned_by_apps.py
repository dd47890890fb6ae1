"""Agreements and programmes now own their relation to news (partnerships 0006, programmes
0002 add it to their models on the same tables): only Django's state changes, no data moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0004_article_text_limits")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="article", name="related_agreements"),
                migrations.RemoveField(model_name="article", name="related_programmes"),
            ],
            database_operations=[],
        )
    ]
