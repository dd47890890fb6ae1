"""Writing news through the services: drafts, publishing, scheduling, archiving."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from portal.news import services
from portal.news.models import Article
from tests.factories import OrganisationFactory, UserFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def test_draft_create_makes_a_draft_with_a_unique_slug_and_its_organisations():
    author = UserFactory()
    parties = [OrganisationFactory(name="NAV Nordland"), OrganisationFactory(name="Rittet AS")]
    first = services.article_draft_create(
        author=author,
        title="Ny avtale med Rittet AS",
        lead="Partene har signert.",
        body="Avtalen gjelder i to år.",
        language="nb",
        organisations=parties,
    )
    second = services.article_draft_create(
        author=author, title="Ny avtale med Rittet AS", lead="L", body="B", language="nn"
    )
    assert first.state == Article.State.DRAFT
    assert first.author == author
    assert first.slug == "ny-avtale-med-rittet-as"
    assert second.slug == "ny-avtale-med-rittet-as-2"
    assert set(first.related_organisations.all()) == set(parties)
    assert not Article.objects.published().exists()


def test_draft_create_refuses_an_unknown_language():
    with pytest.raises(ValidationError, match="language"):
        services.article_draft_create(
            author=UserFactory(), title="T", lead="L", body="B", language="sv"
        )


def test_publishing_a_draft_stamps_the_time_and_publishing_again_keeps_it():
    article = ArticleFactory(state=Article.State.DRAFT)
    services.article_publish(article=article, now=NOON)
    services.article_archive(article=article)
    services.article_publish(article=article, now=NOON + timedelta(days=5))
    article.refresh_from_db()
    assert article.state == Article.State.PUBLISHED
    assert article.published_at == NOON


def test_publishing_a_scheduled_article_that_went_live_keeps_its_scheduled_time():
    article = ArticleFactory(state=Article.State.SCHEDULED, publish_at=NOON)
    services.article_publish(article=article, now=NOON + timedelta(hours=2))
    assert article.published_at == NOON


def test_publishing_a_scheduled_article_early_publishes_it_now():
    article = ArticleFactory(state=Article.State.SCHEDULED, publish_at=NOON)
    services.article_publish(article=article, now=NOON - timedelta(days=1))
    assert article.published_at == NOON - timedelta(days=1)


def test_schedule_sets_the_time_and_hides_the_article_until_then():
    article = ArticleFactory(state=Article.State.DRAFT)
    services.article_schedule(article=article, publish_at=NOON)
    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    assert article.publish_at == NOON
    assert not Article.objects.published(now=NOON - timedelta(minutes=1)).exists()
    assert Article.objects.published(now=NOON).exists()


def test_archive_takes_a_published_article_off_the_public_pages():
    article = ArticleFactory()
    services.article_archive(article=article)
    assert not Article.objects.published().exists()
    assert Article.objects.get().state == Article.State.ARCHIVED


def test_article_save_stamps_published_at_when_an_editor_chooses_published():
    article = ArticleFactory(state=Article.State.DRAFT)
    article.state = Article.State.PUBLISHED
    services.article_save(article=article, now=NOON)
    article.refresh_from_db()
    assert article.published_at == NOON


def test_article_save_clears_the_old_date_when_an_article_is_scheduled_again():
    article = ArticleFactory(published_at=NOON - timedelta(days=30))
    article.state, article.publish_at = Article.State.SCHEDULED, NOON
    services.article_save(article=article, now=NOON - timedelta(days=1))
    assert article.published_at is None
    assert article.public_since == NOON


def test_editor_add_makes_a_staff_member_of_the_editors_group():
    user = UserFactory()
    services.editor_add(user=user)
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="Editors").exists()
    assert user.has_perm("news.add_article") and user.has_perm("news.change_article")


def test_the_migration_made_the_editors_group_with_the_article_permissions():
    group = Group.objects.get(name="Editors")
    assert set(group.permissions.values_list("codename", flat=True)) == set(
        services.EDITOR_PERMISSIONS
    )
