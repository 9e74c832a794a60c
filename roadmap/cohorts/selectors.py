"""What instructors see: a cohort's learner × section matrix, pacing and activity.

Everything is counted in the database with a fixed number of queries, whatever the cohort's size,
and Python handles at most one short row per learner:
- one pass over the cohort's statuses (`_cohort_counts`) gives each learner's overall counts and
  their counts in the sections already due (pacing), and, per section, how many learners share
  each (done, skipped) pair, which is all the section averages need;
- the per-section cells of a learner are read only for the rows shown (a page of 50, or the CSV's
  whole cohort in one query).
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connections
from django.db.models import Count
from django.utils import timezone

from roadmap.catalog.models import Section, Topic
from roadmap.learning.models import Status
from roadmap.learning.selectors import (
    Tally,
    is_inactive,
    last_activity_by_user,
    last_activity_subquery,
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
    """One learner's line: light enough to build for the whole cohort (sorting, filters, the
    summary); the per-section `cells` are filled by `CohortMatrix.fill_cells` for the rows
    that are shown."""

    user_id: int
    name: str
    email: str
    overall: Tally
    last_activity: datetime.datetime | None
    behind_on: list[Section] = field(default_factory=list)
    inactive: bool = False
    cells: list[Tally] = field(default_factory=list, repr=False)

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
    section_averages: list[int]

    @cached_property
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

    def fill_cells(self, rows: list[LearnerRow]) -> list[LearnerRow]:
        """Give `rows` their per-section cells, in one query: by id for a page of rows, by a
        join on the cohort's memberships for the whole cohort (the CSV)."""
        rows = list(rows)
        if len(rows) == len(self.rows):
            user_ids = _learner_ids(self.cohort)
        else:
            user_ids = [row.user_id for row in rows]
        totals = {section.pk: section.topic_count for section in self.sections}
        counts = _section_counts(user_ids, list(totals))
        shared: dict[tuple, Tally] = {}  # the same few hundred cells, shared
        for row in rows:
            cells = []
            for section_id, total in totals.items():
                key = (total, counts.get((row.user_id, section_id)))
                if key not in shared:
                    shared[key] = Tally(total, *key[1]) if key[1] else Tally(total=total)
                cells.append(shared[key])
            row.cells = cells
        return rows


def _learner_ids(cohort: Cohort):
    return CohortMembership.objects.filter(
        cohort=cohort, role=CohortMembership.Role.LEARNER
    ).values("user_id")


def _section_counts(user_ids, section_ids) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(user id, section id) → (done, skipped, in progress), for the pairs with any status.

    The query is the ORM's (`published_progress`, `status_counts`); its rows are read straight
    from the cursor: they are plain integers, and Django's per-row converters would cost more
    than the query for a whole cohort."""
    rows = _cells_query(user_ids, section_ids)
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (user, section): (done, skipped, in_progress)
            for user, section, done, skipped, in_progress in cursor.fetchall()
        }


def _cells_query(user_ids, section_ids):
    """Per (learner, section): done, skipped and in-progress counts on published topics."""
    return (
        published_progress()
        .filter(user_id__in=user_ids, topic__section_id__in=section_ids)
        .values_list("user_id", "topic__section_id")
        .annotate(**status_counts())
    )


@dataclass
class CohortCounts:
    per_learner: dict[int, tuple]  # user id → (done, skipped, in progress, *due (done, skipped))
    per_section: dict[int, list[tuple[int, int, int]]]  # section id → [(done, skipped, learners)]


def _cohort_counts(user_ids, section_ids, due_ids) -> CohortCounts:
    """One pass over the cohort's statuses, two answers.

    The cells (`_cells_query`) are computed once in a WITH clause and summed twice: per learner
    (with their counts in each due section, for pacing) and per section and (done, skipped)
    pair (how many learners are at each), which is what the section averages need. Python then
    handles one row per learner and a few hundred pairs, never learners × sections."""
    cells = _cells_query(user_ids, section_ids)
    connection = connections[cells.db]
    qn = connection.ops.quote_name
    user, section, done, skipped, in_progress = (
        qn(name) for name in ("user_id", "topic__section_id", "done", "skipped", "in_progress")
    )
    cells_sql, params = cells.query.sql_with_params()
    params = list(params)
    due_columns = []
    for section_id in due_ids:
        for column in (done, skipped):
            due_columns.append(
                f"CAST(SUM(CASE WHEN {section} = %s THEN {column} ELSE 0 END) AS INTEGER)"
            )
            params.append(section_id)
    padding = ", NULL" * len(due_columns)
    due_sql = "".join(f", {column}" for column in due_columns)
    sql = (
        f"WITH cells AS ({cells_sql}) "
        f"SELECT 0, {user}, CAST(SUM({done}) AS INTEGER), CAST(SUM({skipped}) AS INTEGER), "
        f"CAST(SUM({in_progress}) AS INTEGER){due_sql} FROM cells GROUP BY {user} "
        f"UNION ALL "
        f"SELECT 1, {section}, {done}, {skipped}, COUNT(*){padding} "
        f"FROM cells GROUP BY {section}, {done}, {skipped}"
    )
    per_learner, per_section = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, *numbers in cursor.fetchall():
            if kind == 0:
                per_learner[key] = tuple(numbers)
            else:
                per_section.setdefault(key, []).append(tuple(numbers[:3]))
    return CohortCounts(per_learner, per_section)


def behind_sections(cells_by_section: dict[int, Tally], passed_targets) -> list[Section]:
    """The sections whose target date has passed and that the learner has not finished."""
    return [
        target.section
        for target in passed_targets
        if target.section_id in cells_by_section
        and cells_by_section[target.section_id].total > 0  # nothing published: nothing to do
        and cells_by_section[target.section_id].percent < 100
    ]


def _section_averages(sections, counts: CohortCounts, size: int) -> list[int]:
    """Each section's average percentage over the whole cohort; learners without a status in
    a section count at that section's empty percentage."""
    averages = []
    for section in sections:
        if not size:
            averages.append(0)
            continue
        total = section.topic_count
        pairs = counts.per_section.get(section.pk, [])
        marked = sum(learners for _done, _skipped, learners in pairs)
        percent_sum = sum(
            Tally(total, done, skipped).percent * learners for done, skipped, learners in pairs
        )
        percent_sum += (size - marked) * Tally(total=total).percent
        averages.append(round(percent_sum / size))
    return averages


