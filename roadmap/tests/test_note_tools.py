"""Notes for people who paste code: highlighted blocks, tables and quotes, a preview that saves
nothing, a delete that asks first and can be undone, plain-text previews in «Mis notas»."""

import pytest
from django.core.cache import cache
from django.test import Client

from roadmap.catalog.markdown import plain_excerpt_html
from roadmap.learning.note_undo import UNDO_MINUTES
from roadmap.models import Note, Topic
from tests.course_factory import SECTION
from tests.course_factory import TOPIC as DOPPLER

pytestmark = pytest.mark.django_db

TOPIC = SECTION.topic_url(DOPPLER)
SAVE = TOPIC + "nota/"
RESTORE = "/mis-notas/deshacer/"
CODE_NOTE = "Mi prueba:\n\n```python\ndef doble(x):\n    return x * 2  # listo\n```\n"


def doppler():
    return Topic.objects.get(section__slug=SECTION.slug, slug=DOPPLER.slug)


@pytest.fixture
def ana_note(ana, course):
    return Note.objects.create(user=ana, topic=doppler(), body="Mi idea sobre **Doppler**")


def note_html(page: str) -> str:
    return page.split('class="note prose">', 1)[1].split('<p class="help">Editada', 1)[0]


def test_a_fenced_code_block_is_one_highlighted_block(ana_client, course):
    ana_client.post(SAVE, {"body": CODE_NOTE})
    html = note_html(ana_client.get(TOPIC).content.decode())
    assert html.count("<pre>") == 1  # one block, not a pill per line
    assert '<div class="codehilite"><pre>' in html
    assert '<span class="k">def</span>' in html  # keyword, coloured by code.css
    assert '<span class="c1"># listo</span>' in html


def test_code_styles_are_served_from_static_for_light_and_dark(client, course):
    page = client.get(TOPIC).content.decode()
    assert "/static/css/code.css" in page
    css = client.get("/static/css/code.css")
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert ".codehilite .k {" in text
    assert "@media (prefers-color-scheme: dark)" in text


def test_a_code_block_cannot_smuggle_classes_or_markup(ana_client, course):
    body = '```html\n<script>alert(1)</script>\n```\n\n<span class="k evil">x</span>'
    ana_client.post(SAVE, {"body": body})
    html = note_html(ana_client.get(TOPIC).content.decode())
    assert "<script" not in html
    assert "evil" not in html


def test_tables_and_quotes_render(ana_client, course):
    ana_client.post(SAVE, {"body": "| a | b |\n|---|--:|\n| 1 | 2 |\n\n> una cita"})
    html = note_html(ana_client.get(TOPIC).content.decode())
    assert "<table>" in html and '<td align="right">2</td>' in html
    assert "<blockquote>" in html


