"""What an article mentions: organisations, and whatever the apps above the core register.

Partnerships and programmes own their relation to Article (Agreement.news_articles, read
from an article as ``article.related_agreements``) and register it here from their
AppConfig.ready(), so the core knows no domain app. The article page, the list's filters,
the admin form and ``articles_mentioning`` all read this registry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


def _everything(queryset: QuerySet) -> QuerySet:
    return queryset


@dataclass(frozen=True)
class Mention:
    name: str  # the filter's and the admin field's name: "organisation", "agreement"
    relation: str  # the many-to-many as Article reads it: "related_organisations"
    model: type
    heading: str  # above the list on the article page
    label: str  # the filter's and the admin field's label
    # What may be named on a public page and chosen by editors: an agreement only once it
    # is signed, so a draft's title never reaches a reader.
    publishable: Callable[[QuerySet], QuerySet] = _everything
    filterable: bool = True  # offered as a filter on /news/
    order: int = 100


_mentions: dict[str, Mention] = {}


def mention_add(mention: Mention) -> None:
    _mentions[mention.name] = mention


def mentions() -> list[Mention]:
    return sorted(_mentions.values(), key=lambda m: m.order)


def mention_for(model) -> Mention:
    for mention in _mentions.values():
        if mention.model is model:
            return mention
    raise LookupError(f"Articles do not mention {model._meta.label}: register a Mention")
