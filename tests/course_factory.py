"""The small synthetic course the test suite runs on, defined here and only here.

Why a factory and not a JSON fixture: `build_course()` creates every row through the ORM, the way
an editor's save does, so the models render each Markdown text into its `*_html` field (a
fixture is loaded raw and would carry HTML written by hand). `COURSE` describes what it builds;
tests take their numbers and names from it (`COURSE.topic_count`, `TOPIC.slug`) and never
hard-code a fact of the real course (roadmap/fixtures/curso.json), which editors keep changing.
The real course is exercised only by the content tests (the parser, the importer, the fixture),
the browser journeys and the `make run` test, through conftest's `real_course` fixture.

The shape, in course order (✗ = unpublished, counted nowhere and never shown):

    Course "Astronomía de bolsillo" (intro and acknowledgements in Markdown)
    🔭 Observación a simple vista
        ✨ Constelaciones          3 topics, 1 reference
        🪐 Planetas                3 topics + ✗ Plutón, 2 references
    Astrofísica (no emoji)
        🌈 Espectroscopía          3 topics (Efecto Doppler: the main one), 2 references + ✗ 1
        Estrellas variables        2 topics, 1 reference
        ✗ Agujeros negros          1 topic, 1 reference
    ✗ Cosmología (a part in draft)
        Big Bang                   1 topic
    Resources: "Charlas de astronomía" (2 videos + ✗ 1), "Clases en video" (empty: not
    listed), "Cuadernos de práctica" (1 notebook), ✗ "Cuadernos en borrador" (1 notebook)

Published: 2 parts, 4 sections, 11 topics, 6 references, 2 videos, 1 notebook.

Attached to topics (`topics` of a spec): the notebook and ✗ the unedited video to Efecto Doppler.
After building, the matcher proposes its pairs as the importer would (roadmap/catalog/
proposals.py): e.g. "Introducción al efecto Doppler" for Efecto Doppler (the topic's title words
are in the reference's title).
"""

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    title: str
    description: str
    url: str = ""
    emoji: str = ""
    is_published: bool = True


@dataclass(frozen=True)
class ReferenceSpec:
    slug: str
    title: str
    url: str
    kind: str = "articulo"
    author: str = ""
    description: str = ""
    is_published: bool = True
    topics: tuple[str, ...] = ()  # slugs of the topics it is attached to (unique in this course)


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: str
    intro: str
    topics: tuple[TopicSpec, ...]
    references: tuple[ReferenceSpec, ...] = ()
    emoji: str = ""
    is_published: bool = True

    def url(self) -> str:
        return f"/secciones/{self.slug}/"

    def topic_url(self, topic: TopicSpec) -> str:
        return f"/secciones/{self.slug}/{topic.slug}/"

    @property
    def published_topics(self) -> list[TopicSpec]:
        return [t for t in self.topics if t.is_published]

    @property
    def published_references(self) -> list[ReferenceSpec]:
        return [r for r in self.references if r.is_published]


@dataclass(frozen=True)
class PartSpec:
    slug: str
    title: str
    heading: str
    summary: str
    intro: str
    sections: tuple[SectionSpec, ...]
    emoji: str = ""
    is_published: bool = True


@dataclass(frozen=True)
class ResourceSpec:
    slug: str
    title: str
    url: str
    description: str = ""
    article_url: str = ""
    emoji: str = ""
    is_published: bool = True
    topics: tuple[str, ...] = ()  # slugs of the topics it is attached to (unique in this course)


@dataclass(frozen=True)
class ResourceGroupSpec:
    slug: str
    title: str
    kind: str
    collection: str
    resources: tuple[ResourceSpec, ...] = ()
    intro: str = ""
    emoji: str = ""
    is_published: bool = True


# --- The named pieces tests use -------------------------------------------------------------

CONSTELLATIONS = (
    TopicSpec("orion", "Orión", "El cazador del cielo de verano, con sus **Tres Marías**."),
    TopicSpec("osa-mayor", "Osa Mayor", "Siete estrellas que señalan la *estrella polar*."),
    TopicSpec("cruz-del-sur", "Cruz del Sur", "La guía de quienes navegan el hemisferio sur."),
)
FIRST_SECTION = SectionSpec(
    "constelaciones",
    "Constelaciones",
    "Figuras que **todas las culturas** dibujaron uniendo estrellas.",
    CONSTELLATIONS,
    (
        ReferenceSpec(
            "mapa-del-cielo-austral",
            "Mapa del cielo austral",
            "https://example.org/mapa-austral",
            kind="sitio",
        ),
    ),
    emoji="✨",
)

