"""Bounded history: the daily rollup of status changes, its backfill, and what reads it."""

import datetime
import threading

import pytest
from django.db import connection

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.demo import create_demo_cohort
from roadmap.learning.activity import activity_for
from roadmap.learning.rollup import backfill_daily_activity
from roadmap.learning.selectors import changed_since
from roadmap.learning.services import progress_set_status
from roadmap.models import DailyActivity, ProgressEvent, Status, Topic
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, OTHER_TOPIC, TOPIC

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
STATUSES = [Status.IN_PROGRESS, Status.DONE, Status.SKIPPED]  # each differs from the last


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def topic(slug: str = TOPIC.slug) -> Topic:
    return Topic.objects.get(slug=slug)


def learner(email: str, zone: str) -> User:
    return User.objects.create_user(email, PASSWORD, time_zone=zone)


def rollup(user=None) -> dict:
    rows = DailyActivity.objects.all() if user is None else DailyActivity.objects.filter(user=user)
    return {(row.user_id, row.day): (row.changes, row.last_at) for row in rows}


def days_of(user) -> dict:
    return {day: value for (_user, day), value in rollup(user).items()}


def changes(user, moments, slugs=(TOPIC.slug,)) -> None:
    """One status change at each moment, cycling through the topics and the statuses."""
    for n, when in enumerate(moments):
        slug = slugs[n % len(slugs)]
        set_status_at(when, user=user, topic=topic(slug), status=STATUSES[n // len(slugs) % 3])


# The rollup, maintained by every status change


def test_each_change_counts_on_the_learners_own_day(ana, course):
    carla = learner("carla@example.com", "UTC")
    assert ana.time_zone == "America/Argentina/Buenos_Aires"
    # 02:30 UTC on 11 March is 23:30 on the 10th in Buenos Aires.
    for user in (ana, carla):
        changes(user, [at(2026, 3, 10, 15, 0), at(2026, 3, 11, 2, 30)])
    assert days_of(ana) == {datetime.date(2026, 3, 10): (2, at(2026, 3, 11, 2, 30))}
    assert days_of(carla) == {
        datetime.date(2026, 3, 10): (1, at(2026, 3, 10, 15, 0)),
        datetime.date(2026, 3, 11): (1, at(2026, 3, 11, 2, 30)),
    }


def test_the_same_status_twice_adds_nothing(ana, course):
    set_status_at(at(2026, 3, 10, 15), user=ana, topic=topic(), status=Status.DONE)
    set_status_at(at(2026, 3, 10, 16), user=ana, topic=topic(), status=Status.DONE)
    assert days_of(ana) == {datetime.date(2026, 3, 10): (1, at(2026, 3, 10, 15))}


def test_the_last_change_of_a_day_is_the_latest_even_if_it_commits_first(ana, course):
    """Concurrent writers on two topics may commit out of order: last_at keeps the latest."""
    set_status_at(at(2026, 3, 10, 15), user=ana, topic=topic(), status=Status.DONE)
    set_status_at(
        at(2026, 3, 10, 14), user=ana, topic=topic(OTHER_TOPIC.slug), status=Status.SKIPPED
    )
    assert days_of(ana) == {datetime.date(2026, 3, 10): (2, at(2026, 3, 10, 15))}


def test_a_change_counts_in_the_zone_the_learner_had_then(ana, course):
    changes(ana, [at(2026, 3, 11, 2, 30)])  # the 10th in Buenos Aires
    ana.time_zone = "UTC"
    ana.save()
    changes(ana, [at(2026, 3, 11, 3, 0)], slugs=(OTHER_TOPIC.slug,))  # the 11th in UTC
    assert list(days_of(ana)) == [datetime.date(2026, 3, 10), datetime.date(2026, 3, 11)]
    activity = activity_for(ana, today=datetime.date(2026, 3, 11))
    assert (activity.total, activity.active_days, activity.current_streak) == (2, 2, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_on_several_topics_all_count(ana, course):
    if connection.vendor != "postgresql":
        pytest.skip("La concurrencia real se prueba en PostgreSQL (SQLite serializa escrituras).")
    topics = list(Topic.objects.published()[:8])
    barrier = threading.Barrier(len(topics))
    errors = []

    def change(row):
        from django.db import connections

        try:
            barrier.wait()
            progress_set_status(user=ana, topic=row, status=Status.DONE)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(row,)) for row in topics]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = ProgressEvent.objects.filter(user=ana)
    assert sum(changes for changes, _last in days_of(ana).values()) == events.count() == 8
    assert max(last for _changes, last in days_of(ana).values()) == max(
        events.values_list("created_at", flat=True)
    )


# The backfill (migration 0010) and the demo data agree with the live rollup


def test_the_backfill_rebuilds_what_the_status_changes_maintained(ana, course):
    learners = [
        ana,
        learner("utc@example.com", "UTC"),
        learner("tokio@example.com", "Asia/Tokyo"),
        learner("kiritimati@example.com", "Pacific/Kiritimati"),  # UTC+14
        learner("oeste@example.com", "Etc/GMT+12"),  # UTC−12
        learner("marte@example.com", "Marte/Olympus"),  # unknown: the site's zone
    ]
    slugs = (TOPIC.slug, OTHER_TOPIC.slug, CONSTELLATIONS[0].slug)
    for n, user in enumerate(learners):
        moments = [at(2026, 3, 1, n) + datetime.timedelta(hours=7 * i) for i in range(15)]
        changes(user, moments, slugs)
    live = rollup()
    assert len({day for _user, day in live}) > 5
    DailyActivity.objects.all().delete()
    assert backfill_daily_activity() == len(live)
    assert rollup() == live
    assert backfill_daily_activity() == 0  # days with a row are left alone: nothing counts twice
    assert rollup() == live


def test_the_demo_data_comes_with_its_rollup(course):
    create_demo_cohort(learners=6)
    demo = rollup()
    assert sum(changes for changes, _last in demo.values()) == ProgressEvent.objects.count() > 0
    DailyActivity.objects.all().delete()
    backfill_daily_activity()
    assert rollup() == demo


def test_a_recent_change_far_west_is_found_by_the_day_bounded_filter(course):
    west = learner("oeste@example.com", "Etc/GMT+12")  # UTC−12: dated a day before UTC
    since = at(2026, 3, 10, 5, 0)
    changes(west, [since + datetime.timedelta(minutes=1)])
    assert list(days_of(west)) == [datetime.date(2026, 3, 9)]
    assert changed_since(since).filter(user=west).exists()
    assert not changed_since(since + datetime.timedelta(minutes=2)).filter(user=west).exists()
