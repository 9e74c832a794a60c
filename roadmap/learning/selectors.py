"""A learner's progress, counted in the database: per section, per part and for the course.

Rules, defined here once and used by every page, the cohort dashboard, its CSV and the admin:
- "Omitido" takes a topic out of the plan. Progress is completed / (published topics − omitted);
  with everything omitted or completed it is 100 %.
- Unpublished topics, sections and parts count nowhere (`published_progress`).
- A learner is inactive after 7 days without a status change (`is_inactive`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from roadmap.catalog.models import Section, Topic

from .models import Status, TopicProgress

INACTIVE_AFTER = datetime.timedelta(days=7)


def is_inactive(last_activity: datetime.datetime | None, now: datetime.datetime) -> bool:
    return last_activity is None or now - last_activity > INACTIVE_AFTER


def published_progress():
    """Statuses on published topics only: what every count starts from."""
    return TopicProgress.objects.filter(topic__in=Topic.objects.published())


def status_counts() -> dict:
    """The per-group annotations of done, skipped and in-progress statuses."""
    return {
        "done": Count("id", filter=Q(status=Status.DONE)),
        "skipped": Count("id", filter=Q(status=Status.SKIPPED)),
        "in_progress": Count("id", filter=Q(status=Status.IN_PROGRESS)),
    }


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


def course_tallies(user, sections=None) -> CourseTallies:
    """Every published section's tally for `user`: one query, plus one for the sections unless
    `sections` (annotated with `topic_count`, e.g. by `sections_with_topic_counts`) is given."""
    if sections is None:
        sections = sections_with_topic_counts()
    totals = {s.pk: (s.part_id, s.topic_count) for s in sections}
    counts = {}
    if user.is_authenticated:
        counts = {
            row["topic__section_id"]: row
            for row in published_progress()
            .filter(user=user)
            .values("topic__section_id")
            .annotate(**status_counts())
        }
    section_tallies, part_tallies, overall = {}, {}, Tally()
    for section_id, (part_id, total) in totals.items():
        tally = Tally.from_counts(total, counts.get(section_id))
        section_tallies[section_id] = tally
        part_tallies[part_id] = part_tallies.get(part_id, Tally()) + tally
        overall = overall + tally
    return CourseTallies(section_tallies, part_tallies, overall)


def statuses_for(user, topics) -> dict[int, str]:
    """topic id → status for the given topics (a queryset or list); Pendiente is implicit."""
    if not user.is_authenticated:
        return {}
    return dict(
        TopicProgress.objects.filter(user=user, topic__in=topics).values_list("topic_id", "status")
    )