UNPUBLISHED_TOPIC = TopicSpec(
    "pluton", "Plutón", "Fue planeta hasta 2006: hoy es un *planeta enano*.", is_published=False
)
SECOND_SECTION = SectionSpec(
    "planetas",
    "Planetas",
    "Los vecinos del sistema solar que se ven **sin telescopio**.",
    (
        TopicSpec("mercurio", "Mercurio", "El más cercano al Sol; se ve al atardecer."),
        TopicSpec(
            "venus", "Venus", "El lucero del alba, el objeto más brillante después de la Luna."
        ),
        TopicSpec("marte", "Marte", "El planeta rojo, con dos lunas pequeñas."),
        UNPUBLISHED_TOPIC,
    ),
    (
        ReferenceSpec(
            "las-curiosas-lunas-de-jupiter",
            "Las curiosas lunas de Júpiter",
            "https://example.org/lunas",
            author="Rita Órbita",
        ),
        ReferenceSpec(
            "atlas-planetario", "Atlas planetario", "https://arxiv.org/abs/0000.00001", kind="paper"
        ),
    ),
    emoji="🪐",
)

TOPIC = TopicSpec(
    "efecto-doppler",
    "Efecto Doppler",
    "El corrimiento de frecuencia de una onda cuando la fuente se mueve: ver "
    "[la explicación](https://es.wikipedia.org/wiki/Efecto_Doppler), la fórmula "
    "`f' = f (c + v) / c` y por qué sirve **para medir velocidades**.",
    url="https://example.org/doppler",
    emoji="🚑",
)
OTHER_TOPIC = TopicSpec(
    "corrimiento-al-rojo", "Corrimiento al rojo", "Las galaxias que se alejan se ven más rojas."
)
REFERENCE = ReferenceSpec(
    "introduccion-al-efecto-doppler",
    "Introducción al efecto Doppler",
    "https://example.org/intro-doppler",
    author="Ada Estrella",
    description="Un repaso **con ejemplos** de sirenas y estrellas.",
)
VIDEO_REFERENCE = ReferenceSpec(
    "espectros-en-video",
    "Espectros en video",
    "https://www.youtube.com/watch?v=espectros",
    kind="video",
)
UNPUBLISHED_REFERENCE = ReferenceSpec(
    "borrador-sin-revisar",
    "Borrador sin revisar",
    "https://example.org/borrador",
    is_published=False,
)
SECTION = SectionSpec(
    "espectroscopia",
    "Espectroscopía",
    "La luz de una estrella, separada en colores, cuenta de qué está hecha. Para practicar, "
    "[el laboratorio virtual](https://example.org/laboratorio) y la orden `espectro --ver`.",
    (
        TOPIC,
        OTHER_TOPIC,
        TopicSpec("lineas-espectrales", "Líneas espectrales", "Cada elemento deja su firma."),
    ),
    (REFERENCE, VIDEO_REFERENCE, UNPUBLISHED_REFERENCE),
    emoji="🌈",
)
LAST_SECTION = SectionSpec(
    "estrellas-variables",
    "Estrellas variables",
    "Estrellas cuyo brillo **cambia** con el tiempo.",
    (
        TopicSpec("cefeidas", "Cefeidas", "Su período revela su brillo real: reglas cósmicas."),
        TopicSpec("novas", "Novas", "Una enana blanca que se enciende de golpe."),
    ),
    (
        ReferenceSpec(
            "catalogo-de-cefeidas",
            "Catálogo de cefeidas",
            "https://arxiv.org/abs/0000.00002",
            kind="paper",
        ),
    ),
)
UNPUBLISHED_SECTION = SectionSpec(
    "agujeros-negros",
    "Agujeros negros",
    "Todavía en **borrador**.",
    (TopicSpec("horizonte-de-sucesos", "Horizonte de sucesos", "De acá no se vuelve."),),
    (ReferenceSpec("sombra-de-m87", "La sombra de M87", "https://example.org/m87"),),
    is_published=False,
)
UNPUBLISHED_PART = PartSpec(
    "cosmologia",
    "Cosmología",
    "Roadmap de cosmología (en preparación)",
    "El universo **entero**.",
    "",
    (
        SectionSpec(
            "big-bang",
            "Big Bang",
            "El comienzo.",
            (TopicSpec("radiacion-de-fondo", "Radiación de fondo", "El eco del *Big Bang*."),),
        ),
    ),
    emoji="🌌",
    is_published=False,
)
PARTS = (
    PartSpec(
        "observacion",
        "Observación a simple vista",
        "Roadmap para mirar el cielo",
        "mirar el cielo **sin instrumentos**.",
        "Alcanza con una noche despejada y [un mapa](https://example.org/mapa).",
        (FIRST_SECTION, SECOND_SECTION),
        emoji="🔭",
    ),
    PartSpec(
        "astrofisica",
        "Astrofísica",
        "Roadmap para entender las estrellas",
        "la física de lo que brilla.",
        "Un poco de `física` y mucha **luz**.",
        (SECTION, LAST_SECTION, UNPUBLISHED_SECTION),
    ),
    UNPUBLISHED_PART,
)

