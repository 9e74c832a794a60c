"""Sync the parsed course (course_data.CourseContent) into the database, idempotently.

Rules, so that re-importing never costs a learner anything:
- rows are matched by slug in their place (a topic within its section, a section in the course);
  a row whose slug is gone but that sits at the same position is a rename: it keeps its slug and
  id and takes the new title;
- a row is rewritten only when its source text changed since the last import (`source_hash`), so
  editors' admin fixes to rows the Markdown did not change survive;
- rows that disappeared from the source are unpublished, never deleted;
- every Markdown text is rendered before the write transaction starts; if one cannot be rendered
  in time, the import stops before writing anything and names it (MarkdownImportError);
- which resource belongs to which topic is the editors' call: the import never changes an
  attachment; it only proposes new ones for them to confirm (roadmap/catalog/proposals.py).
"""

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db import models, transaction

from .course_data import CourseContent
from .markdown import MarkdownError, render_markdown
from .models import Course, Part, Reference, Section, Topic
from .proposals import propose_attachments
from .resources import Resource, ResourceGroup


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    unpublished: Counter = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)  # new topic ↔ resource proposals
    dry_run: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.unpublished)

    def summary(self) -> str:
        names = [m._meta.verbose_name_plural for m in MODELS]
        rows = []
        for name in names:
            rows.append(
                f"{name}: nuevos {self.created[name]}, actualizados {self.updated[name]}, "
                f"despublicados {self.unpublished[name]}, sin cambios {self.unchanged[name]}"
            )
        return "\n".join(rows)


MODELS = [Course, Part, Section, Topic, Reference, ResourceGroup, Resource]
# source_hash of a row the importer unpublished because it left the source.
RETIRED = "retirado-por-la-importacion"


