"""Users in the admin: search, filters by cohort and activity, and a read-only progress summary.

Learners' notes are private and are not shown here (nor registered anywhere in the admin).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import format_html_join

from roadmap.learning.models import DailyActivity
from roadmap.learning.selectors import INACTIVE_AFTER, changed_since, course_tallies
from roadmap.models import Part

from .forms import UserChangeAdminForm, UserCreationAdminForm
from .models import User


class ActivityFilter(admin.SimpleListFilter):
    title = "actividad"
    parameter_name = "actividad"

    def lookups(self, request, model_admin):
        return [
            ("7d", "Activos en los últimos 7 días"),
            ("inactivos", "Sin actividad en 7+ días"),
            ("nunca", "Nunca marcaron un tema"),
        ]

    def queryset(self, request, queryset):
        """Existence tests on the daily rollup (one index probe per user), never an aggregate
        over every user's history."""
        if self.value() not in {"7d", "inactivos", "nunca"}:
            return queryset
        days = DailyActivity.objects.filter(user=OuterRef("pk"))
        recent = changed_since(timezone.now() - INACTIVE_AFTER).filter(user=OuterRef("pk"))
        if self.value() == "7d":
            return queryset.filter(Exists(recent))
        if self.value() == "inactivos":
            return queryset.filter(Exists(days), ~Exists(recent))
        return queryset.filter(~Exists(days))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "cohorts", ActivityFilter]
    search_fields = ["email", "display_name"]  # trigram indexes on PostgreSQL (migration 0004)
    show_full_result_count = False  # a filtered list does not count every user a second time
    readonly_fields = ["progress_summary", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Perfil", {"fields": ["display_name", "time_zone"]}),
        ("Progreso (solo lectura; las notas son privadas)", {"fields": ["progress_summary"]}),
        (
            "Permisos",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Fechas", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        ),
    ]

    @admin.display(description="resumen de progreso")
    def progress_summary(self, obj):
        if obj.pk is None:
            return "—"
        tallies = course_tallies(obj)
        rows = [("Todo el curso", tallies.overall)] + [
            (part.title, tallies.for_part(part.pk)) for part in Part.objects.published()
        ]
        return format_html_join(
            "",
            "<div><strong>{}:</strong> {} · {} % · {} en progreso</div>",
            ((label, t.label, t.percent, t.in_progress) for label, t in rows),
        )
