from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portal.news.models import Article
from tests.factories import UserFactory


def image_bytes(width=800, height=600, image_format="JPEG", mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, (width, height), (30, 90, 160) if mode == "RGB" else None).save(
        buffer, image_format
    )
    return buffer.getvalue()


def photo_upload(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article by default; pass state= for the others."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Nyhet nummer {n}")
    slug = factory.Sequence(lambda n: f"nyhet-{n}")
    lead = "Kort ingress om saken."
    body = "Brødtekst med **uthevet** ord."
    author = factory.SubFactory(UserFactory)
    language = Article.Language.BOKMAL
    state = Article.State.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda a: timezone.now() if a.state == Article.State.PUBLISHED else None
    )

    @factory.post_generation
    def organisations(article, create, extracted, **kwargs):
        if create and extracted:
            article.related_organisations.set(extracted)
