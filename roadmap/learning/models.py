"""What a learner owns: a status per topic (with its history) and private notes.

Pendiente needs no row. "Omitido" takes a topic out of the learner's plan: it counts neither as
completed nor as pending, so progress is completed / (topics − omitted) and reaches 100 %.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from roadmap.catalog.markdown import plain_excerpt_html
from roadmap.catalog.models import Topic
from roadmap.catalog.rendered import RenderedMarkdown, RenderedQuerySet
from roadmap.catalog.search import normalize_search_text


class Status(models.TextChoices):
    PENDING = "pendiente", "Pendiente"
    IN_PROGRESS = "en_progreso", "En progreso"
    DONE = "completado", "Completado"
    SKIPPED = "omitido", "Omitido"


class TopicProgress(models.Model):
    """A learner's status on one topic: at most one row per (learner, topic)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="topic_progress",
        verbose_name="aprendiz",
        db_index=False,  # the unique (user, topic) index starts with it
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="progress", verbose_name="tema"
    )
    status = models.CharField("estado", max_length=20, choices=Status, default=Status.PENDING)
    started_at = models.DateTimeField("empezado", null=True, blank=True)
    completed_at = models.DateTimeField("completado", null=True, blank=True)
    updated_at = models.DateTimeField("último cambio", default=timezone.now)

    class Meta:
        verbose_name = "progreso en un tema"
        verbose_name_plural = "progreso en temas"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="roadmap_progress_one_per_topic"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="roadmap_progress_valid_status"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "updated_at"], name="roadmap_progress_recent"),
            # The cohort dashboard's "stuck topics": the few in-progress rows of each learner,
            # without reading every status of theirs.
            models.Index(
                fields=["user", "topic"],
                condition=models.Q(status=Status.IN_PROGRESS),
                name="roadmap_progress_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic}: {self.get_status_display()}"


class ProgressEvent(models.Model):
    """One status change, as it happened. Pages read `DailyActivity` instead; the learner's export
    lists the events still kept, and `prune_progress_events` deletes old ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="progress_events",
        db_index=False,  # roadmap_event_user_time starts with it
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="progress_events")
    status = models.CharField(max_length=20, choices=Status)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "cambio de estado"
        verbose_name_plural = "cambios de estado"
        indexes = [models.Index(fields=["user", "created_at"], name="roadmap_event_user_time")]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic} → {self.get_status_display()}"


class DailyActivity(models.Model):
    """How many status changes a learner made on one day of their own calendar, and the last one.

    What the activity chart, the streaks and every "last activity" read: one short row per
    learner and active day, kept forever, so the raw events can be pruned without changing any
    page. `day` is the date in the learner's time zone at the moment of the change. Written in
    the same transaction as each event (roadmap/learning/rollup.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="daily_activity",
        verbose_name="aprendiz",
        db_index=False,  # the unique (user, day) index starts with it
    )
    day = models.DateField("día")
    changes = models.PositiveIntegerField("cambios de estado")
    last_at = models.DateTimeField("último cambio")

    class Meta:
        verbose_name = "actividad diaria"
        verbose_name_plural = "actividad diaria"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="roadmap_activity_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}: {self.changes}"


class LearnerSummary(models.Model):
    """A learner's running totals (completed, skipped, in progress) and their last status change.

    What lists of many learners read (the cohort list and dashboard, the admin's activity
    filters): one row per learner instead of all their statuses and days. Kept in step by
    `progress_set_status` in the same transaction as each change (roadmap/learning/summary.py).
    The counts cover every topic, published or not; readers subtract the unpublished ones
    (`selectors.learner_tallies`). No row: the learner never marked a topic.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="learner_summary",
        verbose_name="aprendiz",
    )
    done = models.IntegerField("completados", default=0)
    skipped = models.IntegerField("omitidos", default=0)
    in_progress = models.IntegerField("en progreso", default=0)
    last_activity_at = models.DateTimeField("último cambio", null=True, blank=True)

    class Meta:
        verbose_name = "resumen de progreso"
        verbose_name_plural = "resúmenes de progreso"
        indexes = [models.Index(fields=["last_activity_at"], name="roadmap_summary_last_change")]

    def __str__(self) -> str:
        return f"{self.user}: {self.done} completados"


class Note(RenderedMarkdown):
    """A learner's private Markdown note on a topic (one per topic).

    `body_html` is the whole note, `excerpt_html` the beginning of its text as escaped plain text
    (for the list of notes: no half-cut Markdown); both are made when the note is saved
    (NoteForm), never while a page is served.
    """

    MAX_LENGTH = 20_000
    MARKDOWN_FIELDS = {"body": ("body_html", False)}
    EXTRA_RENDERED_FIELDS = {"body": ("excerpt_html",)}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notes",
        db_index=False,  # the unique (user, topic) index starts with it
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField("nota")
    body_html = models.TextField(editable=False, blank=True)
    excerpt_html = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("creada", default=timezone.now)
    updated_at = models.DateTimeField("editada", default=timezone.now)

    objects = models.Manager.from_queryset(RenderedQuerySet)()

    class Meta:
        verbose_name = "nota"
        verbose_name_plural = "notas"
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="roadmap_note_one_per_topic"),
        ]
        indexes = [models.Index(fields=["user", "updated_at"], name="roadmap_note_recent")]

    def __str__(self) -> str:
        return f"Nota sobre {self.topic}"

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def set_rendered_html(self, source: str, html: str) -> None:
        super().set_rendered_html(source, html)
        if source == "body":
            self.excerpt_html = plain_excerpt_html(html)

    def get_absolute_url(self) -> str:
        return reverse("roadmap:note_detail", args=[self.pk])