def test_preview_without_javascript_shows_the_rendered_note_and_saves_nothing(
    ana_client, ana, course
):
    response = ana_client.post(SAVE, {"body": CODE_NOTE, "vista_previa": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vista previa" in html and "(todavía sin guardar)" in html
    assert '<span class="k">def</span>' in html
    assert "def doble(x):" in html  # the text is still in the textarea
    assert not Note.objects.filter(user=ana).exists()


def test_preview_as_json_for_the_tab(ana_client, ana, course):
    response = ana_client.post(
        SAVE, {"body": "**hola**", "vista_previa": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"html": "<p><strong>hola</strong></p>"}
    response = ana_client.post(
        SAVE, {"body": "x" * 20_001, "vista_previa": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "La nota es demasiado larga" in response.json()["error"]
    assert not Note.objects.filter(user=ana).exists()


def test_preview_keeps_the_saved_note_untouched(ana_client, ana_note):
    ana_client.post(SAVE, {"body": "otra cosa", "vista_previa": "1"})
    ana_note.refresh_from_db()
    assert ana_note.body == "Mi idea sobre **Doppler**"


def test_delete_asks_first_on_its_own_page(ana_client, ana_note):
    page = ana_client.get(f"/mis-notas/{ana_note.pk}/borrar/?next={TOPIC}").content.decode()
    assert "¿Borrar tu nota sobre" in page
    assert "Sí, borrar la nota" in page
    assert f'href="{TOPIC}">Cancelar' in page
    assert Note.objects.filter(pk=ana_note.pk).exists()


def test_the_topic_page_offers_the_dialog_and_the_page(ana_client, ana_note):
    page = ana_client.get(TOPIC).content.decode()
    assert f'href="/mis-notas/{ana_note.pk}/borrar/?next=' in page  # without JavaScript
    assert '<dialog id="dialogo-borrar-nota"' in page  # with it


def test_a_deleted_note_can_be_undone(ana_client, ana, ana_note):
    response = ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": TOPIC}, follow=True)
    page = response.content.decode()
    assert f"Podés deshacerlo durante {UNDO_MINUTES} minutos." in page
    assert f'action="{RESTORE}"' in page and ">Deshacer</button>" in page
    assert not Note.objects.filter(user=ana).exists()

    response = ana_client.post(RESTORE)
    assert response["Location"] == TOPIC + "#nota"
    restored = Note.objects.get(user=ana)
    assert restored.body == "Mi idea sobre **Doppler**"
    assert "<strong>Doppler</strong>" in restored.body_html
    # Only once.
    ana_client.post(RESTORE)
    assert Note.objects.filter(user=ana).count() == 1
    page = ana_client.get("/mis-notas/").content.decode()
    assert "No hay una nota borrada para recuperar" in page


def test_undo_does_not_overwrite_a_newer_note(ana_client, ana, ana_note):
    ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": TOPIC})
    ana_client.post(SAVE, {"body": "la nueva"})
    response = ana_client.post(RESTORE, follow=True)
    assert "no la vamos a pisar" in response.content.decode()
    assert Note.objects.get(user=ana).body == "la nueva"


def test_undo_is_gone_once_the_time_is_up(ana_client, ana, ana_note):
    ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": TOPIC})
    cache.clear()  # what the cache does after UNDO_MINUTES
    response = ana_client.post(RESTORE, follow=True)
    assert "pasaron más de" in response.content.decode()
    assert not Note.objects.filter(user=ana).exists()


def test_undo_belongs_to_the_learner_who_deleted(ana_client, ana, carla, ana_note):
    ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": TOPIC})
    carla_client = Client()
    carla_client.force_login(carla)
    carla_client.post(RESTORE)
    assert not Note.objects.exists()


def test_my_notes_previews_are_plain_text(ana_client, ana, course):
    ana_client.post(SAVE, {"body": "| a | b |\n|---|---|\n| uno | dos |\n\n**negrita** y `x`"})
    page = ana_client.get("/mis-notas/").content.decode()
    preview = page.split('<li class="card">', 1)[1].split("</li>", 1)[0]
    assert "a b uno dos negrita y x" in preview
    assert "|---|" not in preview and "<table" not in preview and "**" not in preview


def test_plain_excerpts_are_escaped_and_short():
    html = "<p>&lt;script&gt; " + "palabra " * 200 + "</p>"
    excerpt = plain_excerpt_html(html)
    assert excerpt.startswith("&lt;script&gt; palabra")
    assert len(excerpt) < 450 and excerpt.endswith("…")


def test_deleting_from_the_list_comes_back_to_the_list(ana_client, ana_note):
    page = ana_client.get(f"/mis-notas/{ana_note.pk}/").content.decode()
    assert f"/mis-notas/{ana_note.pk}/borrar/?next=/mis-notas/" in page
    response = ana_client.post(f"/mis-notas/{ana_note.pk}/borrar/", {"next": "/mis-notas/"})
    assert response["Location"] == "/mis-notas/"


def test_the_migration_highlights_old_code_blocks_and_makes_plain_excerpts(ana, course):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("roadmap.migrations.0014_code_blocks_and_plain_excerpts")
    note = Note.objects.create(user=ana, topic=doppler(), body=CODE_NOTE)
    old_html = "<p>Mi prueba:</p>\n<pre><code>def doble(x):\n</code></pre>"
    Note.objects.filter(pk=note.pk).update(body_html=old_html, excerpt_html=old_html)
    migration.rerender_code_blocks(apps, None)
    migration.plain_text_excerpts(apps, None)
    note.refresh_from_db()
    assert '<div class="codehilite">' in note.body_html
    assert note.excerpt_html.startswith("Mi prueba: def doble(x):")
