"""Article photos: checked to be real images, and shown in a web size.

The upload is opened with Pillow, not trusted by its name or content type. The original is
kept (for a later, larger rendition); readers only ever get the web rendition, which is
re-encoded as JPEG without the original's metadata (camera, GPS position).
"""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000  # far above any camera's; stops decompression bombs early
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEB_WIDTH = 1600
WEB_QUALITY = 82

NOT_AN_IMAGE = _("The file is not an image we can read. Upload a photo in JPEG, PNG or WebP.")


def validate_photo(file) -> None:
    """Refuse anything that is not a JPEG, PNG or WebP image of at most 10 MB."""
    if getattr(file, "_committed", False):
        return  # stored earlier, so checked when it was uploaded
    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)s; it may be at most %(limit)s."),
            code="photo_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_PHOTO_BYTES)},
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            too_many_pixels = image.width * image.height > MAX_PHOTO_PIXELS
            if not too_many_pixels:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("The photo is in %(format)s format. Upload a JPEG, PNG or WebP image."),
            code="photo_format",
            params={"format": image_format},
        )
    if too_many_pixels:
        raise ValidationError(
            _("The photo has too many pixels. Make it smaller than 50 megapixels."),
            code="photo_too_many_pixels",
        )


def web_rendition(file) -> ContentFile:
    """A JPEG at most WEB_WIDTH pixels wide, turned upright, without metadata."""
    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode in ("RGBA", "LA", "P"):
            # JPEG has no transparency: lay the photo on white rather than on black.
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        if image.width > WEB_WIDTH:
            height = round(image.height * WEB_WIDTH / image.width)
            image = image.resize((WEB_WIDTH, height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=WEB_QUALITY, optimize=True, progressive=True)
    file.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{Path(file.name).stem}-web.jpg")
