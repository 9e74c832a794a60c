"""Leaner, covering indexes for the tables that grow with the learners (issue 11).

- The single-column indexes Django adds for a foreign key are dropped where a composite index
  already starts with that column: progress, events and notes by user, memberships by cohort.
  Only the model state changes through AlterField; the database drops each index itself, with
  DROP INDEX CONCURRENTLY on PostgreSQL (Django's own AlterField would drop and re-validate the
  foreign keys, locking writes on these tables for as long as a scan of them takes).
- On PostgreSQL the unique (user, topic) index of the statuses also carries the status
  (INCLUDE): the cohort counts then read the index alone. It is built CONCURRENTLY and swapped
  in under the same constraint name, so Django's state is unchanged. SQLite keeps the plain
  unique index (it has no covering unique indexes; its counts are fast enough without).

The migration is not atomic: CONCURRENTLY cannot run in a transaction. Each step can be re-run.
"""

from django.conf import settings
from django.db import migrations, models

REDUNDANT = [  # (table, column) whose own index a composite index makes redundant
    ("roadmap_topicprogress", "user_id"),
    ("roadmap_progressevent", "user_id"),
    ("roadmap_note", "user_id"),
    ("roadmap_cohortmembership", "cohort_id"),
]
PROGRESS_TABLE = "roadmap_topicprogress"
PROGRESS_UNIQUE = "roadmap_progress_one_per_topic"
COVERING = "roadmap_progress_one_per_topic_covering"


def single_column_indexes(connection, table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and info["columns"] == [column]
        and not (info["unique"] or info["primary_key"] or info["foreign_key"])
    ]


def drop_redundant_indexes(apps, schema_editor):
    connection = schema_editor.connection
    concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
    for table, column in REDUNDANT:
        for name in single_column_indexes(connection, table, column):
            schema_editor.execute(
                f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(name)}"
            )


def restore_redundant_indexes(apps, schema_editor):
    for table, column in REDUNDANT:
        if not single_column_indexes(schema_editor.connection, table, column):
            name = schema_editor.quote_name(f"{table}_{column}_single")
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({column})")


def cover_progress_status(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {COVERING} "
        f"ON {PROGRESS_TABLE} (user_id, topic_id) INCLUDE (status)"
    )
    # One statement: the constraint is never missing; the lock lasts as long as a rename.
    execute(
        f"ALTER TABLE {PROGRESS_TABLE} DROP CONSTRAINT IF EXISTS {PROGRESS_UNIQUE}, "
        f"ADD CONSTRAINT {PROGRESS_UNIQUE} UNIQUE USING INDEX {COVERING}"
    )


def uncover_progress_status(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {COVERING} "
        f"ON {PROGRESS_TABLE} (user_id, topic_id)"
    )
    execute(
        f"ALTER TABLE {PROGRESS_TABLE} DROP CONSTRAINT IF EXISTS {PROGRESS_UNIQUE}, "
        f"ADD CONSTRAINT {PROGRESS_UNIQUE} UNIQUE USING INDEX {COVERING}"
    )


def without_index(model_name: str, name: str, field) -> migrations.SeparateDatabaseAndState:
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)]
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("roadmap", "0008_content_version"),
        ("accounts", "0003_user_email_lower_case"),
    ]

    operations = [
        without_index(
            "cohortmembership",
            "cohort",
            models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="memberships",
                to="roadmap.cohort",
            ),
        ),
        without_index(
            "note",
            "user",
            models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="notes",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        without_index(
            "progressevent",
            "user",
            models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="progress_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        without_index(
            "topicprogress",
            "user",
            models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="topic_progress",
                to=settings.AUTH_USER_MODEL,
                verbose_name="aprendiz",
            ),
        ),
        migrations.RunPython(drop_redundant_indexes, restore_redundant_indexes),
        migrations.RunPython(cover_progress_status, uncover_progress_status),
    ]
