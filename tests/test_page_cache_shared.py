"""The page cache on Redis, as in production: terminal changes show at once, floods stay bounded.

The page bodies live in each process's memory, their versions in the shared cache: a command
run from a terminal bumps the version in Redis, where every server reads it on the next view.
"""

import json
import secrets
from pathlib import Path

import pytest
from allauth.core import ratelimit
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import RequestFactory

from roadmap.catalog.parser import SOURCE_PATH
from roadmap.models import Topic
from roadmap.page_cache import CONTENT_VERSION_KEY
from tests import shared_cache
from tests.shared_cache import PREFIX

pytestmark = pytest.mark.django_db
redis_cache = shared_cache.redis_cache
FIXTURE = Path(settings.BASE_DIR) / "roadmap" / "fixtures" / "curso.json"


def content_version(client) -> bytes | None:
    return client.get(f"{PREFIX}:1:{CONTENT_VERSION_KEY}")


def cached_home(client) -> str:
    client.get("/")
    return client.get("/").content.decode()  # the second visit comes from the page cache


def test_the_content_version_lives_in_redis(redis_cache, client, course):
    cached_home(client)
    before = content_version(redis_cache)
    assert before is not None
    lora = Topic.objects.get(slug="lora")
    lora.title = "LoRA editado"
    lora.save()
    assert content_version(redis_cache) not in (None, before)


def test_import_curso_from_a_terminal_shows_on_the_next_view(redis_cache, client, course, tmp_path):
    assert "LoRA importado" not in cached_home(client)
    source = tmp_path / "curso.md"
    text = SOURCE_PATH.read_text(encoding="utf-8").replace("[**LoRA**]", "[**LoRA importado**]")
    source.write_text(text, encoding="utf-8")
    call_command("import_curso", source=source, verbosity=0, stdout=None)
    assert "LoRA importado" in client.get("/").content.decode()


def test_loaddata_from_a_terminal_shows_on_the_next_view(redis_cache, client, course, tmp_path):
    assert "LoRA cargado" not in cached_home(client)
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    lora = next(r for r in rows if r["model"] == "roadmap.topic" and r["fields"]["slug"] == "lora")
    lora["fields"]["title"] = "LoRA cargado"
    fixture = tmp_path / "lora.json"
    fixture.write_text(json.dumps([lora]), encoding="utf-8")
    call_command("loaddata", str(fixture), verbosity=0)  # post_save with raw=True
    assert "LoRA cargado" in client.get("/").content.decode()


def test_flush_from_a_terminal_drops_every_cached_page(redis_cache, ana_client, course):
    html = cached_home(ana_client)
    assert "LoRA" in html and "Salir" in html
    call_command("flush", interactive=False, verbosity=0)  # SQL deletes, then post_migrate
    html = ana_client.get("/").content.decode()
    assert "LoRA" not in html  # no content left
    assert "Salir" not in html  # and ana's account is gone


def test_a_shell_save_shows_on_the_next_view(redis_cache, client, course):
    cached_home(client)
    call_command(
        "shell",
        command="from roadmap.models import Topic\n"
        "t = Topic.objects.get(slug='lora'); t.title = 'LoRA del shell'; t.save()",
    )
    assert "LoRA del shell" in client.get("/").content.decode()


def test_a_shell_bulk_update_shows_on_the_next_view(redis_cache, client, course):
    cached_home(client)
    call_command(
        "shell",
        command="from roadmap.models import Topic\n"
        "Topic.objects.filter(slug='lora').update(title='LoRA en bloque')",
    )
    assert "LoRA en bloque" in client.get("/").content.decode()


def test_a_shell_bulk_create_and_bulk_update_show_on_the_next_view(redis_cache, client, course):
    cached_home(client)
    lora = Topic.objects.get(slug="lora")
    lora.title = "LoRA por bulk_update"
    Topic.objects.bulk_update([lora], ["title"])
    assert "LoRA por bulk_update" in client.get("/").content.decode()
    Topic.objects.bulk_create(
        [Topic(section=lora.section, slug="nuevo-en-bloque", title="Tema en bloque", order=99)]
    )
    assert "Tema en bloque" in client.get("/").content.decode()


def test_a_shell_delete_shows_on_the_next_view(redis_cache, client, course):
    assert "<strong>94</strong> referencias" in cached_home(client)
    call_command(
        "shell",
        command="from roadmap.models import Reference\n"
        "Reference.objects.filter(pk=Reference.objects.order_by('pk')[0].pk).delete()",
    )
    assert "<strong>93</strong> referencias" in client.get("/").content.decode()


def test_page_floods_leave_sessions_and_rate_limit_counters_alone(redis_cache, ana_client, course):
    """150 made-up csrftoken cookies and thousands of pages: nothing new in Redis, no eviction."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9")
    assert ratelimit.consume(request, action="login_failed", key="ana@example.com")
    ana_client.get("/mi-progreso/")
    keys_before = set(redis_cache.keys("*"))
    assert any(b":allauth:rl:" in key for key in keys_before)  # a rate-limit counter
    assert any(b"django.contrib.sessions" in key for key in keys_before)  # ana's session

    for _ in range(150):  # one valid session, random csrftoken values
        ana_client.cookies["csrftoken"] = secrets.token_hex(16)
        assert ana_client.get("/").status_code == 200
    pages = caches["pages"]
    body = b"x" * 40_000
    for n in range(3_000):  # more than the page store holds
        pages.set(f"curso:page:flood-{n}", ([], body, None))

    assert len(pages._cache) <= settings.CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"]
    versions = {f"{PREFIX}:1:{CONTENT_VERSION_KEY}".encode()}
    versions.add(f"{PREFIX}:1:curso:user-version:{ana_client.session['_auth_user_id']}".encode())
    assert set(redis_cache.keys("*")) <= keys_before | versions  # no page went to Redis
    assert keys_before <= set(redis_cache.keys("*"))  # nothing was evicted
    assert "Ana" in ana_client.get("/mi-progreso/").content.decode()  # still signed in
