"""The Markdown source parses into the course the issue describes, glitches repaired."""

from dataclasses import asdict

import pytest

from roadmap.catalog.course_data import make_slug
from roadmap.catalog.parser import load_course, parse_course
from roadmap.catalog.source_fixes import ZWJ, infer_reference_kind, repair_source


@pytest.fixture(scope="module")
def content():
    return load_course()


def test_the_source_has_the_whole_course(content):
    assert len(content.parts) == 3
    assert len(content.sections) == 19
    assert len(content.topics) == 72
    assert len(content.references) == 94
    assert len(content.resources_of_kind("video")) == 36
    assert len(content.resources_of_kind("cuaderno")) == 15


def test_parts_are_the_three_roadmaps(content):
    assert [part.title for part in content.parts] == [
        "Fundamentos de IA",
        "Científico/a de LLMs",
        "Ingeniero/a de LLMs",
    ]
    assert [part.slug for part in content.parts] == [
        "fundamentos-de-ia",
        "cientifico-a-de-llms",
        "ingeniero-a-de-llms",
    ]


def test_lora_is_a_topic_of_supervised_fine_tuning_with_its_arxiv_link(content):
    section = next(s for s in content.sections if s.slug == "ajuste-fino-supervisado")
    lora = next(t for t in section.topics if t.slug == "lora")
    assert lora.title == "LoRA"
    assert lora.url == "https://arxiv.org/abs/2106.09685"
    assert lora.description.startswith("Una técnica de afinamiento eficiente")
    assert lora.emoji == "🧮"


def test_chinchilla_reference_keeps_title_author_and_description(content):
    reference = next(
        r for r in content.references if r.title == "Las zarpadas implicaciones de Chinchilla"
    )
    assert reference.author == "nostalgebraist"
    assert reference.url.startswith("https://www.lesswrong.com/")
    assert reference.description.startswith("Discute las leyes de escalamiento")
    assert reference.kind == "articulo"


def test_references_with_a_linked_author_keep_the_name(content):
    reference = next(r for r in content.references if r.title == "Seguridad en LLMs")
    assert reference.author == "@llm_sec"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.youtube.com/watch?v=aircAruvnKk", "video"),
        ("https://youtu.be/i_LwzRVP7bg", "video"),
        ("https://arxiv.org/abs/2106.09685", "paper"),
        ("https://github.com/jzhang38/TinyLlama", "repositorio"),
        ("https://colab.research.google.com/drive/1GH8PW9", "cuaderno"),
        ("https://course.fast.ai/", "curso"),
        ("https://huggingface.co/spaces/mteb/leaderboard", "herramienta"),
        ("https://realpython.com/", "sitio"),
        ("https://jalammar.github.io/illustrated-transformer/", "articulo"),
    ],
)
def test_reference_kind_is_inferred_from_the_url(url, kind):
    assert infer_reference_kind(url) == kind


def test_youtube_references_are_videos(content):
    reference = next(r for r in content.references if r.title.startswith("3Blue1Brown, La Esencia"))
    assert reference.kind == "video"


def test_section_topics_take_emoji_from_the_tree(content):
    evaluation = next(s for s in content.sections if s.slug == "evaluacion-de-modelos")
    assert evaluation.emoji == "📊"
    assert [t.emoji for t in evaluation.topics] == ["📏", "🌍", "🎯", "👥"]
    rlhf = next(s for s in content.sections if s.slug.endswith("-rlhf"))
    assert [t.emoji for t in rlhf.topics] == ["🗳️", "🔁", "⚖️"]
    architecture = next(s for s in content.sections if s.slug.startswith("arquitectura"))
    assert architecture.emoji == "🏗"


def test_every_part_section_and_topic_has_an_emoji(content):
    assert all(part.emoji for part in content.parts)
    assert [s.title for s in content.sections if not s.emoji] == []
    assert [t.title for t in content.topics if not t.emoji] == []


def test_a_topic_missing_from_the_tree_still_matches_a_close_name_elsewhere():
    text = (
        "## 🧩 Roadmap para probar\n\n```\n📁\n├── 🅰️ Primera\n│ └── 🍎 Manzanas rojas\n"
        "└── 🅱️ Otra cosa\n```\n\n### Primera\n\n- **Manzanas rojas**: texto\n\n"
        "### Segunda\n\n- **Manzanas rojas**: otra vez\n- **Peras**: texto\n"
    )
    first, second = parse_course(text).sections
    assert (first.emoji, [t.emoji for t in first.topics]) == ("🅰️", ["🍎"])
    assert (second.emoji, [t.emoji for t in second.topics]) == ("", ["🍎", ""])


def test_emoji_that_lost_their_joiner_are_repaired(content):
    assert content.parts[1].emoji == f"🧑{ZWJ}🔬"
    awq = next(t for t in content.topics if t.slug == "awq")
    assert ZWJ in awq.emoji


def test_a_url_broken_across_lines_is_joined():
    text = "[ChatML](https://learn.microsoft.com/how-to/chatgpt?\ntabs=python&pivots=chat-ml)"
    assert repair_source(text) == (
        "[ChatML](https://learn.microsoft.com/how-to/chatgpt?tabs=python&pivots=chat-ml)"
    )