def cohort_matrix(cohort: Cohort, today: datetime.date | None = None) -> CohortMatrix:
    """Every learner's light row (overall tally, activity, pacing) and the cohort's averages, in
    a fixed number of queries; the cells of the rows shown come from `fill_cells`."""
    today = today or timezone.localdate()
    now = timezone.now()
    sections = list(sections_with_topic_counts().in_course_order())
    totals = {section.pk: section.topic_count for section in sections}
    learners = list(
        CohortMembership.objects.filter(cohort=cohort, role=CohortMembership.Role.LEARNER)
        .order_by("joined_at", "pk")
        .annotate(last=last_activity_subquery())  # one index seek per learner
        .values_list("user_id", "user__display_name", "user__email", "last")
    )
    targets = list(cohort.targets.select_related("section").filter(section__in=sections))
    passed = [target for target in targets if target.due_date < today]
    due_ids = [target.section_id for target in passed]
    counts = _cohort_counts(_learner_ids(cohort), list(totals), due_ids)

    course_total = sum(totals.values())
    nothing = (0, 0, 0) + (0, 0) * len(due_ids)
    pacing: dict[tuple, list[Section]] = {}  # one verdict per combination of due counts
    rows = []
    for user_id, display_name, email, last in learners:
        done, skipped, in_progress, *due = counts.per_learner.get(user_id, nothing)
        due = tuple(due)
        if due not in pacing:
            due_cells = {
                section_id: Tally(totals[section_id], due[2 * i], due[2 * i + 1])
                for i, section_id in enumerate(due_ids)
            }
            pacing[due] = behind_sections(due_cells, passed)
        rows.append(
            LearnerRow(
                user_id=user_id,
                name=display_name or email,
                email=email,
                overall=Tally(course_total, done, skipped, in_progress),
                last_activity=last,
                behind_on=pacing[due],
                inactive=is_inactive(last, now),
            )
        )

    stuck = list(
        # Joined from the memberships rather than `user_id IN (…)`: SQLite then reads each
        # learner's statuses once instead of probing every (topic, learner) pair (~2× faster).
        published_progress()
        .filter(
            user__cohort_memberships__cohort=cohort,
            user__cohort_memberships__role=CohortMembership.Role.LEARNER,
            status=Status.IN_PROGRESS,
        )
        .values("topic_id", "topic__title", "topic__slug", "topic__section__slug")
        .annotate(learners=Count("id"))
        .order_by("-learners", "topic__title")[:STUCK_TOPICS_SHOWN]
    )
    averages = _section_averages(sections, counts, len(learners))
    return CohortMatrix(cohort, sections, rows, targets, passed, stuck, today, averages)


@dataclass
class CohortSummary:
    cohort: Cohort
    size: int
    average: int
    inactive: int


def cohort_summaries(cohorts) -> list[CohortSummary]:
    """Size, average overall progress and inactive learners of a page of cohorts, in 4 queries.

    The learners are selected by a join on the page's memberships, never by a list of ids, so a
    query reads the statuses of these cohorts' learners only (through the covering index)."""
    cohorts = list(cohorts)
    learners = CohortMembership.objects.filter(
        cohort__in=[cohort.pk for cohort in cohorts], role=CohortMembership.Role.LEARNER
    )
    memberships = list(learners.values_list("cohort_id", "user_id"))
    total = Topic.objects.published().count()
    per_user = {
        row["user_id"]: Tally.from_counts(total, row)
        for row in published_progress()
        .filter(user_id__in=learners.values("user_id"))
        .values("user_id")
        .annotate(**status_counts())
    }
    last_seen = last_activity_by_user(learners.values("user_id"))
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
