"""Pages rendered once per content version and assembled per visitor (roadmap/pages/).

What a visitor would notice: their own statuses, numbers, name, token and messages on every
page, never someone else's; content changes show on the next view whatever wrote them; and a
page costs the same few queries however big the course or the learner's progress.
"""

import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls.resolvers import URLResolver

from roadmap.learning.services import progress_set_status
from roadmap.models import Note, Part, Reference, Section, Status, Topic
from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import CLOSE, OPEN, SkeletonStore

pytestmark = pytest.mark.django_db


def first_topic() -> Topic:
    return Topic.objects.published().select_related("section").in_course_order().first()


def add_content(sections: int, topics_per_section: int) -> Section:
    part = Part.objects.published().first()
    for s in range(sections):
        section = Section.objects.create(part=part, slug=f"extra-{s}", title=f"Extra {s}", order=99)
        for t in range(topics_per_section):
            Topic.objects.create(section=section, slug=f"t-{t}", title=f"Tema {t}", order=t)
            Reference.objects.create(
                section=section, slug=f"r-{t}", title=f"Ref {t}", url="https://example.com/"
            )
    return section


def mark_many(user, count: int) -> None:
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED]
    for i, topic in enumerate(Topic.objects.published()[:count]):
        progress_set_status(user=user, topic=topic, status=statuses[i % 3])


def pages() -> list[str]:
    topic = first_topic()
    return ["/", topic.section.get_absolute_url(), topic.get_absolute_url(), "/mi-progreso/"]


# Queries: a warm page (its skeleton built) costs a fixed number, whatever the data.
# Signed in: the user, the content version, the learner's statuses (+ what the page adds).
WARM_QUERIES = {"/": 3, "section": 3, "topic": 4, "/mi-progreso/": 5}


def warm_queries(url: str) -> int:
    if url in WARM_QUERIES:
        return WARM_QUERIES[url]
    return WARM_QUERIES["topic" if url.count("/") == 4 else "section"]


def test_an_anonymous_page_costs_one_query_once_built(client, course, django_assert_num_queries):
    for url in pages()[:3]:
        client.get(url)
        with django_assert_num_queries(1):  # the content version
            assert client.get(url).status_code == 200


def test_signed_in_pages_cost_the_same_whatever_the_progress_and_the_course_size(
    ana_client, ana, course, django_assert_num_queries
):
    for url in pages():
        ana_client.get(url)
        with django_assert_num_queries(warm_queries(url)):
            ana_client.get(url)
    mark_many(ana, 40)
    Note.objects.create(user=ana, topic=first_topic(), body="Una nota")
    add_content(sections=4, topics_per_section=15)
    for url in pages():
        ana_client.get(url)  # the first view after the change builds the skeleton again
        with django_assert_num_queries(warm_queries(url)):
            ana_client.get(url)


def test_building_a_page_costs_the_same_whatever_the_course_size(
    client, course, django_assert_num_queries
):
    """The first view of a new content version: its queries do not grow with the content."""
    counts = {}
    for url in pages()[:3]:
        STORE.clear()
        with CaptureQueriesContext(connection) as built:
            client.get(url)
        counts[url] = len(built.captured_queries)
    add_content(sections=4, topics_per_section=15)
    for url in pages()[:3]:
        STORE.clear()
        with django_assert_num_queries(counts[url]):
            client.get(url)


def test_a_warm_page_reverses_no_url(ana_client, ana, course):
    """Addresses are in the skeleton: a page view does not build them again, item by item."""
    mark_many(ana, 10)
    for url in pages():
        ana_client.get(url)
        with mock.patch.object(
            URLResolver, "_reverse_with_prefix", side_effect=AssertionError("reverse()")
        ) as reversing:
            response = ana_client.get(url)
        assert response.status_code == 200
        assert reversing.call_count == 0


def test_each_learner_sees_their_own_statuses_numbers_and_name(client, ana, carla, course):
    topic = first_topic()
    progress_set_status(user=ana, topic=topic, status=Status.DONE)
    client.force_login(ana)
    ana_pages = {url: client.get(url).content.decode() for url in pages()}
    client.force_login(carla)
    carla_pages = {url: client.get(url).content.decode() for url in pages()}
    for url in pages():
        assert ">Ana<" in ana_pages[url] and ">Carla<" in carla_pages[url]
        assert ">Ana<" not in carla_pages[url]
    node = f'id="nodo-{topic.pk}" data-status-of="{topic.pk}" data-status='
    assert node + '"completado"' in ana_pages["/"]
    assert node + '"pendiente"' in carla_pages["/"]
    assert "<span data-status-text>Completado</span>" in ana_pages["/"]
    section = topic.section.get_absolute_url()
    assert (
        'value="completado" class="status-button status-button--completado" aria-pressed="true"'
        in ana_pages[section]
    )
    assert 'aria-pressed="true"' not in carla_pages[section].split('value="completado"')[1][:80]
    assert "1 de " in ana_pages["/mi-progreso/"] and "0 de " in carla_pages["/mi-progreso/"]


