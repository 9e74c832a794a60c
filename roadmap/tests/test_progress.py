"""Topic statuses: every status, idempotence, bad input, the permission ladder, the counts."""

import threading

import pytest
from django.db import connection

from roadmap.learning.services import progress_set_status
from roadmap.models import ProgressEvent, Section, Status, Topic, TopicProgress
from tests.course_factory import FIRST_SECTION, OTHER_TOPIC, SECTION, TOPIC

pytestmark = pytest.mark.django_db

TOPIC_STATUS = SECTION.topic_url(TOPIC) + "estado/"
SECTION_URL = SECTION.url()
IN_SECTION = len(SECTION.published_topics)


def post_status(client, status, url=TOPIC_STATUS, as_json=False, **extra):
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(url, {"status": status, **extra}, **headers)


def topic():
    return Topic.objects.get(section__slug=SECTION.slug, slug=TOPIC.slug)


@pytest.mark.parametrize("status", Status.values)
def test_each_status_is_saved(ana_client, ana, course, status):
    response = post_status(ana_client, status)
    assert response.status_code == 302
    assert TopicProgress.objects.get(user=ana, topic=topic()).status == status


def test_timestamps_follow_the_status(ana_client, ana, course):
    post_status(ana_client, Status.IN_PROGRESS)
    progress = TopicProgress.objects.get(user=ana)
    assert progress.started_at is not None and progress.completed_at is None
    started = progress.started_at
    post_status(ana_client, Status.DONE)
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert progress.started_at == started
    post_status(ana_client, Status.PENDING)
    progress.refresh_from_db()
    assert progress.completed_at is None
    assert progress.updated_at >= progress.started_at


def test_the_same_status_twice_changes_nothing(ana_client, ana, course):
    post_status(ana_client, Status.DONE)
    first = TopicProgress.objects.get(user=ana)
    post_status(ana_client, Status.DONE)
    assert TopicProgress.objects.filter(user=ana).count() == 1
    assert ProgressEvent.objects.filter(user=ana).count() == 1
    assert TopicProgress.objects.get(user=ana).updated_at == first.updated_at


def test_without_javascript_the_form_redirects_back_to_the_topic_anchor(ana_client, course):
    response = post_status(ana_client, Status.DONE, next=SECTION_URL + f"#{TOPIC.slug}")
    assert response.status_code == 302
    assert response["Location"] == SECTION_URL + f"#{TOPIC.slug}"
    page = ana_client.get(SECTION_URL).content.decode()
    assert f"«{TOPIC.title}»: Completado." in page  # the message after the redirect


def test_next_pointing_elsewhere_is_ignored(ana_client, course):
    response = post_status(ana_client, Status.DONE, next="https://malo.example.com/")
    assert response["Location"] == SECTION_URL + f"#{TOPIC.slug}"


@pytest.mark.parametrize(
    "junk",
    [
        "id",
        "|env",
        "roadmap:home",
        "admin:index",
        "//malo.example",
        "/\\malo.example",
        "javascript:x",
    ],
)
def test_a_next_that_is_not_a_path_on_this_site_falls_back_to_the_topic(ana_client, course, junk):
    """A word in `next` is never tried as a URL name (that used to be a 500)."""
    response = post_status(ana_client, Status.DONE, next=junk)
    assert response.status_code == 302
    assert response["Location"] == SECTION_URL + f"#{TOPIC.slug}"


def test_json_answer_carries_status_and_every_bar(ana_client, course):
    response = post_status(ana_client, Status.DONE, as_json=True)
    assert response.status_code == 200
    data = response.json()
    section = Section.objects.get(slug=SECTION.slug)
    assert data["status"] == "completado"
    assert data["status_label"] == "Completado"
    tally = data["tallies"][f"section-{section.pk}"]
    assert tally["label"] == f"1 de {IN_SECTION} temas completados"
    assert tally["percent"] == round(100 / IN_SECTION)
    assert data["tallies"][f"part-{section.part_id}"]["done"] == 1
    assert data["tallies"]["overall"]["label"] == f"1 de {course.topic_count} temas completados"


def test_unknown_status_is_a_400(ana_client, ana, course):
    assert post_status(ana_client, "terminado").status_code == 400
    response = post_status(ana_client, "terminado", as_json=True)
    assert response.status_code == 400
    assert "Estado desconocido" in response.json()["error"]
    assert not TopicProgress.objects.filter(user=ana).exists()


def test_missing_status_is_a_400(ana_client, course):
    assert ana_client.post(TOPIC_STATUS, {}).status_code == 400


def test_unknown_topic_is_a_404(ana_client, course):
    url = SECTION_URL + "no-existe/estado/"
    assert post_status(ana_client, Status.DONE, url=url).status_code == 404


def test_unpublished_topic_is_a_404(ana_client, course):
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=False)
    assert post_status(ana_client, Status.DONE).status_code == 404


