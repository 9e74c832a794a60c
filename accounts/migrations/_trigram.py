"""Trigram (pg_trgm GIN) indexes for the admin's `icontains` searches, shared by migrations.

The admin searches with `UPPER(column::text) LIKE UPPER('%q%')`, which no b-tree can serve; these
indexes cover exactly that expression, so the planner uses them as they are. PostgreSQL only
(SQLite keeps its plain scan); built CONCURRENTLY, so the migrations that use them are not atomic
and writes go on meanwhile. If the role may not create the `pg_trgm` extension, the migration
says so and carries on: the search works, only slower. (Migration loaders skip this module: its
name starts with an underscore.)
"""

import sys

from django.db import DatabaseError


def creator(indexes: dict[str, tuple[str, str]]):
    """A RunPython function creating each `name: (table, column)` index."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            print(  # noqa: T201 - shown by `migrate`, which has no other channel here
                f"\n  Sin índices trigram (las búsquedas del admin serán más lentas): {error}",
                file=sys.stderr,
            )
            return
        for name, (table, column) in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
            )

    return create


def dropper(indexes: dict[str, tuple[str, str]]):
    """The reverse: drop the indexes (the extension stays, others may use it)."""

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    return drop
