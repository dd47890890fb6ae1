"""No shared cache keeps what a logged-in user sees; public news stays cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.demo import DEMO_PDF
from tests.news.factories import ArticleFactory, photo_upload
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser_and_agreement(client):
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner())
    client.force_login(adviser)
    return adviser, agreement


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_an_agreement_page_is_private(client, adviser_and_agreement):
    _, agreement = adviser_and_agreement
    response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert "private" in directives(response)


def test_the_dashboard_is_private(client, adviser_and_agreement):
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "private" in directives(response)


def test_a_document_download_is_never_stored(client, adviser_and_agreement):
    adviser, agreement = adviser_and_agreement
    document = services.document_upload(
        agreement=agreement,
        user=adviser,
        title="Avtale",
        kind="other",
        file=SimpleUploadedFile("avtale.pdf", DEMO_PDF),
    )
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert {"no-store", "private"} <= directives(response)


def test_public_news_stays_cacheable_for_anonymous_readers(client):
    ArticleFactory(slug="nyhet")
    for url in ("/news/", "/news/nyhet/", "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not {"private", "no-store", "no-cache"} & directives(response), url


def test_news_pages_are_private_for_a_logged_in_reader(client, adviser_and_agreement):
    ArticleFactory(slug="nyhet")
    assert "private" in directives(client.get("/news/nyhet/"))


def test_a_public_photo_stays_public_for_a_logged_in_reader(client, adviser_and_agreement):
    article = ArticleFactory(slug="nyhet", photo=photo_upload(), photo_alt="Bilde")
    response = client.get(article.photo_web_url)
    b"".join(response.streaming_content)
    assert "public" in directives(response)
    assert "private" not in directives(response)
