"""Django admin for the course content.

Content is unpublished, not deleted: a topic with learners' statuses or notes cannot be deleted
(the relation is protected) and the admin says so plainly. Notes are not registered here.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from curso.admin_widgets import SafeAutocompleteMixin
from roadmap.cohorts.models import SectionTarget
from roadmap.learning.models import Note, ProgressEvent, TopicProgress

from .forms import RenderedMarkdownForm, prerender_markdown
from .models import Course, Part, Reference, Section, Topic
from .resources import Resource, ResourceGroup


def markdown_preview(html: str):
    """The HTML stored when the text was saved (sanitised then); never rendered here."""
    return mark_safe(html) if html else "—"  # noqa: S308 - sanitised when it was written


class SiteLinkMixin:
    @admin.display(description="en el sitio")
    def site_link(self, obj):
        return format_html('<a href="{}">ver</a>', obj.get_absolute_url())


class LearnerDataProtectionMixin:
    """Explain, in one line per object, why content with learners' data cannot be deleted."""

    def topics_of(self, objs):
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            topics = self.topics_of(objs)
            progress = TopicProgress.objects.filter(topic__in=topics)
            learners = progress.values("user").distinct().count()
            notes = Note.objects.filter(topic__in=topics).count()
            targets = SectionTarget.objects.filter(section__topics__in=topics).distinct().count()
            protected = [
                f"Hay datos de aprendices: {learners} persona(s) con estado en estos temas y "
                f"{notes} nota(s) privada(s). Despublicá el contenido en lugar de borrarlo: "
                "desaparece del sitio y de los porcentajes, y sus datos vuelven si lo publicás."
            ]
            events = ProgressEvent.objects.filter(topic__in=topics).count()
            if events and not learners:
                protected.append(f"{events} cambio(s) de estado en el historial de aprendices.")
            if targets:
                protected.append(f"{targets} meta(s) de cohortes apuntan a estas secciones.")
        return deleted, model_count, perms_needed, protected


class RenderedMarkdownAdmin(admin.ModelAdmin):
    """Renders the posted Markdown before the admin opens its write transaction.

    The form then takes the results from `prerendered`: a slow text never holds the database's
    write lock (SQLite's IMMEDIATE transactions would block every other writer meanwhile).
    """

    form = RenderedMarkdownForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.markdown_prerendered = prerender_markdown(self.model, request.POST)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.prerendered = getattr(request, "markdown_prerendered", {})
        return form


class PublishedAdmin(SafeAutocompleteMixin, RenderedMarkdownAdmin):
    list_filter = ["is_published"]
    # Each row is a small form (`list_editable`): 100 of them took ~200 ms to render.
    list_per_page = 50
    actions = ["publish", "unpublish"]

    @admin.action(description="Publicar lo seleccionado")
    def publish(self, request, queryset):
        self.message_user(request, f"Publicados: {queryset.update(is_published=True)}.")

    @admin.action(description="Despublicar lo seleccionado (se conservan los datos de aprendices)")
    def unpublish(self, request, queryset):
        self.message_user(request, f"Despublicados: {queryset.update(is_published=False)}.")


@admin.register(Course)
class CourseAdmin(RenderedMarkdownAdmin):
    list_display = ["title", "slug"]
    readonly_fields = ["intro_preview", "acknowledgements_preview"]
    fields = [
        "title",
        "slug",
        "intro",
        "intro_preview",
        "acknowledgements",
        "acknowledgements_preview",
    ]

    @admin.display(description="vista previa de la introducción")
    def intro_preview(self, obj):
        return markdown_preview(obj.intro_html)

    @admin.display(description="vista previa de los reconocimientos")
    def acknowledgements_preview(self, obj):
        return markdown_preview(obj.acknowledgements_html)