def test_each_visitor_gets_their_own_working_csrf_token(ana, carla, course):
    from django.test import Client

    topic = first_topic()
    tokens = []
    for user in (ana, carla):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = browser.get(topic.get_absolute_url()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        status_url = topic.get_absolute_url() + "estado/"
        response = browser.post(status_url, {"csrfmiddlewaretoken": token, "status": "completado"})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_message_shows_once_on_the_next_page(ana_client, course):
    topic = first_topic()
    response = ana_client.post(
        topic.get_absolute_url() + "estado/", {"status": "en_progreso"}, follow=True
    )
    assert f"«{topic.title}»: En progreso." in response.content.decode()
    assert f"«{topic.title}»: En progreso." not in ana_client.get("/").content.decode()


def test_the_learners_note_shows_on_the_topic_page(ana_client, ana, course):
    topic = first_topic()
    Note.objects.create(user=ana, topic=topic, body="Mi **nota** <script>x</script>")
    html = ana_client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>nota</strong>" in html  # rendered
    assert "Mi **nota** &lt;script&gt;x&lt;/script&gt;</textarea>" in html  # the text, escaped
    assert "<script>x" not in html
    assert f'action="/mis-notas/{Note.objects.get().pk}/borrar/"' in html
    assert "Guardar cambios" in html


def test_course_text_cannot_open_a_hole(ana_client, course):
    """An editor who types the marker characters gets them printed, not a visitor's value."""
    topic = first_topic()
    topic.title = f"Truco {OPEN}0000|csrf|{CLOSE} {OPEN}|user_name|{CLOSE}"
    topic.save()
    html = ana_client.get(topic.section.get_absolute_url()).content.decode()
    assert topic.title in html


def test_addresses_that_do_not_exist_are_not_kept(client, course):
    client.get("/")
    kept = len(STORE)
    for n in range(30):
        assert client.get(f"/secciones/no-existe-{n}/").status_code == 404
        assert client.get(f"/secciones/no-existe/{n}/").status_code == 404
    assert len(STORE) == kept


def test_the_store_keeps_the_most_recently_used():
    store = SkeletonStore(max_entries=2)
    for key in ("a", "b"):
        store.get_or_build((key,), lambda key=key: key.upper())
    store.get_or_build(("a",), lambda: "new")  # a used again: b is now the oldest
    store.get_or_build(("c",), lambda: "C")
    assert len(store) == 2
    assert store.get_or_build(("a",), lambda: "rebuilt") == "A"
    assert store.get_or_build(("b",), lambda: "rebuilt") == "rebuilt"


# Every way to change the content replaces the content version: the next view shows it.


def changed_title(client, change) -> None:
    topic = first_topic()
    client.get(topic.section.get_absolute_url())  # built with the old title
    change(topic)
    assert "Título nuevo" in client.get(topic.section.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda t: Topic.objects.filter(pk=t.pk).update(title="Título nuevo"), id="update"
        ),
        pytest.param(lambda t: (setattr(t, "title", "Título nuevo"), t.save()), id="save"),
        pytest.param(
            lambda t: (
                setattr(t, "title", "Título nuevo"),
                Topic.objects.bulk_update([t], ["title"]),
            ),
            id="bulk_update",
        ),
        pytest.param(
            lambda t: Topic.objects.bulk_create(
                [Topic(section=t.section, slug="en-bloque", title="Título nuevo", order=99)]
            ),
            id="bulk_create",
        ),
        pytest.param(
            lambda t: call_command(
                "shell",
                command="from roadmap.models import Topic\n"
                f"t = Topic.objects.get(pk={t.pk}); t.title = 'Título nuevo'; t.save()",
            ),
            id="shell",
        ),
    ],
)
def test_every_content_write_shows_on_the_next_view(client, course, change):
    changed_title(client, change)


def test_loaddata_shows_on_the_next_view(client, course, tmp_path):
    from django.core import serializers

    def load(topic):
        topic.title = "Título nuevo"
        fixture = tmp_path / "tema.json"
        fixture.write_text(serializers.serialize("json", [topic]), encoding="utf-8")
        call_command("loaddata", str(fixture), verbosity=0)  # post_save with raw=True

    changed_title(client, load)


def test_a_delete_shows_on_the_next_view(client, course):
    topic = first_topic()
    url = topic.section.get_absolute_url()
    link = f'href="{topic.get_absolute_url()}"'
    assert link in client.get(url).content.decode()
    topic.delete()
    assert link not in client.get(url).content.decode()


def test_flush_leaves_no_page_behind(ana_client, course):
    html = ana_client.get("/").content.decode()
    title = first_topic().title
    assert title in html and "Salir" in html
    call_command("flush", interactive=False, verbosity=0)
    html = ana_client.get("/").content.decode()
    assert title not in html  # no content left
    assert "Salir" not in html  # and ana's account is gone


def test_a_rejected_note_builds_the_topic_page_with_its_own_address(client, ana, carla, course):
    """The note's POST may be the first view of a topic page: the skeleton it builds is shared,
    so its forms must point back to the topic page, not to the note's address."""
    topic = first_topic()
    url = topic.get_absolute_url()
    client.force_login(ana)
    response = client.post(url + "nota/", {"body": "x" * 20_001})
    assert response.status_code == 400
    assert "x" * 20_001 in response.content.decode()  # the learner's text is kept
    assert f'name="next" value="{url}"' in response.content.decode()
    client.force_login(carla)
    html = client.get(url).content.decode()
    assert f'name="next" value="{url}"' in html
    assert "/nota/" not in html.split('class="status-form"')[1].split("</form>")[0]
