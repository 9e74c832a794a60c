"""What instructors see: a cohort's learner × section matrix, pacing and activity.

Everything is counted in the database with a fixed number of queries, whatever the cohort's size,
and Python handles at most one short row per learner:
- each learner's overall counts and last change come from their running totals (one row per
  learner, `LearnerTallies`), never from all their statuses;
- one pass over the cohort's statuses (`_cohort_counts`) gives each learner's counts in the
  sections already due (pacing) and, per section, how many learners share each (done, skipped)
  pair, which is all the section averages need;
- the per-section cells of a learner are read only for the rows shown (a page of 50, or the CSV's
  whole cohort in one query);
- what depends on the course only (the sections, their columns, the reads compiled with the
  sections' ids) comes from a `CohortContent` (content.py) that the views keep per content
  version.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connections
from django.db.models import Max
from django.utils import timezone

from roadmap.catalog.models import Section, Topic
from roadmap.learning.selectors import (
    LearnerTallies,
    Tally,
    is_inactive,
    summary_fields,
)

from .columns import ColumnGroup, SectionColumn
from .content import (
    CELL_SLOTS,
    LEARNERS,
    CohortContent,
    cells_query,
    cohort_content,
    learner_ids,
)
from .models import Cohort, CohortMembership, SectionTarget

STUCK_KEYS = ("topic_id", "topic__title", "topic__slug", "topic__section__slug", "learners")


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
    content: CohortContent  # the course's side: sections, columns, compiled reads

    @property
    def groups(self) -> list[ColumnGroup]:
        """The sections' columns, by roadmap."""
        return self.content.groups

    @property
    def columns(self) -> list[SectionColumn]:
        """One per section, in the order of `sections` (and of each row's cells)."""
        return [column for group in self.groups for column in group.columns]

    @property
    def column_averages(self) -> list[tuple[SectionColumn, int]]:
        return list(zip(self.columns, self.section_averages, strict=True))

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
        totals = self.content.totals
        counts = _section_counts(self.content, self.cohort.pk, rows, len(self.rows))
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


