"""Database pieces of search that models in any app declare (used by partnerships/search.py),
and the admin site's search of the big lists (`admin_search`).

PostgreSQL has the Norwegian text vector and GIN and GiST indexes; SQLite, the development
default, has none of them. The pieces below are ordinary Django expressions and indexes, so
they live in the models and in the migration state, and compile to nothing where the database
lacks them.
"""

from collections import defaultdict
from functools import cache

from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import NotSupportedError, connections
from django.db.backends.ddl_references import Statement
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Lower
from django.db.models.lookups import Contains
from django.utils.text import smart_split, unescape_string_literal


class PostgresOnly(Func):
    """The wrapped expression on PostgreSQL, NULL elsewhere.

    For a stored GeneratedField of a PostgreSQL type (a tsvector): SQLite stores NULL instead
    of failing to create the table.
    """

    def __init__(self, expression, **extra):
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class PostgresOnlyIndex:
    """An index on PostgreSQL; on other databases, which lack its kind, a comment instead."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: index on PostgreSQL only", name=self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: index on PostgreSQL only", name=self.name)
        return super().remove_sql(model, schema_editor, **kwargs)


class PostgresGinIndex(PostgresOnlyIndex, GinIndex):
    """A GIN index on PostgreSQL only."""


class PostgresGistIndex(PostgresOnlyIndex, GistIndex):
    """A GiST index on PostgreSQL only."""


class AmongIds(Func):
    """``field = ANY(%s)`` with ids read already, as one array parameter (PostgreSQL only).

    A constant: the planner knows how many rows it picks, and hashes it where it tests rows
    one by one. An `AnyOf` subquery's array is neither: estimated at a few rows, and tested
    id by id, a second word's 1,600 organisations cost a sign-up search 2 s.
    """

    output_field = BooleanField()

    def __init__(self, field: str, ids: list, id_field):
        super().__init__(F(field))
        self.ids, self.id_field = ids, id_field

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("AmongIds is for PostgreSQL; elsewhere, AnyOf")

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.get_source_expressions()[0])
        array_type = f"{self.id_field.cast_db_type(connection)}[]"
        # An array literal ('{1,2}'), not the ARRAY[1, 2] psycopg writes for a list: parsing
        # 14,000 numbers one by one cost each query 11 ms.
        ids = "{" + ",".join(str(int(pk)) for pk in self.ids) + "}"
        return f"{column} = ANY(%s::{array_type})", [*params, ids]


class AnyOf(Func):
    """``field = ANY(ARRAY(subquery))`` on PostgreSQL, ``field IN (subquery)`` elsewhere.

    On PostgreSQL the subquery then runs first, once, and the condition is an index condition
    on the field, so an OR of such conditions stays a bitmap OR of index scans; ``IN
    (subquery)`` under an OR makes the planner read every row and sort them (the dashboard's
    follow-ups: 41 ms, 20 ms this way, at 100,000 agreements).
    """

    output_field = BooleanField()

    def __init__(self, field: str, ids: QuerySet):
        super().__init__(F(field), Subquery(ids))

    def as_sql(self, compiler, connection, **extra_context):
        # The subquery brings its own parentheses: "IN ((SELECT ...))" would compare with
        # its first row only.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" IN ", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s))",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )


def lower_trigram_index(*fields: str, name: str) -> PostgresGinIndex:
    """A trigram index of the lower-cased columns (PostgreSQL only): it answers
    `LOWER(column) LIKE '%word%'`, what `admin_search` asks of a model's own columns."""
    return PostgresGinIndex(
        *(OpClass(Lower(field), name="gin_trgm_ops") for field in fields), name=name
    )


@cache
def search_text_holds(model) -> frozenset[str]:
    """The columns whose lower-cased text the model's generated `search_text` holds (an
    agreement's title and reference, an organisation's name): where a column holds a word,
    so does search_text, whose trigram index then narrows the search of the column."""
    try:
        expression = model._meta.get_field("search_text").expression
    except (FieldDoesNotExist, AttributeError):  # none, or not a generated one
        return frozenset()
    if not isinstance(expression, Lower):
        return frozenset()
    return frozenset(node.name for node in expression.flatten() if isinstance(node, F))


# At most this many related rows' ids are read into an admin search's query (`_word_in`).
MOST_IDS = 10_000


def _word_in(model, paths, word: str, *, ids_from=None) -> Q:
    """One of `paths` (columns, or a related row's: "employer__name") holds the lower-cased
    word: Django's `icontains` asked so that indexes answer it.

    `ids_from`, the database alias of a PostgreSQL queryset, has the related rows' ids read
    first (`AmongIds`, at most MOST_IDS of them); below the first level, elsewhere and past
    MOST_IDS, they are a subquery (`AnyOf`).
    """
    own, held, related = Q(), Q(), defaultdict(list)
    for path in paths:
        name, _, rest = path.partition(LOOKUP_SEP)
        if rest:
            related[name].append(rest)
        elif name in search_text_holds(model):
            held |= Q(Contains(Lower(name), word))
        else:
            # Not icontains: its UPPER(column::text) LIKE UPPER(%s) is covered by no index.
            own |= Q(Contains(Lower(name), word))
    if held:
        own |= Q(search_text__contains=word) & held
    for name, rests in related.items():
        field = model._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            # A reverse or many-to-many relation would repeat rows: Django's search's job.
            raise ImproperlyConfigured(f"admin_search follows foreign keys only, not {name!r}")
        # The related rows first (one query for all their searched columns), then the rows
        # that point at them along the foreign key's index: a join read every row and
        # tested each against the word.
        matching = field.related_model._base_manager.filter(
            _word_in(field.related_model, rests, word)
        ).order_by()
        ids = None
        if ids_from:
            ids = list(matching.using(ids_from).values_list("pk", flat=True)[: MOST_IDS + 1])
        if ids is not None and len(ids) <= MOST_IDS:
            own |= Q(AmongIds(field.attname, ids, field.target_field))
        else:  # a word in a great many related rows (a letter, say): a subquery
            own |= Q(AnyOf(field.attname, matching.values("pk")))
    return own


def admin_search(queryset: QuerySet, fields, search_term: str) -> QuerySet:
    """The rows where each word of search_term (a quoted phrase is one) is in one of the
    fields, its case ignored: what Django's admin search finds, with conditions that
    indexes answer (the own columns' `lower_trigram_index`, a related model's
    `search_text`, the foreign keys' indexes). Plain field paths only (no ^, = or @)."""
    postgres = connections[queryset.db].vendor == "postgresql"
    for word in smart_split(search_term):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        # Lower-cased here, so that the pattern is a constant the trigram index can read.
        found = _word_in(queryset.model, fields, word.lower(), ids_from=postgres and queryset.db)
        queryset = queryset.filter(found)
    return queryset
