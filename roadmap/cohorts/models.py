"""Cohorts: a group of learners who follow the course together, with instructors and pacing."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.catalog.models import Section

JOIN_CODE_BYTES = 9  # 12 URL-safe characters


def new_join_code() -> str:
    return secrets.token_urlsafe(JOIN_CODE_BYTES)


class CohortQuerySet(models.QuerySet):
    def taught_by(self, user):
        """The cohorts `user` may see as an instructor (every cohort for a superuser)."""
        if user.is_superuser:
            return self.all()
        return self.filter(
            memberships__user=user, memberships__role=CohortMembership.Role.INSTRUCTOR
        )


class Cohort(models.Model):
    name = models.CharField("nombre", max_length=120)
    slug = models.SlugField("slug", max_length=120, unique=True)
    description = models.TextField("descripción", blank=True)
    start_date = models.DateField("empieza")
    end_date = models.DateField("termina", null=True, blank=True)
    is_active = models.BooleanField("activa", default=True)
    join_code = models.CharField(
        "código de invitación", max_length=32, unique=True, default=new_join_code
    )
    created_at = models.DateTimeField("creada", default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CohortMembership", related_name="cohorts"
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = "cohorte"
        verbose_name_plural = "cohortes"
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="roadmap_cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:cohort_dashboard", args=[self.slug])

    def get_join_url(self) -> str:
        return reverse("roadmap:cohort_join", args=[self.join_code])

    def has_ended(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.end_date is not None and self.end_date < today

    def is_open(self, today=None) -> bool:
        return self.is_active and not self.has_ended(today)


class CohortMembership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "aprendiz", "Aprendiz"
        INSTRUCTOR = "instructor", "Instructor/a"

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,  # the unique (cohort, user) index starts with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    role = models.CharField("rol", max_length=20, choices=Role, default=Role.LEARNER)
    joined_at = models.DateTimeField("se unió", default=timezone.now)

    class Meta:
        verbose_name = "integrante"
        verbose_name_plural = "integrantes"
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="roadmap_cohort_one_membership"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["aprendiz", "instructor"]),
                name="roadmap_cohort_valid_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} en {self.cohort} ({self.get_role_display()})"


class SectionTarget(models.Model):
    """Pacing: the date by which the cohort should have finished a section."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="cohort_targets")
    due_date = models.DateField("para el")

    class Meta:
        verbose_name = "meta de sección"
        verbose_name_plural = "metas de sección"
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "section"], name="roadmap_target_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} — para el {self.due_date:%d/%m/%Y}"


class DigestDelivery(models.Model):
    """One weekly digest queued for one instructor of one cohort (roadmap/cohorts/digest.py).

    The unique (cohort, instructor, ISO year, ISO week) row is the claim: it is written in the
    same transaction as the queued email, so a week's digest is queued once or not at all."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        db_index=False,  # the unique index starts with it
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
        verbose_name="instructor/a",
    )
    iso_year = models.PositiveSmallIntegerField("año (ISO)")
    iso_week = models.PositiveSmallIntegerField("semana (ISO)")
    sent_at = models.DateTimeField("encolado", default=timezone.now)
    behind = models.PositiveIntegerField("atrasados/as", default=0)
    inactive = models.PositiveIntegerField("inactivos/as", default=0)
    finished = models.PositiveIntegerField("terminaron secciones", default=0)

    class Meta:
        verbose_name = "resumen semanal enviado"
        verbose_name_plural = "resúmenes semanales enviados"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "instructor", "iso_year", "iso_week"],
                name="roadmap_digest_once_a_week",
            ),
            models.CheckConstraint(
                condition=models.Q(iso_week__gte=1, iso_week__lte=53),
                name="roadmap_digest_valid_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} → {self.instructor} ({self.iso_year}-W{self.iso_week:02d})"
