"""The agreement's news relation, on the table Article.related_agreements made (state only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_agreement_version"),
        ("news", "0005_mentions_owned_by_apps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="agreement",
                    name="news_articles",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="news_article_related_agreements",
                        related_name="related_agreements",
                        to="news.article",
                        verbose_name="news articles",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
