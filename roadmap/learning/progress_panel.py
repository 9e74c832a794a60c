"""Mi progreso's learner panel: «Seguir con», streaks, activity, recent topics and cohorts.

Like the page around it, the panel is a skeleton rendered once (per shape: whether the learner
has topics in progress, recent completions, cohorts they teach), and each request only fills
its holes: numbers, the activity chart (a skeleton of its own, one per day), and the lines of
the two lists (each topic's line rendered once per content version, `recent_items`). Only a
learner in a cohort pays for a template per request: their calendars (`cohorts_html`).
"""

import datetime
from functools import lru_cache
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from curso.prepared_queries import PreparedQuery
from roadmap.cohorts.models import CohortMembership, SectionTarget
from roadmap.cohorts.selectors import is_behind
from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import Hole, render_skeleton
from roadmap.pages.visitor import page_csrf_token

from .activity import Activity, Day, activity_for
from .models import Status
from .resume import resume_html

RECENT_LIMIT = 10
PANEL = "roadmap/partials/my_progress_learner.html"
RECENT_ITEM = "roadmap/partials/recent_topic.html"
# Read on every view of Mi progreso: compiled once (curso/prepared_queries.py).
MEMBERSHIPS = PreparedQuery(
    lambda user_id: CohortMembership.objects.filter(user_id=user_id).values_list(
        "role", "cohort_id", "cohort__name", "cohort__slug"
    ),
    -1,
)


class CohortRef(NamedTuple):
    pk: int
    name: str
    slug: str


class CohortTarget(NamedTuple):
    section_title: str
    section_url: str
    due_date: datetime.date
    tally: object  # the learner's Tally in that section


def cohorts_html(request, tallies, sections: dict) -> tuple[str, bool]:
    """The learner's cohorts with their calendars and pacing (rendered only for a learner in a
    cohort), and whether they teach one: one query, two for a learner in a cohort. Section
    titles and addresses come from the page's facts (`sections`)."""
    user = request.user
    memberships = MEMBERSHIPS.rows(user.pk)
    learning = [
        CohortRef(cohort_id, name, slug)
        for role, cohort_id, name, slug in memberships
        if role == CohortMembership.Role.LEARNER
    ]
    teaching = len(learning) < len(memberships) or user.is_superuser
    if not learning:
        return "", teaching
    today = timezone.localdate()
    targets: dict[int, list[CohortTarget]] = {cohort.pk: [] for cohort in learning}
    rows = SectionTarget.objects.filter(
        cohort__in=list(targets), section_id__in=list(tallies.sections)
    ).values_list("cohort_id", "section_id", "due_date")
    for cohort_id, section_id, due_date in rows:
        title, url = sections[section_id]
        targets[cohort_id].append(
            CohortTarget(title, url, due_date, tallies.for_section(section_id))
        )
    cohorts = [
        {
            "cohort": cohort,
            "targets": targets[cohort.pk],
            "behind_on": [
                t.section_title
                for t in targets[cohort.pk]
                if t.due_date < today and is_behind(t.tally)
            ],
        }
        for cohort in learning
    ]
    context = {"cohorts": cohorts, "today": today, "csrf_token": page_csrf_token(request)}
    return render_to_string("roadmap/partials/my_progress_cohorts.html", context), teaching


class _HeatmapValues:
    """One learner's numbers for the activity chart's skeleton."""

    def __init__(self, activity: Activity):
        self.counts, self.levels = activity.counts, activity.levels
        self.activity = activity

    def day_count(self, index: str) -> str:
        return str(self.counts[int(index)])

    def day_level(self, index: str) -> str:
        return str(self.levels[int(index)])

    def activity_total(self) -> str:
        return str(self.activity.total)

    def active_days(self) -> str:
        return str(self.activity.active_days)


class _HeatmapStandIn:
    """The chart as holes: its days' dates and whether they are in the future are fixed for
    the day; each day's count and shade are the learner's."""

    total = Hole("activity_total")
    active_days = Hole("active_days")

    def __init__(self, activity: Activity):
        self.weeks = [
            [
                Day(day.date, Hole("day_count", index), Hole("day_level", index), day.is_future)
                for index, day in enumerate(week, start=7 * number)
            ]
            for number, week in enumerate(activity.weeks)
        ]


