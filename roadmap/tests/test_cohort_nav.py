"""Instructors find their cohorts: a «Cohortes» item in the header for whoever may open
/cohortes/, and signing in lands there; learners keep everything as it was. The item costs no
query once the session knows the answer."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls.resolvers import URLResolver

from conftest import PASSWORD
from roadmap.models import Cohort, CohortMembership
from roadmap.tests.test_assembled_pages import pages, warm_queries
from tests.course_factory import SECTION

pytestmark = pytest.mark.django_db

ITEM = '<a href="/cohortes/">Cohortes</a>'
CURRENT_ITEM = '<a href="/cohortes/" aria-current="page">Cohortes</a>'


def _header(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


# Who sees the item, on pages assembled from a skeleton and on pages rendered per request.
def _urls() -> list[str]:
    return [*pages(), "/mis-notas/", "/recursos/"]


def test_the_instructor_sees_cohortes_on_every_page(client, cohort, bruno):
    client.force_login(bruno)
    for url in _urls():
        assert ITEM in _header(client, url), url
    assert CURRENT_ITEM in _header(client, "/cohortes/")
    assert ITEM in _header(client, cohort.get_absolute_url())  # inside: a link, not "current"


def test_a_superuser_sees_cohortes(client, course, superuser):
    client.force_login(superuser)
    for url in _urls():
        assert ITEM in _header(client, url), url


@pytest.mark.parametrize("who", ["ana", "carla"])
def test_learners_and_outsiders_do_not_see_cohortes(client, cohort, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in _urls():
        assert "/cohortes/" not in _header(client, url), url


def test_anonymous_visitors_do_not_see_cohortes(client, cohort):
    for url in [*pages()[:3], "/recursos/", "/accounts/login/"]:
        assert "/cohortes/" not in _header(client, url), url


def test_each_visitor_of_a_shared_skeleton_gets_their_own_item(client, cohort, ana, bruno):
    url = SECTION.url()
    client.force_login(bruno)
    assert ITEM in _header(client, url)
    client.force_login(ana)
    assert "/cohortes/" not in _header(client, url)
    client.force_login(bruno)
    assert ITEM in _header(client, url)


# Queries: the answer is kept in the session.
@pytest.mark.parametrize("who", ["carla", "bruno"])  # neither learns in a cohort: same pins
def test_the_item_costs_no_query_once_the_session_knows(
    client, cohort, who, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    for url in pages():
        client.get(url)
    for url in pages():  # home, a section, a topic, Mi progreso: the pins of every learner
        with django_assert_num_queries(warm_queries(url)):
            client.get(url)
    with django_assert_num_queries(2):  # the same as before the item (test_notes.py)
        client.get("/mis-notas/")


def test_an_instructors_warm_page_reverses_no_url(client, cohort, bruno):
    """The item is rendered once per process: it adds no `reverse()` to a page view.
    (Mi progreso renders its «Ver las cohortes que dictás» link per request, as before.)"""
    client.force_login(bruno)
    for url in pages()[:3]:
        client.get(url)
        with mock.patch.object(
            URLResolver, "_reverse_with_prefix", side_effect=AssertionError("reverse()")
        ):
            assert ITEM in client.get(url).content.decode()


def test_a_session_that_does_not_know_asks_once(client, cohort, bruno):
    """A session from before the item (or a login that skipped the adapter): one EXISTS on its
    first page, then kept."""
    client.force_login(bruno)
    client.get("/")  # builds the skeleton
    session = client.session
    session.pop("cohorts_nav")
    session.save()
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    assert sum('"roadmap_cohort"' in q["sql"] for q in first.captured_queries) == 1
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert not any('"roadmap_cohort"' in q["sql"] for q in second.captured_queries)


def test_opening_cohortes_refreshes_the_item(client, cohort, ana, bruno):
    client.force_login(ana)
    assert "/cohortes/" not in _header(client, "/")
    CohortMembership.objects.create(
        cohort=Cohort.objects.create(name="Otra", slug="otra", start_date=cohort.start_date),
        user=ana,
        role="instructor",
    )
    assert client.get("/cohortes/").status_code == 200  # made an instructor while signed in
    assert ITEM in _header(client, "/")
    client.force_login(bruno)
    assert ITEM in _header(client, "/")
    CohortMembership.objects.filter(user=bruno).delete()
    assert client.get("/cohortes/").status_code == 404
    assert "/cohortes/" not in _header(client, "/")


# Where signing in lands.
def _log_in(client, email: str, **extra) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response["Location"]


def test_an_instructor_lands_on_their_cohorts(client, cohort, bruno):
    assert _log_in(client, bruno.email) == "/cohortes/"
    assert ITEM in _header(client, "/")


def test_a_superuser_lands_on_the_cohorts(client, course, superuser):
    assert _log_in(client, superuser.email) == "/cohortes/"


@pytest.mark.parametrize("who", ["ana", "carla"])
def test_learners_keep_landing_on_my_progress(client, cohort, who, request):
    assert _log_in(client, request.getfixturevalue(who).email) == "/mi-progreso/"


@pytest.mark.parametrize("who", ["ana", "bruno"])
def test_next_wins_over_the_landing(client, cohort, who, request):
    user = request.getfixturevalue(who)
    assert _log_in(client, user.email, next=SECTION.url()) == SECTION.url()


def test_the_first_page_after_signing_in_asks_nothing_more(client, cohort, bruno):
    _log_in(client, bruno.email)  # the landing asked the database once
    with CaptureQueriesContext(connection) as first:
        assert ITEM in _header(client, "/")
    assert not any('"roadmap_cohort"' in q["sql"] for q in first.captured_queries)
