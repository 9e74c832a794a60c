"""A learner's activity by day, in their own time zone: the 12-week chart and the streaks.

Read from the daily rollup (`DailyActivity`, one row per active day), never from the raw
events, which may have been pruned."""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from curso.prepared_queries import PreparedQuery

from .models import DailyActivity

WEEKS = 12
# Read on every view of Mi progreso: compiled once (curso/prepared_queries.py).
DAILY_COUNTS = PreparedQuery(
    lambda user_id: DailyActivity.objects.filter(user_id=user_id).values_list("day", "changes"),
    -1,
)


@dataclass
class Day:
    date: datetime.date
    count: int
    level: int  # 0..4, for the shade
    is_future: bool = False


@dataclass
class Activity:
    """The chart's days, Monday first, in columns of 7 (`weeks`), and the learner's totals."""

    dates: tuple[datetime.date, ...]  # the WEEKS * 7 days of the chart
    today: datetime.date
    counts: list[int]  # changes per day in `dates`
    total: int
    active_days: int
    current_streak: int
    longest_streak: int

    @property
    def levels(self) -> list[int]:
        return [_level(count) for count in self.counts]

    @property
    def weeks(self) -> list[list[Day]]:
        days = [
            Day(date, count, _level(count), is_future=date > self.today)
            for date, count in zip(self.dates, self.counts, strict=True)
        ]
        return [days[week * 7 : week * 7 + 7] for week in range(WEEKS)]


def _level(count: int) -> int:
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    if count <= 6:
        return 3
    return 4


def daily_counts(user) -> dict[datetime.date, int]:
    """Changes per day, every day the learner was active: one query on the small rollup."""
    return dict(DAILY_COUNTS.rows(user.pk))


def streaks(active_days: list[datetime.date], today: datetime.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days; the current run may end yesterday."""
    longest = run = 0
    previous = None
    for day in sorted(set(active_days)):
        run = run + 1 if previous and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if previous and (today - previous).days <= 1:
        current = run
    return current, longest


@lru_cache(maxsize=8)
def chart_dates(today: datetime.date) -> tuple[datetime.date, ...]:
    """The chart's days: from the Monday WEEKS - 1 weeks back to the end of this week."""
    first_day = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    return tuple(first_day + datetime.timedelta(days=n) for n in range(7 * WEEKS))


def activity_for(user, today: datetime.date | None = None) -> Activity:
    today = today or timezone.localdate(timezone=user.zone)
    dates = chart_dates(today)
    all_days = daily_counts(user)
    counts = [all_days.get(date, 0) for date in dates]
    current, longest = streaks(list(all_days), today)
    past = counts[: dates.index(today) + 1]  # the chart's days up to today
    return Activity(
        dates=dates,
        today=today,
        counts=counts,
        total=sum(past),
        active_days=sum(1 for count in past if count),
        current_streak=current,
        longest_streak=longest,
    )
