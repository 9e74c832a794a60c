"""«Seguir con»: the topic in progress changed last, else the first one left in course order; the
same card on Mi progreso, the home page and section pages."""

import datetime

import pytest

from roadmap.learning.selectors import course_structure, resume_topic
from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic
from tests.clock import set_status_at
from tests.course_factory import COURSE, LAST_SECTION, SECTION

pytestmark = pytest.mark.django_db

TOPICS = COURSE.topics
PAGES = ["/mi-progreso/", "/", SECTION.url()]
EARLY = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
LATER = EARLY + datetime.timedelta(hours=3)


def row(spec) -> Topic:
    return Topic.objects.get(slug=spec.slug)


def resume_card(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html.split('id="titulo-seguir"', 1)[1].split("</section>", 1)[0]


def test_it_resumes_the_topic_in_progress_changed_last_not_the_first_in_course_order(
    ana_client, ana, course
):
    early_in_course, late_in_course = TOPICS[1], TOPICS[-1]
    set_status_at(EARLY, user=ana, topic=row(early_in_course), status=Status.IN_PROGRESS)
    set_status_at(LATER, user=ana, topic=row(late_in_course), status=Status.IN_PROGRESS)
    for url in PAGES:
        card = resume_card(ana_client, url)
        assert f">{late_in_course.title}</a>" in card, url
        assert "ya lo empezaste" in card
        assert TOPICS[0].title not in card
    # Touching the earlier one again brings it back to the top.
    set_status_at(LATER, user=ana, topic=row(early_in_course), status=Status.DONE)
    set_status_at(
        LATER + datetime.timedelta(hours=1),
        user=ana,
        topic=row(early_in_course),
        status=Status.IN_PROGRESS,
    )
    assert f">{early_in_course.title}</a>" in resume_card(ana_client, "/")


def test_without_a_topic_in_progress_it_is_the_first_one_left(ana_client, ana, course):
    for url in PAGES:
        assert f">{TOPICS[0].title}</a>" in resume_card(ana_client, url)
    progress_set_status(user=ana, topic=row(TOPICS[0]), status=Status.DONE)
    progress_set_status(user=ana, topic=row(TOPICS[1]), status=Status.SKIPPED)
    for url in PAGES:
        card = resume_card(ana_client, url)
        assert f">{TOPICS[2].title}</a>" in card
        assert "ya lo empezaste" not in card


def test_an_unpublished_topic_in_progress_is_not_resumed(ana_client, ana, course):
    progress_set_status(user=ana, topic=row(TOPICS[-1]), status=Status.IN_PROGRESS)
    Topic.objects.filter(slug=TOPICS[-1].slug).update(is_published=False)
    assert f">{TOPICS[0].title}</a>" in resume_card(ana_client, "/")


def test_with_everything_done_or_omitted_the_card_congratulates(ana_client, ana, course):
    for n, spec in enumerate(TOPICS):
        status = Status.SKIPPED if n % 4 == 0 else Status.DONE
        progress_set_status(user=ana, topic=row(spec), status=status)
    for url in PAGES:
        assert "¡Terminaste todo el curso!" in resume_card(ana_client, url)


def test_the_card_names_the_topics_section_and_links_to_it(ana_client, ana, course):
    spec = LAST_SECTION.published_topics[0]
    progress_set_status(user=ana, topic=row(spec), status=Status.IN_PROGRESS)
    card = resume_card(ana_client, "/")
    assert f'href="{LAST_SECTION.topic_url(spec)}"' in card
    assert f"de {LAST_SECTION.title}" in card


def test_each_learner_resumes_their_own(client, ana, carla, course):
    progress_set_status(user=ana, topic=row(TOPICS[-1]), status=Status.IN_PROGRESS)
    client.force_login(carla)
    assert f">{TOPICS[0].title}</a>" in resume_card(client, "/")
    client.force_login(ana)
    assert f">{TOPICS[-1].title}</a>" in resume_card(client, "/")


def test_readers_without_an_account_get_no_card(client, course):
    for url in ["/", SECTION.url()]:
        assert 'id="titulo-seguir"' not in client.get(url).content.decode()


def test_the_rule_breaks_ties_by_course_order(course):
    structure = course_structure()
    first, second = (row(spec).pk for spec in TOPICS[2:4])
    progress = [(second, Status.IN_PROGRESS, EARLY), (first, Status.IN_PROGRESS, EARLY)]
    assert resume_topic(structure, progress) == (first, True)
    assert resume_topic(structure, []) == (row(TOPICS[0]).pk, False)
