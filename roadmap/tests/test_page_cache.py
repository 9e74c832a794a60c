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
