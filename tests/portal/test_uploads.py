"""An upload over the limit is refused before it is read or written anywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from partnerships.demo import DEMO_PDF
from partnerships.models import AgreementDocument
from portal.news import services as news_services
from portal.news.models import Article
from portal.uploads import UploadSizeLimitMiddleware
from tests.factories import UserFactory
from tests.news.factories import image_bytes
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def no_temporary_folder(settings, tmp_path):
    """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file in this folder; it does
    not exist, so any attempt to write one fails the request."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "missing")
    return settings


def twelve_megabytes(name, head):
    return SimpleUploadedFile(name, head + b"\0" * (12 * MB))


def test_a_document_over_the_request_limit_gets_a_413_page_and_nothing_is_written(
    client, no_temporary_folder
):
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner())
    client.force_login(adviser)
    response = client.post(
        f"/agreements/{agreement.reference}/documents/",
        {
            "document-title": "Stor",
            "document-kind": "other",
            "document-file": twelve_megabytes("stor.pdf", DEMO_PDF),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert "at most 10 MB" in response.content.decode()
    assert not AgreementDocument.objects.exists()


def test_an_article_photo_over_the_request_limit_gets_a_413_in_the_admin(
    client, no_temporary_folder
):
    editor = UserFactory()
    news_services.editor_add(user=editor)
    client.force_login(editor)
    response = client.post(
        "/admin/news/article/add/",
        {
            "title": "Stort bilde",
            "slug": "stort-bilde",
            "language": "nb",
            "lead": "Ingress.",
            "body": "Tekst.",
            "photo": twelve_megabytes("stort.jpg", image_bytes()),
            "photo_alt": "Et bilde",
            "state": "draft",
        },
    )
    assert response.status_code == 413
    assert not Article.objects.exists()


def test_a_body_that_sends_more_than_it_declares_is_stopped_at_the_limit(no_temporary_folder):
    # As an ASGI server passes it on: the whole body, whatever Content-Length claims.
    request = RequestFactory().post(
        "/agreements/x/documents/",
        {"document-file": twelve_megabytes("stor.pdf", DEMO_PDF)},
    )
    request.META["CONTENT_LENGTH"] = "1000"
    reached_the_view = []
    response = UploadSizeLimitMiddleware(reached_the_view.append)(request)
    assert response.status_code == 413
    assert not reached_the_view


def test_an_upload_under_the_limit_reaches_the_form(client, settings):
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner())
    client.force_login(adviser)
    response = client.post(
        f"/agreements/{agreement.reference}/documents/",
        {
            "document-title": "Avtale",
            "document-kind": "other",
            "document-file": SimpleUploadedFile("avtale.pdf", DEMO_PDF + b"\0" * (3 * MB)),
        },
    )
    assert response.status_code == 302
    assert AgreementDocument.objects.get().size > 3 * MB
