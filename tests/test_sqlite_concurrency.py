"""SQLite under several workers: writers wait their turn; "locked" is not "down"."""

import textwrap

import pytest
from django.db import OperationalError

from tests.test_settings import PRODUCTION_ENV, run_python

SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(sorted(s.DATABASES['default'].get('OPTIONS', {}).items()))"
)

# Eight threads, each running read-then-write transactions on one file (what saving a note
# does). With SQLite's default DEFERRED transactions two readers that both try to write
# deadlock and one fails at once with "database is locked", whatever the timeout.
WRITERS = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.db import connection, connections, transaction

    if sys.argv[1] == "deferred":
        connections.settings["default"]["OPTIONS"].pop("transaction_mode")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
        cursor.execute("DELETE FROM counter")
        cursor.execute("INSERT INTO counter VALUES (0)")
    connection.close()
    errors = []

    def writer():
        for _ in range(25):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
            except Exception as error:
                errors.append(str(error))
        connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        print(cursor.fetchone()[0], len(errors), errors[:1])
    """
)


def test_sqlite_is_configured_for_several_processes():
    result = run_python(SETTINGS, {"DATABASE_URL": "sqlite:////tmp/curso-helper.sqlite3"})
    assert result.returncode == 0, result.stderr
    assert "('transaction_mode', 'IMMEDIATE')" in result.stdout
    assert "('timeout', 20)" in result.stdout
    assert "journal_mode=WAL" in result.stdout


def test_postgresql_gets_a_connect_timeout_instead():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}
    result = run_python(SETTINGS, env)
    assert result.returncode == 0, result.stderr
    assert "('connect_timeout', 5)" in result.stdout
    assert "transaction_mode" not in result.stdout


def _run_writers(tmp_path, mode: str) -> list[str]:
    database = tmp_path / f"{mode}.sqlite3"
    code = WRITERS.replace("sys.argv[1]", repr(mode))
    result = run_python(code, {"DATABASE_URL": f"sqlite:///{database}"})
    assert result.returncode == 0, result.stderr
    return result.stdout.split(maxsplit=2)


def test_concurrent_writers_all_succeed(tmp_path):
    total, errors, _ = _run_writers(tmp_path, "immediate")
    assert (total, errors) == ("200", "0")


def test_without_immediate_transactions_writers_collide(tmp_path):
    """The failure the settings prevent (so the test above proves something)."""
    total, errors, first = _run_writers(tmp_path, "deferred")
    assert int(errors) > 0 and "database is locked" in first
    assert int(total) == 200 - int(errors)


@pytest.mark.django_db
def test_a_locked_database_says_busy_not_down(client, course, settings, monkeypatch):
    from roadmap.models import Part

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(type(Part.objects), "for_roadmap", locked)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert "El sitio está muy ocupado; probá de nuevo en unos segundos" in html
    assert "No podemos llegar a la base de datos" not in html


@pytest.mark.django_db
def test_a_database_that_is_down_still_says_so(client, course, settings, monkeypatch):
    from roadmap.models import Part

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(Part.objects), "for_roadmap", down)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "No podemos llegar a la base de datos" in html and "muy ocupado" not in html