def _digest(values: dict) -> str:
    def plain(value):
        return value.natural_key() if isinstance(value, models.Model) else value

    payload = json.dumps({k: plain(v) for k, v in sorted(values.items())}, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class MarkdownImportError(ValueError):
    """Some texts of the source cannot be rendered; the message names each one."""


def _render_all(content: CourseContent) -> dict[tuple[str, bool], str]:
    """HTML for every Markdown text of the source, keyed by (text, inline)."""
    items = [(Course, "el curso", content)]
    items += [(Part, part.title, part) for part in content.parts]
    for section in content.sections:
        items.append((Section, section.title, section))
        items += [(Topic, topic.title, topic) for topic in section.topics]
        items += [(Reference, ref.title, ref) for ref in section.references]
    for group in content.resource_groups:
        items.append((ResourceGroup, group.title, group))
        items += [(Resource, resource.title, resource) for resource in group.resources]
    rendered, errors = {}, []
    for model, title, item in items:
        for source, (_target, inline) in model.MARKDOWN_FIELDS.items():
            text = getattr(item, source)
            if (text, inline) in rendered:
                continue
            try:
                rendered[text, inline] = render_markdown(text, inline=inline)
            except MarkdownError as error:
                errors.append(f"«{title}» ({model._meta.verbose_name}, campo {source}): {error}")
    if errors:
        raise MarkdownImportError("\n".join(errors))
    return rendered


class _Syncer:
    def __init__(self, report: ImportReport, rendered: dict[tuple[str, bool], str]):
        self.report = report
        self.rendered = rendered

    def set_html(self, obj) -> None:
        """Put the HTML rendered before the transaction next to each Markdown text."""
        for source, (_target, inline) in obj.MARKDOWN_FIELDS.items():
            obj.set_rendered_html(source, self.rendered[getattr(obj, source), inline])

    def sync_list(
        self,
        model: type[models.Model],
        rows: list[tuple[str, dict]],
        existing: list[models.Model],
        parent_field: str | None = None,
    ) -> list[models.Model]:
        """Make `existing` match `rows` ((slug, values) in order); return the synced objects.

        A row is the existing object that the source named the same way last time
        (`source_slug`), else the one with that slug, else (a rename) the published object left
        over at the same place. Whatever is left over is unpublished.
        """
        matches: dict[int, models.Model] = {}
        unclaimed = list(existing)
        for key in ("source_slug", "slug"):
            index = {}
            for obj in unclaimed:
                index.setdefault(getattr(obj, key), obj)
            for position, (slug, _values) in enumerate(rows):
                obj = index.get(slug)
                if position not in matches and obj is not None and obj in unclaimed:
                    matches[position] = obj
                    unclaimed.remove(obj)
        for position, (_slug, values) in enumerate(rows):
            if position not in matches:
                renamed = self._renamed(unclaimed, values, parent_field)
                if renamed is not None:
                    matches[position] = renamed
        synced = [
            self.sync_one(model, matches.get(position), slug, values)
            for position, (slug, values) in enumerate(rows)
        ]
        for obj in unclaimed:
            self.unpublish(obj)
        return synced

    @staticmethod
    def _renamed(unclaimed, values, parent_field):
        """A published leftover at the same place as a new row is the same row, renamed."""
        for obj in unclaimed:
            same_parent = parent_field is None or (
                getattr(obj, f"{parent_field}_id") == values[parent_field].pk
            )
            if same_parent and obj.is_published and obj.order == values["order"]:
                unclaimed.remove(obj)
                return obj
        return None

    def sync_one(self, model, obj, slug: str, values: dict):
        name = model._meta.verbose_name_plural
        digest = _digest(values)
        tracks_source = hasattr(model, "source_slug")
        if obj is None:
            extra = {"source_slug": slug} if tracks_source else {}
            obj = model(slug=slug, source_hash=digest, **extra, **values)
            self.set_html(obj)
            obj.save()
            self.report.created[name] += 1
            self.report.changes.append(f"+ {model._meta.verbose_name} nuevo: {obj}")
            return obj
        if tracks_source and obj.source_slug != slug:
            obj.source_slug = slug
            obj.save(update_fields=["source_slug"])
        republished = obj.source_hash == RETIRED
        if republished:
            # The importer hid it when it left the source; it is back, with its learners' data.
            obj.is_published = True
            self.report.changes.append(f"+ {model._meta.verbose_name} republicado: {obj}")
        if obj.source_hash == digest:
            self.report.unchanged[name] += 1
            return obj
        changed = [key for key, value in values.items() if getattr(obj, key) != value]
        for key, value in values.items():
            setattr(obj, key, value)
        self.set_html(obj)
        obj.source_hash = digest
        obj.save()
        if changed or republished:
            self.report.updated[name] += 1
            self.report.changes.append(
                f"~ {model._meta.verbose_name} actualizado: {obj} ({', '.join(changed)})"
            )
        else:
            self.report.unchanged[name] += 1
        return obj

    def unpublish(self, obj) -> None:
        if getattr(obj, "is_published", False):
            obj.is_published = False
            obj.source_hash = RETIRED
            obj.save(update_fields=["is_published", "source_hash"])
            self.report.unpublished[obj._meta.verbose_name_plural] += 1
            self.report.changes.append(
                f"- {obj._meta.verbose_name} despublicado (ya no está en la fuente): {obj}"
            )


def import_course(content: CourseContent, *, dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    syncer = _Syncer(report, _render_all(content))
    with transaction.atomic():
        _import_texts(syncer, content)
        _import_parts(syncer, content)
        _import_resources(syncer, content)
        report.proposals = [str(match) for match in propose_attachments()]
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_texts(syncer: _Syncer, content: CourseContent) -> None:
    values = {
        "title": "Curso de IA generativa y LLMs",
        "intro": content.intro,
        "acknowledgements": content.acknowledgements,
    }
    syncer.sync_one(Course, Course.objects.filter(slug="curso").first(), "curso", values)


def _import_parts(syncer: _Syncer, content: CourseContent) -> None:
    part_rows = [
        (
            part.slug,
            {
                "title": part.title,
                "emoji": part.emoji,
                "heading": part.heading,
                "summary": part.summary,
                "intro": part.intro,
                "order": index,
            },
        )
        for index, part in enumerate(content.parts)
    ]
    parts = syncer.sync_list(Part, part_rows, list(Part.objects.all()))

    section_rows = []
    for part, part_data in zip(parts, content.parts, strict=True):
        for index, section in enumerate(part_data.sections):
            values = {
                "part": part,
                "title": section.title,
                "emoji": section.emoji,
                "intro": section.intro,
                "order": index,
            }
            section_rows.append((section.slug, values))
    existing_sections = list(Section.objects.all())
    sections = syncer.sync_list(Section, section_rows, existing_sections, parent_field="part")

    existing_topics = _group_by(Topic.objects.all(), "section_id")
    existing_refs = _group_by(Reference.objects.all(), "section_id")
    for section, section_data in zip(sections, content.sections, strict=True):
        topic_rows = [
            (
                topic.slug,
                {
                    "section": section,
                    "title": topic.title,
                    "emoji": topic.emoji,
                    "url": topic.url,
                    "description": topic.description,
                    "order": index,
                },
            )
            for index, topic in enumerate(section_data.topics)
        ]
        syncer.sync_list(
            Topic, topic_rows, existing_topics.get(section.pk, []), parent_field="section"
        )
        reference_rows = [
            (
                ref.slug,
                {"section": section, "order": index}
                | {k: v for k, v in asdict(ref).items() if k != "slug"},
            )
            for index, ref in enumerate(section_data.references)
        ]
        syncer.sync_list(
            Reference, reference_rows, existing_refs.get(section.pk, []), parent_field="section"
        )


def _import_resources(syncer: _Syncer, content: CourseContent) -> None:
    group_rows = [
        (
            group.slug,
            {
                "title": group.title,
                "kind": group.kind,
                "collection": group.collection,
                "emoji": group.emoji,
                "intro": group.intro,
                "order": index,
            },
        )
        for index, group in enumerate(content.resource_groups)
    ]
    groups = syncer.sync_list(ResourceGroup, group_rows, list(ResourceGroup.objects.all()))
    existing = _group_by(Resource.objects.all(), "group_id")
    for group, group_data in zip(groups, content.resource_groups, strict=True):
        rows = [
            (
                resource.slug,
                {"group": group, "order": index}
                | {k: v for k, v in asdict(resource).items() if k != "slug"},
            )
            for index, resource in enumerate(group_data.resources)
        ]
        syncer.sync_list(Resource, rows, existing.get(group.pk, []), parent_field="group")


def _group_by(queryset, attribute: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for obj in queryset.order_by("order", "id"):
        grouped.setdefault(getattr(obj, attribute), []).append(obj)
    return grouped
