"""Reading news: what readers, editors and other apps get, with the queries each needs."""

from django.db.models import Prefetch, Q, QuerySet

from portal.accounts import access

from . import mentions
from .models import Article

PAGE_SIZE = 12


def articles_published() -> QuerySet[Article]:
    """Public articles, newest first, for lists (filters.ArticleFilter narrows it) and feeds."""
    return (
        Article.objects.published()
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
        .prefetch_related(*_mentioned_publishable())
        .filter(slug=slug)
        .first()
    )


def article_for_preview(*, user, slug: str) -> Article | None:
    """Any article the user may see (drafts only for editors and admins), or None."""
    return (
        access.visible(user, Article.objects.all())
        .select_related("author")
        .prefetch_related(*_mentioned_publishable())
        .filter(slug=slug)
        .first()
    )


def mentioned_in_news(mention: mentions.Mention) -> QuerySet:
    """What public articles mention, of one kind: the choices of the list's filter."""
    return mention.publishable(
        mention.model._default_manager.filter(
            pk__in=Article.objects.published().values(mention.relation)
        )
    ).order_by(*mention.model._meta.ordering or ["pk"])


# The filter offers what the newest articles mention, not all that was ever mentioned (with
# thousands of partners the list would be the whole register); an older one stays reachable
# from an article's own links (?organisation=<id>), which the filter still accepts.
RECENT_ARTICLES = 100
OFFERED_MENTIONS = 30


def mentioned_recently(mention: mentions.Mention, chosen=None) -> list:
    """At most OFFERED_MENTIONS of what the newest public articles mention, by name, and the
    one chosen (if any): the options the list's filter shows."""
    newest = Article.objects.published().order_by("-published_at").values("pk")[:RECENT_ARTICLES]
    offered = list(
        mentioned_in_news(mention).filter(
            pk__in=Article.objects.filter(pk__in=newest).values(mention.relation)
        )[:OFFERED_MENTIONS]
    )
    if chosen is not None and chosen not in offered:
        offered.append(chosen)
    return offered


def article_with_photo_get(*, user, slug: str) -> Article | None:
    """An article the user may see (public ones for everyone, drafts only for editors and
    admins) that has a photo, with just what its photo view needs; or None."""
    return (
        access.visible(user, Article.objects.exclude(photo_web=""))
        .only("slug", "state", "publish_at", "photo_web")
        .filter(slug=slug)
        .first()
    )


def articles_mentioning(related) -> QuerySet[Article]:
    """Public articles that mention related, newest first.

    related is one object or a queryset of them (an agreement, or all agreements of an
    organisation), of a model registered in portal.news.mentions.
    """
    model = related.model if isinstance(related, QuerySet) else type(related)
    via = mentions.mention_for(model).relation
    if isinstance(related, QuerySet):
        return articles_published().filter(pk__in=Article.objects.filter(**{f"{via}__in": related}))
    return articles_published().filter(**{via: related})


def mention_links(*, user, article) -> list[dict]:
    """Per kind of mention: {"name", "heading", "links"} for the article page. The article
    must come from article_published_get or article_for_preview, whose prefetch holds only
    what may be named in public (a signed agreement, never a draft)."""
    return [
        {
            "name": mention.name,
            "heading": mention.heading,
            "links": related_links(user=user, objects=getattr(article, mention.relation).all()),
        }
        for mention in mentions.mentions()
    ]


def _mentioned_publishable() -> list[Prefetch]:
    return [
        Prefetch(m.relation, queryset=m.publishable(m.model._default_manager.all()))
        for m in mentions.mentions()
    ]


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


def articles_searched(query: str, limit: int = 20) -> list[Article]:
    """Published articles whose title or lead holds every word of the query."""
    words = [word for word in query.split() if len(word) >= 2][:8]
    if not words:
        return []
    articles = articles_published()
    for word in words:
        articles = articles.filter(Q(title__icontains=word) | Q(lead__icontains=word))
    return list(articles[:limit])
