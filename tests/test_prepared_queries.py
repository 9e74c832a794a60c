"""The hot reads compiled once (curso/prepared_queries.py) answer exactly what the ORM answers."""

import datetime

import pytest
from django.contrib.auth import get_user
from django.test import Client

from curso.prepared_queries import PreparedQuery
from roadmap.learning.activity import DAILY_COUNTS
from roadmap.learning.models import DailyActivity, Status, TopicProgress
from roadmap.learning.note_panel import LEARNER_NOTE
from roadmap.learning.selectors import PROGRESS, STATUSES
from roadmap.models import Note, Topic

pytestmark = pytest.mark.django_db


def mark(user, topics, status):
    for topic in topics:
        TopicProgress.objects.create(user=user, topic=topic, status=status)


def test_statuses_and_dates_match_the_orm(course, ana, bruno):
    topics = list(Topic.objects.order_by("pk"))
    mark(ana, topics[:3], Status.DONE)
    mark(ana, topics[3:5], Status.IN_PROGRESS)
    mark(bruno, topics[:1], Status.SKIPPED)

    orm = TopicProgress.objects.filter(user=ana).values_list("topic_id", "status", "updated_at")
    assert sorted(PROGRESS.rows(ana.pk)) == sorted(orm)
    assert dict(STATUSES.rows(ana.pk)) == dict(orm.values_list("topic_id", "status"))
    assert dict(STATUSES.rows(bruno.pk)) == {topics[0].pk: Status.SKIPPED}
    # Dates come back as the ORM gives them: aware, also on SQLite (converted, not raw text).
    assert all(
        isinstance(row[2], datetime.datetime) and row[2].tzinfo for row in PROGRESS.rows(ana.pk)
    )


def test_a_note_is_found_by_learner_and_topic_whatever_the_filter_order(course, ana, bruno):
    topic, other = Topic.objects.order_by("pk")[:2]
    Note.objects.create(user=ana, topic=topic, body="**mía**")
    Note.objects.create(user=bruno, topic=other, body="de Bruno")

    [note] = LEARNER_NOTE.instances(ana.pk, topic.pk)
    assert note == Note.objects.get(user=ana, topic=topic)
    assert note.body_html == Note.objects.get(pk=note.pk).body_html and "<strong>" in note.body_html
    assert LEARNER_NOTE.instances(ana.pk, other.pk) == []
    assert LEARNER_NOTE.instances(bruno.pk, topic.pk) == []


def test_daily_counts_match_the_orm(ana, bruno):
    when = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
    for day, changes in ((datetime.date(2026, 3, 9), 2), (datetime.date(2026, 3, 10), 5)):
        DailyActivity.objects.create(user=ana, day=day, changes=changes, last_at=when)
    DailyActivity.objects.create(user=bruno, day=datetime.date(2026, 3, 9), changes=1, last_at=when)

    assert dict(DAILY_COUNTS.rows(ana.pk)) == {
        datetime.date(2026, 3, 9): 2,
        datetime.date(2026, 3, 10): 5,
    }


def test_each_prepared_read_is_one_query(course, ana, django_assert_num_queries):
    with django_assert_num_queries(1):
        STATUSES.rows(ana.pk)
    with django_assert_num_queries(1):
        LEARNER_NOTE.instances(ana.pk, 1)


def test_a_query_whose_parameters_are_not_the_placeholders_is_refused():
    query = PreparedQuery(
        lambda user_id: TopicProgress.objects.filter(user_id=user_id, topic_id=7), -1
    )
    with pytest.raises(ValueError, match="Parámetros inesperados"):
        query.rows(1)


def test_instances_need_whole_rows():
    query = PreparedQuery(lambda pk: Topic.objects.filter(pk=pk).only("title"), -1)
    with pytest.raises(ValueError, match="filas enteras"):
        query.instances(1)


def test_the_session_user_is_loaded_and_refused_when_deactivated(ana):
    client = Client()
    client.force_login(ana, backend="accounts.backends.EmailBackend")
    request = type("Request", (), {"session": client.session})()
    user = get_user(request)
    assert user == ana and user.email == ana.email and user.date_joined == ana.date_joined

    ana.is_active = False
    ana.save()
    assert not get_user(request).is_authenticated
