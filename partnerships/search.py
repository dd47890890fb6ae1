"""Search that understands Norwegian, across agreements and organisations.

On PostgreSQL each word of the query must match in one of three ways, and the hits are ranked:

- the 'norwegian' stemmer with prefix matching, so "arbeidsgiver" (stem "arbeidsgiv") finds
  "arbeidsgiverne" (stem "arbeidsgivern"), which the stemmer alone misses;
- a substring, for parts of compound words: "avtale" finds "samarbeidsavtalene";
- a near word, for small typos: "rekrutering" finds "rekruttering" (pg_trgm word similarity
  of at least 0.7, set in the connection options; see `_near_words`).

Where the data lives (the design): two stored generated columns on Agreement and on
Organisation, declared in the models, so that the migrations hold them like any field, the
planner sees their indexes, and no migration imports code from here:

- `search_text`, the searched fields joined and lower-cased (`Lower(Concat(...))`, which both
  databases can generate). A GIN `gin_trgm_ops` index on it serves the substring way
  (`LIKE '%word%'`) and finds the rows a typo is near (`%>`). The query compares the column
  itself with the lower-cased word, not `icontains`, whose `UPPER(...)` no index covers.
- `search_vector`, the weighted 'norwegian' tsvector, with a GIN index, for the stemmer way.
  SQLite has no tsvector: `portal.search.PostgresOnly` makes the column NULL there and
  `PostgresGinIndex` creates GIN indexes on PostgreSQL only, so one set of migrations serves
  both databases. (A GeneratedField of `to_tsvector(...)` alone cannot be created on SQLite,
  and Django has no per-database index.)

Every way of matching, and an agreement's party matching, is an index condition on the one
table, so PostgreSQL answers with a bitmap OR of index scans and never reads every row. The
rank is `ts_rank` of the stored vector (no `to_tsvector` per row), cheap enough to order every
row found before the page's LIMIT; the paginator's COUNT leaves it out. At most CAP + 1
matches are ranked and counted (`_capped`): the first the indexes find, so a word in a third
of 100,000 agreements costs what a rare one does, and the page says "more than CAP".
Agreements are looked for the cheap ways first (`_agreement_ids`): the words as written, and
only while fewer than CAP + 1 are found, with typos, then by a party's name. SQLite, for
development, matches substrings of `search_text` only.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from portal.accounts.models import Organisation
from portal.search import AnyOf

from .models import AgreementParty

MAX_TERMS = 8
# At most this many matches are ranked and counted: a common word matches a third of all
# agreements, and ranking or counting them all costs seconds at 100,000. The page says "more
# than" when the cap is reached (CAP + 1 rows found).
CAP = 500
# The generated columns search reads; pages never load them (selectors defer them).
COLUMNS = ("search_text", "search_vector")


def terms_of(query: str) -> list[str]:
    """Words of two letters or more; only letters and digits reach the database's parser."""
    return [word for word in re.findall(r"\w+", query.lower()) if len(word) >= 2][:MAX_TERMS]


def _uses_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _prefix_query(terms) -> SearchQuery:
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="norwegian"
    )


