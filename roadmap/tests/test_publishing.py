"""Unpublishing hides content everywhere but keeps learners' data; re-import respects editors."""

import datetime

import pytest
from django.utils import timezone

from roadmap.catalog.importer import import_course
from roadmap.catalog.parser import SOURCE_PATH, parse_course
from roadmap.cohorts.selectors import cohort_matrix
from roadmap.learning.selectors import course_tallies
from roadmap.learning.services import progress_set_status
from roadmap.models import Cohort, CohortMembership, Note, Status, Topic, TopicProgress

pytestmark = pytest.mark.django_db

SECTION = "/secciones/ajuste-fino-supervisado/"


@pytest.fixture
def ana_done_lora(ana, course):
    lora = Topic.objects.get(slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    Note.objects.create(user=ana, topic=lora, body="mi nota")
    return lora


def test_unpublishing_hides_a_topic_everywhere_and_republishing_restores_it(
    ana_client, ana, ana_done_lora
):
    lora = ana_done_lora
    cohort = Cohort.objects.create(name="C", slug="c", start_date=timezone.localdate())
    CohortMembership.objects.create(cohort=cohort, user=ana)

    lora.is_published = False
    lora.save()
    assert ana_client.get(lora.get_absolute_url()).status_code == 404
    assert ">LoRA<" not in ana_client.get(SECTION).content.decode()
    assert "/lora/" not in ana_client.get("/buscar/", {"q": "lora"}).content.decode()
    assert "<strong>71</strong> temas" in ana_client.get("/").content.decode()
    assert course_tallies(ana).overall.label == "0 de 71 temas completados"
    assert cohort_matrix(cohort).rows[0].overall.done == 0
    assert "mi nota" not in ana_client.get("/mis-notas/").content.decode()
    # ...but nothing the learner owns is lost.
    assert TopicProgress.objects.get(user=ana, topic=lora).status == Status.DONE
    assert Note.objects.filter(user=ana, topic=lora).exists()

    lora.is_published = True
    lora.save()
    assert course_tallies(ana).overall.label == "1 de 72 temas completados"
    assert cohort_matrix(cohort).rows[0].overall.done == 1
    assert "mi nota" in ana_client.get("/mis-notas/").content.decode()


def test_unpublishing_a_section_hides_its_topics_from_counts(ana, ana_done_lora):
    section = ana_done_lora.section
    section.is_published = False
    section.save()
    tallies = course_tallies(ana)
    assert tallies.overall.total == 72 - 5
    assert tallies.overall.done == 0


def test_reimport_keeps_admin_edits_and_applies_markdown_edits(ana, ana_done_lora):
    source = SOURCE_PATH.read_text(encoding="utf-8")
    lora = ana_done_lora
    lora.title = "LoRA (editado en el admin)"
    lora.save()
    qlora = Topic.objects.get(slug="qlora")
    qlora.is_published = False
    qlora.save()

    edited = source.replace("**Cálculo**", "**Cálculo diferencial e integral**")
    plan = import_course(parse_course(edited), dry_run=True)
    assert plan.updated["temas"] == 1 and plan.created["temas"] == 0
    assert Topic.objects.get(slug="calculo").title == "Cálculo"  # dry run saved nothing

    report = import_course(parse_course(edited))
    assert report.updated["temas"] == 1
    assert report.unpublished["temas"] == 0
    assert Topic.objects.get(slug="calculo").title == "Cálculo diferencial e integral"
    lora.refresh_from_db()
    qlora.refresh_from_db()
    assert lora.title == "LoRA (editado en el admin)"  # the markdown did not change it
    assert qlora.is_published is False  # an editor's decision stands
    assert TopicProgress.objects.get(user=ana, topic=lora).status == Status.DONE


def test_reimport_never_deletes_topics_with_learner_data(ana, ana_done_lora):
    source = SOURCE_PATH.read_text(encoding="utf-8")
    line = next(line for line in source.splitlines() if line.startswith("* [**LoRA**]"))
    report = import_course(parse_course(source.replace(line + "\n", "")))
    assert report.unpublished["temas"] == 1
    lora = Topic.objects.get(pk=ana_done_lora.pk)
    assert lora.is_published is False
    assert TopicProgress.objects.filter(topic=lora).exists()


def test_cohort_csv_ignores_unpublished_sections(client, ana, bruno, ana_done_lora):
    cohort = Cohort.objects.create(
        name="C", slug="c", start_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    ana_done_lora.section.is_published = False
    ana_done_lora.section.save()
    client.force_login(bruno)
    header = client.get("/cohortes/c/exportar.csv").getvalue().decode("utf-8-sig").splitlines()[0]
    assert "Ajuste fino supervisado" not in header
    assert len(header.split(";")) == 2 + 18 + 6
