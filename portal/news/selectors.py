"""Reading news: what readers, editors and other apps get, with the queries each needs."""

from django.db.models import ManyToManyField, Model, QuerySet

from portal.accounts import access
from portal.accounts.models import Organisation

from .models import Article

PAGE_SIZE = 12


def articles_published(*, filters: dict | None = None) -> QuerySet[Article]:
    """Public articles, newest first, for lists and feeds.

    filters maps Article lookups to values, as ArticleFilterForm.lookups() gives them; a
    filter on a many-to-many (related_organisations=organisation) matches each article once.
    """
    return (
        Article.objects.published()
        .filter(**(filters or {}))
        .select_related("author")
        .defer("body", "body_html")
        .newest_first()
    )


def articles_latest(*, limit: int = 3) -> list[Article]:
    """The newest public articles, for the front page."""
    return list(articles_published()[:limit])


def article_published_get(*, slug: str) -> Article | None:
    """One public article with what its page shows, or None."""
    return (
        Article.objects.published()
        .select_related("author")
        .prefetch_related("related_organisations", "related_agreements", "related_programmes")
        .filter(slug=slug)
        .first()
    )


def article_for_preview(*, user, slug: str) -> Article | None:
    """Any article the user may see (drafts only for editors and admins), or None."""
    return (
        access.visible(user, Article.objects.all())
        .select_related("author")
        .prefetch_related("related_organisations", "related_agreements", "related_programmes")
        .filter(slug=slug)
        .first()
    )


def article_with_photo_get(*, user, slug: str) -> Article | None:
    """An article the user may see (public ones for everyone, drafts only for editors and
    admins) that has a photo, with just what its photo view needs; or None."""
    return (
        access.visible(user, Article.objects.exclude(photo_web=""))
        .only("slug", "state", "publish_at", "photo_web")
        .filter(slug=slug)
        .first()
    )


def organisations_with_news() -> QuerySet[Organisation]:
    """Organisations that public articles mention: the choices of the list's filter."""
    return Organisation.objects.filter(
        pk__in=Article.objects.published().values("related_organisations")
    ).order_by("name")


def programmes_with_news() -> QuerySet:
    """Programmes that public articles mention: the choices of the list's programme filter."""
    Programme = Article._meta.get_field("related_programmes").related_model
    return Programme.objects.filter(
        pk__in=Article.objects.published().values("related_programmes")
    ).order_by("title")


def articles_mentioning(related, *, via: str | None = None) -> QuerySet[Article]:
    """Public articles that mention related, newest first.

    related is one object or a queryset of them (an agreement, or all agreements of an
    organisation); via names the Article many-to-many field to follow. Left out, it is the
    one Article field that points to related's model, so pointing this at a new relation is
    a matter of adding the field: Article.related_agreements lets an agreement page call
    ``articles_mentioning(agreement)``, and a programme page likewise.
    """
    model = related.model if isinstance(related, QuerySet) else type(related)
    via = via or _m2m_field_to(model)
    if isinstance(related, QuerySet):
        return articles_published().filter(pk__in=Article.objects.filter(**{f"{via}__in": related}))
    return articles_published().filter(**{via: related})


def related_links(*, user, objects) -> list[dict]:
    """[{"name", "url"}] for objects an article mentions; url is None where there is no page
    or the user may not see the object.

    An object links to its get_absolute_url() only when its model has one and
    access.can_view(user, obj) holds; that is asked once for all of them (one query at
    most), not once each.
    """
    objects = list(objects)
    if not objects:
        return []
    model = type(objects[0])
    viewable = set()
    if hasattr(model, "get_absolute_url"):
        viewable = set(
            access.visible(
                user, model._default_manager.filter(pk__in=[o.pk for o in objects])
            ).values_list("pk", flat=True)
        )
    return [
        {"name": str(obj), "url": obj.get_absolute_url() if obj.pk in viewable else None}
        for obj in objects
    ]


def _m2m_field_to(model: type[Model]) -> str:
    fields = [
        f.name
        for f in Article._meta.get_fields()
        if isinstance(f, ManyToManyField) and f.related_model is model
    ]
    if len(fields) != 1:
        raise LookupError(f"Article has {len(fields)} relations to {model._meta.label}: pass via")
    return fields[0]
