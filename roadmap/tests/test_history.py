"""Bounded history: the daily rollup, its backfill, and pruning old events with no page changing."""

import datetime
import io
import json
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.test import Client
from django.utils import timezone

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.demo import create_demo_cohort
from roadmap.learning.activity import activity_for, daily_counts
from roadmap.learning.rollup import backfill_daily_activity
from roadmap.learning.services import progress_set_status
from roadmap.models import (
    Cohort,
    CohortMembership,
    DailyActivity,
    LearnerSummary,
    ProgressEvent,
    Status,
    Topic,
)
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
    summary = LearnerSummary.objects.get(user=ana)  # every change counted once, none lost
    assert (summary.done, summary.skipped, summary.in_progress) == (8, 0, 0)
    assert summary.last_activity_at == max(events.values_list("created_at", flat=True))


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


# Pruning changes no page


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def counts_from_events(user) -> dict:
    """How the chart counted days before the rollup: the events, in the learner's zone."""
    rows = (
        ProgressEvent.objects.filter(user=user)
        .annotate(day=TruncDate("created_at", tzinfo=user.zone))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def test_pages_show_the_same_after_pruning_every_old_event(ana, bruno, superuser, course):
    carla = learner("carla@example.com", "Europe/Madrid")
    cohort = Cohort.objects.create(name="C", slug="c", start_date=timezone.localdate())
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    for user in (ana, carla):
        CohortMembership.objects.create(cohort=cohort, user=user)
    now = timezone.now()
    ago = [now - datetime.timedelta(days=days) for days in (200, 199, 198, 40, 10)]
    recent = [now - datetime.timedelta(days=2), now - datetime.timedelta(hours=1)]
    first = CONSTELLATIONS[0].slug
    changes(ana, ago + [now - datetime.timedelta(days=60, hours=3)], (TOPIC.slug, first))
    changes(carla, ago[:2] + recent, (OTHER_TOPIC.slug, first))

    def client_of(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    pages = {
        ana: ["/mi-progreso/"],
        carla: ["/mi-progreso/"],
        bruno: [
            "/cohortes/",
            f"/cohortes/{cohort.slug}/",
            f"/cohortes/{cohort.slug}/?orden=actividad",
            f"/cohortes/{cohort.slug}/?filtro=inactivos",
            f"/cohortes/{cohort.slug}/exportar.csv",
            f"/cohortes/{cohort.slug}/aprendices/{ana.pk}/",
            f"/cohortes/{cohort.slug}/aprendices/{carla.pk}/",
        ],
        superuser: [f"/admin/accounts/user/?actividad={v}" for v in ("7d", "inactivos", "nunca")],
    }

    def what_pages_show() -> dict:
        shown = {}
        for user, urls in pages.items():
            client = client_of(user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                body = b"".join(response) if response.streaming else response.content
                shown[user.email, url] = without_tokens(body.decode())
        return shown

    # Before pruning, the rollup says what the events said.
    for user in (ana, carla):
        assert daily_counts(user) == counts_from_events(user)
        last_event = ProgressEvent.objects.filter(user=user).aggregate(last=Max("created_at"))
        assert LearnerSummary.objects.get(user=user).last_activity_at == last_event["last"]
    before = what_pages_show()
    assert "Racha más larga</dt><dd>3 días</dd>" in before[ana.email, "/mi-progreso/"]
    inactive = before[bruno.email, f"/cohortes/{cohort.slug}/?filtro=inactivos"]
    assert ">Ana<" in inactive and "carla@example.com" not in inactive
    admin = {
        value: before[superuser.email, f"/admin/accounts/user/?actividad={value}"]
        for value in ("7d", "inactivos", "nunca")
    }
    assert "carla@example.com" in admin["7d"] and "ana@example.com" not in admin["7d"]
    assert "ana@example.com" in admin["inactivos"] and "carla@example.com" not in admin["inactivos"]
    assert "bruno@example.com" in admin["nunca"] and "ana@example.com" not in admin["nunca"]

    call_command("prune_progress_events", "--older-than", "7", stdout=io.StringIO())

    kept = ProgressEvent.objects.order_by("created_at").values_list("created_at", flat=True)
    assert list(kept) == recent
    assert what_pages_show() == before


# The command


@pytest.fixture
def ana_with_history(ana, course):
    now = timezone.now()
    old = [now - datetime.timedelta(days=200, hours=h) for h in (3, 2, 1)]
    changes(ana, old + [now - datetime.timedelta(days=1)], (TOPIC.slug, OTHER_TOPIC.slug))
    return ana


def prune(*args) -> str:
    out = io.StringIO()
    call_command("prune_progress_events", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_counts_and_deletes_nothing(ana_with_history):
    output = prune("--dry-run")
    assert "Se borrarían 3 cambios de estado anteriores al" in output
    assert "No se borró nada (--dry-run)." in output
    assert "no figuran" not in output
    assert ProgressEvent.objects.count() == 4


def test_old_events_go_in_batches_and_recent_ones_stay(ana_with_history):
    days = days_of(ana_with_history)
    output = prune("--batch-size", "2", "--verbosity", "2")
    assert "Lote 1: 2 borrados en total." in output and "Lote 2: 3 borrados en total." in output
    assert "Se borraron 3 cambios de estado" in output and "en 2 lote(s)" in output
    assert ProgressEvent.objects.count() == 1
    assert days_of(ana_with_history) == days
    assert "Se borraron 0 cambios de estado" in prune()  # nothing left to do


@pytest.mark.parametrize("days", ["0", "6", "-1"])
def test_too_recent_a_limit_is_refused(ana_with_history, days):
    with pytest.raises(CommandError, match="--older-than debe ser al menos 7 días"):
        prune("--older-than", days)
    assert ProgressEvent.objects.count() == 4


def test_a_batch_size_below_one_or_an_absurd_age_is_refused(ana_with_history):
    with pytest.raises(CommandError, match="--batch-size debe ser al menos 1"):
        prune("--batch-size", "0")
    with pytest.raises(CommandError, match="--older-than no puede pasar de 36500 días"):
        prune("--older-than", "999999999")


def test_events_the_rollup_does_not_count_are_added_before_they_go(ana, course):
    """Events written without the rollup (say, by a server still on the old code during a
    deploy): on a day without a row, and after the last change of a day that has one."""
    changes(ana, [at(2025, 3, 10, 15), at(2025, 3, 10, 16)])  # the 10th in Buenos Aires
    stray = [at(2025, 3, 10, 17), at(2024, 12, 1, 12)]
    for when in stray:
        ProgressEvent.objects.create(user=ana, topic=topic(), status=Status.DONE, created_at=when)
    assert "2 no figuran en el resumen diario" in prune("--dry-run")
    output = prune()
    assert "2 de ellos no figuraban en el resumen diario y se sumaron" in output
    assert days_of(ana) == {
        datetime.date(2024, 12, 1): (1, stray[1]),
        datetime.date(2025, 3, 10): (3, stray[0]),
    }
    assert not ProgressEvent.objects.exists()


def test_the_export_lists_the_events_kept_and_every_day(ana_with_history):
    client = Client()
    client.force_login(ana_with_history)

    def export() -> dict:
        return json.loads(client.get("/cuenta/exportar/curso-datos.json").content)

    before = export()
    assert len(before["actividad"]) == 4
    assert sum(day["cambios"] for day in before["actividad_por_dia"]) == 4
    assert set(before["acerca_de_la_actividad"]) == {"actividad", "actividad_por_dia", "totales"}
    prune()
    after = export()
    assert len(after["actividad"]) == 1
    assert after["actividad_por_dia"] == before["actividad_por_dia"]
