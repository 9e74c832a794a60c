"""A learner's opt-in public progress page (/aprendices/<nombre>/), its preview and settings.

What a visitor would notice: nothing at the address until the learner publishes it (the same
«no encontrada» as a name nobody has), their statuses and totals once it is, never anything
private, and the address dead again the moment they withdraw or rename it.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import PublicProfile, User
from roadmap.learning.selectors import course_tallies
from roadmap.learning.services import progress_set_status
from roadmap.models import Cohort, CohortMembership, Note, Part, Section, Status, Topic
from roadmap.pages.assemble import STORE
from tests import shared_cache
from tests.course_factory import CONSTELLATIONS, OTHER_TOPIC, TOPIC
from tests.voice import assert_voseo, visible_text

pytestmark = pytest.mark.django_db
redis_cache = shared_cache.redis_cache

SETTINGS = "/cuenta/perfil-publico/"
PUBLISH = "/cuenta/perfil-publico/publicar/"
UNPUBLISH = "/cuenta/perfil-publico/despublicar/"
PREVIEW = "/cuenta/perfil-publico/vista-previa/"
PAGE = "/aprendices/ana-aprende/"


def save_settings(client, handle="ana-aprende", show_name=False, noindex=True):
    """The settings form as a browser sends it (noindex comes ticked)."""
    options = {"show_name": show_name, "noindex": noindex}
    data = {"handle": handle, **{key: "on" for key, on in options.items() if on}}
    return client.post(SETTINGS, data)


@pytest.fixture
def ana_marked(ana, course):
    """ana has one topic of each status, a note, a cohort, a time zone and a display name."""
    for slug, status in [
        (TOPIC.slug, Status.DONE),
        (OTHER_TOPIC.slug, Status.IN_PROGRESS),
        (CONSTELLATIONS[0].slug, Status.SKIPPED),
    ]:
        progress_set_status(user=ana, topic=Topic.objects.get(slug=slug), status=status)
    ana.display_name, ana.time_zone = "Ana Quiroga", "Asia/Tokyo"
    ana.save()
    Note.objects.create(
        user=ana, topic=Topic.objects.get(slug=TOPIC.slug), body="Mi apunte secretísimo"
    )
    cohort = Cohort.objects.create(
        name="Cohorte Zafiro Nocturno", slug="zafiro", start_date=datetime.date.today()
    )
    CohortMembership.objects.create(cohort=cohort, user=ana)
    return ana


@pytest.fixture
def published(ana_client, ana_marked):
    assert save_settings(ana_client).status_code == 302
    assert ana_client.post(PUBLISH).status_code == 302
    return ana_marked


def node_statuses(html: str) -> dict[int, str]:
    """topic id → the status its node shows on the page."""
    return {
        Topic.objects.get(section__slug=section, slug=slug).pk: status
        for status, section, slug in re.findall(
            r'data-status="(\w+)"><a class="node__link" href="/secciones/([^/]+)/([^/]+)/"', html
        )
    }


# --- Off by default, and the same 404 as a name nobody has --------------------------------


def test_the_page_is_off_until_published_and_looks_like_an_unknown_name(ana_client, ana, course):
    anonymous = Client()
    assert anonymous.get(PAGE).status_code == 404  # no settings at all
    assert save_settings(ana_client).status_code == 302
    assert PublicProfile.objects.get(user=ana).is_published is False
    saved_but_off = anonymous.get(PAGE)
    unknown = anonymous.get("/aprendices/nadie-aca/")
    assert saved_but_off.status_code == unknown.status_code == 404
    same = saved_but_off.content.decode().replace("ana-aprende", "X")
    assert same == unknown.content.decode().replace("nadie-aca", "X")
    assert dict(saved_but_off.items()).keys() == dict(unknown.items()).keys()


def test_a_published_page_shows_each_status_and_the_totals(published, course):
    response = Client().get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    statuses = node_statuses(html)
    assert statuses[Topic.objects.get(slug=TOPIC.slug).pk] == "completado"
    assert statuses[Topic.objects.get(slug=OTHER_TOPIC.slug).pk] == "en_progreso"
    assert statuses[Topic.objects.get(slug=CONSTELLATIONS[0].slug).pk] == "omitido"
    assert list(statuses.values()).count("pendiente") == course.topic_count - 3
    assert len(statuses) == course.topic_count  # every published topic, nothing unpublished
    # The statuses' names are written (for screen readers), not left to colour and shape.
    assert "(Completado)" in html and "(En progreso)" in html and "(Omitido)" in html
    # Totals by the one counting rule: done / (published − skipped).
    overall = course_tallies(published).overall
    assert overall.label in html  # «1 de 10 temas completados (1 omitido)»
    assert f'value="{overall.percent}"' in html
    text = visible_text(html)
    for name, count in [
        ("Completados", 1),
        ("En progreso", 1),
        ("Omitidos", 1),
        ("Pendientes", course.topic_count - 3),
    ]:
        assert f"{name} {count}" in text
    for part in Part.objects.published():
        assert part.title in text


def test_the_page_never_shows_anything_private(published, carla_client):
    for client in (Client(), carla_client):
        html = client.get(PAGE).content.decode()
        for private in [
            "ana@example.com",
            "Mi apunte secretísimo",
            "Cohorte Zafiro Nocturno",
            "Asia/Tokyo",
            "Tokyo",
            "Ana Quiroga",  # her display name: not chosen for the page
        ]:
            assert private not in html, private
        assert "Progreso de ana-aprende" in html


def test_the_page_is_read_only_even_for_its_owner(published, ana_client):
    html = ana_client.get(PAGE).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<form" not in main and "data-status-form" not in html
    assert "Mi apunte secretísimo" not in html


def test_the_display_name_shows_only_when_the_learner_chooses_it(published, ana_client):
    assert save_settings(ana_client, show_name=True, noindex=True).status_code == 302
    assert "Progreso de Ana Quiroga" in Client().get(PAGE).content.decode()
    assert save_settings(ana_client, noindex=True).status_code == 302
    html = Client().get(PAGE).content.decode()
    assert "Ana Quiroga" not in html and "Progreso de ana-aprende" in html


# --- Revocable: withdrawn, renamed or changed, the next view says so ----------------------


def test_withdrawing_the_page_makes_it_404_at_once(published, ana_client):
    anonymous = Client()
    first = anonymous.get(PAGE)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]  # no cache on the way may keep a copy
    response = ana_client.post(UNPUBLISH, follow=True)
    assert "Dejaste de publicar tu página" in response.content.decode()
    assert anonymous.get(PAGE).status_code == 404


def test_withdrawing_is_immediate_with_the_shared_cache_too(redis_cache, published, ana_client):
    anonymous = Client()
    assert anonymous.get(PAGE).status_code == 200
    ana_client.force_login(published)  # sessions now live in Redis
    ana_client.post(UNPUBLISH)
    assert anonymous.get(PAGE).status_code == 404


def test_a_status_change_shows_on_the_next_view(published):
    anonymous = Client()
    anonymous.get(PAGE)
    topic = Topic.objects.get(slug=CONSTELLATIONS[1].slug)
    progress_set_status(user=published, topic=topic, status=Status.DONE)
    assert node_statuses(anonymous.get(PAGE).content.decode())[topic.pk] == "completado"


def test_renaming_the_page_makes_the_old_address_404(published, ana_client):
    assert save_settings(ana_client, handle="ana-nueva", noindex=True).status_code == 302
    assert Client().get(PAGE).status_code == 404
    assert Client().get("/aprendices/ana-nueva/").status_code == 200


def test_a_deactivated_account_has_no_public_page(published):
    User.objects.filter(pk=published.pk).update(is_active=False)
    assert Client().get(PAGE).status_code == 404


# --- Search engines -----------------------------------------------------------------------


def test_noindex_is_on_by_default_in_the_page_and_its_headers(published):
    profile = PublicProfile.objects.get(user=published)
    assert profile.noindex is True
    response = Client().get(PAGE)
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_without_noindex_neither_the_meta_nor_the_header(published, ana_client):
    assert save_settings(ana_client, noindex=False).status_code == 302
    response = Client().get(PAGE)
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_the_settings_form_starts_with_noindex_ticked(ana_client, ana):
    html = ana_client.get(SETTINGS).content.decode()
    assert re.search(r'<input type="checkbox" name="noindex"[^>]*checked', html)
    assert not re.search(r'<input type="checkbox" name="show_name"[^>]*checked', html)


# --- Preview ------------------------------------------------------------------------------


def test_the_owner_previews_the_unpublished_page(ana_client, ana_marked):
    save_settings(ana_client, noindex=False)
    response = ana_client.get(PREVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vista previa" in html and "Todavía no está publicada" in html
    assert "Progreso de ana-aprende" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"  # a preview is never for search engines
    # The same page the public will see, but for the notice.
    ana_client.post(PUBLISH)
    public = Client().get(PAGE).content.decode()
    main = public.split("<main", 1)[1].split("</main>", 1)[0]
    preview = html.split("<main", 1)[1].split("</main>", 1)[0]
    only_in_the_preview = [
        r'<aside class="preview-banner".*?</aside>',
        r'<ul class="messages".*?</ul>',
    ]
    for shown_only_in_the_preview in only_in_the_preview:
        preview = re.sub(r"\s*" + shown_only_in_the_preview, "", preview, flags=re.S)
    assert " ".join(preview.split()) == " ".join(main.split())


def test_only_the_owner_sees_a_preview(ana_client, ana_marked, carla):
    save_settings(ana_client)
    carla_client = Client()
    carla_client.force_login(carla)
    assert Client().get(PREVIEW).status_code == 302  # to log in
    response = carla_client.get(PREVIEW, follow=True)
    html = response.content.decode()
    assert "ana-aprende" not in html and "Elegí un nombre para tu página" in html


# --- Settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "handle, message",
    [
        ("", "Elegí un nombre para tu página."),
        ("ab", "Usá entre 3 y 30 caracteres (tiene 2)."),
        ("a" * 31, "Usá como mucho 30 caracteres."),
        ("ana quiroga", "Usá solo letras minúsculas sin tildes"),
        ("josé", "Usá solo letras minúsculas sin tildes"),
        ("-ana", "Usá solo letras minúsculas sin tildes"),
        ("ana--q", "Usá solo letras minúsculas sin tildes"),
        ("ana_q", "Usá solo letras minúsculas sin tildes"),
        ("admin", "Ese nombre está reservado para el sitio"),
        ("Aprendices", "Ese nombre está reservado para el sitio"),
    ],
)
def test_bad_names_are_refused_with_a_clear_message(ana_client, ana, handle, message):
    response = save_settings(ana_client, handle=handle)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert_voseo(visible_text(html), handle)
    assert not PublicProfile.objects.exists()


def test_a_name_taken_in_any_case_is_refused(published, carla_client, carla):
    response = save_settings(carla_client, handle="ANA-Aprende")
    assert response.status_code == 400
    assert "Ese nombre ya lo usa otra persona: elegí otro." in response.content.decode()
    assert not PublicProfile.objects.filter(user=carla).exists()


def test_a_name_in_capitals_is_kept_in_lower_case(ana_client, ana):
    assert save_settings(ana_client, handle="  Ana-Q ").status_code == 302
    assert PublicProfile.objects.get(user=ana).handle == "ana-q"


def test_publishing_needs_a_saved_name_first(ana_client, ana):
    html = ana_client.post(PUBLISH, follow=True).content.decode()
    assert "Primero elegí un nombre para tu página y guardalo." in html
    assert not PublicProfile.objects.exists()


def test_publishing_and_withdrawing_are_posts_with_a_confirmation(ana_client, ana, course):
    assert ana_client.get(PUBLISH).status_code == 405
    assert ana_client.get(UNPUBLISH).status_code == 405
    save_settings(ana_client)
    response = ana_client.post(PUBLISH, follow=True)
    html = response.content.decode()
    assert "Publicaste tu página" in html and 'href="/aprendices/ana-aprende/"' in html
    assert_voseo(visible_text(html), "publicada")
    html = ana_client.post(UNPUBLISH, follow=True).content.decode()
    assert "Dejaste de publicar tu página" in html
    assert_voseo(visible_text(html), "despublicada")


def test_the_profile_links_to_the_settings_and_tells_the_state(ana_client, ana, course):
    html = ana_client.get("/cuenta/perfil/").content.decode()
    assert f'href="{SETTINGS}"' in html and "Apagada: nadie la puede ver." in html
    save_settings(ana_client)
    ana_client.post(PUBLISH)
    html = ana_client.get("/cuenta/perfil/").content.decode()
    assert f'href="{PAGE}"' in html


def test_every_new_page_speaks_voseo(published, ana_client):
    for path, client in [(SETTINGS, ana_client), (PREVIEW, ana_client), (PAGE, Client())]:
        assert_voseo(visible_text(client.get(path).content.decode()), path)


# --- Export and deletion ------------------------------------------------------------------


def test_the_export_has_the_page_settings(published, ana_client):
    data = ana_client.get("/cuenta/exportar/curso-datos.json").json()
    page = data["pagina_publica"]
    assert page["nombre"] == "ana-aprende" and page["publicada"] is True
    assert page["url"] == "http://testserver/aprendices/ana-aprende/"
    assert page["pedir_no_indexar"] is True and page["mostrar_nombre_visible"] is False
    assert "nunca tus notas" in data["acerca_de_la_pagina_publica"]


def test_the_export_says_null_without_a_page(ana_client, ana):
    assert ana_client.get("/cuenta/exportar/curso-datos.json").json()["pagina_publica"] is None


def test_deleting_the_account_removes_the_page_and_frees_its_name(published, ana_client):
    from conftest import PASSWORD

    ana_client.post("/cuenta/eliminar/", {"password": PASSWORD})
    assert not PublicProfile.objects.exists()
    assert Client().get(PAGE).status_code == 404


# --- Cost ---------------------------------------------------------------------------------


def add_content(sections: int, topics_per_section: int) -> None:
    part = Part.objects.published().first()
    for s in range(sections):
        section = Section.objects.create(part=part, slug=f"extra-{s}", title=f"Extra {s}", order=99)
        for t in range(topics_per_section):
            Topic.objects.create(section=section, slug=f"t-{t}", title=f"Tema {t}", order=t)


def test_the_page_costs_the_same_few_queries_whatever_the_progress_or_the_course(
    published, django_assert_num_queries
):
    anonymous = Client()
    anonymous.get(PAGE)
    # The profile with its user, the content version, the learner's statuses.
    with django_assert_num_queries(3):
        assert anonymous.get(PAGE).status_code == 200
    STORE.clear()
    with CaptureQueriesContext(connection) as cold:
        anonymous.get(PAGE)  # the outline and the structure are built again
    cold_count = len(cold.captured_queries)  # read now: each request resets the query log
    assert cold_count == 3 + 5  # and the parts, sections, topics and the course structure
    add_content(sections=4, topics_per_section=15)
    for i, topic in enumerate(Topic.objects.published()):
        status = [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED][i % 3]
        progress_set_status(user=published, topic=topic, status=status)
    anonymous.get(PAGE)
    with django_assert_num_queries(3):
        html = anonymous.get(PAGE).content.decode()
    assert "Tema 14" in html
    STORE.clear()
    with django_assert_num_queries(cold_count):
        anonymous.get(PAGE)
