"""The page cache serves repeat visits without the database, and never serves stale pages."""

import pytest

from roadmap.models import Status, Topic
from roadmap.services import progress_set_status

pytestmark = pytest.mark.django_db


def test_anonymous_home_is_served_from_the_cache(client, course, django_assert_num_queries):
    first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content


def test_a_content_edit_shows_at_once(client, course):
    client.get("/")
    lora = Topic.objects.get(slug="lora")
    lora.title = "LoRA editado"
    lora.save()
    assert "LoRA editado" in client.get("/").content.decode()


def test_a_bulk_update_also_shows_at_once(client, course):
    client.get("/")
    Topic.objects.filter(slug="lora").update(is_published=False)
    assert "<strong>71</strong> temas" in client.get("/").content.decode()


def test_a_signed_in_repeat_visit_needs_no_query(ana_client, course, django_assert_num_queries):
    ana_client.get("/secciones/cuantizacion/")  # sets the CSRF cookie
    ana_client.get("/secciones/cuantizacion/")  # stored
    with django_assert_num_queries(0):  # the session comes from the cache, the user id from it
        ana_client.get("/secciones/cuantizacion/")


def test_a_status_change_refreshes_the_learners_cached_pages(ana_client, ana, course):
    for _ in range(2):
        ana_client.get("/")
    progress_set_status(user=ana, topic=Topic.objects.get(slug="awq"), status=Status.DONE)
    assert "1 de 72 temas completados" in ana_client.get("/").content.decode()


def test_learners_never_see_each_others_cached_pages(ana_client, ana, carla, course):
    progress_set_status(user=ana, topic=Topic.objects.get(slug="awq"), status=Status.DONE)
    for _ in range(2):
        ana_client.get("/")
    ana_client.logout()
    ana_client.force_login(carla)
    html = ana_client.get("/").content.decode()
    assert "0 de 72 temas completados" in html
    assert "Carla" in html and ">Ana<" not in html


def test_pages_with_messages_are_not_cached(ana_client, course):
    ana_client.get("/secciones/cuantizacion/")
    ana_client.post("/secciones/cuantizacion/awq/estado/", {"status": "completado"})
    html = ana_client.get("/secciones/cuantizacion/").content.decode()
    assert "«AWQ»: Completado." in html
    again = ana_client.get("/secciones/cuantizacion/").content.decode()
    assert "«AWQ»: Completado." not in again  # the message was shown once


def test_the_cache_can_be_turned_off(client, course, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    with django_assert_num_queries(5):
        client.get("/")


def test_a_password_change_elsewhere_stops_the_cached_pages(ana_client, ana, course):
    for _ in range(2):
        ana_client.get("/")
    ana.set_password("otra-clave-distinta-2026")
    ana.save()  # every other session of ana is now logged out
    html = ana_client.get("/").content.decode()
    assert "Crear cuenta" in html and "Salir" not in html


def test_junk_query_strings_share_one_copy(client, course, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        client.get("/?x=1")
        client.get("/?utm_source=boletin&x=2")


def test_resources_cache_keeps_its_kind_filter_apart(client, course):
    videos = client.get("/recursos/", {"tipo": "video"}).content.decode()
    notebooks = client.get("/recursos/", {"tipo": "cuaderno"}).content.decode()
    assert videos.count('class="resource"') == 36
    assert notebooks.count('class="resource"') == 15


def test_page_traffic_cannot_evict_rate_limit_counters(settings):
    from django.core.cache import caches

    default, pages = caches["default"], caches["pages"]
    default.set("allauth:rl:prueba", [1, 2, 3])
    for n in range(6000):  # more than the page cache holds
        pages.set(f"curso:page:{n}", b"x")
    assert default.get("allauth:rl:prueba") == [1, 2, 3]


def test_a_page_built_during_an_edit_is_not_kept_under_the_new_version(client, course, monkeypatch):
    from roadmap.views import pages

    original = pages.Part.objects.for_roadmap

    def render_while_an_edit_lands(manager):
        parts = original()
        list(parts)  # the page has read the old data...
        Topic.objects.filter(slug="lora").update(title="LoRA nuevo")  # ...when an edit lands
        return parts

    monkeypatch.setattr(type(pages.Part.objects), "for_roadmap", render_while_an_edit_lands)
    assert "LoRA nuevo" not in client.get("/").content.decode()  # built from the old data
    monkeypatch.undo()
    assert "LoRA nuevo" in client.get("/").content.decode()  # not served from that copy
