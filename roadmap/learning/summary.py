"""Writes to each learner's running totals (`LearnerSummary`), what lists of many learners read.

A cohort of 5,000 learners, the cohort list or the admin's activity filters would otherwise
count every status of every learner they show. Instead `progress_set_status` moves one status
between the counters, in the same transaction as the change, with one atomic
`INSERT … ON CONFLICT`:
- the row exists: add the change's deltas (−1 for the old status, +1 for the new one), so two
  concurrent changes by the same learner both count (each waits for the other's row lock);
- it does not yet: insert the learner's counts recounted from their statuses, so a learner
  whose statuses predate their row starts right.
Bulk writers (the demo data, benchmarks) call `rebuild_learner_summaries` afterwards; migration
0011 called it to fill the table.

The counters cover every topic, published or not: publishing or hiding a topic changes no row
here, and readers subtract the statuses on unpublished topics (`selectors.learner_tallies`).

Raw SQL and no model imports, like `rollup`: a migration can call `rebuild_learner_summaries`.
"""

import datetime

from django.db import DEFAULT_DB_ALIAS, connections

SUMMARY = "roadmap_learnersummary"
PROGRESS = "roadmap_topicprogress"
ROLLUP = "roadmap_dailyactivity"
COUNTERS = {"completado": "done", "omitido": "skipped", "en_progreso": "in_progress"}


def _recount(user_filter: str) -> str:
    """Per learner: their counters recounted from their statuses, and their last change."""
    counts = ", ".join(f"COUNT(CASE WHEN p.status = '{status}' THEN 1 END)" for status in COUNTERS)
    last = f"(SELECT MAX(d.last_at) FROM {ROLLUP} d WHERE d.user_id = p.user_id)"
    return f"SELECT p.user_id, {counts}, {last} FROM {PROGRESS} p WHERE {user_filter}"


def count_status_change(
    *, user_id: int, old: str, new: str, when: datetime.datetime, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Move one of the learner's topics from status `old` to `new` at `when`, in the caller's
    transaction, after the status row itself was written."""
    connection = connections[using]
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    deltas = [int(new == status) - int(old == status) for status in COUNTERS]
    updates = ", ".join(f"{column} = {SUMMARY}.{column} + %s" for column in COUNTERS.values())
    when = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SUMMARY} (user_id, {', '.join(COUNTERS.values())}, last_activity_at) "
            + _recount("p.user_id = %s GROUP BY p.user_id")
            + f" ON CONFLICT (user_id) DO UPDATE SET {updates}, last_activity_at = "
            f"{greatest}(COALESCE({SUMMARY}.last_activity_at, %s), %s)",
            [user_id, *deltas, when, when],
        )


def rebuild_learner_summaries(user_ids=None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recount the summaries of `user_ids` (a list of ids), or of every learner, from their
    statuses and daily activity. For bulk writes only: a live change goes through
    `count_status_change`."""
    connection = connections[using]
    if user_ids is None:
        where, params = "1 = 1", []
    else:
        user_ids = list(user_ids)
        if not user_ids:
            return
        where, params = f"user_id IN ({', '.join(['%s'] * len(user_ids))})", user_ids
    columns = ", ".join(COUNTERS.values())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY} WHERE {where}", params)
        cursor.execute(
            f"INSERT INTO {SUMMARY} (user_id, {columns}, last_activity_at) "
            + _recount(where.replace("user_id", "p.user_id") + " GROUP BY p.user_id"),
            params,
        )
