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
    Note,
    Section,
    Status,
    Topic,
    TopicProgress,
)

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
    lora = Topic.objects.get(slug="lora")
    html = client.get(reverse("admin:roadmap_topic_change", args=[lora.pk])).content.decode()
    assert "vista previa" in html.lower()
    assert "Ver en el sitio" in html


def test_an_editor_can_edit_a_topic(client, editor, course):
    client.force_login(editor)
    lora = Topic.objects.get(slug="lora")
    url = reverse("admin:roadmap_topic_change", args=[lora.pk])
    response = client.post(url, topic_form(lora, title="LoRA (rango bajo)"))
    assert response.status_code == 302, response.content.decode()[:3000]
    lora.refresh_from_db()
    assert lora.title == "LoRA (rango bajo)"
    assert "LoRA (rango bajo)" in client.get(lora.get_absolute_url()).content.decode()


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
    lora = Topic.objects.get(slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    Note.objects.create(user=ana, topic=lora, body="secreto")
    client.force_login(superuser)
    url = reverse("admin:roadmap_topic_delete", args=[lora.pk])
    page = client.get(url).content.decode()
    assert "Hay datos de aprendices: 1 persona(s)" in page
    assert "1 nota(s)" in page
    assert "secreto" not in page
    client.post(url, {"post": "yes"})
    assert Topic.objects.filter(pk=lora.pk).exists()
    assert TopicProgress.objects.filter(topic=lora).count() == 1


def test_a_topic_without_learner_data_can_be_deleted(client, superuser, course):
    topic = Topic.objects.get(slug="awq")
    client.force_login(superuser)
    response = client.post(reverse("admin:roadmap_topic_delete", args=[topic.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_renaming_a_topic_keeps_progress_and_redirects_the_old_url(client, superuser, ana, course):
    lora = Topic.objects.get(slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    client.force_login(superuser)
    client.post(
        reverse("admin:roadmap_topic_change", args=[lora.pk]),
        topic_form(lora, title="Adaptadores LoRA", slug="adaptadores-lora"),
    )
    lora.refresh_from_db()
    assert lora.slug == "adaptadores-lora"
    assert TopicProgress.objects.get(topic=lora).status == Status.DONE
    response = client.get("/secciones/ajuste-fino-supervisado/lora/")
    assert response.status_code == 301
    assert response["Location"] == "/secciones/ajuste-fino-supervisado/adaptadores-lora/"


def test_renaming_a_section_redirects_its_old_urls(client, ana, course):
    section = Section.objects.get(slug="ajuste-fino-supervisado")
    section.slug = "sft"
    section.title = "SFT"
    section.save()
    response = client.get("/secciones/ajuste-fino-supervisado/")
    assert (response.status_code, response["Location"]) == (301, "/secciones/sft/")
    response = client.get("/secciones/ajuste-fino-supervisado/lora/")
    assert (response.status_code, response["Location"]) == (301, "/secciones/sft/lora/")
    assert client.get("/secciones/sft/lora/").status_code == 200
    assert client.get("/secciones/nunca-existio/").status_code == 404


def test_moving_a_topic_to_another_section_redirects(client, course):
    lora = Topic.objects.get(slug="lora")
    lora.section = Section.objects.get(slug="cuantizacion")
    lora.save()
    response = client.get("/secciones/ajuste-fino-supervisado/lora/")
    assert response["Location"] == "/secciones/cuantizacion/lora/"


def test_user_admin_shows_a_progress_summary_but_no_notes(client, superuser, ana, course):
    lora = Topic.objects.get(slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    Note.objects.create(user=ana, topic=lora, body="texto privadísimo")
    client.force_login(superuser)
    html = client.get(reverse("admin:accounts_user_change", args=[ana.pk])).content.decode()
    assert "1 de 72 temas completados" in html
    assert "privadísimo" not in html


def test_user_admin_filters_by_cohort_and_activity(client, superuser, ana, carla, course):
    cohort = Cohort.objects.create(name="C", slug="c", start_date="2026-01-01")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    progress_set_status(user=carla, topic=Topic.objects.get(slug="lora"), status=Status.DONE)
    client.force_login(superuser)
    html = client.get("/admin/accounts/user/", {"cohorts__id__exact": cohort.pk}).content.decode()
    assert "ana@example.com" in html and "carla@example.com" not in html
    html = client.get("/admin/accounts/user/", {"actividad": "7d"}).content.decode()
    assert "carla@example.com" in html and "ana@example.com" not in html
    html = client.get("/admin/accounts/user/", {"q": "Carla"}).content.decode()
    assert "carla@example.com" in html and "ana@example.com" not in html


def test_a_topic_renamed_after_its_section_keeps_its_oldest_address(client, course):
    section = Section.objects.get(slug="ajuste-fino-supervisado")
    section.slug = "sft"
    section.save()
    lora = Topic.objects.get(slug="lora")
    lora.slug = "adaptadores-lora"
    lora.save()
    response = client.get("/secciones/ajuste-fino-supervisado/lora/")
    assert (response.status_code, response["Location"]) == (301, "/secciones/sft/adaptadores-lora/")


@pytest.mark.parametrize("junk", ["id", "\x00", "99999999999999999999999", "-1"])
def test_junk_in_an_autocomplete_field_is_a_form_error_not_a_500(client, superuser, course, junk):
    client.force_login(superuser)
    lora = Topic.objects.get(slug="lora")
    url = reverse("admin:roadmap_topic_change", args=[lora.pk])
    response = client.post(url, topic_form(lora, section=junk))
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors
