from django.contrib import admin
from django.db.models import Count, Q

from .models import Cohort, CohortMembership, SectionTarget


class CohortMembershipInline(admin.TabularInline):
    model = CohortMembership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]


class SectionTargetInline(admin.TabularInline):
    model = SectionTarget
    extra = 0
    fields = ["section", "due_date"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "is_active", "learner_count"]
    list_filter = ["is_active", "start_date"]
    search_fields = ["name", "slug", "memberships__user__email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["join_code", "created_at"]
    inlines = [CohortMembershipInline, SectionTargetInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                learners=Count(
                    "memberships", filter=Q(memberships__role=CohortMembership.Role.LEARNER)
                )
            )
        )

    @admin.display(description="aprendices", ordering="learners")
    def learner_count(self, obj) -> int:
        return obj.learners
