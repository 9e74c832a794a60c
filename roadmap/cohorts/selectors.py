"""What instructors see: a cohort's learner × section matrix, pacing and activity.

Everything is counted in the database with a fixed number of queries, whatever the cohort's size:
Python only arranges the aggregated rows (at most learners × sections of them) into the matrix.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from roadmap.catalog.models import Section, Topic
from roadmap.learning.models import ProgressEvent, Status, TopicProgress
from roadmap.learning.selectors import (
    Tally,
    is_inactive,
    published_progress,
    sections_with_topic_counts,
    status_counts,
)

from .models import Cohort, CohortMembership, SectionTarget

STUCK_TOPICS_SHOWN = 5


class Pacing:
    ON_TRACK = "al_dia"
    BEHIND = "atrasado"
    LABELS = {ON_TRACK: "Al día", BEHIND: "Atrasado/a"}


@dataclass
class LearnerRow:
    membership: CohortMembership
    cells: list[Tally]
    overall: Tally
    last_activity: datetime.datetime | None
    behind_on: list[Section] = field(default_factory=list)
    inactive: bool = False

    @property
    def user(self):
        return self.membership.user

    @property
    def name(self) -> str:
        return self.user.display_name or self.user.email

    @property
    def pacing(self) -> str:
        return Pacing.BEHIND if self.behind_on else Pacing.ON_TRACK

    @property
    def pacing_label(self) -> str:
        return Pacing.LABELS[self.pacing]


@dataclass
class CohortMatrix:
    cohort: Cohort
    sections: list[Section]
    rows: list[LearnerRow]
    targets: list[SectionTarget]
    passed_targets: list[SectionTarget]
    stuck_topics: list[dict]
    today: datetime.date

    @property
    def section_averages(self) -> list[int]:
        if not self.rows:
            return [0 for _ in self.sections]
        return [
            round(sum(row.cells[i].percent for row in self.rows) / len(self.rows))
            for i in range(len(self.sections))
        ]

    @property
    def overall_average(self) -> int:
        if not self.rows:
            return 0
        return round(sum(row.overall.percent for row in self.rows) / len(self.rows))

    @property
    def inactive_count(self) -> int:
        return sum(1 for row in self.rows if row.inactive)

    @property
    def behind_count(self) -> int:
        return sum(1 for row in self.rows if row.behind_on)


def _learner_ids(cohort: Cohort):
    return CohortMembership.objects.filter(
        cohort=cohort, role=CohortMembership.Role.LEARNER
    ).values("user_id")


def _section_counts(user_ids, section_ids) -> dict[tuple[int, int], dict]:
    rows = (
        published_progress()
        .filter(user_id__in=user_ids, topic__section_id__in=section_ids)
        .values("user_id", "topic__section_id")
        .annotate(**status_counts())
    )
    return {(row["user_id"], row["topic__section_id"]): row for row in rows}


def _last_activity(user_ids) -> dict[int, datetime.datetime]:
    rows = (
        ProgressEvent.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(last=Max("created_at"))
    )
    return {row["user_id"]: row["last"] for row in rows}


def behind_sections(cells_by_section: dict[int, Tally], passed_targets) -> list[Section]:
    """The sections whose target date has passed and that the learner has not finished."""
    return [
        target.section
        for target in passed_targets
        if target.section_id in cells_by_section
        and cells_by_section[target.section_id].total > 0  # nothing published: nothing to do
        and cells_by_section[target.section_id].percent < 100
    ]


def cohort_matrix(cohort: Cohort, today: datetime.date | None = None) -> CohortMatrix:
    today = today or timezone.localdate()
    now = timezone.now()
    sections = list(sections_with_topic_counts().in_course_order())
    memberships = list(
        CohortMembership.objects.filter(cohort=cohort, role=CohortMembership.Role.LEARNER)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    user_ids = _learner_ids(cohort)
    counts = _section_counts(user_ids, [section.pk for section in sections])
    last_seen = _last_activity(user_ids)
    targets = list(cohort.targets.select_related("section").filter(section__in=sections))
    passed = [target for target in targets if target.due_date < today]

    rows = []
    for membership in memberships:
        cells = [
            Tally.from_counts(section.topic_count, counts.get((membership.user_id, section.pk)))
            for section in sections
        ]
        overall = sum(cells, Tally())
        last = last_seen.get(membership.user_id)
        rows.append(
            LearnerRow(
                membership=membership,
                cells=cells,
                overall=overall,
                last_activity=last,
                behind_on=behind_sections(
                    {s.pk: c for s, c in zip(sections, cells, strict=True)}, passed
                ),
                inactive=is_inactive(last, now),
            )
        )

    stuck = list(
        TopicProgress.objects.filter(
            user_id__in=user_ids,
            status=Status.IN_PROGRESS,
            topic__section_id__in=[section.pk for section in sections],
            topic__is_published=True,
        )
        .values("topic_id", "topic__title", "topic__slug", "topic__section__slug")
        .annotate(learners=Count("id"))
        .order_by("-learners", "topic__title")[:STUCK_TOPICS_SHOWN]
    )
    return CohortMatrix(cohort, sections, rows, targets, passed, stuck, today)


@dataclass
class CohortSummary:
    cohort: Cohort
    size: int
    average: int
    inactive: int


def cohort_summaries(cohorts) -> list[CohortSummary]:
    """Size, average overall progress and inactive learners of several cohorts, in 4 queries."""
    cohorts = list(cohorts)
    memberships = list(
        CohortMembership.objects.filter(
            cohort__in=cohorts, role=CohortMembership.Role.LEARNER
        ).values_list("cohort_id", "user_id")
    )
    user_ids = {user_id for _cohort, user_id in memberships}
    total = Topic.objects.published().count()
    per_user = {
        row["user_id"]: Tally.from_counts(total, row)
        for row in published_progress()
        .filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(**status_counts())
    }
    last_seen = _last_activity(user_ids)
    members_of: dict[int, list[int]] = {}
    for cohort_id, user_id in memberships:
        members_of.setdefault(cohort_id, []).append(user_id)
    now = timezone.now()
    summaries = []
    for cohort in cohorts:
        members = members_of.get(cohort.pk, [])
        percents = [per_user.get(u, Tally(total=total)).percent for u in members]
        inactive = sum(1 for u in members if is_inactive(last_seen.get(u), now))
        average = round(sum(percents) / len(percents)) if percents else 0
        summaries.append(CohortSummary(cohort, len(members), average, inactive))
    return summaries
