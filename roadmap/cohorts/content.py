"""What the cohort pages need from the course, built once per content version.

The published sections with their topic counts and columns, the topics that are not published,
and the dashboard's reads compiled with the sections' ids (`PreparedQuery(fixed=True)`): all of
it depends on the content only, so the views keep one `CohortContent` per content version with
the pages' skeletons (roadmap/pages/) instead of querying and compiling it again on every
request. Building the ORM queries alone cost ~0.5 ms each, more than most of them take to run.
"""

from dataclasses import dataclass

from django.db.models import Count

from curso.prepared_queries import PreparedQuery
from roadmap.catalog.models import Section, Topic
from roadmap.learning.models import Status
from roadmap.learning.selectors import (
    published_progress,
    sections_with_topic_counts,
    status_counts,
    summary_fields,
)

from .columns import ColumnGroup, SectionColumn, section_columns
from .models import CohortMembership, SectionTarget

STUCK_TOPICS_SHOWN = 5
CELL_SLOTS = 50  # learners whose cells one compiled query reads: a page of the dashboard
COHORT = -1  # the cohort id's placeholder in the compiled queries
LEARNER_SLOTS = tuple(range(-1000, -1000 - CELL_SLOTS, -1))


def learner_ids(cohort_id: int):
    return CohortMembership.objects.filter(
        cohort_id=cohort_id, role=CohortMembership.Role.LEARNER
    ).values("user_id")


def cells_query(user_ids, section_ids):
    """Per (learner, section): done, skipped and in-progress counts on published topics."""
    return (
        published_progress(section_ids)
        .filter(user_id__in=user_ids)
        .values_list("user_id", "topic__section_id")
        .annotate(**status_counts())
    )


def _stuck_query(cohort_id: int, section_ids):
    # Joined from the memberships rather than `user_id IN (…)`: SQLite then reads each
    # learner's statuses once instead of probing every (topic, learner) pair (~2× faster).
    # Counting rows, not ids: PostgreSQL then reads the partial index of in-progress
    # statuses alone.
    return (
        published_progress(section_ids)
        .filter(
            user__cohort_memberships__cohort_id=cohort_id,
            user__cohort_memberships__role=CohortMembership.Role.LEARNER,
            status=Status.IN_PROGRESS,
        )
        .values_list("topic_id", "topic__title", "topic__slug", "topic__section__slug")
        .annotate(learners=Count("*"))
        .order_by("-learners", "topic__title")[:STUCK_TOPICS_SHOWN]
    )


# The cohort's learners in joining order, with their running totals (`summary_fields`).
LEARNERS = PreparedQuery(
    lambda cohort_id: (
        CohortMembership.objects.filter(cohort_id=cohort_id, role=CohortMembership.Role.LEARNER)
        .order_by("joined_at", "pk")
        .values_list("user_id", "user__display_name", "user__email", *summary_fields("user__"))
    ),
    COHORT,
    fixed=True,  # the role
)


@dataclass(frozen=True)
class CohortContent:
    sections: list[Section]  # published, in course order, with `topic_count` and `part`
    groups: list[ColumnGroup]  # the sections' columns, by roadmap
    unpublished: tuple[int, ...]  # the topics that count nowhere (normally none)
    cohort_cells: PreparedQuery  # (cohort id) → `cells_query` for all its learners
    page_cells: PreparedQuery  # (CELL_SLOTS user ids) → `cells_query` for them
    stuck: PreparedQuery  # (cohort id) → the topics most left in progress
    targets: PreparedQuery  # (cohort id) → its targets on published sections

    @property
    def totals(self) -> dict[int, int]:
        """Published section id → its number of published topics, in course order."""
        return {section.pk: section.topic_count for section in self.sections}

    @property
    def columns(self) -> list[SectionColumn]:
        return [column for group in self.groups for column in group.columns]


def cohort_content() -> CohortContent:
    """Two queries (the sections, the unpublished topics); the reads are compiled on first use."""
    sections = list(sections_with_topic_counts().in_course_order().select_related("part"))
    ids = [section.pk for section in sections]
    unpublished = Topic.objects.exclude(pk__in=Topic.objects.published().values("pk"))
    return CohortContent(
        sections=sections,
        groups=section_columns(sections),
        unpublished=tuple(unpublished.values_list("pk", flat=True)),
        cohort_cells=PreparedQuery(
            lambda cohort_id: cells_query(learner_ids(cohort_id), ids), COHORT, fixed=True
        ),
        page_cells=PreparedQuery(
            lambda *user_ids: cells_query(list(user_ids), ids), *LEARNER_SLOTS, fixed=True
        ),
        stuck=PreparedQuery(lambda cohort_id: _stuck_query(cohort_id, ids), COHORT, fixed=True),
        targets=PreparedQuery(
            lambda cohort_id: SectionTarget.objects.filter(
                cohort_id=cohort_id, section_id__in=ids
            ).order_by("due_date", "pk"),
            COHORT,
            fixed=True,
        ),
    )