def _near_words(model, term: str) -> Func:
    """`search_vector @@` the words like `term` that a sample of similar rows holds.

    Checking the trigram similarity of a typo against every row that holds the intended word
    costs a millisecond per 20 rows; a typo of a common word would check thousands. Instead
    the words near the typo are read from at most 50 rows the trigram index finds, and the
    rows holding those words are found through the vector's index. The cost: a typo whose
    near words are spread over many distinct words may miss the rarer ones.
    """
    table = connections[model.objects.db].ops.quote_name(model._meta.db_table)
    words = RawSQL(
        # %% is a literal % (pg_trgm's operators) beside the %s parameters.
        "SELECT to_tsquery('norwegian', coalesce(string_agg(DISTINCT word || ':*', ' | '), ''))"
        f" FROM (SELECT search_text FROM {table} WHERE search_text %%> %s LIMIT 50) AS sample,"
        " regexp_split_to_table(sample.search_text, '\\W+') AS word"
        " WHERE length(word) >= 2 AND %s <%% word",
        [term, term],
        output_field=SearchQueryField(),
    )
    return Func(
        F("search_vector"),
        words,
        template="(%(expressions)s)",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def _matching(
    queryset: QuerySet, terms, also: QuerySet | None = None, *, near: bool = True
) -> QuerySet:
    """Rows where every word matches in one of the ways (or that `also`'s ids hold);
    ``near=False`` leaves out the typo way."""
    model = queryset.model
    postgres = _uses_postgres(queryset)
    own = Q()
    for term in terms:
        # Lower-cased like the column; SQLite's LIKE also ignores the case of ASCII letters.
        word = Q(search_text__contains=term)
        if postgres:
            word |= Q(search_vector=_prefix_query([term]))
            if near:
                word |= Q(_near_words(model, term))
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
    return queryset.filter(pk__in=ids)


def _ranked(queryset: QuerySet, terms) -> QuerySet:
    """By the stored vector's rank, of the capped matches only."""
    if not _uses_postgres(queryset):
        return queryset
    return queryset.annotate(
        rank=Coalesce(SearchRank(F("search_vector"), _prefix_query(terms)), Value(0.0))
    ).order_by("-rank", "pk")


def agreements_matching(queryset: QuerySet, query: str) -> QuerySet:
    """Agreements matching the query in title, purpose or reference, or by a party's name, in
    no order: every way of matching is an index condition (what search picks its page from)."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    # The matching organisations first (at most CAP + 1), then their party rows through the
    # organisation index: joined the other way round, a word no organisation holds read all
    # 200,000 party rows (127 ms). No ordering: a party's default one sorts every row.
    organisations = _matching(Organisation.objects.all(), terms).order_by().values("pk")
    parties = AgreementParty.objects.filter(AnyOf("organisation_id", organisations[: CAP + 1]))
    by_party = parties.order_by().values("agreement_id")[: CAP + 1]
    return _matching(queryset, terms, also=by_party)


def agreements_search(queryset: QuerySet, query: str) -> QuerySet:
    """The matching agreements, best first (at most CAP + 1 of them ranked)."""
    terms = terms_of(query)
    if not terms:
        return queryset.none()
    if not _uses_postgres(queryset):
        return agreements_matching(queryset, query)
    return _ranked(queryset.filter(pk__in=_agreement_ids(queryset, terms)), terms)


def _agreement_ids(queryset: QuerySet, terms) -> list[int]:
    """The first CAP + 1 matches, the cheap ways first, each next one only while fewer
    have been found: the words as written (substring, stem), then with typos too, then by a
    party's name. A common word costs one query that stops at CAP + 1 rows; asked all at
    once, the typo sampling and the party half cost every search 20 to 50 ms more."""

    def first(matched):
        return list(matched.order_by().values_list("pk", flat=True)[: CAP + 1])

    ids = first(_matching(queryset, terms, near=False))
    if len(ids) <= CAP:
        ids = first(_matching(queryset, terms))
    if len(ids) <= CAP:
        organisations = _matching(Organisation.objects.all(), terms).order_by().values("pk")
        parties = AgreementParty.objects.filter(AnyOf("organisation_id", organisations[: CAP + 1]))
        by_party = queryset.filter(
            AnyOf("pk", parties.order_by().values("agreement_id")[: CAP + 1])
        )
        found = set(ids)
        for pk in by_party.order_by().values_list("pk", flat=True)[: CAP + 1]:
            if len(ids) > CAP:
                break
            if pk not in found:
                ids.append(pk)
                found.add(pk)
    return ids


def organisations_search(queryset: QuerySet, query: str) -> QuerySet:
    terms = terms_of(query)
    if not terms:
        return queryset.none()  # a query of one-letter words or signs asks for nothing
    return _ranked(_capped(queryset, _matching(queryset, terms)), terms)
