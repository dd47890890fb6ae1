"""The article's states: which are public, and the rules the database and clean() keep."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from portal.news.models import Article
from tests.news.factories import ArticleFactory, photo_upload

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def public_slugs(now=None):
    return set(Article.objects.published(now=now).values_list("slug", flat=True))


def test_only_published_and_scheduled_whose_time_has_come_are_public():
    ArticleFactory(slug="publisert")
    ArticleFactory(slug="utkast", state=Article.State.DRAFT)
    ArticleFactory(slug="arkivert", state=Article.State.ARCHIVED)
    ArticleFactory(slug="i-morgen", state=Article.State.SCHEDULED, publish_at=NOON)
    assert public_slugs(now=NOON - timedelta(seconds=1)) == {"publisert"}
    assert public_slugs(now=NOON) == {"publisert", "i-morgen"}


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(client):
    ArticleFactory(slug="planlagt", state=Article.State.SCHEDULED, publish_at=NOON)
    with freeze_time(NOON - timedelta(minutes=1)):
        assert client.get("/news/planlagt/").status_code == 404
        assert "planlagt" not in client.get("/news/").content.decode()
    with freeze_time(NOON + timedelta(minutes=1)):
        assert client.get("/news/planlagt/").status_code == 200
        assert "/news/planlagt/" in client.get("/news/").content.decode()


def test_a_scheduled_article_is_dated_by_its_scheduled_time():
    article = ArticleFactory(state=Article.State.SCHEDULED, publish_at=NOON)
    assert article.public_since == NOON
    assert article.is_public(now=NOON)
    assert not article.is_public(now=NOON - timedelta(seconds=1))


def test_a_scheduled_article_needs_a_publish_time():
    article = ArticleFactory.build(state=Article.State.SCHEDULED, publish_at=None)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["author"])
    assert error.value.message_dict["publish_at"] == [
        "Velg når en planlagt artikkel skal publiseres."
    ]


def test_the_database_refuses_a_scheduled_article_without_a_publish_time():
    article = ArticleFactory(state=Article.State.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(state=Article.State.SCHEDULED)


def test_the_database_refuses_a_published_article_without_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(state=Article.State.PUBLISHED, published_at=None)


def test_a_photo_needs_alt_text():
    article = ArticleFactory.build(photo=photo_upload(), photo_alt="  ")
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["author"])
    assert "photo_alt" in error.value.message_dict


def test_feed_is_not_a_slug_an_article_can_take():
    article = ArticleFactory.build(slug="feed")
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["author"])
    assert "slug" in error.value.message_dict


def test_newest_first_orders_by_publication_or_scheduled_time():
    ArticleFactory(slug="eldst", published_at=NOON - timedelta(days=3))
    ArticleFactory(slug="planlagt", state=Article.State.SCHEDULED, publish_at=NOON - timedelta(1))
    ArticleFactory(slug="nyest", published_at=NOON)
    ordered = Article.objects.published(now=NOON).newest_first()
    assert list(ordered.values_list("slug", flat=True)) == ["nyest", "planlagt", "eldst"]