def test_get_on_the_status_endpoint_is_a_405(ana_client, course):
    assert ana_client.get(TOPIC_STATUS).status_code == 405


def test_anonymous_is_sent_to_log_in_and_back_to_the_topic(client, course):
    response = post_status(client, Status.DONE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + SECTION.topic_url(TOPIC)
    assert not TopicProgress.objects.exists()


def test_anonymous_json_request_gets_401(client, course):
    response = post_status(client, Status.DONE, as_json=True)
    assert response.status_code == 401
    assert response.json()["login_url"] == "/accounts/login/"


def test_status_changes_need_the_csrf_token(ana, course):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert post_status(client, Status.DONE).status_code == 403


def test_section_page_shows_controls_and_bars_for_a_learner(ana_client, course):
    post_status(ana_client, Status.DONE)
    html = ana_client.get(SECTION_URL).content.decode()
    assert html.count('class="status-form"') == IN_SECTION
    assert (
        'value="completado" class="status-button status-button--completado" aria-pressed="true"'
        in html
    )
    assert f"1 de {IN_SECTION} temas completados" in html
    assert f"1 de {course.topic_count} temas completados" in html


def test_anonymous_sees_an_invitation_instead_of_controls(client, course):
    html = client.get(SECTION_URL).content.decode()
    assert 'class="status-form"' not in html
    assert "para marcar tus temas" in html


def test_omitted_topics_leave_the_plan(ana_client, course):
    post_status(ana_client, Status.DONE)
    post_status(ana_client, Status.SKIPPED, url=SECTION.topic_url(OTHER_TOPIC) + "estado/")
    html = ana_client.get(SECTION_URL).content.decode()
    assert f"1 de {IN_SECTION - 1} temas completados (1 omitido)" in html
    overall = f"1 de {course.topic_count - 1} temas completados (1 omitido)"
    assert overall in html
    assert overall in ana_client.get("/").content.decode()


def test_a_section_with_everything_done_or_omitted_is_100_percent(ana, course):
    for row in Topic.objects.filter(section__slug=FIRST_SECTION.slug):
        status = Status.SKIPPED if row.order == 0 else Status.DONE
        progress_set_status(user=ana, topic=row, status=status)
    from roadmap.learning.selectors import course_tallies

    section = Section.objects.get(slug=FIRST_SECTION.slug)
    tally = course_tallies(ana).for_section(section.pk)
    done = len(FIRST_SECTION.published_topics) - 1
    assert (tally.done, tally.skipped, tally.percent) == (done, 1, 100)


def test_unpublished_topics_count_nowhere_but_keep_their_status(ana_client, ana, course):
    post_status(ana_client, Status.DONE)
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=False)
    html = ana_client.get(SECTION_URL).content.decode()
    assert f"0 de {IN_SECTION - 1} temas completados" in html
    assert TopicProgress.objects.get(user=ana).status == Status.DONE
    Topic.objects.filter(slug=TOPIC.slug).update(is_published=True)
    assert f"1 de {IN_SECTION} temas completados" in ana_client.get(SECTION_URL).content.decode()


def test_another_learners_progress_does_not_count(ana_client, carla, course):
    progress_set_status(user=carla, topic=topic(), status=Status.DONE)
    assert f"0 de {IN_SECTION} temas completados" in ana_client.get(SECTION_URL).content.decode()


def write_concurrently(user, topic, statuses) -> list[Exception]:
    """Start one thread per status, released together; return the errors they raised."""
    barrier = threading.Barrier(len(statuses))
    errors = []

    def write(status):
        from django.db import connections

        try:
            barrier.wait()
            progress_set_status(user=user, topic=topic, status=status)
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(status,)) for status in statuses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_one_row_with_the_last_status(user, topic) -> TopicProgress:
    rows = TopicProgress.objects.filter(user=user, topic=topic)
    assert rows.count() == 1
    last = ProgressEvent.objects.filter(user=user, topic=topic).order_by("-created_at", "-pk")[0]
    assert rows.get().status == last.status
    assert rows.get().updated_at == last.created_at
    return rows.get()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_leave_one_row(ana, course):
    if connection.vendor != "postgresql":
        pytest.skip("La concurrencia real se prueba en PostgreSQL (SQLite serializa escrituras).")
    doppler = topic()
    assert write_concurrently(ana, doppler, [Status.DONE, Status.SKIPPED]) == []
    progress = assert_one_row_with_the_last_status(ana, doppler)
    assert progress.status in (Status.DONE, Status.SKIPPED)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_status_changes_leave_one_row_with_the_last_status(ana, course):
    if connection.vendor != "postgresql":
        pytest.skip("La concurrencia real se prueba en PostgreSQL (SQLite serializa escrituras).")
    doppler = topic()
    statuses = [Status.values[1 + n % 3] for n in range(20)]  # en progreso, completado, omitido
    assert write_concurrently(ana, doppler, statuses) == []
    assert_one_row_with_the_last_status(ana, doppler)
