"""With Redis as the shared cache and PostgreSQL, the content version is mirrored in Redis: pages
need no database query for it, and a committed content change still shows on the next view.
With SQLite the database file answers (cheaper than a round trip to Redis)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.catalog.versions import MIRROR_KEY, content_changed, current_content_version
from roadmap.models import Topic
from tests import shared_cache
from tests.course_factory import SECTION, TOPIC
from tests.shared_cache import PREFIX

pytestmark = pytest.mark.django_db
redis_cache = shared_cache.redis_cache
dead_redis = shared_cache.dead_redis
on_a_database_server = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="con SQLite la versión se lee de la base"
)


def mirrored(raw_client) -> bytes | None:
    return raw_client.get(f"{PREFIX}:1:{MIRROR_KEY}")


@on_a_database_server
def test_a_warm_anonymous_page_asks_the_database_nothing(redis_cache, client, course):
    client.get(SECTION.url())
    assert mirrored(redis_cache) is not None
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SECTION.url()).status_code == 200
    assert len(queries) == 0


@on_a_database_server
def test_a_committed_change_shows_on_the_next_view(
    redis_cache, client, course, django_capture_on_commit_callbacks
):
    client.get(SECTION.url())
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.filter(slug=TOPIC.slug).update(title="Título desde el admin")
    assert "Título desde el admin" in client.get(SECTION.url()).content.decode()


@on_a_database_server
def test_the_mirror_never_runs_ahead_of_the_database(
    redis_cache, course, django_capture_on_commit_callbacks
):
    """Until the writer commits, readers keep the old token: a page built meanwhile (from the
    old content) is never stored under the new one."""
    before = current_content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        content_changed()
    assert current_content_version() == before  # not committed: the mirror still has it
    for callback in callbacks:
        callback()  # the commit
    assert current_content_version() not in (None, before)


@on_a_database_server
def test_a_reader_never_puts_an_old_token_over_a_new_one(
    redis_cache, course, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
    new = current_content_version()
    caches["default"].add(MIRROR_KEY, "viejo", 60)  # a slow reader that read before the commit
    assert current_content_version() == new


def test_without_redis_the_database_answers(dead_redis, client, course):
    assert client.get(SECTION.url()).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(SECTION.url())
    assert any("contentversion" in q["sql"] for q in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="solo con SQLite")
def test_with_sqlite_the_database_file_answers_even_with_redis(redis_cache, client, course):
    client.get(SECTION.url())
    with CaptureQueriesContext(connection) as queries:
        client.get(SECTION.url())
    assert any("contentversion" in q["sql"] for q in queries.captured_queries)
    assert mirrored(redis_cache) is None