@admin.register(Part)
class PartAdmin(LearnerDataProtectionMixin, SiteLinkMixin, PublishedAdmin):
    list_display = ["title", "emoji", "order", "section_count", "is_published", "site_link"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "slug", "summary", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["intro_preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sections_total=Count("sections"))

    def topics_of(self, objs):
        return Topic.objects.filter(section__part__in=objs)

    @admin.display(description="secciones", ordering="sections_total")
    def section_count(self, obj) -> int:
        return obj.sections_total

    @admin.display(description="vista previa")
    def intro_preview(self, obj):
        return markdown_preview(obj.intro_html)


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ["title", "slug", "emoji", "order", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    ordering = ["order", "id"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["title", "slug", "url", "author", "kind", "order", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    ordering = ["order", "id"]


@admin.register(Section)
class SectionAdmin(LearnerDataProtectionMixin, SiteLinkMixin, PublishedAdmin):
    list_display = [
        "title",
        "part",
        "order",
        "topic_count",
        "reference_count",
        "is_published",
        "site_link",
    ]
    list_editable = ["order", "is_published"]
    list_filter = ["part", "is_published"]
    list_select_related = ["part"]
    search_fields = ["title", "slug", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["part"]
    readonly_fields = ["intro_preview"]
    inlines = [TopicInline, ReferenceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                topics_total=Count("topics", distinct=True),
                references_total=Count("references", distinct=True),
            )
        )

    def topics_of(self, objs):
        return Topic.objects.filter(section__in=objs)

    @admin.display(description="temas", ordering="topics_total")
    def topic_count(self, obj) -> int:
        return obj.topics_total

    @admin.display(description="referencias", ordering="references_total")
    def reference_count(self, obj) -> int:
        return obj.references_total

    @admin.display(description="vista previa")
    def intro_preview(self, obj):
        return markdown_preview(obj.intro_html)


@admin.register(Topic)
class TopicAdmin(LearnerDataProtectionMixin, SiteLinkMixin, PublishedAdmin):
    # No learner count per row: it would count every status of the site on each list view.
    # A topic's own page shows its count (one indexed count).
    list_display = ["title", "section", "order", "is_published", "site_link"]
    list_editable = ["order", "is_published"]
    list_filter = ["section__part", "section", "is_published"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "description", "section__title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    readonly_fields = ["description_preview", "attachments", "learner_count"]
    fields = [
        "section",
        "title",
        "slug",
        "emoji",
        "url",
        "description",
        "description_preview",
        "attachments",
        "order",
        "is_published",
        "learner_count",
    ]

    def topics_of(self, objs):
        return objs

    @admin.display(description="recursos de este tema")
    def attachments(self, obj):
        """What the topic's page lists first; attached from each reference, video or notebook."""
        if not obj.pk:
            return "—"
        items = [
            *obj.attached_references.order_by("section__order", "order"),
            *obj.attached_resources.order_by("group__order", "order"),
        ]
        if not items:
            return "Ninguno: se adjuntan desde cada referencia, video o cuaderno (campo «temas»)."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse(f"admin:roadmap_{item._meta.model_name}_change", args=[item.pk]),
                    item.title,
                    item._meta.verbose_name,
                )
                for item in items
            ),
        )

    @admin.display(description="aprendices con estado")
    def learner_count(self, obj) -> int | str:
        return TopicProgress.objects.filter(topic=obj).count() if obj.pk else "—"

    @admin.display(description="vista previa")
    def description_preview(self, obj):
        return markdown_preview(obj.description_html)


@admin.register(Reference)
class ReferenceAdmin(SiteLinkMixin, PublishedAdmin):
    list_display = ["title", "section", "kind", "author", "order", "is_published", "site_link"]
    list_editable = ["order", "is_published"]  # a select per row cost ~2 ms
    list_filter = ["kind", "section__part", "is_published"]
    list_select_related = ["section"]
    search_fields = ["title", "url", "author", "description"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "topics"]
    readonly_fields = ["description_preview"]

    @admin.display(description="vista previa")
    def description_preview(self, obj):
        return markdown_preview(obj.description_html)


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["title", "slug", "url", "article_url", "order", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(ResourceGroup)
class ResourceGroupAdmin(SiteLinkMixin, PublishedAdmin):
    list_display = ["title", "kind", "collection", "order", "resource_count", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "collection", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resources_total=Count("resources"))

    @admin.display(description="recursos", ordering="resources_total")
    def resource_count(self, obj) -> int:
        return obj.resources_total


@admin.register(Resource)
class ResourceAdmin(SiteLinkMixin, PublishedAdmin):
    list_display = ["title", "group", "kind", "order", "is_published", "site_link"]
    list_editable = ["order", "is_published"]
    list_filter = ["group__kind", "group", "is_published"]
    list_select_related = ["group"]
    search_fields = ["title", "description", "url"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["group", "topics"]
    readonly_fields = ["description_preview"]

    @admin.display(description="tipo", ordering="group__kind")
    def kind(self, obj) -> str:
        return obj.group.get_kind_display()

    @admin.display(description="vista previa")
    def description_preview(self, obj):
        return markdown_preview(obj.description_html)
