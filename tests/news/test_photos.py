"""Article photos: the original (with its metadata) is never public, the web copy has a name
nobody can guess, a draft's photo is for its editors only, and a photo's cost is bounded."""

import importlib
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from portal.news import services
from portal.news.images import validate_photo
from portal.news.models import Article
from tests.factories import UserFactory, adviser
from tests.news.factories import ArticleFactory, image_bytes, photo_upload

pytestmark = pytest.mark.django_db

CAMERA = "Kameramerke Hemmelig"


def photo_with_gps(name="ola-nordmann-hjemme.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (69.0, 38.0, 59.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (18.0, 57.0, 20.0),
    }
    buffer = BytesIO()
    Image.new("RGB", (400, 300), (40, 80, 120)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def files_under(folder) -> list[Path]:
    return [path for path in Path(folder).rglob("*") if path.is_file()]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def editor():
    user = UserFactory(is_staff=True)  # staff from the start: the factory enrols TOTP
    services.editor_add(user=user)
    return user


def test_nothing_of_a_photo_is_under_the_public_media_folder(settings):
    article = ArticleFactory(photo=photo_with_gps(), photo_alt="Et hus")
    assert files_under(settings.MEDIA_ROOT) == []
    assert Path(article.photo.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert Path(article.photo_web.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)


def test_the_photo_readers_get_has_no_camera_or_gps_metadata(client):
    article = ArticleFactory(slug="hus", photo=photo_with_gps(), photo_alt="Et hus")
    page = client.get("/news/hus/").content.decode()
    assert "/media/" not in page
    response = client.get(article.photo_web_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    data = body(response)
    assert CAMERA.encode() not in data
    with Image.open(BytesIO(data)) as served:
        assert not served.getexif()


def test_no_stored_name_comes_from_the_upload_name():
    article = ArticleFactory(photo=photo_with_gps("ola-nordmann-hjemme.jpg"), photo_alt="Et hus")
    for name in (article.photo.name, article.photo_web.name):
        assert "ola" not in name and "hjemme" not in name
    assert article.photo_web.name.startswith("news/web/")
    assert len(Path(article.photo_web.name).stem) == 32  # a random uuid4, in hex


def test_an_upload_name_that_climbs_out_of_the_folder_stays_inside(settings):
    upload = SimpleUploadedFile("../../../../tmp/ut.jpg", image_bytes(), content_type="image/jpeg")
    article = ArticleFactory(photo=upload, photo_alt="Et bilde")
    assert Path(article.photo.path).resolve().is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert ".." not in article.photo.name


def test_a_public_articles_photo_is_for_everyone_and_may_be_cached(client):
    article = ArticleFactory(slug="ute", photo=photo_upload(), photo_alt="Bilde")
    response = client.get(article.photo_web_url)
    assert response.status_code == 200
    assert body(response).startswith(b"\xff\xd8")  # a JPEG
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("reader", ["anonymous", "adviser", "other_staff"])
def test_a_drafts_photo_is_404_for_readers(client, reader):
    draft = ArticleFactory(
        slug="utkast", state=Article.State.DRAFT, photo=photo_upload(), photo_alt="Bilde"
    )
    if reader == "adviser":
        client.force_login(adviser())
    elif reader == "other_staff":
        client.force_login(UserFactory(is_staff=True))
    assert client.get(draft.photo_web_url).status_code == 404
    assert client.get("/news/utkast/photo/").status_code == 404


@pytest.mark.parametrize("make_user", [editor, lambda: UserFactory(is_superuser=True)])
def test_a_drafts_photo_is_shown_to_editors_and_admins_and_never_cached(client, make_user):
    draft = ArticleFactory(
        slug="utkast", state=Article.State.DRAFT, photo=photo_upload(), photo_alt="Bilde"
    )
    client.force_login(make_user())
    response = client.get(draft.photo_web_url)
    assert response.status_code == 200
    assert body(response).startswith(b"\xff\xd8")  # a JPEG
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_an_article_without_a_photo_has_no_photo_address(client):
    ArticleFactory(slug="uten")
    assert client.get("/news/uten/photo/").status_code == 404


def test_a_new_photo_gets_a_new_address():
    article = ArticleFactory(photo=photo_upload(), photo_alt="Bilde")
    before = article.photo_web_url
    article.photo = photo_upload()
    article.save()
    assert article.photo_web_url != before


def png(width, height) -> SimpleUploadedFile:
    # One bit a pixel, so the test holds a 49-megapixel image in 6 MB.
    buffer = BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return SimpleUploadedFile("stor.png", buffer.getvalue(), content_type="image/png")


def test_a_49_megapixel_png_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as raised:
        validate_photo(png(7000, 7000))
    assert raised.value.code == "photo_too_many_pixels"
    assert "24" in raised.value.messages[0]


def test_a_photo_just_over_24_megapixels_is_refused():
    # Pillow's own guard (set to our limit) warns about it; the validator refuses it.
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ValidationError) as raised:
        validate_photo(png(6000, 4100))
    assert raised.value.code == "photo_too_many_pixels"


def test_a_truncated_jpeg_is_refused_rather_than_failing_on_save():
    data = image_bytes(800, 600)
    with pytest.raises(ValidationError) as raised:
        validate_photo(SimpleUploadedFile("halv.jpg", data[: len(data) // 2]))
    assert raised.value.code == "not_an_image"


def test_the_admin_says_a_too_large_png_has_too_many_pixels(client):
    client.force_login(editor())
    response = client.post(
        "/admin/news/article/add/",
        {
            "title": "Stort bilde",
            "slug": "stort-bilde",
            "language": "nb",
            "lead": "Ingress.",
            "body": "Tekst.",
            "photo": png(7000, 7000),
            "photo_alt": "Et bilde",
            "state": "draft",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        "The photo has too many pixels. Make it smaller than 24 megapixels."
    ]
    assert not Article.objects.exists()


def test_photos_stored_under_the_old_layout_move_to_private_storage(settings):
    article = ArticleFactory(slug="gammel")
    default_storage.save("news/photos/2026/01/ola.jpg", ContentFile(photo_with_gps().read()))
    default_storage.save("news/web/2026/01/ola-web.jpg", ContentFile(image_bytes()))
    Article.objects.filter(pk=article.pk).update(
        photo="news/photos/2026/01/ola.jpg", photo_web="news/web/2026/01/ola-web.jpg"
    )
    migration = importlib.import_module("portal.news.migrations.0006_photos_in_private_storage")
    migration.move_photos_to_private_storage(apps, None)
    migration.move_photos_to_private_storage(apps, None)  # twice: nothing more happens
    article.refresh_from_db()
    assert files_under(settings.MEDIA_ROOT) == []
    assert article.photo.name.startswith("news/originals/")
    assert article.photo_web.name.startswith("news/web/") and "ola" not in article.photo_web.name
    assert article.photo.storage.exists(article.photo.name)
    assert article.photo_web.storage.exists(article.photo_web.name)


def test_a_photo_taken_on_its_side_is_shown_upright_1600_pixels_wide():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # turned a quarter clockwise
    buffer = BytesIO()
    Image.new("RGB", (3000, 2000)).save(buffer, "JPEG", exif=exif)
    article = ArticleFactory(photo=SimpleUploadedFile("side.jpg", buffer.getvalue()), photo_alt="x")
    assert (article.photo_web_width, article.photo_web_height) == (1600, 2400)
