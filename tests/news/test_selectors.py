"""The reading helpers other apps build on."""

import pytest

from portal.accounts.models import Organisation
from portal.news import selectors
from tests.factories import OrganisationFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_articles_mentioning_an_object_finds_its_published_articles():
    rittet = OrganisationFactory()
    ArticleFactory(slug="om-rittet", organisations=[rittet])
    ArticleFactory(slug="utkast", state="draft", organisations=[rittet])
    ArticleFactory(slug="annet")
    assert [a.slug for a in selectors.articles_mentioning(rittet)] == ["om-rittet"]


def test_articles_mentioning_a_queryset_lists_each_article_once():
    one, two = OrganisationFactory(), OrganisationFactory()
    ArticleFactory(slug="begge", organisations=[one, two])
    ArticleFactory(slug="en", organisations=[one])
    found = selectors.articles_mentioning(Organisation.objects.filter(pk__in=[one.pk, two.pk]))
    assert sorted(a.slug for a in found) == ["begge", "en"]


def test_articles_mentioning_needs_via_for_a_model_article_does_not_point_to():
    with pytest.raises(LookupError):
        selectors.articles_mentioning(ArticleFactory())


def test_related_links_give_no_url_to_objects_without_a_page():
    organisation = OrganisationFactory(name="Rittet AS")
    assert selectors.related_links(user=None, objects=[organisation]) == [
        {"name": "Rittet AS", "url": None}
    ]
