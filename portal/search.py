"""Database pieces of search that models in any app declare (used by partnerships/search.py).

PostgreSQL has the Norwegian text vector and GIN indexes; SQLite, the development default, has
neither. Both pieces below are ordinary Django expressions and indexes, so they live in the
models and in the migration state, and compile to nothing where the database lacks them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db.backends.ddl_references import Statement
from django.db.models import Func


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


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL; on other databases, which have no GIN, a comment instead."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: GIN index on PostgreSQL only", name=self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: GIN index on PostgreSQL only", name=self.name)
        return super().remove_sql(model, schema_editor, **kwargs)
