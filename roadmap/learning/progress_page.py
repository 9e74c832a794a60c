"""Mi progreso: rendered once per content version, with the learner's panels put in per request.

The page's skeleton holds the course's parts and sections with holes for the learner's bars.
What changes with every status (next topic, streaks, activity, recent topics, cohorts) is the
learner panel (progress_panel.py), itself a skeleton filled per request.
"""

import datetime
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from curso.prepared_queries import PreparedQuery
from roadmap.catalog.models import Part, Section
from roadmap.pages.assemble import assemble
from roadmap.pages.visitor import HoleTally, VisitorValues

from .models import TopicProgress
from .progress_panel import learner_panel, recent_items
from .resume import course_topics
from .selectors import course_structure, tallies_from_statuses

# Read on every view of Mi progreso: compiled once (curso/prepared_queries.py).
PROGRESS_ROWS = PreparedQuery(
    lambda user_id: TopicProgress.objects.filter(user_id=user_id).values_list(
        "topic_id", "status", "updated_at", "completed_at"
    ),
    -1,
)


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
            "recent_items": recent_items(topics),
        },
    }


@require_safe
@login_required
def my_progress(request):
    def learner(facts: dict) -> VisitorValues:
        rows = [ProgressRow(*values) for values in PROGRESS_ROWS.rows(request.user.pk)]
        statuses = {row.topic_id: row.status for row in rows}
        tallies = tallies_from_statuses(facts["structure"], statuses)
        panels = {"learner": lambda: learner_panel(request, facts, rows, tallies)}
        return VisitorValues(request, statuses, tallies, panels)

    return assemble(
        request, ("my_progress",), "roadmap/my_progress.html", _my_progress_content, learner
    )
