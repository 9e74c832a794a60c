"""The page cache serves repeat visits without the database, and never serves stale pages.

Tests run on the process-local development cache, where the page cache is off by default (a
terminal could not reach it); here it is turned on, as production has it with a shared cache.
The same behaviour on Redis, with terminal commands and floods: tests/test_page_cache_shared.py.
"""

import re
import secrets

import pytest
from django.core.cache import caches
from django.test import Client

from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


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
    default, pages = caches["default"], caches["pages"]
    default.set("allauth:rl:prueba", [1, 2, 3])
    for n in range(6000):  # more than the page cache holds
        pages.set(f"curso:page:{n}", b"x")
    assert default.get("allauth:rl:prueba") == [1, 2, 3]
    assert len(pages._cache) <= settings.CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"]


def test_made_up_csrf_cookies_add_no_pages(ana_client, course):
    ana_client.get("/")
    ana_client.get("/")
    stored = len(caches["pages"]._cache)
    for _ in range(150):
        ana_client.cookies["csrftoken"] = secrets.token_hex(16)
        assert ana_client.get("/").status_code == 200
    assert len(caches["pages"]._cache) == stored


def test_a_cached_signed_in_page_carries_a_valid_csrf_token(ana, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    client.get("/secciones/cuantizacion/")
    page = client.get("/secciones/cuantizacion/").content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/secciones/cuantizacion/awq/estado/",
        {"status": "completado", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_a_copy_built_for_another_csrf_secret_is_not_served(ana, course):
    """Same session, new csrftoken cookie: the page is built again with a token that works."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    client.get("/secciones/cuantizacion/")
    client.get("/secciones/cuantizacion/")
    client.cookies["csrftoken"] = "a" * 32
    page = client.get("/secciones/cuantizacion/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/secciones/cuantizacion/awq/estado/",
        {"status": "completado", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_page_cache_is_off_by_default_with_a_per_process_cache():
    from tests.test_settings import PRODUCTION_ENV, run_python

    code = "import django; django.setup(); from django.conf import settings as s;"
    code += "print(s.PAGE_CACHE_SECONDS)"
    assert run_python(code, {}).stdout.split() == ["0"]
    shared = run_python(code, {**PRODUCTION_ENV, "CACHE_URL": "db://curso_cache"})
    assert shared.stdout.split() == ["600"]
    refused = run_python(code, {"PAGE_CACHE_SECONDS": "600"})
    assert refused.returncode != 0 and "caché compartida" in refused.stderr
