"""Search that understands Norwegian, across agreements and organisations.

On PostgreSQL each word of the query must match in one of three ways, and the hits are ranked:

- the 'norwegian' stemmer with prefix matching, so "arbeidsgiver" (stem "arbeidsgiv") finds
  "arbeidsgiverne" (stem "arbeidsgivern"), which the stemmer alone misses;
- a substring, for parts of compound words: "avtale" finds "samarbeidsavtalene";
- a near word, for small typos: "rekrutering" finds "rekruttering" (pg_trgm word similarity
  of at least 0.7, set in the connection options; see `near_words`). A near word matches as
  a substring, as the word would had it been typed.

Where the data lives (the design): two stored generated columns on Agreement and on
Organisation, declared in the models, so that the migrations hold them like any field, the
planner sees their indexes, and no migration imports code from here:

- `search_text`, the searched fields joined and lower-cased (`Lower(Concat(...))`, which both
  databases can generate). A GIN `gin_trgm_ops` index on it serves the substring way
  (`LIKE '%word%'`). The query compares the column itself with the lower-cased word, not
  `icontains`, whose `UPPER(...)` no index covers.
- `search_vector`, the weighted 'norwegian' tsvector, with a GIN index, for the stemmer way.
  SQLite has no tsvector: `portal.search.PostgresOnly` makes the column NULL there and
  `PostgresGinIndex` creates GIN indexes on PostgreSQL only, so one set of migrations serves
  both databases. (A GeneratedField of `to_tsvector(...)` alone cannot be created on SQLite,
  and Django has no per-database index.)

And the words in use, for the typo way: `SearchWord`, one row a word of any agreement's or
organisation's `search_text`, kept by triggers on both tables (PostgreSQL only; migration
partnerships 0009) and never emptied, with a GiST trigram index. `near_words` asks it, in one
query, for the words near each term (about a millisecond); they are then written into the
search query as constants, so that the planner can tell a common near word from a rare one.
Before, the near words were read out of a sample of 50 rows the trigram index found (9 to 26
ms a table), and rows holding them were collected through the vector's index in full (31,000
rows for "rekruttering", 26 ms) before the first CAP + 1 were taken.

Every way of matching, and an agreement's party matching, is an index condition on the one
table, so PostgreSQL can answer with a bitmap OR of index scans and never needs to read every
row (for a common word it reads the table until CAP + 1 rows match, which is cheaper). The
rank is `ts_rank` of the stored vector (no `to_tsvector` per row), cheap enough to order every
row found before the page's LIMIT; the paginator's COUNT leaves it out. At most CAP + 1
matches are ranked and counted (`_capped`): the first the indexes find, so a word in a third
of 100,000 agreements costs what a rare one does, and the page says "more than CAP".
Agreements are looked for the cheap ways first (`_agreement_ids`): the words as written, and
only while fewer than CAP + 1 are found, with typos (when a word has near words), then by a
party's name. SQLite, for development, matches substrings of `search_text` only.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from portal.accounts.models import Organisation
from portal.search import AmongIds, AnyOf

from .models import AgreementParty, SearchWord

MAX_TERMS = 8
# At most this many matches are ranked and counted: a common word matches a third of all
# agreements, and ranking or counting them all costs seconds at 100,000. The page says "more
# than" when the cap is reached (CAP + 1 rows found).
CAP = 500
# The generated columns search reads; pages never load them (selectors defer them).
COLUMNS = ("search_text", "search_vector")
# At most this many words in use near a typo are looked for (`near_words`).
NEAR_WORDS = 10
NEAR_SQL = (
    # `word %> term` (word_similarity(term, word) at least the connection's threshold) and
    # `word <->> term` (1 - that similarity, nearest first) are what the GiST index answers
    # (%% is a literal % beside the %s parameters). One part a term, the term written in.
    "SELECT %s, ARRAY(SELECT word FROM partnerships_searchword WHERE word %%> %s"
    f" ORDER BY word <->> %s LIMIT {NEAR_WORDS})"
)


def terms_of(query: str) -> list[str]:
    """Words of two letters or more; only letters and digits reach the database's parser."""
    return [word for word in re.findall(r"\w+", query.lower()) if len(word) >= 2][:MAX_TERMS]


def _uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _prefix_query(terms) -> SearchQuery:
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="norwegian"
    )


def near_words(terms) -> dict[str, list[str]]:
    """For each term, the words in use nearest to it (`SearchWord`), at most NEAR_WORDS: one
    query for all the terms, on PostgreSQL (SQLite has no typo way: no words).

    The word table's trigram index finds the words whose trigram word similarity to the term
    is at least the connection's threshold (0.7), nearest first, among thousands of words in
    about a millisecond; reading them out of a sample of rows cost 9 to 26 ms a table. The
    cost: a typo near more than NEAR_WORDS words misses the farthest.
    """
    if not terms or connections[SearchWord.objects.db].vendor != "postgresql":
        return {}
    with connections[SearchWord.objects.db].cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([NEAR_SQL] * len(terms)), [p for term in terms for p in [term] * 3]
        )
        return {term: [word for word in words if word != term] for term, words in cursor}


