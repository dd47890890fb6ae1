"""The programme's news relation, on the table Article.related_programmes made (state only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_programme_limits"),
        ("news", "0005_mentions_owned_by_apps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="programme",
                    name="news_articles",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="news_article_related_programmes",
                        related_name="related_programmes",
                        to="news.article",
                        verbose_name="news articles",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
