"""A learner's progress: per section, per part and for the course.

Rules, defined here once and used by every page, the cohort dashboard, its CSV and the admin:
- "Omitido" takes a topic out of the plan. Progress is completed / (published topics − omitted);
  with everything omitted or completed it is 100 %.
- Unpublished topics, sections and parts count nowhere (`published_progress` for many
  learners in SQL, `CourseStructure` for one learner's statuses).
- What each status counts as: `COUNTED`, the same in SQL (`status_counts`) and in Python.
- A learner is inactive after 7 days without a status change (`is_inactive`). Their last
  activity is the last change in their running totals (`LearnerSummary.last_activity_at`,
  read with `summary_fields`), never an aggregate over their history.
- Lists of many learners take overall counts from those running totals (`LearnerTallies`),
  not from every status of every learner.
- What is left to do: a published topic neither completed nor omitted (`FINISHED`), in course
  order (`next_unfinished_topic`, what "Completar y seguir" opens). "Seguir con" resumes the
  most recently changed topic in progress, else the first one left (`resume_topic`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from curso.prepared_queries import PreparedQuery
from roadmap.catalog.models import Section, Topic

from .models import Status, TopicProgress

INACTIVE_AFTER = datetime.timedelta(days=7)


def is_inactive(last_activity: datetime.datetime | None, now: datetime.datetime) -> bool:
    return last_activity is None or now - last_activity > INACTIVE_AFTER


def published_progress(published_section_ids=None):
    """Statuses on published topics only: what every count starts from.

    A caller that already listed the published sections passes their ids: the test is then one
    join to the topics, not a join through topics, sections and parts that PostgreSQL plans
    anew for every query (a few ms each, more than some of these queries take to run)."""
    if published_section_ids is None:
        return TopicProgress.objects.filter(topic__in=Topic.objects.published())
    return TopicProgress.objects.filter(
        topic__is_published=True, topic__section_id__in=published_section_ids
    )


# What each status counts as; Pendiente (or no row) counts as nothing but the topic's total.
COUNTED = {Status.DONE: "done", Status.SKIPPED: "skipped", Status.IN_PROGRESS: "in_progress"}
# Statuses that leave nothing to do on a topic; any other (or no row) is still to do.
FINISHED = frozenset({Status.DONE, Status.SKIPPED})


def status_counts() -> dict:
    """The per-group annotations of done, skipped and in-progress statuses (many learners).

    Counted on `status` (not the primary key): on PostgreSQL the unique (user, topic) index
    carries the status, so these counts read the index alone, never the table."""
    return {key: Count("status", filter=Q(status=status)) for status, key in COUNTED.items()}


def heat_level(percent: int) -> int:
    """0..5 shade for a percentage: 0, 1–24, 25–49, 50–74, 75–99, 100."""
    if percent <= 0:
        return 0
    if percent >= 100:
        return 5
    return 1 + min(percent // 25, 3)


@dataclass
class Tally:
    total: int = 0
    done: int = 0
    skipped: int = 0
    in_progress: int = 0

    @property
    def planned(self) -> int:
        return self.total - self.skipped

    @property
    def percent(self) -> int:
        if self.planned <= 0:
            return 100 if self.total else 0
        return round(100 * self.done / self.planned)

    @property
    def pending(self) -> int:
        return self.total - self.done - self.skipped - self.in_progress

    @property
    def label(self) -> str:
        noun = "tema completado" if self.planned == 1 else "temas completados"
        text = f"{self.done} de {self.planned} {noun}"
        if self.skipped:
            text += f" ({self.skipped} omitido{'s' if self.skipped != 1 else ''})"
        return text

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.total + other.total,
            self.done + other.done,
            self.skipped + other.skipped,
            self.in_progress + other.in_progress,
        )

    @classmethod
    def from_counts(cls, total: int, row: dict | None) -> "Tally":
        """A tally from a row annotated with `status_counts()` (None: nothing marked)."""
        row = row or {}
        return cls(
            total=total,
            done=row.get("done", 0),
            skipped=row.get("skipped", 0),
            in_progress=row.get("in_progress", 0),
        )

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "done": self.done,
            "skipped": self.skipped,
            "in_progress": self.in_progress,
            "pending": self.pending,
            "percent": self.percent,
            "label": self.label,
        }


@dataclass
class CourseTallies:
    sections: dict[int, Tally]
    parts: dict[int, Tally]
    overall: Tally

    def for_section(self, section_id: int) -> Tally:
        return self.sections.get(section_id, Tally())

    def for_part(self, part_id: int) -> Tally:
        return self.parts.get(part_id, Tally())


def sections_with_topic_counts():
    return Section.objects.published().annotate(
        topic_count=Count("topics", filter=Q(topics__is_published=True), distinct=True)
    )


@dataclass(frozen=True)
class CourseStructure:
    """Which published topic is in which section and part: what one learner's counts need.

    It depends on the content only, so pages keep it with their skeleton (roadmap/pages/)."""

    topic_sections: dict[int, int]  # published topic → its section, in course order
    section_parts: dict[int, int]  # published section → its part, in course order
    section_totals: dict[int, int]  # published section → its number of published topics

    @property
    def topic_order(self) -> list[int]:
        """The published topics' ids in course order."""
        return list(self.topic_sections)


