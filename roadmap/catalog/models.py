"""The course content: parts → sections → topics and references, plus course-wide resources.

Every model has a stable slug that is its natural key, so the fixture and the importer update
rows in place and never clobber what learners' data points at.
"""

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from .rendered import RenderedMarkdown, RenderedQuerySet
from .search import normalize_search_text
from .source_fixes import domain_of
from .titles import title_text
from .versions import content_changed as _content_changed


class ContentQuerySet(RenderedQuerySet):
    # Bulk writes (admin actions, list edits, a shell) skip signals: they replace the content
    # version here (roadmap/catalog/versions.py).
    def update(self, **kwargs):
        rows = super().update(**kwargs)
        _content_changed()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _content_changed()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        _content_changed()
        return rows


class PublishedQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(is_published=True)


class CourseManager(models.Manager.from_queryset(ContentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Course(RenderedMarkdown):
    """The course's own texts: the introduction of the home page and the acknowledgements."""

    MARKDOWN_FIELDS = {
        "intro": ("intro_html", False),
        "acknowledgements": ("acknowledgements_html", False),
    }

    slug = models.SlugField("slug", max_length=60, unique=True, default="curso")
    title = models.CharField("título", max_length=200)
    intro = models.TextField("introducción", blank=True, help_text="Markdown.")
    acknowledgements = models.TextField("reconocimientos", blank=True, help_text="Markdown.")
    intro_html = models.TextField(editable=False, blank=True)
    acknowledgements_html = models.TextField(editable=False, blank=True)
    source_hash = models.CharField(max_length=64, editable=False, blank=True)

    objects = CourseManager()

    class Meta:
        verbose_name = "curso"
        verbose_name_plural = "curso"

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.slug,)


class ImportedContent(RenderedMarkdown):
    """What every piece of course content has: its place, its publication, its import trace."""

    order = models.PositiveIntegerField("orden", default=0)
    is_published = models.BooleanField("publicado", default=True)
    source_hash = models.CharField(max_length=64, editable=False, blank=True)
    source_slug = models.SlugField(
        max_length=120, editable=False, blank=True, help_text="El slug que dio la fuente."
    )

    class Meta(RenderedMarkdown.Meta):
        abstract = True
        ordering = ["order", "id"]


class PartQuerySet(PublishedQuerySet):
    def for_roadmap(self):
        """The home page's shape: published parts with their sections and topics, three queries."""
        topics = Topic.objects.filter(is_published=True).only(
            "id", "section_id", "slug", "title", "emoji", "order"
        )
        sections = (
            Section.objects.published()
            .annotate(
                topic_count=Count("topics", filter=Q(topics__is_published=True), distinct=True),
                reference_count=Count(
                    "references", filter=Q(references__is_published=True), distinct=True
                ),
            )
            .prefetch_related(Prefetch("topics", queryset=topics))
        )
        return self.published().prefetch_related(Prefetch("sections", queryset=sections))


class PartManager(models.Manager.from_queryset(PartQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Part(ImportedContent):
    """One of the course's three roadmaps."""

    MARKDOWN_FIELDS = {"summary": ("summary_html", True), "intro": ("intro_html", False)}

    slug = models.SlugField("slug", max_length=120, unique=True)
    title = models.CharField("título", max_length=200)
    emoji = models.CharField("emoji", max_length=16, blank=True)
    heading = models.CharField(
        "encabezado", max_length=200, blank=True, help_text="El título largo del roadmap."
    )
    summary = models.TextField("resumen", blank=True, help_text="Una línea, en Markdown.")
    intro = models.TextField("introducción", blank=True, help_text="Markdown.")
    summary_html = models.TextField(editable=False, blank=True)
    intro_html = models.TextField(editable=False, blank=True)

    objects = PartManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "parte"
        verbose_name_plural = "partes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:home") + f"#{self.slug}"

    def natural_key(self):
        return (self.slug,)


class SectionQuerySet(PublishedQuerySet):
    def published(self):
        return self.filter(is_published=True, part__is_published=True)

    def in_course_order(self):
        return self.order_by("part__order", "part_id", "order", "id")


class SectionManager(models.Manager.from_queryset(SectionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Section(ImportedContent):
    """A `###` section of a part: the unit learners open and work through."""

    MARKDOWN_FIELDS = {"intro": ("intro_html", False)}

    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, related_name="sections", verbose_name="parte"
    )
    slug = models.SlugField("slug", max_length=120, unique=True)
    title = models.CharField("título", max_length=200)
    emoji = models.CharField("emoji", max_length=16, blank=True)
    intro = models.TextField("introducción", blank=True, help_text="Markdown.")
    intro_html = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = SectionManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "sección"
        verbose_name_plural = "secciones"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.title, self.intro)
        previous = (
            Section.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            from .redirects import SlugHistory

            SlugHistory.objects.create(section=self, section_slug=previous)

    def get_absolute_url(self) -> str:
        return reverse("roadmap:section_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class InSectionQuerySet(PublishedQuerySet):
    """Rows that belong to a section (topics, references): published only with their section
    and part, listed in course order."""

    def published(self):
        return self.filter(
            is_published=True, section__is_published=True, section__part__is_published=True
        )

    def in_course_order(self):
        return self.order_by(
            "section__part__order",
            "section__part_id",
            "section__order",
            "section_id",
            "order",
            "id",
        )


class TopicManager(models.Manager.from_queryset(InSectionQuerySet)):
    def get_by_natural_key(self, section_slug, slug):
        return self.get(section__slug=section_slug, slug=slug)


class Topic(ImportedContent):
    """A topic of a section (the bold-named bullets of the course)."""

    MARKDOWN_FIELDS = {"description": ("description_html", False)}

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="topics", verbose_name="sección"
    )
    slug = models.SlugField("slug", max_length=120)
    title = models.CharField("título", max_length=200)
    emoji = models.CharField("emoji", max_length=16, blank=True)
    url = models.URLField(
        "enlace principal", max_length=500, blank=True, help_text="Opcional: el título enlaza aquí."
    )
    description = models.TextField("descripción", blank=True, help_text="Markdown.")
    description_html = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = TopicManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "tema"
        verbose_name_plural = "temas"
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="roadmap_topic_unique_slug"),
        ]

    def __str__(self) -> str:
        return title_text(self.title)

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(title_text(self.title), self.description)
        previous = (
            Topic.objects.filter(pk=self.pk).values_list("section__slug", "slug").first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        if previous and previous != (self.section.slug, self.slug):
            from .redirects import SlugHistory

            SlugHistory.objects.create(topic=self, section_slug=previous[0], topic_slug=previous[1])

    def get_absolute_url(self) -> str:
        return reverse("roadmap:topic_detail", args=[self.section.slug, self.slug])

    def natural_key(self):
        return (self.section.slug, self.slug)

    natural_key.dependencies = ["roadmap.section"]


# A reference attached to a topic of another section is shown only while its own section is
# published.
class ReferenceManager(models.Manager.from_queryset(InSectionQuerySet)):
    def get_by_natural_key(self, section_slug, slug):
        return self.get(section__slug=section_slug, slug=slug)


class Reference(ImportedContent):
    """A link from a section's "📚 Referencias" list."""

    MARKDOWN_FIELDS = {"description": ("description_html", True)}

    class Kind(models.TextChoices):
        ARTICLE = "articulo", "Artículo"
        VIDEO = "video", "Video"
        COURSE = "curso", "Curso"
        NOTEBOOK = "cuaderno", "Cuaderno"
        PAPER = "paper", "Paper"
        REPOSITORY = "repositorio", "Repositorio"
        TOOL = "herramienta", "Herramienta"
        SITE = "sitio", "Sitio"

    KIND_ICONS = {
        Kind.ARTICLE: "📄",
        Kind.VIDEO: "🎬",
        Kind.COURSE: "🎓",
        Kind.NOTEBOOK: "📓",
        Kind.PAPER: "📑",
        Kind.REPOSITORY: "📦",
        Kind.TOOL: "🛠️",
        Kind.SITE: "🌐",
    }

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="references", verbose_name="sección"
    )
    slug = models.SlugField("slug", max_length=120)
    title = models.CharField("título", max_length=300)
    url = models.URLField("URL", max_length=500)
    author = models.CharField("autor/a", max_length=200, blank=True)
    description = models.TextField("descripción", blank=True, help_text="Markdown.")
    description_html = models.TextField(editable=False, blank=True)
    kind = models.CharField("tipo", max_length=20, choices=Kind, default=Kind.ARTICLE)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="attached_references",
        verbose_name="temas",
        help_text=(
            "Los temas de los que trata: la referencia aparece primero en la página de cada uno "
            "(«Recursos de este tema»). La importación nunca los cambia."
        ),
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = ReferenceManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "referencia"
        verbose_name_plural = "referencias"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "slug"], name="roadmap_reference_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return title_text(self.title)

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(
            title_text(self.title), self.author, self.description
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.section.get_absolute_url() + "#referencias"

    def natural_key(self):
        return (self.section.slug, self.slug)

    natural_key.dependencies = ["roadmap.section"]

    @property
    def kind_icon(self) -> str:
        return self.KIND_ICONS.get(self.kind, "🔗")

    @property
    def domain(self) -> str:
        return domain_of(self.url)