def heatmap_html(activity: Activity) -> str:
    """The activity chart: its cells' dates are rendered once a day, the counts per learner."""
    key = ("heatmap", activity.dates[0], activity.today)
    skeleton = STORE.get_or_build(
        key,
        lambda: render_skeleton(
            "roadmap/partials/heatmap.html", {"activity": _HeatmapStandIn(activity)}
        ),
    )
    return mark_safe(skeleton.fill(_HeatmapValues(activity)))


@lru_cache(maxsize=1024)
def _day_and_month(day: datetime.date) -> str:
    return escape(date_format(day, "j M"))  # formatting a date costs more than the rest of a line


class _DoneOn:
    def __init__(self, completed_at: datetime.datetime | None):
        self.completed_at = completed_at

    def done_on(self) -> str:
        if self.completed_at is None:  # older data: completed before dates were kept
            return ""
        return _day_and_month(timezone.localdate(self.completed_at))


def recent_items(topics: dict) -> dict:
    """Each topic's line in «En progreso» and in «Completados hace poco» (a hole for the day),
    rendered once per content version (the page's facts)."""
    items = {}
    for pk, topic in topics.items():
        started = render_skeleton(RECENT_ITEM, {"topic": topic, "detail": topic.section_title})
        done = render_skeleton(RECENT_ITEM, {"topic": topic, "detail": Hole("done_on")})
        items[pk] = (started.fill(None), done)
    return items


def _completed_first(item) -> tuple:
    """Most recently completed first; a completion without a date (older data) last."""
    completed_at = item[1].completed_at
    return (completed_at is not None, completed_at or item[1].updated_at)


def _days(count: int) -> str:
    return f"{count} día" if count == 1 else f"{count} días"


class _PanelValues:
    def __init__(self, **values: str):
        self.values = values

    def value(self, name: str) -> str:
        return self.values[name]


def learner_panel(request, facts: dict, rows: list, tallies) -> str:
    """The panel for one learner. rows: their (topic, status, last change, completion) rows."""
    activity = activity_for(request.user)
    items = facts["recent_items"]
    mine = [(items[row.topic_id], row) for row in rows if row.topic_id in items]
    in_progress = [item for item in mine if item[1].status == Status.IN_PROGRESS]
    in_progress.sort(key=lambda item: item[1].updated_at, reverse=True)
    done = [item for item in mine if item[1].status == Status.DONE]
    done.sort(key=_completed_first, reverse=True)
    cohorts, teaching = cohorts_html(request, tallies, facts["sections"])
    changes = activity.total
    values = _PanelValues(
        resume=resume_html(facts, [(row.topic_id, row.status, row.updated_at) for row in rows]),
        current_streak=_days(activity.current_streak),
        longest_streak=_days(activity.longest_streak),
        active_days=str(activity.active_days),
        changes=f"{changes} cambio" if changes == 1 else f"{changes} cambios",
        active_days_text=_days(activity.active_days),
        time_zone=escape(request.user.time_zone),
        heatmap=heatmap_html(activity),
        in_progress="".join(lines[0] for lines, _row in in_progress[:RECENT_LIMIT]),
        recently_done="".join(
            lines[1].fill(_DoneOn(row.completed_at)) for lines, row in done[:RECENT_LIMIT]
        ),
        cohorts=cohorts,
    )
    shape = (bool(in_progress), bool(done), teaching)
    skeleton = STORE.get_or_build(("my_progress_panel", *shape), lambda: _skeleton(*shape))
    return skeleton.fill(values)


def _skeleton(in_progress: bool, recently_done: bool, teaching: bool):
    holes = {
        name: Hole("value", name)
        for name in (
            "resume",
            "current_streak",
            "longest_streak",
            "active_days",
            "changes",
            "active_days_text",
            "time_zone",
            "heatmap",
            "in_progress",
            "recently_done",
            "cohorts",
        )
    }
    holes["in_progress"] = holes["in_progress"] if in_progress else ""
    holes["recently_done"] = holes["recently_done"] if recently_done else ""
    return render_skeleton(PANEL, {**holes, "teaching": teaching})
