"""The overview (home page): a path of sections per roadmap, each topic a node with the learner's
status, marked from there (plain forms that come back to the node), totals and a legend."""

import pytest

from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic
from tests.course_factory import COURSE, SECTION
from tests.course_factory import TOPIC as DOPPLER

pytestmark = pytest.mark.django_db


def doppler():
    return Topic.objects.get(section__slug=SECTION.slug, slug=DOPPLER.slug)


def published_topics():
    return Topic.objects.published()


def test_anonymous_overview_lists_every_topic_without_statuses(client, course):
    html = client.get("/").content.decode()
    for topic in published_topics():
        assert f'id="nodo-{topic.pk}"' in html
    assert "data-status=" not in html
    assert "data-status-form" not in html
    assert 'class="path"' in html


def test_signed_in_overview_marks_any_topic_and_comes_back_to_it(ana_client, ana, course):
    topic = doppler()
    html = ana_client.get("/").content.decode()
    assert html.count("data-status-form") == COURSE.topic_count
    assert f'<input type="hidden" name="next" value="/#nodo-{topic.pk}">' in html
    assert f'href="{topic.get_absolute_url()}#nota">Tu nota sobre' in html
    response = ana_client.post(
        topic.get_absolute_url() + "estado/",
        {"status": "en_progreso", "next": f"/#nodo-{topic.pk}"},
    )
    assert response["Location"] == f"/#nodo-{topic.pk}"
    html = ana_client.get("/").content.decode()
    assert f'data-status-of="{topic.pk}" data-status="en_progreso"' in html


def test_totals_and_legend_count_each_status(ana_client, ana, course):
    topics = list(published_topics()[:3])
    for topic, status in zip(
        topics, [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED], strict=True
    ):
        progress_set_status(user=ana, topic=topic, status=status)
    html = ana_client.get("/").content.decode()
    total = COURSE.topic_count
    assert '<strong data-progress-count="done">1</strong>' in html
    assert '<strong data-progress-count="in_progress">1</strong>' in html
    assert '<strong data-progress-count="skipped">1</strong>' in html
    assert f'<strong data-progress-count="pending">{total - 3}</strong>' in html
    for label in ("Completados", "En progreso", "Omitidos", "Pendientes"):
        assert f">{label}</span>" in html


def test_section_cards_take_the_look_of_their_status(ana_client, ana, course):
    topic = doppler()
    progress_set_status(user=ana, topic=topic, status=Status.SKIPPED)
    html = ana_client.get(SECTION.url()).content.decode()
    assert f'id="{topic.slug}" data-status-of="{topic.pk}" data-status="omitido"' in html
    assert f'href="{topic.get_absolute_url()}#nota">Tu nota<' in html  # the note, from the card