def course_structure() -> CourseStructure:
    """Two queries: the published sections and the published topics."""
    section_parts = dict(Section.objects.published().in_course_order().values_list("id", "part_id"))
    topic_sections = dict(
        Topic.objects.published().in_course_order().values_list("id", "section_id")
    )
    totals = dict.fromkeys(section_parts, 0)
    for section_id in topic_sections.values():
        totals[section_id] += 1
    return CourseStructure(topic_sections, section_parts, totals)


# Read by every signed-in page: compiled once (curso/prepared_queries.py).
STATUSES = PreparedQuery(
    lambda user_id: TopicProgress.objects.filter(user_id=user_id).values_list("topic_id", "status"),
    -1,
)
PROGRESS = PreparedQuery(
    lambda user_id: TopicProgress.objects.filter(user_id=user_id).values_list(
        "topic_id", "status", "updated_at"
    ),
    -1,
)


def learner_statuses(user) -> dict[int, str]:
    """topic id → status for every topic the learner marked (published or not): one query."""
    return dict(STATUSES.rows(user.pk))


def learner_progress(user) -> list[tuple[int, str, datetime.datetime]]:
    """(topic id, status, last change) for every topic the learner marked: one query, for the
    pages that say where to resume (`resume_topic`)."""
    return PROGRESS.rows(user.pk)


def next_unfinished_topic(
    structure: CourseStructure, statuses: dict[int, str], after: int | None = None
) -> int | None:
    """The first published topic neither completed nor omitted, in course order: after the
    topic `after` (wrapping round to the start of the course) or from the start. None: nothing
    left to do."""
    order = structure.topic_order
    if after in structure.topic_sections:
        index = order.index(after)
        order = order[index + 1 :] + order[:index]
    return next((pk for pk in order if statuses.get(pk) not in FINISHED), None)


def resume_topic(
    structure: CourseStructure, progress: Iterable[tuple[int, str, datetime.datetime]]
) -> tuple[int | None, bool]:
    """Where "Seguir con" sends a learner, and whether they already started it: the published
    topic in progress they changed last, else the first topic left to do in course order."""
    progress = list(progress)
    position = {topic_id: index for index, topic_id in enumerate(structure.topic_sections)}
    started = [
        (updated_at, -position[topic_id], topic_id)  # a tie goes to the earlier in the course
        for topic_id, status, updated_at in progress
        if status == Status.IN_PROGRESS and topic_id in position
    ]
    if started:
        return max(started)[2], True
    statuses = {topic_id: status for topic_id, status, _updated_at in progress}
    return next_unfinished_topic(structure, statuses), False


def tallies_from_statuses(structure: CourseStructure, statuses: dict[int, str]) -> CourseTallies:
    """One learner's tallies: their statuses on published topics, counted by `COUNTED`."""
    counts: dict[int, dict[str, int]] = {}
    for topic_id, status in statuses.items():
        section_id = structure.topic_sections.get(topic_id)
        key = COUNTED.get(status)
        if section_id is not None and key is not None:
            row = counts.setdefault(section_id, {})
            row[key] = row.get(key, 0) + 1
    section_tallies, part_tallies, overall = {}, {}, Tally()
    for section_id, part_id in structure.section_parts.items():
        tally = Tally.from_counts(structure.section_totals[section_id], counts.get(section_id))
        section_tallies[section_id] = tally
        part_tallies[part_id] = part_tallies.get(part_id, Tally()) + tally
        overall = overall + tally
    return CourseTallies(section_tallies, part_tallies, overall)


def course_tallies(user, structure: CourseStructure | None = None) -> CourseTallies:
    """Every published section's tally for `user`: one query, plus two without `structure`."""
    statuses = learner_statuses(user) if user.is_authenticated else {}
    return tallies_from_statuses(structure or course_structure(), statuses)


# A learner's running totals and last change, read through a relation to the user (see
# `learner_tallies`): `user__` from a membership, "" from a user.
SUMMARY_FIELDS = ("done", "skipped", "in_progress", "last_activity_at")


def summary_fields(path_to_user: str = "") -> list[str]:
    """The lookups of a learner's summary columns from a model that reaches the user by
    `path_to_user`, for `values_list`: one row per learner, whatever their history."""
    return [f"{path_to_user}learner_summary__{name}" for name in SUMMARY_FIELDS]


class LearnerTallies:
    """Learners' overall tallies from their running totals (`LearnerSummary`), in one query.

    The totals count every topic; the statuses of these learners on topics that are not
    published are read here (normally none: an empty join) and taken off, so the result is
    what `published_progress` would count, without reading every learner's statuses.

    A caller that keeps the ids of the unpublished topics (per content version) passes them:
    with none (the usual case) there is nothing to take off, and no query."""

    def __init__(self, user_ids, total: int, unpublished=None):
        self.total = total
        if unpublished is None:
            unpublished = Topic.objects.exclude(pk__in=Topic.objects.published().values("pk"))
        elif not unpublished:
            self.hidden = {}
            return
        hidden = TopicProgress.objects.filter(user_id__in=user_ids, topic__in=unpublished)
        self.hidden = {
            row[0]: row[1:]
            for row in hidden.values_list("user_id").annotate(**status_counts()).order_by()
        }

    def tally(self, user_id: int, done, skipped, in_progress) -> Tally:
        """The learner's tally from their summary columns (None: no summary row)."""
        hidden_done, hidden_skipped, hidden_in_progress = self.hidden.get(user_id, (0, 0, 0))
        return Tally(
            self.total,
            (done or 0) - hidden_done,
            (skipped or 0) - hidden_skipped,
            (in_progress or 0) - hidden_in_progress,
        )
