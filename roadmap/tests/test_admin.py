"""Content administration: every admin page loads, editors' rights, safe deletion, renames."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from conftest import PASSWORD
from roadmap.learning.services import progress_set_status
from roadmap.models import (
    Cohort,
    CohortMembership,
    DigestDelivery,
    Note,
    Section,
    Status,
    Topic,
    TopicProgress,
)
from tests.course_factory import FIRST_SECTION, LAST_SECTION, SECTION, TOPIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edi@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editores de contenido"))
    return user


@pytest.fixture
def some_of_everything(course, ana):
    cohort = Cohort.objects.create(name="C", slug="c", start_date="2026-01-01")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    DigestDelivery.objects.create(cohort=cohort, instructor=ana, iso_year=2026, iso_week=2)
    Group.objects.get_or_create(name="Otro grupo")
    EmailAddress.objects.create(user=ana, email=ana.email, verified=True, primary=True)


def topic_form(topic, **changes):
    data = {
        "section": topic.section_id,
        "title": topic.title,
        "slug": topic.slug,
        "emoji": topic.emoji,
        "url": topic.url,
        "description": topic.description,
        "order": topic.order,
        "is_published": "on" if topic.is_published else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_every_admin_page_loads_for_a_superuser(client, superuser, some_of_everything):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        obj = model.objects.first()
        assert obj is not None, f"sin objetos para probar {info}"
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code == 200, info


def test_admin_is_in_spanish(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Contenido del curso" in html
    assert "Temas" in html and "Cohortes" in html


def test_topic_change_page_has_a_rendered_preview_and_a_site_link(client, superuser, course):
    client.force_login(superuser)
    doppler = Topic.objects.get(slug=TOPIC.slug)
    html = client.get(reverse("admin:roadmap_topic_change", args=[doppler.pk])).content.decode()
    assert "vista previa" in html.lower()
    assert "Ver en el sitio" in html


def test_a_topic_page_counts_its_learners_and_the_list_counts_nothing(
    client, superuser, ana, carla, course
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    topic = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=topic, status="completado")
    progress_set_status(user=carla, topic=topic, status="en_progreso")
    client.force_login(superuser)
    html = client.get(reverse("admin:roadmap_topic_change", args=[topic.pk])).content.decode()
    assert "Aprendices con estado" in html
    assert '<div class="readonly">2</div>' in html
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:roadmap_topic_changelist")).status_code == 200
    # The list never reads the learners' statuses: that would count every status on the site.
    assert not [q for q in queries if "roadmap_topicprogress" in q["sql"]]


def test_an_editor_can_edit_a_topic(client, editor, course):
    client.force_login(editor)
    doppler = Topic.objects.get(slug=TOPIC.slug)
    url = reverse("admin:roadmap_topic_change", args=[doppler.pk])
    response = client.post(url, topic_form(doppler, title="Doppler (sirenas y estrellas)"))
    assert response.status_code == 302, response.content.decode()[:3000]
    doppler.refresh_from_db()
    assert doppler.title == "Doppler (sirenas y estrellas)"
    assert (
        "Doppler (sirenas y estrellas)" in client.get(doppler.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/roadmap/cohort/",
        "/admin/roadmap/cohort/add/",
        "/admin/auth/group/",
    ],
)
def test_an_editor_gets_403_on_users_cohorts_and_groups(client, editor, course, url):
    client.force_login(editor)
    assert client.get(url).status_code == 403


def test_progress_and_notes_are_not_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/roadmap/note/").status_code == 404
    assert client.get("/admin/roadmap/topicprogress/").status_code == 404


def test_deleting_a_topic_with_learner_data_is_refused(client, superuser, ana, course):
    doppler = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=doppler, status=Status.DONE)
    Note.objects.create(user=ana, topic=doppler, body="secreto")
    client.force_login(superuser)
    url = reverse("admin:roadmap_topic_delete", args=[doppler.pk])
    page = client.get(url).content.decode()
    assert "Hay datos de aprendices: 1 persona(s)" in page
    assert "1 nota(s)" in page
    assert "secreto" not in page
    client.post(url, {"post": "yes"})
    assert Topic.objects.filter(pk=doppler.pk).exists()
    assert TopicProgress.objects.filter(topic=doppler).count() == 1


def test_a_topic_without_learner_data_can_be_deleted(client, superuser, course):
    topic = Topic.objects.get(slug=LAST_SECTION.topics[-1].slug)
    client.force_login(superuser)
    response = client.post(reverse("admin:roadmap_topic_delete", args=[topic.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_renaming_a_topic_keeps_progress_and_redirects_the_old_url(client, superuser, ana, course):
    doppler = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=doppler, status=Status.DONE)
    client.force_login(superuser)
    client.post(
        reverse("admin:roadmap_topic_change", args=[doppler.pk]),
        topic_form(doppler, title="Efecto Doppler-Fizeau", slug="efecto-doppler-fizeau"),
    )
    doppler.refresh_from_db()
    assert doppler.slug == "efecto-doppler-fizeau"
    assert TopicProgress.objects.get(topic=doppler).status == Status.DONE
    response = client.get(SECTION.topic_url(TOPIC))
    assert response.status_code == 301
    assert response["Location"] == SECTION.url() + "efecto-doppler-fizeau/"


def test_renaming_a_section_redirects_its_old_urls(client, ana, course):
    section = Section.objects.get(slug=SECTION.slug)
    section.slug = "espectros"
    section.title = "Espectros"
    section.save()
    response = client.get(SECTION.url())
    assert (response.status_code, response["Location"]) == (301, "/secciones/espectros/")
    response = client.get(SECTION.topic_url(TOPIC))
    new_address = f"/secciones/espectros/{TOPIC.slug}/"
    assert (response.status_code, response["Location"]) == (301, new_address)
    assert client.get(new_address).status_code == 200
    assert client.get("/secciones/nunca-existio/").status_code == 404


def test_moving_a_topic_to_another_section_redirects(client, course):
    doppler = Topic.objects.get(slug=TOPIC.slug)
    doppler.section = Section.objects.get(slug=FIRST_SECTION.slug)
    doppler.save()
    response = client.get(SECTION.topic_url(TOPIC))
    assert response["Location"] == FIRST_SECTION.topic_url(TOPIC)


def test_user_admin_shows_a_progress_summary_but_no_notes(client, superuser, ana, course):
    doppler = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=doppler, status=Status.DONE)
    Note.objects.create(user=ana, topic=doppler, body="texto privadísimo")
    client.force_login(superuser)
    html = client.get(reverse("admin:accounts_user_change", args=[ana.pk])).content.decode()
    assert f"1 de {course.topic_count} temas completados" in html
    assert "privadísimo" not in html


def test_user_admin_filters_by_cohort_and_activity(client, superuser, ana, carla, course):
    cohort = Cohort.objects.create(name="C", slug="c", start_date="2026-01-01")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    progress_set_status(user=carla, topic=Topic.objects.get(slug=TOPIC.slug), status=Status.DONE)
    client.force_login(superuser)
    html = client.get("/admin/accounts/user/", {"cohorte": cohort.pk}).content.decode()
    assert "ana@example.com" in html and "carla@example.com" not in html
    html = client.get("/admin/accounts/user/", {"actividad": "7d"}).content.decode()
    assert "carla@example.com" in html and "ana@example.com" not in html
    html = client.get("/admin/accounts/user/", {"q": "Carla"}).content.decode()
    assert "carla@example.com" in html and "ana@example.com" not in html


def test_a_topic_renamed_after_its_section_keeps_its_oldest_address(client, course):
    section = Section.objects.get(slug=SECTION.slug)
    section.slug = "espectros"
    section.save()
    doppler = Topic.objects.get(slug=TOPIC.slug)
    doppler.slug = "efecto-doppler-fizeau"
    doppler.save()
    response = client.get(SECTION.topic_url(TOPIC))
    new_address = "/secciones/espectros/efecto-doppler-fizeau/"
    assert (response.status_code, response["Location"]) == (301, new_address)


@pytest.mark.parametrize("junk", ["id", "\x00", "99999999999999999999999", "-1"])
def test_junk_in_an_autocomplete_field_is_a_form_error_not_a_500(client, superuser, course, junk):
    client.force_login(superuser)
    doppler = Topic.objects.get(slug=TOPIC.slug)
    url = reverse("admin:roadmap_topic_change", args=[doppler.pk])
    response = client.post(url, topic_form(doppler, section=junk))
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors


def test_digest_deliveries_are_read_only_in_the_admin(client, superuser, some_of_everything):
    """Staff see what went out; nobody adds, edits or deletes a week's record by hand."""
    client.force_login(superuser)
    delivery = DigestDelivery.objects.get()
    listing = client.get(reverse("admin:roadmap_digestdelivery_changelist")).content.decode()
    assert "2026-W02" in listing and "Ana" in listing
    assert client.get(reverse("admin:roadmap_digestdelivery_add")).status_code == 403
    change = client.get(reverse("admin:roadmap_digestdelivery_change", args=[delivery.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    delete = reverse("admin:roadmap_digestdelivery_delete", args=[delivery.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DigestDelivery.objects.exists()
