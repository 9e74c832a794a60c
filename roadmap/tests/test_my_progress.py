"""Mi progreso: bars, lists, the next topic, the 12-week activity and the streaks."""

import datetime
import zoneinfo

import pytest

from roadmap.learning.activity import activity_for, streaks
from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, FIRST_SECTION, OTHER_TOPIC, PARTS, TOPIC

FIRST, SECOND, THIRD = CONSTELLATIONS  # the course's first topics, in order

pytestmark = pytest.mark.django_db


def topic(slug):
    return Topic.objects.get(slug=slug)


def test_anonymous_is_sent_to_log_in(client, course):
    response = client.get("/mi-progreso/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mi-progreso/"


def test_shows_overall_part_and_section_progress(ana_client, ana, course):
    progress_set_status(user=ana, topic=topic(FIRST.slug), status=Status.DONE)
    progress_set_status(user=ana, topic=topic(SECOND.slug), status=Status.IN_PROGRESS)
    html = ana_client.get("/mi-progreso/").content.decode()
    assert f"1 de {course.topic_count} temas completados" in html
    assert f"1 de {course.topic_count_of(PARTS[0])} temas completados" in html
    assert f"1 de {len(FIRST_SECTION.published_topics)} temas completados" in html
    assert html.count('class="progress"') == 1 + course.part_count + course.section_count


def test_lists_in_progress_and_recently_completed(ana_client, ana, course):
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    progress_set_status(user=ana, topic=topic(OTHER_TOPIC.slug), status=Status.IN_PROGRESS)
    html = ana_client.get("/mi-progreso/").content.decode()
    in_progress = html.split('id="titulo-en-progreso"', 1)[1].split("</section>", 1)[0]
    recent = html.split('id="titulo-recientes"', 1)[1].split("</section>", 1)[0]
    assert f">{OTHER_TOPIC.title}<" in in_progress and f">{TOPIC.title}<" not in in_progress
    assert f">{TOPIC.title}<" in recent


def test_next_topic_is_the_first_not_finished_in_course_order(ana_client, ana, course):
    html = ana_client.get("/mi-progreso/").content.decode()
    assert f"{FIRST.title}</a>" in html.split('id="titulo-seguir"', 1)[1]
    progress_set_status(user=ana, topic=topic(FIRST.slug), status=Status.DONE)
    progress_set_status(user=ana, topic=topic(SECOND.slug), status=Status.SKIPPED)
    progress_set_status(user=ana, topic=topic(THIRD.slug), status=Status.IN_PROGRESS)
    seguir = ana_client.get("/mi-progreso/").content.decode().split('id="titulo-seguir"', 1)[1]
    assert f"{THIRD.title}</a>" in seguir.split("</section>", 1)[0]
    assert "ya lo empezaste" in seguir.split("</section>", 1)[0]


def test_streaks_on_fixed_dates():
    d = datetime.date
    days = [d(2026, 3, 1), d(2026, 3, 2), d(2026, 3, 3), d(2026, 3, 10), d(2026, 3, 11)]
    assert streaks(days, today=d(2026, 3, 11)) == (2, 3)
    assert streaks(days, today=d(2026, 3, 12)) == (2, 3)  # yesterday still counts
    assert streaks(days, today=d(2026, 3, 13)) == (0, 3)
    assert streaks([], today=d(2026, 3, 13)) == (0, 0)


def test_activity_counts_days_in_the_learners_time_zone(ana, course):
    ana.time_zone = "America/Argentina/Buenos_Aires"
    ana.save()
    doppler = topic(TOPIC.slug)
    utc = zoneinfo.ZoneInfo("UTC")
    # 02:00 UTC on the 10th is still the 9th in Buenos Aires (UTC-3).
    for when, status in [
        (datetime.datetime(2026, 3, 10, 2, 0, tzinfo=utc), Status.IN_PROGRESS),
        (datetime.datetime(2026, 3, 10, 15, 0, tzinfo=utc), Status.DONE),
        (datetime.datetime(2026, 3, 11, 15, 0, tzinfo=utc), Status.SKIPPED),
    ]:
        set_status_at(when, user=ana, topic=doppler, status=status)
    activity = activity_for(ana, today=datetime.date(2026, 3, 11))
    by_date = {day.date: day.count for week in activity.weeks for day in week}
    assert by_date[datetime.date(2026, 3, 9)] == 1
    assert by_date[datetime.date(2026, 3, 10)] == 1
    assert by_date[datetime.date(2026, 3, 11)] == 1
    assert activity.current_streak == 3
    assert activity.longest_streak == 3
    assert activity.total == 3
    assert len(activity.weeks) == 12 and all(len(week) == 7 for week in activity.weeks)
    assert activity.weeks[0][0].date.weekday() == 0  # starts on a Monday


def test_page_shows_the_heatmap_and_streaks(ana_client, ana, course):
    progress_set_status(user=ana, topic=topic(TOPIC.slug), status=Status.DONE)
    html = ana_client.get("/mi-progreso/").content.decode()
    assert html.count("heatmap__day heatmap__day--") >= 84
    assert "Racha actual</dt><dd>1 día</dd>" in html
