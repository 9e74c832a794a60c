"""Writes to the daily rollup of status changes (`DailyActivity`), the history pages read.

A change counts on the day it happened in the learner's time zone at that moment: their zone,
or the site's if the stored name is unknown (`curso.time_zones.zone_or_site`, the rule of
`User.zone`). Every writer of events keeps the rollup in step: `progress_set_status` through
`count_change`, the demo data in bulk, and what predates the rollup through
`backfill_daily_activity`; `prune_progress_events` adds any event the rollup is missing before
deleting it (`add_events`).

Raw SQL on purpose, and no model imports: one `INSERT … ON CONFLICT` adds a change atomically
on SQLite and PostgreSQL alike (no row lock to take, no insert race to retry), and migration
0010 can call `backfill_daily_activity`. If the table changes shape, freeze a copy of this
module's backfill into that migration first.
"""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from curso.time_zones import zone_or_site

ROLLUP = "roadmap_dailyactivity"
EVENTS = "roadmap_progressevent"
USERS = "accounts_user"
BATCH = 5000  # rows read or written per round trip by the Python (SQLite) roll-up
IDS_PER_QUERY = 900  # under SQLite's oldest limit on query parameters


def activity_day(user, when: datetime.datetime) -> datetime.date:
    """The day a change made at `when` counts on: the date in the learner's zone then."""
    return timezone.localdate(when, timezone=user.zone)


def _upsert(connection, *, add: bool) -> str:
    """The ON CONFLICT clause: add the new counts to an existing row, or leave it alone."""
    if not add:
        return "ON CONFLICT (user_id, day) DO NOTHING"
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return (
        f"ON CONFLICT (user_id, day) DO UPDATE SET "
        f"changes = {ROLLUP}.changes + excluded.changes, "
        f"last_at = {greatest}({ROLLUP}.last_at, excluded.last_at)"
    )


def count_change(*, user, when: datetime.datetime, using: str = DEFAULT_DB_ALIAS) -> None:
    """Add one change made at `when` to the learner's day, in the caller's transaction.

    Safe under concurrent changes by the same learner (two topics, two tabs): the database
    inserts the day's row or adds to it in one statement."""
    connection = connections[using]
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ROLLUP} (user_id, day, changes, last_at) VALUES (%s, %s, 1, %s) "
            + _upsert(connection, add=True),
            [
                user.pk,
                ops.adapt_datefield_value(activity_day(user, when)),
                ops.adapt_datetimefield_value(when),
            ],
        )


def backfill_daily_activity(using: str = DEFAULT_DB_ALIAS) -> int:
    """Roll up the existing events into the days that have no row yet; return the rows added.

    On an empty rollup (migration 0010, a benchmark that wrote its events with SQL) this is the
    whole rollup. Days that already have a row are left as they are, so running it again never
    counts a change twice, and the days of pruned events (kept only in the rollup) survive."""
    return _roll_up(connections[using], event_ids=None, add=False)


def add_events(event_ids: list[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Add these events to the rollup (to their day's row, or a new one). Only for events the
    rollup does not count yet: `prune_progress_events` checks that first."""
    connection = connections[using]
    for start in range(0, len(event_ids), IDS_PER_QUERY):
        _roll_up(connection, event_ids=event_ids[start : start + IDS_PER_QUERY], add=True)


def _roll_up(connection, *, event_ids: list[int] | None, add: bool) -> int:
    if connection.vendor == "postgresql":
        return _roll_up_in_sql(connection, event_ids, add)
    return _roll_up_in_python(connection, event_ids, add)


def _roll_up_in_sql(connection, event_ids, add: bool) -> int:
    """PostgreSQL: one INSERT … SELECT … GROUP BY. A zone name PostgreSQL does not know falls
    back to the site's zone, as `zone_or_site` does (the join on pg_timezone_names)."""
    where, params = "", [settings.TIME_ZONE]
    if event_ids is not None:
        where, params = "WHERE e.id = ANY(%s)", [*params, list(event_ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ROLLUP} (user_id, day, changes, last_at) "
            f"SELECT e.user_id, (e.created_at AT TIME ZONE COALESCE(tz.name, %s))::date, "
            f"COUNT(*), MAX(e.created_at) "
            f"FROM {EVENTS} e JOIN {USERS} u ON u.id = e.user_id "
            f"LEFT JOIN pg_timezone_names tz ON tz.name = u.time_zone "
            f"{where} GROUP BY 1, 2 " + _upsert(connection, add=add),
            params,
        )
        return cursor.rowcount


def _roll_up_in_python(connection, event_ids, add: bool) -> int:
    """SQLite: the events are read in learner order, a learner's days are counted in Python
    with `zone_or_site`, and written in batches."""
    ops = connection.ops
    where, params = "", []
    if event_ids is not None:
        where, params = f"WHERE e.id IN ({', '.join(['%s'] * len(event_ids))})", list(event_ids)
    insert = (
        f"INSERT INTO {ROLLUP} (user_id, day, changes, last_at) VALUES (%s, %s, %s, %s) "
        + _upsert(connection, add=add)
    )
    zones: dict[str, datetime.tzinfo] = {}
    days: dict[tuple[int, datetime.date], list] = {}  # (learner, day) → [changes, last change]
    written = 0

    def write() -> int:
        rows = [
            (user_id, ops.adapt_datefield_value(day), changes, ops.adapt_datetimefield_value(last))
            for (user_id, day), (changes, last) in days.items()
        ]
        with connection.cursor() as writer:
            writer.executemany(insert, rows)
            days.clear()
            return writer.rowcount  # rows inserted or added to (not those left alone)

    with connection.cursor() as reader:
        reader.execute(
            f"SELECT e.user_id, e.created_at, u.time_zone FROM {EVENTS} e "
            f"JOIN {USERS} u ON u.id = e.user_id {where} ORDER BY e.user_id",
            params,
        )
        previous_user = None
        while chunk := reader.fetchmany(BATCH):
            for user_id, created_at, zone_name in chunk:
                if user_id != previous_user and len(days) >= BATCH:
                    written += write()  # a learner's days are never split between writes
                previous_user = user_id
                when = _aware(created_at)
                if zone_name not in zones:
                    zones[zone_name] = zone_or_site(zone_name)
                key = (user_id, when.astimezone(zones[zone_name]).date())
                if key in days:
                    days[key][0] += 1
                    days[key][1] = max(days[key][1], when)
                else:
                    days[key] = [1, when]
    if days:
        written += write()
    return written


def _aware(value) -> datetime.datetime:
    """A stored event time (SQLite keeps naive UTC, as text or already parsed) as aware UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)