def test_note_admonition_becomes_a_labelled_quote():
    assert repair_source(">[!NOTE]\n>todo este laburo") == "> **Nota:** todo este laburo"


def test_generic_colab_links_are_replaced_by_the_notebooks_own(content):
    notebooks = {r.title: r for r in content.resources_of_kind("cuaderno")}
    assert notebooks["ExLlamaV2"].url.startswith("https://colab.research.google.com/drive/")
    assert notebooks["ExLlamaV2"].article_label == "Artículo"
    assert notebooks["ExLlamaV2"].article_url.startswith("https://mlabonne.github.io/")


def test_the_empty_video_list_is_kept_as_coming_soon(content):
    classes = next(g for g in content.resource_groups if g.slug == "clases-en-video")
    assert classes.resources == []
    assert classes.intro == "Próximamente."


def test_slugs_come_from_spanish_titles():
    assert make_slug("Ajuste fino supervisado") == "ajuste-fino-supervisado"
    assert make_slug("Cuantización") == "cuantizacion"
    assert make_slug("Científico/a de LLMs") == "cientifico-a-de-llms"


def test_an_unexpected_reference_line_is_reported_with_its_section():
    text = (
        "## 🧩 Roadmap para probar\n\n### Una sección\n\n- **Tema**: texto\n\n"
        "📚 **Referencias**:\n- esto no es un enlace\n"
    )
    with pytest.raises(ValueError, match="Una sección"):
        parse_course(text)


def test_titles_keep_their_inline_code(content):
    topics = {t.slug: t.title for t in content.topics}
    assert topics["gguf-y-llamacpp"] == "`GGUF` y `llama.cpp`"
    assert topics["awq"] == "`AWQ`"
    references = {r.slug: r.title for r in content.references}
    assert references["nanogpt"] == "`nanoGPT`"
    assert references["fusionar-llms-con-mergekit"] == "Fusionar LLMs con `mergekit`"
    notebooks = {r.slug: r for r in content.resources_of_kind("cuaderno")}
    assert notebooks["cuantizacion-con-gguf-y-llamacpp"].title == (
        "Cuantización con GGUF y `llama.cpp`"
    )
    # The notebook's own Colab link is still found under its plain name.
    assert notebooks["fusionar-llms-usando-mergekit"].url.endswith(
        "1_JS7JKJAQozD48-LhYdegcuuZ2ddgXfr"
    )


def _all_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_all_text(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(_all_text(v) for v in value)
    return ""


def test_the_sources_typos_are_fixed(content):
    text = _all_text(asdict(content))
    for typo in ["naíf", "RLFH", "Resúmen", "summarización", "Rashcka", "mas seguros"]:
        assert typo not in text
    security = next(s for s in content.sections if s.slug == "haciendo-a-los-llms-mas-seguros")
    assert security.title == "Haciendo a los LLMs más seguros"
    rlhf = next(s for s in content.sections if s.slug.endswith("-rlhf"))
    assert rlhf.intro.startswith('Después del afinamiento supervisado, el RLHF ("Reinforcement')
    assert "LMQL, Resumen" in {r.title for r in content.references}


def test_the_sources_wrong_links_are_fixed(content):
    references = {r.title: r for r in content.references}
    gptq = references["Cuantización de LLM de 4 bits con GPTQ"]
    assert gptq.url == "https://mlabonne.github.io/blog/posts/4_bit_Quantization_with_GPTQ.html"
    assert gptq.url != references["Introducción a la cuantización"].url
    raschka = references["Entrenamiento de LLM: RLHF y sus alternativas"]
    assert raschka.url == (
        "https://magazine.sebastianraschka.com/p/llm-training-rlhf-and-its-alternatives"
    )
    assert raschka.author == "Sebastian Raschka"
    merging = next(t for t in content.topics if t.slug == "fusion-de-modelos")
    assert "[DARE](https://arxiv.org/abs/2311.03099)" in merging.description
    assert "[TIES](https://arxiv.org/abs/2306.01708)" in merging.description


def test_resource_lists_have_spanish_names_and_the_notebooks_intro_is_the_lists_own(content):
    collections = list(dict.fromkeys(g.collection for g in content.resource_groups))
    assert collections == ["Clases en video", "Videos varios", "Cuadernos"]
    notebooks = [g for g in content.resource_groups if g.kind == "cuaderno"]
    own_text = notebooks[0]
    assert (own_text.slug, own_text.title, own_text.resources) == ("cuadernos", "Cuadernos", [])
    assert own_text.intro.startswith("Una lista de cuadernos y artículos")
    tools = notebooks[1]
    assert (tools.slug, tools.title, tools.intro) == ("cuadernos-herramientas", "Herramientas", "")


def test_each_roadmaps_line_moves_from_the_course_intro_to_its_part(content):
    assert "1. 🧩 **Fundamentos de IA**\n2." in content.intro
    assert "cubre conocimientos esenciales" not in content.intro
    assert content.parts[0].summary.startswith("cubre conocimientos esenciales")
    assert "> **Nota:**" in content.intro
