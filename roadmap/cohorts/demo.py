"""Demo data for the cohort dashboards: an instructor, a paced cohort and learners with history.

Used by `manage.py seed_demo` and by the benchmark (bench/cohort_dashboard.py).
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from roadmap.catalog.models import Section, Topic
from roadmap.learning.models import DailyActivity, ProgressEvent, Status, TopicProgress
from roadmap.learning.rollup import activity_day
from roadmap.learning.summary import rebuild_learner_summaries

from .models import Cohort, CohortMembership, SectionTarget

User = get_user_model()
DEMO_PASSWORD = "curso-demo-2026"
INSTRUCTOR_EMAIL = "bruno@example.com"
COHORT_SLUG = "cohorte-demo"
LEARNER_EMAIL = "aprendiz{:03d}@example.com"
FIRST_NAMES = [
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Facundo", "Gabriela", "Hernán", "Inés", "Julián",
    "Karina", "Lucas", "Martina", "Nicolás", "Olivia", "Pablo", "Quimey", "Rocío", "Santiago",
    "Tamara", "Ulises", "Valentina", "Walter", "Ximena", "Yamila", "Zoe",
]  # fmt: skip
LAST_NAMES = ["Pérez", "Gómez", "Rodríguez", "Fernández", "López", "Díaz", "Martínez", "Sosa"]


@dataclass
class DemoResult:
    cohort: Cohort
    instructor: User
    learners: int
    progress_rows: int
    events: int


@transaction.atomic
def create_demo_cohort(*, learners: int = 30, seed: int = 2026) -> DemoResult:
    """(Re)create the demo cohort with `learners` learners; earlier demo data is replaced."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password(DEMO_PASSWORD)

    Cohort.objects.filter(slug=COHORT_SLUG).delete()
    demo_learners = User.objects.filter(
        email__startswith="aprendiz", email__endswith="@example.com"
    )
    TopicProgress.objects.filter(user__in=demo_learners).delete()
    ProgressEvent.objects.filter(user__in=demo_learners).delete()
    demo_learners.delete()

    instructor, _ = User.objects.update_or_create(
        email=INSTRUCTOR_EMAIL,
        defaults={"display_name": "Bruno (instructor)", "password": password},
    )
    start = today - datetime.timedelta(weeks=8)
    cohort = Cohort.objects.create(
        name="Cohorte demo",
        slug=COHORT_SLUG,
        description="Cohorte de ejemplo creada por seed_demo.",
        start_date=start,
        end_date=today + datetime.timedelta(weeks=8),
    )
    CohortMembership.objects.create(
        cohort=cohort, user=instructor, role=CohortMembership.Role.INSTRUCTOR
    )
    sections = list(Section.objects.published().in_course_order())
    SectionTarget.objects.bulk_create(
        SectionTarget(
            cohort=cohort, section=section, due_date=start + datetime.timedelta(weeks=i + 1)
        )
        for i, section in enumerate(sections[:12])
    )

    users = User.objects.bulk_create(
        User(
            email=LEARNER_EMAIL.format(n),
            display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=password,
            date_joined=now - datetime.timedelta(weeks=8),
        )
        for n in range(1, learners + 1)
    )
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, user=user, joined_at=now - datetime.timedelta(weeks=8))
        for user in users
    )

    topics = list(
        Topic.objects.published().order_by("section__part__order", "section__order", "order")
    )
    progress_rows, events = [], []
    days: dict[tuple, DailyActivity] = {}  # the daily rollup of the same events
    for user in users:
        pace = rng.random() ** 1.3  # most learners are early in the course, a few far ahead
        done = int(pace * len(topics))
        last_active_days_ago = rng.choice([0, 0, 1, 2, 3, 5, 9, 15, 30])
        span = 56 - last_active_days_ago
        for index, topic in enumerate(topics[: done + rng.randint(0, 2)]):
            status = Status.DONE
            if index >= done:
                status = Status.IN_PROGRESS
            elif rng.random() < 0.05:
                status = Status.SKIPPED
            when = now - datetime.timedelta(
                days=last_active_days_ago + span * (1 - (index + 1) / max(done + 2, 1)),
                minutes=rng.randint(0, 600),
            )
            progress_rows.append(
                TopicProgress(
                    user=user,
                    topic=topic,
                    status=status,
                    started_at=when - datetime.timedelta(hours=rng.randint(1, 72)),
                    completed_at=when if status == Status.DONE else None,
                    updated_at=when,
                )
            )
            events.append(ProgressEvent(user=user, topic=topic, status=status, created_at=when))
            day = activity_day(user, when)
            row = days.get((user.pk, day))
            if row is None:
                days[user.pk, day] = DailyActivity(user=user, day=day, changes=1, last_at=when)
            else:
                row.changes += 1
                row.last_at = max(row.last_at, when)
    TopicProgress.objects.bulk_create(progress_rows, batch_size=2000)
    ProgressEvent.objects.bulk_create(events, batch_size=2000)
    DailyActivity.objects.bulk_create(days.values(), batch_size=2000)
    rebuild_learner_summaries([user.pk for user in users])
    return DemoResult(cohort, instructor, len(users), len(progress_rows), len(events))
