"""Article photos: checked to be real images, and shown in a web size.

The upload is opened with Pillow, not trusted by its name or content type. The original is
kept in private storage (for a later, larger rendition; it still has the camera's metadata,
GPS position included); readers only ever get the web rendition, which is re-encoded as JPEG
without the original's metadata, through the article's photo view (see models.PhotoField).

Photos are made in the web request, so what they may cost is bounded here: at most
MAX_PHOTO_PIXELS (a 24-megapixel PNG decodes to about 100 MB; a 49-megapixel one cost
430 MB), checked from the header before anything is decoded, and Pillow's own guard set to
the same figure (apps.py) for any other code that opens an image.
"""

from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 24_000_000  # a 24-megapixel camera's photo; more is refused
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
WEB_WIDTH = 1600
WEB_QUALITY = 82
# JPEGs are decoded at 1/2, 1/4 or 1/8 of their size when that still leaves this many times
# the web width to resample from (Pillow's reducing_gap): cheap, and sharp enough.
REDUCING_GAP = 1.5

NOT_AN_IMAGE = _("The file is not an image we can read. Upload a photo in JPEG, PNG or WebP.")
TOO_MANY_PIXELS = _("The photo has too many pixels. Make it smaller than 24 megapixels.")
# EXIF orientations that turn the photo a quarter: its width on screen is its height on file.
QUARTER_TURNS = {5, 6, 7, 8}


class PhotoFormField(forms.ImageField):
    """Django's ImageField opens the upload with Pillow before validate_photo runs, and calls
    whatever goes wrong there "not an image"; validate_photo checks everything once and says
    what is wrong (too many pixels, say)."""

    def to_python(self, data):
        return forms.FileField.to_python(self, data)


def validate_photo(file) -> None:
    """Refuse anything that is not a JPEG, PNG or WebP image of at most 10 MB and 24 MP."""
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
            if image_format in ALLOWED_FORMATS and not too_many_pixels:
                image.verify()
                ok_so_far = True
            else:
                ok_so_far = False
        if ok_so_far:
            # verify() checks a PNG's checksums but not that a JPEG is whole: decode it now
            # (at a reduced scale where the format allows), so that a truncated file is refused
            # here rather than failing when the article is saved.
            file.seek(0)
            with Image.open(file) as image:
                _shrink(image)
    except Image.DecompressionBombError:
        raise ValidationError(TOO_MANY_PIXELS, code="photo_too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
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
        raise ValidationError(TOO_MANY_PIXELS, code="photo_too_many_pixels")


def _shrink(image: Image.Image) -> None:
    """Make image at most WEB_WIDTH wide as it will be shown, in place.

    Done before anything else, so the full-size photo is decoded once and never copied; the
    EXIF orientation is applied afterwards, to the small image.
    """
    quarter_turn = image.getexif().get(ExifTags.Base.Orientation, 1) in QUARTER_TURNS
    scale = WEB_WIDTH / (image.height if quarter_turn else image.width)
    if scale < 1:
        # The exact size, not a box open in one direction: Pillow picks the JPEG decoding
        # scale from it, and an open box would decode at full size.
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image.thumbnail(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    image.load()


def web_rendition(file) -> ContentFile:
    """A JPEG at most WEB_WIDTH pixels wide, turned upright, without metadata.

    Its name is the field's to give (a random one, see models.photo_web_path).
    """
    file.seek(0)
    with Image.open(file) as original:
        _shrink(original)
        image = ImageOps.exif_transpose(original)
        if image.mode in ("RGBA", "LA", "P", "PA"):
            # JPEG has no transparency: lay the photo on white rather than on black.
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=WEB_QUALITY, optimize=True, progressive=True)
    file.seek(0)
    return ContentFile(buffer.getvalue(), name="web.jpg")