VIDEO = ResourceSpec(
    "como-mirar-la-luna",
    "Cómo mirar la Luna",
    "https://www.youtube.com/watch?v=luna",
    description="Con **binoculares** alcanza.",
    article_url="https://example.org/articulo-luna",
    emoji="🌙",
)
UNPUBLISHED_VIDEO = ResourceSpec(
    "video-sin-editar",
    "Video sin editar",
    "https://www.youtube.com/watch?v=crudo",
    is_published=False,
    topics=(TOPIC.slug,),
)
NOTEBOOK = ResourceSpec(
    "calcular-una-orbita",
    "Calcular una órbita",
    "https://colab.research.google.com/drive/orbita",
    description="Las leyes de Kepler en `numpy`.",
    topics=(TOPIC.slug,),
)
RESOURCE_GROUPS = (
    ResourceGroupSpec(
        "charlas-de-astronomia",
        "Charlas de astronomía",
        "video",
        "Videos",
        (
            VIDEO,
            ResourceSpec("eclipses", "Eclipses", "https://www.youtube.com/watch?v=eclipses"),
            UNPUBLISHED_VIDEO,
        ),
        intro="Charlas cortas, **para empezar**.",
        emoji="🎥",
    ),
    ResourceGroupSpec("clases-en-video", "Clases en video", "video", "Videos"),
    ResourceGroupSpec(
        "cuadernos-de-practica", "Cuadernos de práctica", "cuaderno", "Cuadernos", (NOTEBOOK,)
    ),
    ResourceGroupSpec(
        "cuadernos-en-borrador",
        "Cuadernos en borrador",
        "cuaderno",
        "Cuadernos",
        (ResourceSpec("sin-terminar", "Sin terminar", "https://colab.research.google.com/x"),),
        is_published=False,
    ),
)

TITLE = "Astronomía de bolsillo"
INTRO = "Un curso **de prueba**: [el cielo](https://example.org/cielo) con `ojos` y paciencia."
ACKNOWLEDGEMENTS = "Gracias a *quienes* miran para arriba."