def _matching(queryset: QuerySet, terms, also: QuerySet | None = None, *, near=None) -> QuerySet:
    """Rows where every word matches in one of the ways (or that `also`'s ids hold).

    `near` (from `near_words`) adds the typo way: a term also matches where one of its near
    words is a substring. The near words are constants, not a subquery, so that the planner
    estimates how many rows hold them: a common one is found by reading the table until
    CAP + 1 rows match (a millisecond), not by collecting the 31,000 rows the index holds
    (26 ms, at 100,000 agreements).
    """
    postgres = _uses_postgres(queryset)
    near = near or {}
    own = Q()
    for term in terms:
        # Lower-cased like the column; SQLite's LIKE also ignores the case of ASCII letters.
        word = Q(search_text__contains=term)
        if postgres:
            word |= Q(search_vector=_prefix_query([term]))
        for near_word in near.get(term, ()):
            word |= Q(search_text__contains=near_word)
        own &= word
    if also is None:
        return queryset.filter(own)
    return queryset.filter(own | Q(AnyOf("pk", also)))


def _capped(queryset: QuerySet, matched: QuerySet) -> QuerySet:
    """The first CAP + 1 rows the indexes find (in no order), so ranking and counting them
    costs the same whatever the number of matches. Their ids are read here, once: the page
    and the paginator's count then look rows up by id instead of searching again."""
    if not _uses_postgres(queryset):
        return matched
    ids = list(matched.order_by().values_list("pk", flat=True)[: CAP + 1])
    return _among(queryset, ids)


def _among(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """The rows of these ids (read already): one array parameter on PostgreSQL, where
    `pk__in` prepares each of up to CAP + 1 ids one by one for every query that holds them
    (about 2 ms each for the page and its count)."""
    if not _uses_postgres(queryset):
        return queryset.filter(pk__in=ids)
    return queryset.filter(AmongIds("pk", ids, queryset.model._meta.pk))


def _ranked(queryset: QuerySet, terms) -> QuerySet:
    """By the stored vector's rank, of the capped matches only."""
    if not _uses_postgres(queryset):
        return queryset
    return queryset.annotate(
        rank=Coalesce(SearchRank(F("search_vector"), _prefix_query(terms)), Value(0.0))
    ).order_by("-rank", "pk")


def _party_agreements(terms, near) -> QuerySet:
    """The agreement ids of the parties of the matching organisations, at most CAP + 1 of each.

    The organisations first, then their party rows through the organisation index: joined the
    other way round, a word no organisation holds read all 200,000 party rows (127 ms). No
    ordering: a party's default one sorts every row.
    """
    organisations = _matching(Organisation.objects.all(), terms, near=near).order_by()
    parties = AgreementParty.objects.filter(
        AnyOf("organisation_id", organisations.values("pk")[: CAP + 1])
    )
    return parties.order_by().values("agreement_id")[: CAP + 1]


def agreements_matching(queryset: QuerySet, query: str) -> QuerySet:
    """Agreements matching the query in title, purpose or reference, or by a party's name, in
    no order: every way of matching is an index condition (what search picks its page from)."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    near = near_words(terms)
    return _matching(queryset, terms, also=_party_agreements(terms, near), near=near)


def agreements_search(queryset: QuerySet, query: str, *, near=None) -> QuerySet:
    """The matching agreements, best first (at most CAP + 1 of them ranked). `near`: the
    query's near words when the caller has them already (`near_words`)."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()
    if not _uses_postgres(queryset):
        return agreements_matching(queryset, query)
    return _ranked(_among(queryset, _agreement_ids(queryset, terms, near)), terms)


def _agreement_ids(queryset: QuerySet, terms, near=None) -> list[int]:
    """The first CAP + 1 matches, the cheap ways first, each next one only while fewer
    have been found: the words as written (substring, stem), then with typos too (when the
    words have near words), then by a party's name. A common word costs one query that stops
    at CAP + 1 rows; asked all at once, the typos and the party half cost every search 20 to
    50 ms more."""

    def first(matched):
        return list(matched.order_by().values_list("pk", flat=True)[: CAP + 1])

    ids = first(_matching(queryset, terms))
    if len(ids) > CAP:
        return ids
    near = near_words(terms) if near is None else near
    if any(near.values()):
        ids = first(_matching(queryset, terms, near=near))
    if len(ids) <= CAP:
        by_party = queryset.filter(AnyOf("pk", _party_agreements(terms, near)))
        found = set(ids)
        for pk in by_party.order_by().values_list("pk", flat=True)[: CAP + 1]:
            if len(ids) > CAP:
                break
            if pk not in found:
                ids.append(pk)
                found.add(pk)
    return ids


def organisations_search(queryset: QuerySet, query: str, *, near=None) -> QuerySet:
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    near = near_words(terms) if near is None else near
    matched = _matching(queryset, terms, near=near)
    return _ranked(_capped(queryset, matched), terms)
