"""The daily rollup of status changes (issue 11), filled from the events already stored.

The backfill is `roadmap.learning.rollup.backfill_daily_activity`: raw SQL that imports no model
(set-based on PostgreSQL, batched Python on SQLite). Servers still running the old code between
`migrate` and their restart write events the rollup does not count; `prune_progress_events`
adds such events to the rollup before it deletes them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from roadmap.learning.rollup import backfill_daily_activity


def backfill(apps, schema_editor):
    backfill_daily_activity(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('roadmap', '0009_lean_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='día')),
                ('changes', models.PositiveIntegerField(verbose_name='cambios de estado')),
                ('last_at', models.DateTimeField(verbose_name='último cambio')),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='daily_activity', to=settings.AUTH_USER_MODEL, verbose_name='aprendiz')),
            ],
            options={
                'verbose_name': 'actividad diaria',
                'verbose_name_plural': 'actividad diaria',
                'constraints': [models.UniqueConstraint(fields=('user', 'day'), name='roadmap_activity_one_per_day')],
            },
        ),
        # Reversing drops the table, and with it the rollup: nothing to undo here.
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
