"""A partial index of the in-progress statuses, for the cohort dashboard's "stuck topics".

On PostgreSQL it is built CONCURRENTLY (the migration is not atomic): the statuses table keeps
taking writes while the index is built. SQLite builds it the usual way.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(
            self, app_label, schema_editor, from_state, to_state
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(
            self, app_label, schema_editor, from_state, to_state
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("roadmap", "0011_learnersummary")]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="topicprogress",
            index=models.Index(
                condition=models.Q(status="en_progreso"),
                fields=["user", "topic"],
                name="roadmap_progress_in_progress",
            ),
        ),
    ]
