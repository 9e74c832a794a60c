"""Mi progreso: rendered once per content version, with the learner's panels put in per request.

The page's skeleton holds the course's parts and sections with holes for the learner's bars.
What changes with every status (next topic, streaks, activity, recent topics, cohorts) is
rendered per request from one small template. The activity chart's 84 cells are themselves a
skeleton, one per day: only their counts and shades are put in per learner.
"""

import datetime
from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from curso.prepared_queries import PreparedQuery
from roadmap.catalog.models import Part, Section
from roadmap.cohorts.models import CohortMembership, SectionTarget
from roadmap.cohorts.selectors import is_behind
from roadmap.pages.assemble import STORE, assemble
from roadmap.pages.skeleton import Hole, render_skeleton
from roadmap.pages.visitor import HoleTally, VisitorValues, page_csrf_token

from .activity import Activity, Day, activity_for
from .models import Status, TopicProgress
from .resume import course_topics, resume_html
from .selectors import course_structure, tallies_from_statuses

RECENT_LIMIT = 10
RECENT_ITEM = "roadmap/partials/recent_topic.html"
# Read on every view of Mi progreso: compiled once (curso/prepared_queries.py).
PROGRESS_ROWS = PreparedQuery(
    lambda user_id: TopicProgress.objects.filter(user_id=user_id).values_list(
        "topic_id", "status", "updated_at", "completed_at"
    ),
    -1,
)
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


def _cohort_context(user, tallies, sections: dict) -> dict:
    """The learner's cohorts with their calendars and the learner's pacing in each: one query,
    two for a learner in a cohort; section titles and addresses come from the page's facts
    (`sections`)."""
    today = timezone.localdate()
    memberships = MEMBERSHIPS.rows(user.pk)
    learning = [
        CohortRef(cohort_id, name, slug)
        for role, cohort_id, name, slug in memberships
        if role == CohortMembership.Role.LEARNER
    ]
    targets: dict[int, list[CohortTarget]] = {cohort.pk: [] for cohort in learning}
    if learning:
        rows = SectionTarget.objects.filter(
            cohort__in=list(targets), section_id__in=list(tallies.sections)
        ).values_list("cohort_id", "section_id", "due_date")
        for cohort_id, section_id, due_date in rows:
            title, url = sections[section_id]
            tally = tallies.for_section(section_id)
            targets[cohort_id].append(CohortTarget(title, url, due_date, tally))
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
    teaching = len(learning) < len(memberships) or user.is_superuser
    return {"cohorts": cohorts, "teaching": teaching, "today": today}


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


class ProgressRow(NamedTuple):
    topic_id: int
    status: str
    updated_at: datetime.datetime
    completed_at: datetime.datetime | None


def _my_progress_content(signed_in: bool) -> dict:
    topics = course_topics()
    sections = list(Section.objects.published().in_course_order())
    parts = list(Part.objects.published())
    for part in parts:
        part.tally = HoleTally(f"part-{part.pk}")
        part.section_list = []
    parts_by_id = {part.pk: part for part in parts}
    for section in sections:
        section.tally = HoleTally(f"section-{section.pk}")
        parts_by_id[section.part_id].section_list.append(section)
    return {
        "parts": parts,
        "facts": {
            "structure": course_structure(),
            "sections": {s.pk: (s.title, s.get_absolute_url()) for s in sections},
            "topics": topics,
            "recent_items": _recent_items(topics),
        },
    }


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


def _recent_items(topics: dict) -> dict:
    """Each topic's line in «En progreso» and in «Completados hace poco» (a hole for the day),
    rendered once per content version: the lists cost no template rendering per request."""
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


def _learner_panel(request, facts: dict, rows: list, tallies) -> str:
    """«Seguir con», streaks, activity, recent topics and cohorts: rendered per request."""
    activity = activity_for(request.user)
    items = facts["recent_items"]
    mine = [(items[row.topic_id], row) for row in rows if row.topic_id in items]
    in_progress = [item for item in mine if item[1].status == Status.IN_PROGRESS]
    in_progress.sort(key=lambda item: item[1].updated_at, reverse=True)
    done = [item for item in mine if item[1].status == Status.DONE]
    done.sort(key=_completed_first, reverse=True)
    progress = [(row.topic_id, row.status, row.updated_at) for row in rows]
    context = {
        "user": request.user,
        "resume": resume_html(facts, progress),
        "in_progress": mark_safe(  # each line rendered (and escaped) by its template
            "".join(lines[0] for lines, _row in in_progress[:RECENT_LIMIT])
        ),
        "recently_done": mark_safe(
            "".join(lines[1].fill(_DoneOn(row.completed_at)) for lines, row in done[:RECENT_LIMIT])
        ),
        "activity": activity,
        "heatmap": heatmap_html(activity),
        **_cohort_context(request.user, tallies, facts["sections"]),
        "csrf_token": page_csrf_token(request),
    }
    return render_to_string("roadmap/partials/my_progress_learner.html", context)


@require_safe
@login_required
def my_progress(request):
    def learner(facts: dict) -> VisitorValues:
        rows = [ProgressRow(*values) for values in PROGRESS_ROWS.rows(request.user.pk)]
        statuses = {row.topic_id: row.status for row in rows}
        tallies = tallies_from_statuses(facts["structure"], statuses)
        panels = {"learner": lambda: _learner_panel(request, facts, rows, tallies)}
        return VisitorValues(request, statuses, tallies, panels)

    return assemble(
        request, ("my_progress",), "roadmap/my_progress.html", _my_progress_content, learner
    )
