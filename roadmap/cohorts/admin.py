"""Django admin for the cohorts: members with their roles, and the pacing targets."""

from django.contrib import admin
from django.db.models import Count, Q

from curso.admin_widgets import SafeAutocompleteMixin

from .models import Cohort, CohortMembership, DigestDelivery, SectionTarget


class CohortMembershipInline(SafeAutocompleteMixin, admin.TabularInline):
    model = CohortMembership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]


class SectionTargetInline(SafeAutocompleteMixin, admin.TabularInline):
    model = SectionTarget
    extra = 0
    fields = ["section", "due_date"]
    autocomplete_fields = ["section"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "is_active", "learner_count"]
    list_filter = ["is_active", "start_date"]
    search_fields = ["name", "slug", "memberships__user__email"]
    show_full_result_count = False
    list_per_page = 50
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["join_code", "created_at"]
    inlines = [CohortMembershipInline, SectionTargetInline]

    def get_search_results(self, request, queryset, search_term):
        """Every word must be in the name, the slug or a member's email. Members are matched
        by an existence test on their ids (the users' trigram index on PostgreSQL), never by a
        join that repeats each cohort once per member and then needs DISTINCT."""
        for word in search_term.split():
            members = CohortMembership.objects.filter(user__email__icontains=word)
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(slug__icontains=word)
                | Q(pk__in=members.values("cohort_id"))
            )
        return queryset, False

    def get_queryset(self, request):
        learners = Q(memberships__role=CohortMembership.Role.LEARNER)
        return (
            super().get_queryset(request).annotate(learners=Count("memberships", filter=learners))
        )

    @admin.display(description="aprendices", ordering="learners")
    def learner_count(self, obj) -> int:
        return obj.learners


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """What `send_weekly_digests` queued, to look at: the command writes these rows, nobody else
    (a row added or deleted by hand would skip or repeat a week's digest)."""

    list_display = ["cohort", "instructor", "week", "sent_at", "behind", "inactive", "finished"]
    list_filter = ["iso_year", "iso_week"]
    list_select_related = ["cohort", "instructor"]
    search_fields = ["cohort__name", "instructor__email"]
    date_hierarchy = "sent_at"
    show_full_result_count = False

    @admin.display(description="semana", ordering="iso_year")
    def week(self, obj) -> str:
        return f"{obj.iso_year}-W{obj.iso_week:02d}"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