class SyntheticCourse:
    """Facts about the course `build_course()` creates, counted from the definitions above."""

    parts = PARTS
    resource_groups = RESOURCE_GROUPS

    @property
    def published_parts(self) -> list[PartSpec]:
        return [p for p in self.parts if p.is_published]

    @property
    def sections(self) -> list[SectionSpec]:
        """Published sections of published parts, in course order."""
        return [s for p in self.published_parts for s in p.sections if s.is_published]

    @property
    def topics(self) -> list[TopicSpec]:
        """Published topics of published sections, in course order."""
        return [t for s in self.sections for t in s.published_topics]

    def part_of(self, section: SectionSpec) -> PartSpec:
        return next(p for p in self.parts if section in p.sections)

    def topic_count_of(self, part: PartSpec) -> int:
        return sum(len(s.published_topics) for s in part.sections if s.is_published)

    def resources(self, kind: str | None = None) -> list[ResourceSpec]:
        """Published resources of published groups (of one kind if given)."""
        return [
            r
            for g in self.resource_groups
            if g.is_published and kind in (None, g.kind)
            for r in g.resources
            if r.is_published
        ]

    @property
    def part_count(self) -> int:
        return len(self.published_parts)

    @property
    def section_count(self) -> int:
        return len(self.sections)

    @property
    def topic_count(self) -> int:
        return len(self.topics)

    @property
    def reference_count(self) -> int:
        return sum(len(s.published_references) for s in self.sections)

    def attached_to(self, topic: TopicSpec) -> list[ReferenceSpec | ResourceSpec]:
        """What the topic's page lists under «Recursos de este tema»: its published references
        (course order), then its published videos and notebooks."""
        references = [
            r for s in self.sections for r in s.published_references if topic.slug in r.topics
        ]
        return references + [r for r in self.resources() if topic.slug in r.topics]

    @property
    def video_count(self) -> int:
        return len(self.resources("video"))

    @property
    def notebook_count(self) -> int:
        return len(self.resources("cuaderno"))


COURSE = SyntheticCourse()


@transaction.atomic
def build_course() -> SyntheticCourse:
    """Create the synthetic course in an empty catalogue (one row at a time: save() renders)."""
    from roadmap.catalog.proposals import propose_attachments
    from roadmap.models import Course, Part, Reference, Resource, ResourceGroup, Section, Topic

    Course.objects.create(title=TITLE, intro=INTRO, acknowledgements=ACKNOWLEDGEMENTS)
    attachments = []  # (row, topic slugs)
    for part_order, part_spec in enumerate(PARTS):
        part = Part.objects.create(
            slug=part_spec.slug,
            title=part_spec.title,
            emoji=part_spec.emoji,
            heading=part_spec.heading,
            summary=part_spec.summary,
            intro=part_spec.intro,
            order=part_order,
            is_published=part_spec.is_published,
        )
        for section_order, spec in enumerate(part_spec.sections):
            section = Section.objects.create(
                part=part,
                slug=spec.slug,
                title=spec.title,
                emoji=spec.emoji,
                intro=spec.intro,
                order=section_order,
                is_published=spec.is_published,
            )
            for order, topic in enumerate(spec.topics):
                Topic.objects.create(
                    section=section,
                    slug=topic.slug,
                    title=topic.title,
                    emoji=topic.emoji,
                    url=topic.url,
                    description=topic.description,
                    order=order,
                    is_published=topic.is_published,
                )
            for order, reference in enumerate(spec.references):
                row = Reference.objects.create(
                    section=section,
                    slug=reference.slug,
                    title=reference.title,
                    url=reference.url,
                    kind=reference.kind,
                    author=reference.author,
                    description=reference.description,
                    order=order,
                    is_published=reference.is_published,
                )
                attachments.append((row, reference.topics))
    for group_order, group_spec in enumerate(RESOURCE_GROUPS):
        group = ResourceGroup.objects.create(
            slug=group_spec.slug,
            title=group_spec.title,
            kind=group_spec.kind,
            collection=group_spec.collection,
            emoji=group_spec.emoji,
            intro=group_spec.intro,
            order=group_order,
            is_published=group_spec.is_published,
        )
        for order, resource in enumerate(group_spec.resources):
            row = Resource.objects.create(
                group=group,
                slug=resource.slug,
                title=resource.title,
                url=resource.url,
                emoji=resource.emoji,
                description=resource.description,
                article_url=resource.article_url,
                order=order,
                is_published=resource.is_published,
            )
            attachments.append((row, resource.topics))
    for row, slugs in attachments:
        row.topics.set(Topic.objects.filter(slug__in=slugs))
    propose_attachments()
    return COURSE


def delete_course() -> None:
    """Empty the catalogue (before loading another course on top)."""
    from roadmap.models import (
        Course,
        Part,
        Reference,
        Resource,
        ResourceGroup,
        Section,
        SlugHistory,
        Topic,
    )

    for model in [SlugHistory, Resource, ResourceGroup, Reference, Topic, Section, Part, Course]:
        model.objects.all().delete()
