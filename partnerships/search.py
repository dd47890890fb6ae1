"""Search that understands Norwegian, across agreements and organisations.

On PostgreSQL each word of the query must match in one of three ways, and the hits are ranked:

- the 'norwegian' stemmer with prefix matching, so "arbeidsgiver" (stem "arbeidsgiv") finds
  "arbeidsgiverne" (stem "arbeidsgivern"), which the stemmer alone misses;
- a substring, for parts of compound words: "avtale" finds "samarbeidsavtalene";
- trigram word similarity (pg_trgm), for small typos: "rekrutering" finds "rekruttering".

GIN indexes (migration partnerships 0002) serve the first two. SQLite, for development, falls
back to a plain case-insensitive substring match.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

MAX_TERMS = 8


def terms_of(query: str) -> list[str]:
    """Words of two letters or more; only letters and digits reach the database's parser."""
    return [word for word in re.findall(r"\w+", query.lower()) if len(word) >= 2][:MAX_TERMS]


def agreement_vector():
    return SearchVector("title", weight="A", config="norwegian") + SearchVector(
        "purpose", weight="B", config="norwegian"
    )


def organisation_vector():
    return SearchVector("name", weight="A", config="norwegian") + SearchVector(
        "description", weight="C", config="norwegian"
    )


AGREEMENT_FIELDS = ("title", "purpose", "reference")
ORGANISATION_FIELDS = ("name", "description", "municipality", "org_number")


def _uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _substring_match(terms, fields) -> Q:
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _matching_ids(model, term, vector, fields, similar_fields, extra_match=None) -> QuerySet:
    """Ids of rows that match one word, as a union of queries that each can use an index.

    One query with the conditions joined by OR would have PostgreSQL compute the text vector
    of every row; a union of index scans touches only the rows that match.
    """
    word = SearchQuery(f"{term}:*", search_type="raw", config="norwegian")
    parts = [model.objects.annotate(search_vector=vector).filter(search_vector=word)]
    parts += [model.objects.filter(**{f"{name}__icontains": term}) for name in fields]
    parts += [
        model.objects.filter(**{f"{name}__trigram_word_similar": term}) for name in similar_fields
    ]
    if extra_match is not None:
        parts.append(model.objects.filter(extra_match))
    ids = [part.order_by().values("pk") for part in parts]
    return ids[0].union(*ids[1:])


def _ranked(queryset, terms, vector, fields, similar_fields, extra_match=None):
    for term in terms:  # every word must match, each in any of the ways
        queryset = queryset.filter(
            pk__in=_matching_ids(queryset.model, term, vector, fields, similar_fields, extra_match)
        )
    prefix_query = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="norwegian"
    )
    similarity = Greatest(
        *[TrigramWordSimilarity(Value(term), name) for term in terms for name in similar_fields],
        Value(0.0),
        output_field=FloatField(),
    )
    return queryset.annotate(
        rank=Coalesce(SearchRank(vector, prefix_query), Value(0.0)) + similarity
    ).order_by("-rank", "pk")


def agreements_search(queryset: QuerySet, query: str) -> QuerySet:
    """Agreements matching the query in title, purpose or reference, or by a party's name."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    from portal.accounts.models import Organisation

    matching_parties = Q(
        parties__organisation__in=organisations_search(Organisation.objects.all(), query)
        .order_by()
        .values("pk")
    )
    if not _uses_postgres(queryset):
        return queryset.filter(
            Q(pk__in=queryset.model.objects.filter(matching_parties).values("pk"))
            | _substring_match(terms, AGREEMENT_FIELDS)
        )
    party_match = Q(pk__in=queryset.model.objects.filter(matching_parties).values("pk"))
    return _ranked(
        queryset, terms, agreement_vector(), AGREEMENT_FIELDS, ("title", "purpose"), party_match
    )


def organisations_search(queryset: QuerySet, query: str) -> QuerySet:
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    if not _uses_postgres(queryset):
        return queryset.filter(_substring_match(terms, ORGANISATION_FIELDS))
    return _ranked(
        queryset, terms, organisation_vector(), ORGANISATION_FIELDS, ("name", "description")
    )
