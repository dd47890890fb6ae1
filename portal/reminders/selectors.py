"""Reads for the in-app notifications, the e-mail preferences and the calendar feed."""

from django.core.cache import cache
from django.db.models import QuerySet

from .models import REQUIRED_CATEGORIES, CalendarFeed, Category, Reminder, Unsubscription


def notifications_for(user) -> QuerySet:
    """The user's notification list, newest first: the reminders sent to them, and those
    not e-mailed only because they unsubscribed."""
    return Reminder.objects.for_user(user).only(
        "pk", "subject", "link", "category", "read_at", "created_at", "sent_at", "status"
    )


def _unread_key(user_id) -> str:
    return f"notifications-unread:{user_id}"


def notifications_unread_count(user) -> int:
    """The header's badge, on every page: counted once, then kept in the cache until a
    reminder to the user is sent or read (notifications_unread_forget), at most 10 minutes."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Reminder.objects.for_user(user).filter(read_at__isnull=True).count()
        cache.set(key, count, 600)
    return count


def notifications_unread_forget(user_ids) -> None:
    cache.delete_many([_unread_key(user_id) for user_id in set(user_ids) if user_id])


def categories_optional() -> list[tuple[str, str]]:
    """The categories one can unsubscribe from, as (value, label)."""
    return [(value, label) for value, label in Category.choices if value not in REQUIRED_CATEGORIES]


def categories_unsubscribed(email: str) -> set[str]:
    return set(
        Unsubscription.objects.filter(email__iexact=email).values_list("category", flat=True)
    )


def calendar_feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_owner(token: str):
    """The active user whose feed the token opens, or None (wrong or revoked token)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None
