"""import_curso: idempotent, in place by slug, never deleting what learners point at."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roadmap.catalog.importer import import_course
from roadmap.catalog.parser import SOURCE_PATH, parse_course
from roadmap.catalog.proposals import AttachmentProposal, proposal_accept, proposal_reject
from roadmap.learning.services import progress_set_status
from roadmap.models import (
    Course,
    Part,
    Reference,
    Resource,
    ResourceGroup,
    Section,
    Status,
    Topic,
    TopicProgress,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_database(db):
    """These tests start from a database without the course (the suite preloads it)."""
    for model in [Resource, ResourceGroup, Reference, Topic, Section, Part, Course]:
        model.objects.all().delete()


SOURCE = SOURCE_PATH.read_text(encoding="utf-8")


def import_text(text: str, **kwargs):
    return import_course(parse_course(text), **kwargs)


def test_import_creates_the_whole_course():
    report = import_text(SOURCE)
    assert Part.objects.count() == 3
    assert Section.objects.count() == 19
    assert Topic.objects.count() == 72
    assert Reference.objects.count() == 94
    assert Resource.objects.filter(group__kind=ResourceGroup.Kind.VIDEO).count() == 36
    assert Resource.objects.filter(group__kind=ResourceGroup.Kind.NOTEBOOK).count() == 15
    assert report.created["temas"] == 72


def test_a_second_import_changes_nothing():
    import_text(SOURCE)
    before = list(Topic.objects.order_by("pk").values_list("pk", "slug", "title", "description"))
    report = import_text(SOURCE)
    assert not report.has_changes
    assert report.unchanged["temas"] == 72
    assert Topic.objects.count() == 72
    after = list(Topic.objects.order_by("pk").values_list("pk", "slug", "title", "description"))
    assert after == before


def test_an_edited_title_updates_the_same_row_and_keeps_its_slug():
    import_text(SOURCE)
    lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
    edited = SOURCE.replace("[**LoRA**]", "[**LoRA: adaptadores de rango bajo**]")
    report = import_text(edited)
    lora.refresh_from_db()
    assert lora.title == "LoRA: adaptadores de rango bajo"
    assert lora.slug == "lora"
    assert Topic.objects.count() == 72
    assert report.updated["temas"] == 1
    assert report.created["temas"] == 0


def test_an_edited_description_updates_in_place():
    import_text(SOURCE)
    pk = Topic.objects.get(slug="calculo").pk
    import_text(SOURCE.replace("requiere un entendimiento de derivadas", "pide derivadas"))
    topic = Topic.objects.get(pk=pk)
    assert "pide derivadas" in topic.description
    assert "pide derivadas" in topic.search_text


def test_a_topic_removed_from_the_source_is_unpublished_not_deleted():
    import_text(SOURCE)
    line = next(line for line in SOURCE.splitlines() if line.startswith("* **Evaluación humana**"))
    report = import_text(SOURCE.replace(line + "\n", ""))
    topic = Topic.objects.get(slug="evaluacion-humana")
    assert topic.is_published is False
    assert report.unpublished["temas"] == 1
    assert Topic.objects.count() == 72


def test_dry_run_reports_changes_but_saves_nothing():
    import_text(SOURCE)
    report = import_text(SOURCE.replace("**Cálculo**", "**Cálculo diferencial**"), dry_run=True)
    assert report.updated["temas"] == 1
    assert any("Cálculo diferencial" in line for line in report.changes)
    assert Topic.objects.get(slug="calculo").title == "Cálculo"


def test_an_admin_fix_survives_a_reimport_of_an_unchanged_source():
    import_text(SOURCE)
    reference = Reference.objects.get(title="Las zarpadas implicaciones de Chinchilla")
    reference.kind = Reference.Kind.SITE
    reference.save()
    import_text(SOURCE)
    reference.refresh_from_db()
    assert reference.kind == Reference.Kind.SITE


def test_command_prints_the_plan_with_dry_run():
    out = StringIO()
    call_command("import_curso", "--dry-run", stdout=out)
    assert "temas: nuevos 72" in out.getvalue()
    assert "no se guardó nada" in out.getvalue()
    assert Topic.objects.count() == 0


def test_command_says_when_nothing_changed():
    call_command("import_curso", stdout=StringIO())
    out = StringIO()
    call_command("import_curso", stdout=out)
    assert "nada que cambiar" in out.getvalue()


def test_command_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No encuentro"):
        call_command("import_curso", "--source", str(tmp_path / "nada.md"))


def test_command_rejects_a_malformed_file(tmp_path):
    source = tmp_path / "roto.md"
    source.write_text("## Algo que no es el curso\n\ntexto\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No pude leer"):
        call_command("import_curso", "--source", str(source), stdout=StringIO())


def test_a_renamed_topic_is_still_found_after_later_insertions():
    import_text(SOURCE)
    lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
    renamed = SOURCE.replace("[**LoRA**]", "[**LoRA, rango bajo**]")
    import_text(renamed)
    # Later the source gains a topic before it: the renamed row must not be lost.
    anchor = "* [**LoRA, rango bajo**]"
    inserted = renamed.replace(anchor, "* **Adaptadores**: un tema nuevo.\n" + anchor)
    report = import_text(inserted)
    lora.refresh_from_db()
    assert lora.is_published and lora.title == "LoRA, rango bajo" and lora.slug == "lora"
    assert report.created["temas"] == 1 and report.unpublished["temas"] == 0


def test_a_new_topic_never_takes_over_a_removed_topics_row():
    import_text(SOURCE)
    line = next(line for line in SOURCE.splitlines() if line.startswith("* **Evaluación humana**"))
    import_text(SOURCE.replace(line + "\n", ""))
    old = Topic.objects.get(slug="evaluacion-humana")
    assert old.is_published is False
    replaced = SOURCE.replace(line, "* **Evaluación con LLMs**: jueces automáticos.")
    import_text(replaced)
    old.refresh_from_db()
    assert old.title == "Evaluación humana" and old.is_published is False
    assert Topic.objects.get(slug="evaluacion-con-llms").is_published


def test_a_topic_that_comes_back_to_the_source_is_republished():
    import_text(SOURCE)
    line = next(line for line in SOURCE.splitlines() if line.startswith("* **Evaluación humana**"))
    import_text(SOURCE.replace(line + "\n", ""))
    report = import_text(SOURCE)
    topic = Topic.objects.get(slug="evaluacion-humana")
    assert topic.is_published is True
    assert Topic.objects.filter(slug="evaluacion-humana").count() == 1
    assert any("republicado" in change for change in report.changes)


def test_an_editors_unpublish_survives_the_topic_leaving_and_returning():
    import_text(SOURCE)
    Topic.objects.filter(slug="calculo").update(is_published=False)
    line = next(line for line in SOURCE.splitlines() if line.startswith("- **Cálculo**"))
    import_text(SOURCE.replace(line + "\n", ""))
    import_text(SOURCE)
    assert Topic.objects.get(slug="calculo").is_published is False


def test_reimport_keeps_admin_edits_and_applies_markdown_edits(ana):
    import_text(SOURCE)
    lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    lora.title = "LoRA (editado en el admin)"
    lora.save()
    qlora = Topic.objects.get(slug="qlora")
    qlora.is_published = False
    qlora.save()

    edited = SOURCE.replace("**Cálculo**", "**Cálculo diferencial e integral**")
    plan = import_text(edited, dry_run=True)
    assert plan.updated["temas"] == 1 and plan.created["temas"] == 0
    assert Topic.objects.get(slug="calculo").title == "Cálculo"  # dry run saved nothing

    report = import_text(edited)
    assert report.updated["temas"] == 1
    assert report.unpublished["temas"] == 0
    assert Topic.objects.get(slug="calculo").title == "Cálculo diferencial e integral"
    lora.refresh_from_db()
    qlora.refresh_from_db()
    assert lora.title == "LoRA (editado en el admin)"  # the markdown did not change it
    assert qlora.is_published is False  # an editor's decision stands
    assert TopicProgress.objects.get(user=ana, topic=lora).status == Status.DONE


def test_reimport_never_deletes_topics_with_learner_data(ana):
    import_text(SOURCE)
    lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
    progress_set_status(user=ana, topic=lora, status=Status.DONE)
    line = next(line for line in SOURCE.splitlines() if line.startswith("* [**LoRA**]"))
    report = import_text(SOURCE.replace(line + "\n", ""))
    assert report.unpublished["temas"] == 1
    lora.refresh_from_db()
    assert lora.is_published is False
    assert TopicProgress.objects.filter(topic=lora).exists()


# The errata fixed in the project's copy of the source, as (before, after) in the Markdown
# (README, "Erratas corregidas").
ERRATA = [
    (
        "4 bits con GPTQ](https://mlabonne.github.io/blog/posts/Introduction_to_Weight_Quantization",
        "4 bits con GPTQ](https://mlabonne.github.io/blog/posts/4_bit_Quantization_with_GPTQ",
    ),
    ("[TIES](https://arxiv.org/abs/2311.03099)", "[TIES](https://arxiv.org/abs/2306.01708)"),
    (
        "(https://substack.com/profile/27393275-sebastian-raschka-phd) por Sebastian Rashcka",
        "(https://magazine.sebastianraschka.com/p/llm-training-rlhf-and-its-alternatives) "
        "por Sebastian Raschka",
    ),
    ("cuantización naíf", "cuantización ingenua"),
    ("el RLFH (", "el RLHF ("),
    ("[LMQL, Resúmen]", "[LMQL, Resumen]"),
    ("): Resúmen general", "): Resumen general"),
    ("la summarización,", "la generación de resúmenes,"),
    ("### Haciendo a los LLMs mas seguros", "### Haciendo a los LLMs más seguros"),
]


def test_reimporting_the_errata_keeps_every_address_and_the_learners_progress(ana):
    original = SOURCE
    for before, after in ERRATA:
        assert SOURCE.count(after) == 1 and before not in SOURCE, after
        original = original.replace(after, before)
    import_text(original)
    for section in Section.objects.all():
        progress_set_status(user=ana, topic=section.topics.first(), status=Status.DONE)
    addresses = {
        model: list(model.objects.order_by("pk").values_list("pk", "slug"))
        for model in [Section, Topic, Reference]
    }

    report = import_text(SOURCE)
    assert not report.created and not report.unpublished, report.changes
    assert report.updated["secciones"] == 2  # RLHF's intro, "más seguros"
    assert report.updated["temas"] == 3  # naíf, summarización, TIES
    assert report.updated["referencias"] == 4  # GPTQ, Raschka, two "Resúmen"
    for model, before in addresses.items():
        assert list(model.objects.order_by("pk").values_list("pk", "slug")) == before
    security = Section.objects.get(slug="haciendo-a-los-llms-mas-seguros")
    assert security.title == "Haciendo a los LLMs más seguros"
    assert TopicProgress.objects.filter(user=ana, status=Status.DONE).count() == 19
    assert not TopicProgress.objects.filter(topic__is_published=False).exists()


def test_reimporting_the_spanish_resource_lists_keeps_the_video_groups_in_place():
    original = (
        SOURCE.replace("## 📹 Videos varios", "## 📹 Videos random")
        .replace("## 📝 Cuadernos", "## 📝 Notebooks")
        .replace("... próximamente ...", "... proximamente ...")
    )
    import_text(original)
    # Before, the notebooks' intro went to their first category.
    ResourceGroup.objects.filter(slug="notebooks").delete()
    ResourceGroup.objects.filter(slug="cuadernos-herramientas").update(intro="Una lista ...")
    videos = list(ResourceGroup.objects.filter(kind="video").values_list("pk", "slug"))

    report = import_text(SOURCE)
    assert report.created["grupos de recursos"] == 1  # the notebooks' own text
    assert not report.unpublished
    assert list(ResourceGroup.objects.filter(kind="video").values_list("pk", "slug")) == videos
    assert set(ResourceGroup.objects.values_list("collection", flat=True)) == {
        "Clases en video",
        "Videos varios",
        "Cuadernos",
    }
    assert ResourceGroup.objects.get(slug="cuadernos-herramientas").intro == ""
    assert ResourceGroup.objects.get(slug="clases-en-video").intro == "Próximamente."


# --- Attachments of resources to topics: proposed by the import, decided by editors ----------


def first_proposed_reference() -> AttachmentProposal:
    return AttachmentProposal.objects.filter(reference__isnull=False).select_related(
        "topic", "reference"
    )[0]


def test_the_import_proposes_attachments_and_attaches_nothing():
    report = import_text(SOURCE)
    assert report.proposals
    assert AttachmentProposal.objects.count() == len(report.proposals)
    assert set(AttachmentProposal.objects.values_list("status", flat=True)) == {"propuesta"}
    assert not Reference.topics.through.objects.exists()
    assert not Resource.topics.through.objects.exists()
    proposal = first_proposed_reference()
    assert proposal.reference.section_id == proposal.topic.section_id  # its own section
    second = import_text(SOURCE)
    assert not second.proposals and not second.has_changes  # nothing new the second time


def test_a_dry_run_lists_the_proposals_without_saving_them():
    import_text(SOURCE, dry_run=True)
    out = StringIO()
    call_command("import_curso", "--dry-run", stdout=out)
    assert "Se propondrían:" in out.getvalue()
    assert not AttachmentProposal.objects.exists()


def test_the_command_points_editors_to_the_proposals():
    out = StringIO()
    call_command("import_curso", stdout=out)
    assert "Nuevas propuestas:" in out.getvalue()
    assert "/admin/roadmap/attachmentproposal/" in out.getvalue()
    out = StringIO()
    call_command("propose_attachments", stdout=out)
    assert "Nada nuevo para proponer." in out.getvalue()


def test_reimport_keeps_editors_attachments_and_decisions():
    import_text(SOURCE)
    accepted = first_proposed_reference()
    proposal_accept(proposal=accepted)
    rejected = AttachmentProposal.objects.filter(status="propuesta")[0]
    proposal_reject(proposal=rejected)
    reference = accepted.reference
    by_hand = Topic.objects.exclude(pk=accepted.topic_id).filter(section=reference.section)[0]
    reference.topics.add(by_hand)
    video = Resource.objects.filter(group__kind=ResourceGroup.Kind.VIDEO)[0]
    video.topics.add(by_hand)

    # The source edits the attached reference's title: the row is updated in place.
    edited = SOURCE.replace(f"[{reference.title}]", f"[{reference.title} (2.ª edición)]", 1)
    assert edited != SOURCE
    report = import_text(edited)
    assert report.updated["referencias"] == 1
    reference.refresh_from_db()
    assert reference.title.endswith("(2.ª edición)")
    assert set(reference.topics.all()) == {accepted.topic, by_hand}
    assert list(video.topics.all()) == [by_hand]
    rejected.refresh_from_db()
    assert rejected.status == "rechazada"  # and not proposed again:
    same_pair = {
        "topic": rejected.topic,
        "reference": rejected.reference,
        "resource": rejected.resource,
    }
    assert AttachmentProposal.objects.filter(**same_pair).count() == 1
