"""Deleting old raw events (`manage.py prune_progress_events`) without changing any page.

Pages read the daily rollup only (`DailyActivity`), which already counts every event written
by `progress_set_status` and the demo data, and every event older than the rollup (migration
0010). Before a batch of events is deleted, the events no rollup day accounts for (written by
something that skipped the rollup, such as servers still running old code during a deploy) are
added to it, in the same transaction as the delete.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import DailyActivity, ProgressEvent
from .rollup import add_events

# The minimum age of what may be deleted. A day's row keeps changing until that date has ended
# in every time zone (up to two days), and a week of raw changes leaves time to notice, and
# repair, a writer that skipped the rollup before its events go.
MIN_AGE = datetime.timedelta(days=7)
DEFAULT_AGE = datetime.timedelta(days=180)
DEFAULT_BATCH = 10_000

# The longest a calendar date lasts across time zones (from UTC+14 to UTC−12: 24 h + 26 h):
# every change counted on a day happened less than this before that day's last change.
DATE_SPAN = datetime.timedelta(hours=50)


def old_events(before: datetime.datetime):
    return ProgressEvent.objects.filter(created_at__lt=before)


def not_in_rollup(events):
    """The events no day of the rollup accounts for: their learner has no day whose last
    change is at or after the event and within `DATE_SPAN` of it. Every event counted when it
    was written has one, whatever time zone the learner has moved to since."""
    holding_day = DailyActivity.objects.filter(
        user_id=OuterRef("user_id"),
        last_at__gte=OuterRef("created_at"),
        last_at__lt=OuterRef("created_at") + DATE_SPAN,
    )
    return events.filter(~Exists(holding_day))


@dataclass
class Pruned:
    deleted: int = 0
    added_to_rollup: int = 0
    batches: int = 0


def prune_events(
    *,
    before: datetime.datetime,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[Pruned], None] | None = None,
) -> Pruned:
    """Delete the events older than `before`, `batch_size` at a time in id order, each batch in
    its own short transaction (the rows it deletes are the only ones it locks)."""
    pruned = Pruned()
    after = 0
    while True:
        with transaction.atomic():
            ids = list(
                old_events(before)
                .filter(pk__gt=after)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return pruned
            batch = old_events(before).filter(pk__gte=ids[0], pk__lte=ids[-1])
            missing = list(not_in_rollup(batch).values_list("pk", flat=True))
            add_events(missing)
            deleted, _ = batch.delete()
        after = ids[-1]
        pruned.deleted += deleted
        pruned.added_to_rollup += len(missing)
        pruned.batches += 1
        if on_batch:
            on_batch(pruned)
