"""The news filter offers some organisations, not every one the news ever mentioned."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.news import selectors
from tests.factories import OrganisationFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_in_the_news(monkeypatch):
    monkeypatch.setattr(selectors, "RECENT_ARTICLES", 5)
    monkeypatch.setattr(selectors, "OFFERED_MENTIONS", 3)
    organisations = []
    for n in range(6):  # n = 0 is in the oldest article
        organisation = OrganisationFactory(name=f"Org {n}")
        ArticleFactory(
            slug=f"sak-{n}",
            organisations=[organisation],
            published_at=timezone.now() - timedelta(days=10 - n),
        )
        organisations.append(organisation)
    return organisations


def _offered(response) -> list[str]:
    select = re.search(r'<select name="organisation".*?</select>', response.content.decode(), re.S)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select.group(0))


def test_the_filter_shows_a_few_organisations_from_the_newest_articles(client, six_in_the_news):
    assert _offered(client.get("/news/")) == ["Org 1", "Org 2", "Org 3"]


def test_an_older_organisation_is_still_a_filter_and_shown_when_chosen(client, six_in_the_news):
    oldest = six_in_the_news[0]
    response = client.get(f"/news/?organisation={oldest.pk}")
    assert "Org 0" in _offered(response)
    assert [a.slug for a in response.context["page"].object_list] == ["sak-0"]
