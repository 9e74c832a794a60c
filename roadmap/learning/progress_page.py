"""Mi progreso: rendered once per content version, with the learner's panels put in per request.

The page's skeleton holds the course's parts and sections with holes for the learner's bars.
What changes with every status (next topic, streaks, activity, recent topics, cohorts) is
rendered per request from one small template. The activity chart's 84 cells are themselves a
skeleton, one per day: only their counts and shades are put in per learner.
"""

import datetime
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

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


class CohortTarget(NamedTuple):
    section_title: str
    section_url: str
    due_date: datetime.date
    tally: object  # the learner's Tally in that section


def _cohort_context(user, tallies, sections: dict) -> dict:
    """The learner's cohorts with their calendars and the learner's pacing in each, in two
    queries; section titles and addresses come from the page's facts (`sections`)."""
    today = timezone.localdate()
    memberships = list(CohortMembership.objects.filter(user=user).select_related("cohort"))
    learning = [m.cohort for m in memberships if m.role == CohortMembership.Role.LEARNER]
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
        self.days = [day for week in activity.weeks for day in week]
        self.activity = activity

    def day_count(self, index: str) -> str:
        return str(self.days[int(index)].count)

    def day_level(self, index: str) -> str:
        return str(self.days[int(index)].level)

    def activity_total(self) -> str:
        return str(self.activity.total)

    def active_days(self) -> str:
        return str(self.activity.active_days)


def _heatmap_skeleton(weeks: list[list[Day]]):
    cells = iter(range(7 * len(weeks)))
    stand_in = Activity(
        weeks=[
            [
                Day(d.date, Hole("day_count", i), Hole("day_level", i), d.is_future)
                for d, i in zip(week, cells, strict=False)
            ]
            for week in weeks
        ],
        total=Hole("activity_total"),
        active_days=Hole("active_days"),
        current_streak=0,
        longest_streak=0,
    )
    return render_skeleton("roadmap/partials/heatmap.html", {"activity": stand_in})


def heatmap_html(activity: Activity) -> str:
    """The activity chart: its cells' dates are rendered once a day, the counts per learner."""
    first, last = activity.weeks[0][0], activity.weeks[-1][-1]
    future = sum(day.is_future for week in activity.weeks for day in week)
    key = ("heatmap", first.date, last.date, future)
    skeleton = STORE.get_or_build(key, lambda: _heatmap_skeleton(activity.weeks))
    return mark_safe(skeleton.fill(_HeatmapValues(activity)))


class ProgressRow(NamedTuple):
    topic_id: int
    status: str
    updated_at: datetime.datetime
    completed_at: datetime.datetime | None


def _my_progress_content(signed_in: bool) -> dict:
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
            "topics": course_topics(),
        },
    }


def _completed_first(item) -> tuple:
    """Most recently completed first; a completion without a date (older data) last."""
    completed_at = item[1].completed_at
    return (completed_at is not None, completed_at or item[1].updated_at)


def _learner_panel(request, facts: dict, rows: list, tallies) -> str:
    """«Seguir con», streaks, activity, recent topics and cohorts: rendered per request."""
    activity = activity_for(request.user)
    topics = facts["topics"]
    mine = [(topics[row.topic_id], row) for row in rows if row.topic_id in topics]
    in_progress = [item for item in mine if item[1].status == Status.IN_PROGRESS]
    done = [item for item in mine if item[1].status == Status.DONE]
    progress = [(row.topic_id, row.status, row.updated_at) for row in rows]
    context = {
        "user": request.user,
        "resume": resume_html(facts, progress),
        "in_progress": sorted(in_progress, key=lambda item: item[1].updated_at, reverse=True)[
            :RECENT_LIMIT
        ],
        "recently_done": sorted(done, key=_completed_first, reverse=True)[:RECENT_LIMIT],
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
        rows = [
            ProgressRow(*values)
            for values in TopicProgress.objects.filter(user=request.user).values_list(
                "topic_id", "status", "updated_at", "completed_at"
            )
        ]
        statuses = {row.topic_id: row.status for row in rows}
        tallies = tallies_from_statuses(facts["structure"], statuses)
        panels = {"learner": lambda: _learner_panel(request, facts, rows, tallies)}
        return VisitorValues(request, statuses, tallies, panels)

    return assemble(
        request, ("my_progress",), "roadmap/my_progress.html", _my_progress_content, learner
    )
