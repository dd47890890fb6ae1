"""Reads for the in-app notifications, the e-mail preferences and the calendar feed."""

from django.db.models import QuerySet

from .models import REQUIRED_CATEGORIES, CalendarFeed, Category, Reminder, Unsubscription


def notifications_for(user) -> QuerySet:
    """The user's notification list, newest first: the reminders sent to them, and those
    not e-mailed only because they unsubscribed."""
    return Reminder.objects.for_user(user).only(
        "pk", "subject", "link", "category", "read_at", "created_at", "sent_at", "status"
    )


def notifications_unread_count(user) -> int:
    return Reminder.objects.for_user(user).filter(read_at__isnull=True).count()


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
