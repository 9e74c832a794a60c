"""Fixtures shared by every test package: the course and the fixed cast.

The database holds the small synthetic course of tests/course_factory.py (`course`); the tests
about the real content ask for `real_course`, which swaps it for roadmap/fixtures/curso.json.

ana is a learner; bruno teaches (tests put him in ana's cohort as instructor); carla is another
learner (an outsider to ana's data); superuser is the admin.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from accounts.models import User
from roadmap.models import Part
from roadmap.pages.assemble import STORE
from tests.course_factory import COURSE, build_course, delete_course

PASSWORD = "una-clave-de-prueba-2026"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the synthetic course once in the test database; each test rolls back on top."""
    with django_db_blocker.unblock():
        build_course()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests only need a hasher, not a slow one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_on_the_spot(settings):
    """Queued tasks (every email) run as they are queued, so `mail.outbox` fills in the request.
    tests/test_mail_queue.py puts the real database queue back to test it and its worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit counters must not leak between tests)
    and no page skeletons (a test's rolled-back content version is the next test's too)."""
    caches["default"].clear()
    STORE.clear()
    yield
    caches["default"].clear()
    STORE.clear()


@pytest.fixture
def course(db):
    """The synthetic course (tests/course_factory.py): its facts, as `COURSE`.

    It is already there unless a transactional test flushed the database."""
    if not Part.objects.exists():
        build_course()
    return COURSE


@pytest.fixture
def real_course(db):
    """The real course, loaded from the committed fixture (as `make run` does) in place of the
    synthetic one: for the tests about the real content."""
    delete_course()
    call_command("loaddata", "curso", verbosity=0)
    return Part.objects.all()


@pytest.fixture
def ana(db):
    return User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")


@pytest.fixture
def carla(db):
    return User.objects.create_user("carla@example.com", PASSWORD, display_name="Carla")


@pytest.fixture
def bruno(db):
    return User.objects.create_user("bruno@example.com", PASSWORD, display_name="Bruno")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin@example.com", PASSWORD)


@pytest.fixture
def ana_client(client, ana):
    client.force_login(ana)
    return client


@pytest.fixture
def carla_client(client, carla):
    client.force_login(carla)
    return client
