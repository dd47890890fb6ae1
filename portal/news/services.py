"""Writing news: drafts, scheduling, publishing and archiving.

Views, admin actions and other apps call these; the rules of the states live here and in
the model (constraints and clean()).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import RESERVED_SLUGS, Article

EDITORS_GROUP = "Editors"
EDITOR_PERMISSIONS = ["add_article", "change_article", "delete_article", "view_article"]


def editors_group_get_or_create() -> Group:
    """The Editors group with the article permissions (as its data migration makes it).

    For the demo data and tests: a database flushed between tests loses the migration's row.
    """
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="news", codename__in=EDITOR_PERMISSIONS)
    )
    return group


def editor_add(*, user) -> None:
    """Make user an editor: staff (to use the admin site) in the Editors group."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(editors_group_get_or_create())


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "artikkel"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_draft_create(
    *, author, title: str, lead: str, body: str, language: str, organisations=()
) -> Article:
    """A new draft for an editor to finish, with a slug made from its title.

    Other apps start drafts from their own facts through this (an agreement's parties and
    purpose, a programme's results) and then send the editor to the admin's change page.
    """
    article = Article(
        author=author,
        title=title,
        lead=lead,
        body=body,
        language=language,
        state=Article.State.DRAFT,
        slug=_unique_slug(title),
    )
    article.full_clean()
    article.save()
    article.related_organisations.set(organisations)
    return article


def article_save(*, article: Article, now=None) -> Article:
    """Save an article edited in the admin site, stamping when it was first published."""
    now = now or timezone.now()
    if article.state == Article.State.PUBLISHED and article.published_at is None:
        before = Article.objects.filter(pk=article.pk).values("state", "publish_at").first()
        article.published_at = (
            _live_since(before["state"], before["publish_at"], now) if before else None
        ) or now
    elif article.state == Article.State.SCHEDULED:
        article.published_at = None  # it goes public at publish_at, and is dated so
    article.save()
    return article


def article_publish(*, article: Article, now=None) -> Article:
    """Make it public now. Publishing again keeps the first publication time."""
    now = now or timezone.now()
    if article.state != Article.State.PUBLISHED:
        if article.published_at is None:
            article.published_at = _live_since(article.state, article.publish_at, now) or now
        article.state = Article.State.PUBLISHED
        article.save(update_fields=["state", "published_at", "updated_at"])
    return article


def article_schedule(*, article: Article, publish_at) -> Article:
    """Make it go public by itself at publish_at (at once, if that time has passed)."""
    article.state = Article.State.SCHEDULED
    article.publish_at = publish_at
    article.published_at = None  # it goes public at publish_at, and is dated so
    article.full_clean()
    article.save(update_fields=["state", "publish_at", "published_at", "updated_at"])
    return article


def article_archive(*, article: Article) -> Article:
    """Take it off the public pages and the feed; its editors still find it in the admin."""
    if article.state != Article.State.ARCHIVED:
        article.state = Article.State.ARCHIVED
        article.save(update_fields=["state", "updated_at"])
    return article


def _live_since(state, publish_at, now):
    """When an article in this state became public by itself: a scheduled time that has come."""
    if state == Article.State.SCHEDULED and publish_at and publish_at <= now:
        return publish_at
    return None
