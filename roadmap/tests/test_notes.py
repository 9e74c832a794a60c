"""Private notes: write, edit, delete, sanitised, never lost on error, never seen by others."""

import pytest

from roadmap.models import Note, Topic
from tests.course_factory import FIRST_SECTION, SECTION
from tests.course_factory import TOPIC as DOPPLER

pytestmark = pytest.mark.django_db

TOPIC = SECTION.topic_url(DOPPLER)
SAVE = TOPIC + "nota/"


def doppler():
    return Topic.objects.get(section__slug=SECTION.slug, slug=DOPPLER.slug)


@pytest.fixture
def ana_note(ana, course):
    return Note.objects.create(user=ana, topic=doppler(), body="Mi idea sobre **Doppler**")


def test_a_learner_writes_a_note_and_sees_it_rendered(ana_client, ana, course):
    response = ana_client.post(SAVE, {"body": "Rango bajo = **pocos parámetros**"})
    assert response.status_code == 302
    assert response["Location"] == TOPIC + "#nota"
    html = ana_client.get(TOPIC).content.decode()
    assert "<strong>pocos parámetros</strong>" in html
    assert "Nota guardada." in html
    assert Note.objects.get(user=ana).topic == doppler()


def test_editing_updates_the_same_note(ana_client, ana, ana_note):
    ana_client.post(SAVE, {"body": "Versión 2"})
    assert Note.objects.filter(user=ana).count() == 1
    ana_note.refresh_from_db()
    assert ana_note.body == "Versión 2"
    assert ana_note.updated_at > ana_note.created_at


def test_deleting_a_note(ana_client, ana_note):
    response = ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": TOPIC})
    assert response.status_code == 302
    assert response["Location"] == TOPIC
    assert not Note.objects.filter(pk=ana_note.pk).exists()


def test_scripts_and_javascript_links_come_out_inert(ana_client, course):
    body = (
        "<script>alert('x')</script>\n\n[clic](javascript:alert(1))\n\n"
        '<a href="https://ok.example" onmouseover="robar()">enlace</a>'
    )
    ana_client.post(SAVE, {"body": body})
    html = ana_client.get(TOPIC).content.decode()
    note_html = html.split('class="note prose">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in note_html
    assert "javascript:" not in note_html
    assert "onmouseover" not in note_html
    assert 'href="https://ok.example" rel="noopener noreferrer"' in note_html


def test_a_too_long_note_is_rejected_and_the_text_is_kept(ana_client, ana, course):
    body = "palabra " * 3000  # 24 000 characters
    response = ana_client.post(SAVE, {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "La nota es demasiado larga" in html
    assert body.strip() in html  # still in the textarea
    assert not Note.objects.filter(user=ana).exists()


def test_an_empty_first_note_asks_for_text(ana_client, course):
    response = ana_client.post(SAVE, {"body": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "La nota está vacía: escribí algo antes de guardarla." in html
    assert "Borrar nota" not in html  # nothing to delete, so no mention of it


def test_emptying_a_saved_note_points_to_the_delete_button(ana_client, ana_note):
    response = ana_client.post(SAVE, {"body": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Si querés borrarla, usá «Borrar nota»." in html
    assert "Borrar nota…</a>" in html
    ana_note.refresh_from_db()
    assert ana_note.body == "Mi idea sobre **Doppler**"


def test_note_list_is_newest_first_and_only_mine(ana_client, ana, carla, course):
    topics = list(Topic.objects.order_by("pk")[:3])
    for index, topic in enumerate(topics):
        ana_client.post(topic.get_absolute_url() + "nota/", {"body": f"nota {index}"})
    Note.objects.create(user=carla, topic=topics[0], body="secreto de carla")
    html = ana_client.get("/mis-notas/").content.decode()
    assert html.index("nota 2") < html.index("nota 1") < html.index("nota 0")
    assert "secreto de carla" not in html


def test_note_search_ignores_accents_and_case(ana_client, ana, course):
    Note.objects.create(user=ana, topic=doppler(), body="Repasar la Cuantización en 4 bits")
    other = Topic.objects.get(slug=FIRST_SECTION.topics[0].slug)
    Note.objects.create(user=ana, topic=other, body="derivadas")
    html = ana_client.get("/mis-notas/", {"q": "cuantizacion"}).content.decode()
    assert "Repasar la" in html and "derivadas" not in html
    html = ana_client.get("/mis-notas/", {"q": "doppler"}).content.decode()  # the topic's title
    assert "Repasar la" in html and "derivadas" not in html


def test_note_search_rejects_a_huge_query(ana_client, course):
    response = ana_client.get("/mis-notas/", {"q": "x" * 1000})
    assert response.status_code == 400
    assert "demasiado larga" in response.content.decode()


# The permission ladder on a note.
def test_anonymous_is_sent_to_log_in(client, ana_note):
    response = client.get(f"/mis-notas/{ana_note.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_another_learner_gets_404(carla_client, ana_note):
    assert carla_client.get(f"/mis-notas/{ana_note.pk}/").status_code == 404
    assert carla_client.post(f"/mis-notas/{ana_note.pk}/borrar/").status_code == 404
    assert Note.objects.filter(pk=ana_note.pk).exists()


def test_the_owner_gets_200(ana_client, ana_note):
    response = ana_client.get(f"/mis-notas/{ana_note.pk}/")
    assert response.status_code == 200
    assert "<strong>Doppler</strong>" in response.content.decode()


def test_another_learners_topic_page_does_not_show_my_note(carla_client, ana_note):
    assert "Mi idea sobre" not in carla_client.get(TOPIC).content.decode()


def test_anonymous_note_save_goes_to_login_and_saves_nothing(client, course):
    response = client.post(SAVE, {"body": "hola"})
    assert response["Location"] == "/accounts/login/?next=" + TOPIC
    assert not Note.objects.exists()


def test_get_on_note_endpoints_is_405(ana_client, ana_note):
    assert ana_client.get(SAVE).status_code == 405
    assert ana_client.get("/mis-notas/deshacer/").status_code == 405


def test_note_list_query_count_does_not_grow(ana_client, ana, course, django_assert_num_queries):
    ana_client.get("/mis-notas/")
    with django_assert_num_queries(2) as baseline:
        ana_client.get("/mis-notas/")
    for topic in Topic.objects.all():
        Note.objects.create(user=ana, topic=topic, body=f"nota sobre {topic.title}")
    with django_assert_num_queries(len(baseline.captured_queries)):
        ana_client.get("/mis-notas/")
