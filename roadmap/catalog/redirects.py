"""Old section and topic addresses, so renamed content keeps its links working (301)."""

from django.db import models
from django.utils import timezone

from .models import Section, Topic


class SlugHistory(models.Model):
    """A past address: of a section (`section`), or of a topic (`topic`, with its old section)."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="old_slugs"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="old_slugs"
    )
    section_slug = models.SlugField(max_length=120)
    topic_slug = models.SlugField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "dirección anterior"
        verbose_name_plural = "direcciones anteriores"
        indexes = [models.Index(fields=["section_slug", "topic_slug"], name="roadmap_old_slug")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(section__isnull=False, topic__isnull=True, topic_slug="")
                    | models.Q(section__isnull=True, topic__isnull=False)
                ),
                name="roadmap_slughistory_section_xor_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"/secciones/{self.section_slug}/{self.topic_slug + '/' if self.topic_slug else ''}"
