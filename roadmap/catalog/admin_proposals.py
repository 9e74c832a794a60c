"""The admin's «Propuestas de temas»: editors confirm or reject what the matcher proposed.

Proposals are written by the importer and `manage.py propose_attachments`, never by hand; an
editor accepts (the resource is attached to the topic) or rejects them from the list.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .proposals import AttachmentProposal, proposal_accept, proposal_reject


@admin.register(AttachmentProposal)
class AttachmentProposalAdmin(admin.ModelAdmin):
    list_display = ["item_link", "item_kind", "topic_link", "reason", "status", "created_at"]
    list_filter = ["status", "topic__section__part", "topic__section"]
    list_select_related = ["topic__section", "reference__section", "resource__group"]
    search_fields = ["topic__title", "reference__title", "resource__title"]
    actions = ["accept", "reject"]
    fields = ["topic_link", "item_link", "item_kind", "reason", "status", "created_at"]
    readonly_fields = fields
    list_per_page = 100

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="recurso")
    def item_link(self, obj):
        item = obj.item
        url = reverse(f"admin:roadmap_{item._meta.model_name}_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, item.title)

    @admin.display(description="tipo")
    def item_kind(self, obj) -> str:
        if obj.reference_id:
            return f"referencia de «{obj.reference.section.title}»"
        return obj.resource.group.get_kind_display().lower().removesuffix("s")

    @admin.display(description="tema", ordering="topic__title")
    def topic_link(self, obj):
        url = reverse("admin:roadmap_topic_change", args=[obj.topic_id])
        return format_html('<a href="{}">{}</a> ({})', url, obj.topic.title, obj.topic.section)

    @admin.action(description="Aceptar: adjuntar el recurso al tema", permissions=["change"])
    def accept(self, request, queryset):
        proposals = list(queryset.select_related("topic", "reference", "resource"))
        for proposal in proposals:
            proposal_accept(proposal=proposal)
        self.message_user(
            request,
            f"Adjuntados: {len(proposals)}. Se ven enseguida en la página de cada tema.",
        )

    @admin.action(description="Rechazar: no se vuelve a proponer", permissions=["change"])
    def reject(self, request, queryset):
        proposals = list(queryset)
        for proposal in proposals:
            proposal_reject(proposal=proposal)
        self.message_user(request, f"Rechazadas: {len(proposals)}.")
