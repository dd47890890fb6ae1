"""Uploads in object storage: chosen by environment variables, tested against a real
S3-compatible server (moto in server mode), private files still served only by the checked
views."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships.demo import DEMO_PDF
from portal.storage import private_storage
from tests.factories import employer_contact
from tests.news.factories import ArticleFactory, photo_upload
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.portal.conftest import keys
from tests.portal.test_settings import in_a_fresh_process

pytestmark = pytest.mark.django_db


def storages_in_a_fresh_process(**environment) -> list[str]:
    result = in_a_fresh_process(
        "import django; django.setup(); from django.core.files.storage import storages; "
        "print(type(storages['default']).__name__, type(storages['private']).__name__, "
        "storages['private'].location)",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_without_a_bucket_uploads_stay_in_local_folders():
    assert storages_in_a_fresh_process()[:2] == ["FileSystemStorage", "PrivateStorage"]


def test_without_a_bucket_no_process_loads_the_bucket_client_or_the_excel_writer():
    """boto3 (about 19 MB a process) only where a bucket is set; openpyxl (about 9 MB) only
    when a workbook is written: a web worker loads every view, and neither."""
    result = in_a_fresh_process(
        "import sys, django; django.setup(); "
        "from portal.wsgi import application; from django.urls import get_resolver; "
        "get_resolver().url_patterns; "
        "print(*(m for m in ('boto3', 'botocore', 'openpyxl') if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def test_storage_bucket_puts_public_and_private_files_in_the_bucket():
    assert storages_in_a_fresh_process(
        STORAGE_BUCKET="partnerportal", STORAGE_ENDPOINT_URL="https://storage.googleapis.com"
    ) == ["S3Storage", "PrivateBucketStorage", "private"]


def test_an_uploaded_document_lands_in_the_bucket_and_is_served_by_the_checked_view(
    in_bucket, client
):
    s3, name = in_bucket
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner())
    client.force_login(adviser)
    response = client.post(
        f"/agreements/{agreement.reference}/documents/",
        {
            "document-title": "Signert avtale",
            "document-kind": "signed_agreement",
            "document-file": SimpleUploadedFile("avtale.pdf", DEMO_PDF),
        },
    )
    assert response.status_code == 302
    document = agreement.documents.get()
    assert keys(s3, name) == [f"private/agreements/{agreement.reference}/avtale.pdf"]

    download = client.get(document.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == DEMO_PDF
    assert "no-store" in download["Cache-Control"]

    client.force_login(employer_contact())
    assert client.get(document.get_absolute_url()).status_code == 404


def test_the_bucket_is_not_readable_without_a_signature(in_bucket, s3_server):
    _, name = in_bucket
    private_storage.save("agreements/SA-2026-0001/avtale.pdf", ContentFile(DEMO_PDF))
    unsigned = f"{s3_server}/{name}/private/agreements/SA-2026-0001/avtale.pdf"
    assert requests.get(unsigned, timeout=10).status_code == 403

    # A view that would rather redirect than stream gets an address valid for a minute.
    signed = private_storage.url("agreements/SA-2026-0001/avtale.pdf")
    assert parse_qs(urlsplit(signed).query)["X-Amz-Expires"] == ["60"]
    assert requests.get(signed, timeout=10).content == DEMO_PDF


def test_a_news_photo_is_kept_in_the_bucket_and_served_by_the_photo_view(in_bucket, client):
    s3, name = in_bucket
    article = ArticleFactory(slug="bucket", photo=photo_upload(), photo_alt="Et hus")
    stored = keys(s3, name)
    assert stored == sorted([f"private/{article.photo.name}", f"private/{article.photo_web.name}"])
    response = client.get(article.photo_web_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_public_media_go_to_the_bucket_too(in_bucket):
    s3, name = in_bucket
    default_storage.save("logos/nav.txt", ContentFile(b"NAV"))
    assert keys(s3, name) == ["media/logos/nav.txt"]
