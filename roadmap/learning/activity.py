"""A learner's activity by day, in their own time zone: the 12-week chart and the streaks.

Read from the daily rollup (`DailyActivity`, one row per active day), never from the raw
events, which may have been pruned."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import DailyActivity

WEEKS = 12


@dataclass
class Day:
    date: datetime.date
    count: int
    level: int  # 0..4, for the shade
    is_future: bool = False


@dataclass
class Activity:
    weeks: list[list[Day]]  # columns of 7 days, Monday first
    total: int
    active_days: int
    current_streak: int
    longest_streak: int


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
    return dict(DailyActivity.objects.filter(user=user).values_list("day", "changes"))


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


def activity_for(user, today: datetime.date | None = None) -> Activity:
    today = today or timezone.localdate(timezone=user.zone)
    # The chart ends with the current week and starts WEEKS weeks back, on a Monday.
    first_day = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    all_days = daily_counts(user)
    weeks = []
    for week in range(WEEKS):
        column = []
        for weekday in range(7):
            date = first_day + datetime.timedelta(days=7 * week + weekday)
            count = all_days.get(date, 0)
            column.append(Day(date, count, _level(count), is_future=date > today))
        weeks.append(column)
    current, longest = streaks(list(all_days), today)
    in_chart = [d for column in weeks for d in column if not d.is_future]
    return Activity(
        weeks=weeks,
        total=sum(d.count for d in in_chart),
        active_days=sum(1 for d in in_chart if d.count),
        current_streak=current,
        longest_streak=longest,
    )