def _section_counts(
    content: CohortContent, cohort_id: int, rows: list[LearnerRow], cohort_size: int
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(user id, section id) → (done, skipped, in progress), for the pairs with any status.

    The queries are compiled once per content version (`CohortContent`); their rows are plain
    integers, read straight from the cursor."""
    if len(rows) == cohort_size:
        return _as_counts(content.cohort_cells.rows(cohort_id))
    counts = {}
    for start in range(0, len(rows), CELL_SLOTS):  # a page: one query
        user_ids = [row.user_id for row in rows[start : start + CELL_SLOTS]]
        user_ids += [user_ids[0]] * (CELL_SLOTS - len(user_ids))  # the slots left: repeats
        counts |= _as_counts(content.page_cells.rows(*user_ids))
    return counts


def _as_counts(found) -> dict[tuple[int, int], tuple[int, int, int]]:
    return {
        (user, section): (done, skipped, in_progress)
        for user, section, done, skipped, in_progress in found
    }


@dataclass
class CohortCounts:
    per_learner: dict[int, tuple]  # user id → (done, skipped) in each due section, flattened
    per_section: dict[int, list[tuple[int, int, int]]]  # section id → [(done, skipped, learners)]


def _cohort_counts(content: CohortContent, cohort_id: int, due_ids) -> CohortCounts:
    """One pass over the cohort's statuses, two answers.

    The cells (`cells_query`, compiled once per content version) are computed once in a WITH
    clause and summed twice: per learner, their counts in each due section (pacing; only with
    a target already passed), and per section and (done, skipped) pair, how many learners are
    at each, which is what the section averages need. Python then handles one row per learner
    and a few hundred pairs, never learners × sections."""
    connection = connections["default"]
    qn = connection.ops.quote_name
    user, section, done, skipped = (
        qn(name) for name in ("user_id", "topic__section_id", "done", "skipped")
    )
    cells_sql, params = content.cohort_cells.sql_with_params(cohort_id)
    due_columns = []
    for section_id in due_ids:
        for column in (done, skipped):
            due_columns.append(
                f"CAST(SUM(CASE WHEN {section} = %s THEN {column} ELSE 0 END) AS INTEGER)"
            )
            params.append(section_id)
    sql = (
        f"WITH cells AS ({cells_sql}) "
        f"SELECT 1, {section}, {done}, {skipped}, COUNT(*){', NULL' * len(due_columns)} "
        f"FROM cells GROUP BY {section}, {done}, {skipped}"
    )
    if due_ids:
        params.extend(due_ids)
        sql += (
            f" UNION ALL SELECT 0, {user}, NULL, NULL, NULL, {', '.join(due_columns)} "
            f"FROM cells WHERE {section} IN ({', '.join(['%s'] * len(due_ids))}) GROUP BY {user}"
        )
    per_learner, per_section = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, *numbers in cursor.fetchall():
            if kind == 0:
                per_learner[key] = tuple(numbers[3:])
            else:
                per_section.setdefault(key, []).append(tuple(numbers[:3]))
    return CohortCounts(per_learner, per_section)


def is_finished(section_tally: Tally) -> bool:
    """Whether a learner finished a section: it has published topics and every one of them is
    completed or omitted (100 %)."""
    return section_tally.total > 0 and section_tally.percent >= 100


def is_behind(section_tally: Tally) -> bool:
    """Whether a learner whose target date for a section has passed is behind on it: the
    section has published topics (nothing published: nothing to do) and they did not finish."""
    return section_tally.total > 0 and not is_finished(section_tally)


def sections_finished_since(
    cohort: Cohort, sections: list[Section], since: datetime.datetime
) -> dict[int, list[Section]]:
    """learner id → the sections (of `sections`, with `topic_count`, in their order) that the
    cohort's learners have finished and whose last status change is at or after `since`: the
    sections they finished since then. One query, one row per (learner, section) changed."""
    by_id = {section.pk: section for section in sections}
    rows = (
        cells_query(learner_ids(cohort.pk), list(by_id))
        .annotate(last_change=Max("updated_at"))
        .filter(last_change__gte=since)
    )
    order = {section_id: index for index, section_id in enumerate(by_id)}
    finished: dict[int, list[Section]] = {}
    for user_id, section_id, done, skipped, in_progress, _last in sorted(
        rows, key=lambda row: order[row[1]]
    ):
        section = by_id[section_id]
        if is_finished(Tally(section.topic_count, done, skipped, in_progress)):
            finished.setdefault(user_id, []).append(section)
    return finished


def behind_sections(cells_by_section: dict[int, Tally], passed_targets) -> list[Section]:
    """The sections whose target date has passed and that the learner has not finished."""
    return [
        target.section
        for target in passed_targets
        if target.section_id in cells_by_section and is_behind(cells_by_section[target.section_id])
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


def cohort_matrix(
    cohort: Cohort,
    today: datetime.date | None = None,
    content: CohortContent | None = None,
    now: datetime.datetime | None = None,
) -> CohortMatrix:
    """Every learner's light row (overall tally, activity, pacing) and the cohort's averages, in
    a fixed number of queries; the cells of the rows shown come from `fill_cells`. `content`
    is the course's side (`cohort_content()`), which the views keep per content version. `now`
    (the moment inactivity is judged at) and `today` (pacing) default to the present."""
    content = content or cohort_content()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sections = content.sections
    totals = content.totals
    by_id = {section.pk: section for section in sections}
    learners = LEARNERS.rows(cohort.pk)
    targets = content.targets.instances(cohort.pk)
    for target in targets:
        target.section = by_id[target.section_id]
    passed = [target for target in targets if target.due_date < today]
    due_ids = [target.section_id for target in passed]
    counts = _cohort_counts(content, cohort.pk, due_ids)

    overall = LearnerTallies(
        learner_ids(cohort.pk), total=sum(totals.values()), unpublished=content.unpublished
    )
    nothing = (0, 0) * len(due_ids)
    due_sections = [(target.section, totals[target.section_id]) for target in passed]
    verdicts: dict[tuple[int, int, int], bool] = {}  # (due section, done, skipped) → behind?

    def behind_on(due: tuple) -> list[Section]:
        behind = []
        for i, (section, total) in enumerate(due_sections):
            key = (i, due[2 * i], due[2 * i + 1])
            if key not in verdicts:
                verdicts[key] = is_behind(Tally(total, key[1], key[2]))
            if verdicts[key]:
                behind.append(section)
        return behind

    pacing: dict[tuple, list[Section]] = {}  # one list per combination of due counts
    rows = []
    for user_id, display_name, email, done, skipped, in_progress, last in learners:
        due = counts.per_learner.get(user_id, nothing)
        if due not in pacing:
            pacing[due] = behind_on(due)
        rows.append(
            LearnerRow(
                user_id=user_id,
                name=display_name or email,
                email=email,
                overall=overall.tally(user_id, done, skipped, in_progress),
                last_activity=last,
                behind_on=pacing[due],
                inactive=is_inactive(last, now),
            )
        )

    stuck = [dict(zip(STUCK_KEYS, row, strict=True)) for row in content.stuck.rows(cohort.pk)]
    averages = _section_averages(sections, counts, len(learners))
    return CohortMatrix(cohort, sections, rows, targets, passed, stuck, today, averages, content)


@dataclass
class CohortSummary:
    cohort: Cohort
    size: int
    average: int
    inactive: int


def cohort_summaries(cohorts) -> list[CohortSummary]:
    """Size, average overall progress and inactive learners of a page of cohorts, in 3 queries.

    One row per member, from their running totals (`LearnerTallies`): what a page costs grows
    with its cohorts' sizes, never with their learners' histories or the site's size."""
    cohorts = list(cohorts)
    learners = CohortMembership.objects.filter(
        cohort__in=[cohort.pk for cohort in cohorts], role=CohortMembership.Role.LEARNER
    )
    members = learners.values_list("cohort_id", "user_id", *summary_fields("user__"))
    overall = LearnerTallies(learners.values("user_id"), total=Topic.objects.published().count())
    now = timezone.now()
    percents: dict[int, list[int]] = {cohort.pk: [] for cohort in cohorts}
    inactive = dict.fromkeys(percents, 0)
    for cohort_id, user_id, done, skipped, in_progress, last in members:
        percents[cohort_id].append(overall.tally(user_id, done, skipped, in_progress).percent)
        inactive[cohort_id] += is_inactive(last, now)
    summaries = []
    for cohort in cohorts:
        shares = percents[cohort.pk]
        average = round(sum(shares) / len(shares)) if shares else 0
        summaries.append(CohortSummary(cohort, len(shares), average, inactive[cohort.pk]))
    return summaries
