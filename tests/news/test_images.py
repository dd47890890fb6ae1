"""Photos: real JPEG, PNG or WebP images of at most 10 MB, shown in a web size."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.news.images import MAX_PHOTO_BYTES, validate_photo
from tests.news.factories import ArticleFactory, image_bytes, photo_upload

pytestmark = pytest.mark.django_db


def eleven_megabyte_jpeg():
    # A real JPEG followed by padding: Pillow still reads it, and it weighs 11 MB.
    data = image_bytes(400, 300) + b"\0" * (11 * 1024 * 1024)
    return SimpleUploadedFile("stor.jpg", data, content_type="image/jpeg")


def test_a_text_file_named_jpg_is_refused_with_a_message():
    fake = SimpleUploadedFile("bilde.jpg", b"Dette er ikke et bilde.", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validate_photo(fake)
    assert error.value.code == "not_an_image"
    assert "JPEG, PNG eller WebP" in error.value.messages[0]


def test_an_eleven_megabyte_image_is_refused():
    upload = eleven_megabyte_jpeg()
    assert upload.size > MAX_PHOTO_BYTES
    with pytest.raises(ValidationError) as error:
        validate_photo(upload)
    assert error.value.code == "photo_too_large"
    assert "10" in error.value.messages[0]


def test_a_gif_is_refused_by_its_format():
    gif = SimpleUploadedFile("anim.jpg", image_bytes(image_format="GIF", mode="P"))
    with pytest.raises(ValidationError) as error:
        validate_photo(gif)
    assert error.value.code == "photo_format"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted(image_format):
    validate_photo(SimpleUploadedFile("foto", image_bytes(image_format=image_format)))


def test_a_large_photo_gets_a_web_rendition_at_most_1600_pixels_wide():
    article = ArticleFactory(photo=photo_upload(width=3000, height=2000), photo_alt="Et bilde")
    article.refresh_from_db()
    assert article.photo_web.name.startswith("news/web/")
    assert (article.photo_web_width, article.photo_web_height) == (1600, 1067)
    with article.photo_web.open("rb") as stored, Image.open(stored) as web:
        assert web.format == "JPEG"
        assert web.size == (1600, 1067)


def test_a_small_photo_keeps_its_size_and_a_png_with_transparency_becomes_jpeg():
    upload = SimpleUploadedFile("logo.png", image_bytes(640, 480, "PNG", mode="RGBA"))
    article = ArticleFactory(photo=upload, photo_alt="Logo")
    with article.photo_web.open("rb") as stored, Image.open(stored) as web:
        assert web.size == (640, 480)
        assert web.format == "JPEG"


def test_the_rendition_drops_the_original_metadata():
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kameramerke"  # Make
    Image.new("RGB", (100, 80)).save(buffer, "JPEG", exif=exif)
    article = ArticleFactory(
        photo=SimpleUploadedFile("exif.jpg", buffer.getvalue()), photo_alt="Test"
    )
    with article.photo_web.open("rb") as stored, Image.open(stored) as web:
        assert not web.getexif()


def test_removing_the_photo_removes_the_rendition():
    article = ArticleFactory(photo=photo_upload(), photo_alt="Et bilde")
    article.photo = None
    article.save()
    article.refresh_from_db()
    assert not article.photo_web
