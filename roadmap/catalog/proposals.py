"""Which references, videos and notebooks belong to which topic: proposed here, decided by editors.

The Markdown source does not say which resource is about which topic, so nothing is attached by
itself. After every import (and with `manage.py propose_attachments`) the matcher below proposes
pairs; an editor accepts or rejects each one in the admin («Propuestas de temas»). Accepting
attaches the resource to the topic (`Reference.topics` / `Resource.topics`); what an editor
decided (accepted, rejected, or attached by hand) is never proposed again, and re-importing never
touches attachments.

The rule, on normalised words (accents and case folded, short and common words dropped), for
the references of the topic's own section and for every video and notebook (they are
course-wide); a reference of another section can be attached by hand:
- every word of the topic's title is in the resource's title → proposed ("título");
- or every word of the topic's title is in the resource's description → proposed
  ("descripción");
- or the resource links to the topic's own link → proposed ("mismo enlace").
"""

import re
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from .models import Reference, Topic
from .resources import Resource
from .source_fixes import fold

# Words that say nothing about what a title is about (Spanish and English).
COMMON_WORDS = frozenset(
    re.findall(
        r"\w+",
        """
        al como con de del el en entre es la las lo los mas para por que se sin su sus tipo un
        una uno unos unas y o e u a
        the of and for to in on with from by an is are your you how what why using use vs
        """,
    )
)


def title_words(text: str) -> frozenset[str]:
    """The words of a text that can tell what it is about: folded, without common words, and
    three letters or more unless they carry a digit ("7b", "4")."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return frozenset(
        word
        for word in words
        if word not in COMMON_WORDS and (len(word) >= 3 or any(c.isdigit() for c in word))
    )


def _same_link(a: str, b: str) -> bool:
    return bool(a) and a.rstrip("/") == b.rstrip("/")


class ProposalStatus(models.TextChoices):
    PENDING = "propuesta", "Propuesta"
    ACCEPTED = "aceptada", "Aceptada"
    REJECTED = "rechazada", "Rechazada"


class AttachmentProposal(models.Model):
    """A proposed "this reference/video/notebook is about this topic", waiting for an editor."""

    Status = ProposalStatus

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="attachment_proposals", verbose_name="tema"
    )
    reference = models.ForeignKey(
        Reference,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachment_proposals",
        verbose_name="referencia",
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachment_proposals",
        verbose_name="video o cuaderno",
    )
    reason = models.CharField("por qué", max_length=300)
    status = models.CharField(
        "estado", max_length=20, choices=ProposalStatus, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField("propuesta el", default=timezone.now)
    decided_at = models.DateTimeField("decidida el", null=True, blank=True)

    class Meta:
        verbose_name = "propuesta de tema"
        verbose_name_plural = "propuestas de temas"
        ordering = ["topic__section__part__order", "topic__section__order", "topic__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(reference__isnull=False, resource__isnull=True)
                    | models.Q(reference__isnull=True, resource__isnull=False)
                ),
                name="roadmap_proposal_reference_xor_resource",
            ),
            models.UniqueConstraint(
                fields=["topic", "reference"],
                condition=models.Q(reference__isnull=False),
                name="roadmap_proposal_one_per_reference",
            ),
            models.UniqueConstraint(
                fields=["topic", "resource"],
                condition=models.Q(resource__isnull=False),
                name="roadmap_proposal_one_per_resource",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProposalStatus.values),
                name="roadmap_proposal_valid_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.topic}"

    @property
    def item(self) -> Reference | Resource:
        return self.reference if self.reference_id else self.resource


@dataclass(frozen=True)
class Match:
    topic: Topic
    item: Reference | Resource
    reason: str

    def __str__(self) -> str:
        kind = "referencia" if isinstance(self.item, Reference) else "recurso"
        return f"? {kind} «{self.item.title}» → tema «{self.topic.title}» ({self.reason})"


def find_matches(topics, references, resources) -> list[Match]:
    """Every (topic, resource) pair the rule above proposes, in the order given."""
    matches = []
    for topic in topics:
        words = title_words(topic.title)
        if not words:
            continue
        own_references = [r for r in references if r.section_id == topic.section_id]
        for item in [*own_references, *resources]:
            if words <= title_words(item.title):
                reason = f"título: {', '.join(sorted(words))}"
            elif words <= title_words(item.description):
                reason = f"descripción: {', '.join(sorted(words))}"
            elif _same_link(topic.url, item.url):
                reason = "mismo enlace"
            else:
                continue
            matches.append(Match(topic, item, reason))
    return matches


def propose_attachments() -> list[Match]:
    """Store the new proposals for the published content; return them.

    Pairs already attached, or already proposed (whatever the editor decided), are skipped."""
    topics = list(Topic.objects.published().in_course_order())
    references = list(
        Reference.objects.published()
        .order_by("section__part__order", "section__order", "order", "pk")
        .prefetch_related("topics")
    )
    resources = list(
        Resource.objects.published()
        .filter(group__is_published=True)
        .order_by("group__order", "order", "pk")
        .prefetch_related("topics")
    )
    attached = {("reference", r.pk, t.pk) for r in references for t in r.topics.all()}
    attached |= {("resource", r.pk, t.pk) for r in resources for t in r.topics.all()}
    known = set(AttachmentProposal.objects.values_list("reference_id", "resource_id", "topic_id"))
    new = []
    for match in find_matches(topics, references, resources):
        is_reference = isinstance(match.item, Reference)
        key = ("reference" if is_reference else "resource", match.item.pk, match.topic.pk)
        proposal_key = (
            (match.item.pk, None, match.topic.pk)
            if is_reference
            else (None, match.item.pk, match.topic.pk)
        )
        if key in attached or proposal_key in known:
            continue
        new.append(match)
    AttachmentProposal.objects.bulk_create(
        [
            AttachmentProposal(
                topic=match.topic,
                reference=match.item if isinstance(match.item, Reference) else None,
                resource=match.item if isinstance(match.item, Resource) else None,
                reason=match.reason[:300],
            )
            for match in new
        ]
    )
    return new


def proposal_accept(*, proposal: AttachmentProposal) -> None:
    """Attach the proposal's resource to its topic and record the decision."""
    with transaction.atomic():
        proposal.item.topics.add(proposal.topic)  # m2m_changed: a new content version
        proposal.status = AttachmentProposal.Status.ACCEPTED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at"])


def proposal_reject(*, proposal: AttachmentProposal) -> None:
    """Record that the resource is not about the topic: it is not proposed again."""
    proposal.status = AttachmentProposal.Status.REJECTED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
