"""Trigram indexes for the admin's user search, on PostgreSQL.

The admin searches with `icontains`, i.e. `UPPER(column::text) LIKE UPPER('%q%')`, which no
b-tree can serve: without these GIN indexes every search reads every user. They index exactly
that expression, so the planner uses them as they are. SQLite keeps its plain scan (the
development database is small). Built CONCURRENTLY, so the migration is not atomic and writes
to the users table go on while it runs. If the database role may not create the `pg_trgm`
extension, the migration says so and the search keeps working, only slower.
"""

import sys

from django.db import DatabaseError, migrations

INDEXES = {
    "accounts_user_email_trgm": "email",
    "accounts_user_display_name_trgm": "display_name",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        print(  # noqa: T201 - shown by `migrate`, which has no other channel here
            f"\n  Sin índices trigram (la búsqueda de usuarios en el admin será más lenta): {error}",
            file=sys.stderr,
        )
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON accounts_user "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("accounts", "0003_user_email_lower_case")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
