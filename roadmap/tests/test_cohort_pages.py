"""The cohort dashboard, 50 learners a page: sort and filters cover the whole cohort, the pager
keeps them, bad page numbers never give a 500, and every page costs the same queries."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from accounts.models import User
from roadmap.models import Cohort, CohortMembership
from roadmap.tests.test_cohorts import _add_learners, mark
from tests.course_factory import OTHER_TOPIC, TOPIC

pytestmark = pytest.mark.django_db


def _named_learners(cohort, count, start=0):
    users = User.objects.bulk_create(
        User(email=f"p{n:03d}@example.com", display_name=f"Persona {n:03d}")
        for n in range(start, start + count)
    )
    CohortMembership.objects.bulk_create(CohortMembership(cohort=cohort, user=u) for u in users)
    return users


LEARNER_LINK = re.compile(r'<th scope="row"><a href="/cohortes/[^"]+/aprendices/\d+/">([^<]+)</a>')


def _learner_names(html):
    return LEARNER_LINK.findall(html)


def test_the_dashboard_shows_fifty_learners_a_page_with_a_spanish_pager(client, cohort, bruno):
    _named_learners(cohort, 119)  # 120 with ana: 3 pages
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/").content.decode()
    assert len(_learner_names(html)) == 50
    assert '<nav class="pager" aria-label="Páginas">' in html
    assert "Página 1 de 3" in html
    assert "<strong>120</strong> aprendices" in html  # the summary counts everyone
    assert '<th scope="row">Promedio de la cohorte</th>' in html
    assert "filas 1 a 50 de 120" in html
    last = client.get(f"/cohortes/{cohort.slug}/?pagina=3").content.decode()
    assert len(_learner_names(last)) == 20
    assert "Página 3 de 3" in last
    assert "Persona 118" in last and "Persona 118" not in html


def test_pager_links_keep_the_sort_and_the_filter(client, cohort, bruno):
    _named_learners(cohort, 60)
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/?orden=progreso&filtro=inactivos").content.decode()
    assert 'href="?orden=progreso&amp;filtro=inactivos&amp;pagina=2" rel="next"' in html


def test_sorting_by_total_orders_the_whole_cohort_before_paging(client, cohort, bruno):
    *_, newest = _named_learners(cohort, 80)
    CohortMembership.objects.filter(user=newest).update(
        joined_at=timezone.now() + datetime.timedelta(days=1)
    )
    mark(newest, [TOPIC.slug, OTHER_TOPIC.slug])
    client.force_login(bruno)
    first = _learner_names(client.get(f"/cohortes/{cohort.slug}/?orden=progreso").content.decode())
    assert first[0] == newest.display_name
    by_name = client.get(f"/cohortes/{cohort.slug}/?orden=nombre&pagina=2").content.decode()
    assert _learner_names(by_name)[-1] == newest.display_name  # Persona 079, the last name


def test_a_filter_applies_to_the_whole_cohort_and_then_pages(client, cohort, bruno):
    users = _named_learners(cohort, 70)
    for user in users[:60]:
        mark(user, [TOPIC.slug])  # active: ana and the other 10 stay inactive
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/?filtro=inactivos").content.decode()
    names = _learner_names(html)
    assert sorted(names) == sorted(["Ana", *(u.display_name for u in users[60:])])
    assert 'aria-label="Páginas"' not in html  # 11 rows: one page
    html = client.get(f"/cohortes/{cohort.slug}/?filtro=inactivos&pagina=2")
    assert html.status_code == 404


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "☃", "9" * 5000])
def test_a_garbage_page_number_shows_the_first_page_with_a_message(client, cohort, bruno, value):
    _named_learners(cohort, 60)
    client.force_login(bruno)
    response = client.get(f"/cohortes/{cohort.slug}/", {"pagina": value, "orden": "progreso"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Página no válida: se muestra la primera." in html
    assert "Página 1 de 2" in html
    assert 'aria-current="true">progreso<' in html  # the valid sort still applies


def test_a_page_past_the_end_is_404(client, cohort, bruno):
    client.force_login(bruno)
    assert client.get(f"/cohortes/{cohort.slug}/?pagina=2").status_code == 404
    assert client.get(f"/cohortes/{cohort.slug}/?pagina={10**30}").status_code == 404
    assert client.get(f"/cohortes/{cohort.slug}/?pagina=1").status_code == 200


def test_page_one_and_the_last_page_cost_the_same_queries(
    client, cohort, bruno, django_assert_num_queries
):
    _add_learners(cohort, 149)  # 150 with ana: 3 pages
    client.force_login(bruno)
    url = f"/cohortes/{cohort.slug}/"
    client.get(url)
    with django_assert_num_queries(9) as first:
        assert len(_learner_names(client.get(url).content.decode())) == 50
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url + "?pagina=3&orden=actividad&filtro=inactivos")


def test_the_csv_has_the_whole_cohort_not_one_page(client, cohort, bruno):
    _named_learners(cohort, 79)
    client.force_login(bruno)
    text = client.get(f"/cohortes/{cohort.slug}/exportar.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + 80
    assert [row[0] for row in rows[1:3]] == ["Ana", "Persona 000"]


# The list of cohorts: a page of cohorts at a time, whatever the site's size.
def _cohorts(count, learners_each=2, first=0):
    start = timezone.localdate() - datetime.timedelta(days=400)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            name=f"Grupo {n:03d}",
            slug=f"grupo-{n:03d}",
            join_code=f"codigo-{n:03d}",
            start_date=start + datetime.timedelta(days=n),
        )
        for n in range(first, first + count)
    )
    for cohort in cohorts:
        _named_learners(cohort, learners_each, start=10_000 + 10 * int(cohort.slug[-3:]))
    return cohorts


COHORT_LINK = re.compile(r'<th scope="row"><a href="/cohortes/([^"/]+)/">')


def test_a_superuser_sees_every_cohort_a_page_at_a_time(client, superuser, course):
    _cohorts(30)
    client.force_login(superuser)
    first = client.get("/cohortes/").content.decode()
    # Newest first: the 25 most recent cohorts, then the other 5 on page 2.
    assert COHORT_LINK.findall(first) == [f"grupo-{n:03d}" for n in range(29, 4, -1)]
    assert '<nav class="pager" aria-label="Páginas de cohortes">' in first
    assert "Página 1 de 2" in first and "cohortes 1 a 25 de 30" in first
    second = client.get("/cohortes/?pagina=2").content.decode()
    assert COHORT_LINK.findall(second) == [f"grupo-{n:03d}" for n in range(4, -1, -1)]
    assert "<td>2</td>" in second  # each cohort's size is still its own


@pytest.mark.parametrize("value", ["cero", "0", "-1"])
def test_a_garbage_cohort_page_shows_the_first_page_with_a_message(client, superuser, value):
    _cohorts(3)
    client.force_login(superuser)
    response = client.get(f"/cohortes/?pagina={value}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Página no válida: se muestra la primera." in html
    assert len(COHORT_LINK.findall(html)) == 3


def test_a_cohort_page_past_the_end_is_404(client, superuser):
    _cohorts(3)
    client.force_login(superuser)
    assert client.get("/cohortes/?pagina=2").status_code == 404


def test_the_cohort_list_costs_the_same_queries_with_more_cohorts_and_learners(
    client, superuser, course, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohorts = _cohorts(2)
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/cohortes/").status_code == 200
    _cohorts(40, learners_each=3, first=100)
    _named_learners(cohorts[0], 30, start=5000)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/cohortes/").status_code == 200
    # No list of learner ids is sent to the database: the page's learners come from a join.
    with CaptureQueriesContext(connection) as big:
        client.get("/cohortes/")
    assert max(sql.count("%s") + sql.count("?") for sql in [q["sql"] for q in big]) < 50
