"""Users in the admin: search, filters by cohort and activity, and a read-only progress summary.

Learners' notes are private and are not shown here (nor registered anywhere in the admin).
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import format_html_join
from django_tasks_db.models import DBTaskResult

from roadmap.cohorts.models import Cohort, CohortMembership
from roadmap.learning.models import LearnerSummary
from roadmap.learning.selectors import INACTIVE_AFTER, course_tallies
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
        """On each user's running totals (one row per user, joined on its key), never an
        aggregate over every user's history."""
        since = timezone.now() - INACTIVE_AFTER
        last_change = "learner_summary__last_activity_at"
        if self.value() == "7d":
            return queryset.filter(**{f"{last_change}__gte": since})
        if self.value() == "inactivos":
            return queryset.filter(**{f"{last_change}__lt": since})
        if self.value() == "nunca":  # an anti-join: the planner then knows how many are left
            changed = LearnerSummary.objects.filter(
                user=OuterRef("pk"), last_activity_at__isnull=False
            )
            return queryset.filter(~Exists(changed))
        return queryset


class CohortFilter(admin.SimpleListFilter):
    """The members of one cohort, by an existence test: no join that repeats users, so no
    DISTINCT over a cohort of thousands before the page is cut."""

    title = "cohorte"
    parameter_name = "cohorte"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Cohort.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        members = CohortMembership.objects.filter(cohort_id=self.value(), user=OuterRef("pk"))
        return queryset.filter(Exists(members))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", CohortFilter, ActivityFilter]
    search_fields = ["email", "display_name"]  # trigram indexes on PostgreSQL (migration 0004)
    show_full_result_count = False  # a filtered list does not count every user a second time
    list_per_page = 50  # rendering the rows is most of the page: 100 took ~150 ms
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


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(BaseEmailAddressAdmin):
    """allauth's, searching the address itself only (a trigram index on PostgreSQL, migration
    0005): allauth also searches the user's fields, an OR across a join that reads every row."""

    show_full_result_count = False
    list_per_page = 50

    def get_search_fields(self, request):
        return ["email"]


# Queued emails (django-tasks-db's task rows) carry one-time links: password resets and email
# confirmations. They are not browsable here; `manage.py retry_failed_mail --dry-run` lists the
# ones that failed (curso/mail_queue.py).
admin.site.unregister(DBTaskResult)
