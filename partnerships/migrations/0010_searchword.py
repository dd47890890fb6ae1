"""The words in use, for the typo way of search (partnerships/search.py, `near_words`).

On PostgreSQL, triggers on agreements and organisations add the words of every row written
to `partnerships_searchword`, and the table is filled here from the rows there are. SQLite,
which does not search for typos, gets the empty table only.
"""

import django.contrib.postgres.indexes
import portal.search
from django.db import migrations, models

# The words of a search text as the typo way looks them up: of 2 to 100 letters (the unique
# index refuses a key of some thousand bytes), and not numbers alone (references: 200,000 of
# them in the large world, and a typo is in a word).
WORDS = r"""
CREATE FUNCTION partnerships_search_words(text) RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT word FROM regexp_split_to_table($1, '\W+') AS word
    WHERE length(word) BETWEEN 2 AND 100 AND word !~ '^[0-9_]+$'
$$;

-- Once a statement (a COPY of thousands of rows splits and inserts once). An update adds
-- only the words of texts that changed. In word order, so that two writers adding the same
-- new words wait for each other instead of deadlocking.
CREATE FUNCTION partnerships_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO partnerships_searchword (word)
        SELECT DISTINCT word
        FROM (SELECT search_text FROM new_rows EXCEPT SELECT search_text FROM old_rows) AS t,
            partnerships_search_words(t.search_text) AS word
        ORDER BY word
        ON CONFLICT (word) DO NOTHING;
    ELSE
        INSERT INTO partnerships_searchword (word)
        SELECT DISTINCT word FROM new_rows, partnerships_search_words(new_rows.search_text) AS word
        ORDER BY word
        ON CONFLICT (word) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER {table}_searchword_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION partnerships_searchword_add();
CREATE TRIGGER {table}_searchword_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION partnerships_searchword_add();
"""

FILL = """
INSERT INTO partnerships_searchword (word)
SELECT DISTINCT word
FROM (
    SELECT search_text FROM partnerships_agreement
    UNION ALL SELECT search_text FROM accounts_organisation
) AS t, partnerships_search_words(t.search_text) AS word
ON CONFLICT (word) DO NOTHING;
"""

TABLES = ("partnerships_agreement", "accounts_organisation")

FORWARD = WORDS + "".join(TRIGGERS.format(table=table) for table in TABLES) + FILL
BACKWARD = (
    "".join(
        f"DROP TRIGGER {table}_searchword_insert ON {table};"
        f" DROP TRIGGER {table}_searchword_update ON {table};"
        for table in TABLES
    )
    + " DROP FUNCTION partnerships_searchword_add();"
    + " DROP FUNCTION partnerships_search_words(text);"
)


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only (SQLite has neither the functions nor statement triggers)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_agreement_newest"),
        ("accounts", "0006_organisation_search_generated"),  # search_text
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField()),
            ],
            options={
                "indexes": [
                    portal.search.PostgresGistIndex(
                        django.contrib.postgres.indexes.OpClass(
                            "word", name="gist_trgm_ops(siglen=256)"
                        ),
                        name="searchword_trgm",
                    )
                ],
                "constraints": [models.UniqueConstraint(fields=("word",), name="searchword_once")],
            },
        ),
        PostgresRunSQL(FORWARD, BACKWARD),
    ]
