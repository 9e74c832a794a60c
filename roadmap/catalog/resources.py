"""Course-wide resources: the video lists and the notebook categories, with their items."""

from django.db import models
from django.urls import reverse

from .models import ImportedContent, PublishedQuerySet
from .search import normalize_search_text
from .titles import title_text


class ResourceGroupManager(models.Manager.from_queryset(PublishedQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ResourceGroup(ImportedContent):
    """A course-wide list: the video lists and the notebook categories."""

    MARKDOWN_FIELDS = {"intro": ("intro_html", False)}

    class Kind(models.TextChoices):
        VIDEO = "video", "Videos"
        NOTEBOOK = "cuaderno", "Cuadernos"

    slug = models.SlugField("slug", max_length=120, unique=True)
    title = models.CharField("título", max_length=200)
    kind = models.CharField("tipo", max_length=20, choices=Kind)
    collection = models.CharField(
        "colección", max_length=120, blank=True, help_text="La lista a la que pertenece."
    )
    emoji = models.CharField("emoji", max_length=16, blank=True)
    intro = models.TextField("introducción", blank=True, help_text="Markdown.")
    intro_html = models.TextField(editable=False, blank=True)

    objects = ResourceGroupManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "grupo de recursos"
        verbose_name_plural = "grupos de recursos"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:resources") + f"?tipo={self.kind}#{self.slug}"

    @property
    def is_collection_text(self) -> bool:
        """A group named like its list holds the list's own text, not a category of it."""
        return self.title == self.collection

    def natural_key(self):
        return (self.slug,)


class ResourceQuerySet(PublishedQuerySet):
    def published(self):
        """Published resources of published groups (what /recursos/ lists)."""
        return self.filter(is_published=True, group__is_published=True)

    def in_course_order(self):
        return self.order_by("group__order", "group_id", "order", "id")


class ResourceManager(models.Manager.from_queryset(ResourceQuerySet)):
    def get_by_natural_key(self, group_slug, slug):
        return self.get(group__slug=group_slug, slug=slug)


class Resource(ImportedContent):
    """A video or a notebook of the course-wide lists."""

    MARKDOWN_FIELDS = {"description": ("description_html", True)}

    group = models.ForeignKey(
        ResourceGroup, on_delete=models.CASCADE, related_name="resources", verbose_name="grupo"
    )
    slug = models.SlugField("slug", max_length=120)
    title = models.CharField("título", max_length=300)
    emoji = models.CharField("emoji", max_length=16, blank=True)
    description = models.TextField("descripción", blank=True, help_text="Markdown.")
    description_html = models.TextField(editable=False, blank=True)
    url = models.URLField("enlace", max_length=500, help_text="El video, o el cuaderno en Colab.")
    article_url = models.URLField("enlace al artículo", max_length=500, blank=True)
    article_label = models.CharField(
        "texto del enlace al artículo", max_length=60, blank=True, default="Artículo"
    )
    search_text = models.TextField(editable=False, blank=True)
    topics = models.ManyToManyField(
        "roadmap.Topic",
        blank=True,
        related_name="attached_resources",
        verbose_name="temas",
        help_text=(
            "Los temas de los que trata: el video o cuaderno aparece en la página de cada uno "
            "(«Recursos de este tema»). La importación nunca los cambia."
        ),
    )

    objects = ResourceManager()

    class Meta(ImportedContent.Meta):
        verbose_name = "recurso"
        verbose_name_plural = "recursos"
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="roadmap_resource_unique_slug"),
        ]

    def __str__(self) -> str:
        return title_text(self.title)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "description"} & set(update_fields):
            self.search_text = normalize_search_text(self.title, self.description)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url()

    def natural_key(self):
        return (self.group.slug, self.slug)

    natural_key.dependencies = ["roadmap.resourcegroup"]
