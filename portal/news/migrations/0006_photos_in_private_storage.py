# Photos move out of MEDIA_ROOT, which a web server may serve to anyone, into private
# storage, served only by the article's photo view; the files get random names.

from uuid import uuid4

from django.core.files.storage import default_storage
from django.db import migrations

import portal.news.images
import portal.news.models
import portal.storage


def move_photos_to_private_storage(apps, schema_editor):
    """Idempotent: a file that is no longer in MEDIA_ROOT (moved already, or lost) is left
    alone, and the row keeps its name."""
    Article = apps.get_model("news", "Article")
    private = portal.storage.get_private_storage()
    # Names only, not model instances: an instance would read its photo's size from the
    # new storage before the file is there.
    rows = Article.objects.exclude(photo="").values_list("pk", "photo", "photo_web")
    for pk, photo, photo_web in rows:
        changes = {}
        for field, old, folder, suffix in (
            ("photo", photo, "news/originals", ""),
            ("photo_web", photo_web, "news/web", ".jpg"),
        ):
            if not old or not default_storage.exists(old):
                continue
            with default_storage.open(old, "rb") as source:
                changes[field] = private.save(f"{folder}/{uuid4().hex}{suffix}", source)
            default_storage.delete(old)
        if changes:
            Article.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_mentions_owned_by_apps"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="photo",
            field=portal.news.models.PhotoField(
                blank=True,
                help_text=(
                    "JPEG, PNG or WebP, at most 10 MB and 24 megapixels. Readers get a copy "
                    "1600 pixels wide at most, without the photo's metadata (camera, GPS "
                    "position)."
                ),
                storage=portal.storage.get_private_storage,
                upload_to=portal.news.models.photo_original_path,
                validators=[portal.news.images.validate_photo],
                verbose_name="photo",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="photo_web",
            field=portal.news.models.PhotoField(
                blank=True,
                editable=False,
                height_field="photo_web_height",
                storage=portal.storage.get_private_storage,
                upload_to=portal.news.models.photo_web_path,
                width_field="photo_web_width",
            ),
        ),
        migrations.RunPython(move_photos_to_private_storage, migrations.RunPython.noop),
    ]
