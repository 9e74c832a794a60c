"""Models whose Markdown texts keep their sanitised HTML next to them, rendered when written.

Each instance knows which text its HTML was rendered from: the stored one when it was loaded,
and afterwards whatever `render_markdown_field` or `set_rendered_html` produced. Forms, the
admin and the importer render first, outside any write transaction; `save()` is the safety net
for other writers (a shell, a script): it renders a text whose HTML is not from it. Bulk writes
(`update`, `bulk_create`, `bulk_update`) go through `RenderedQuerySet`, which does the same.
Pages print the stored HTML and never render.
"""

from typing import ClassVar

from django.db import models

from .markdown import MarkdownError, render_markdown


class RenderedMarkdown(models.Model):
    # Markdown source field → (HTML field, inline?)
    MARKDOWN_FIELDS: ClassVar[dict[str, tuple[str, bool]]] = {}
    # Other fields a render of a source also writes (e.g. a note's excerpt).
    EXTRA_RENDERED_FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stale = self.stale_markdown_fields()
        for source in stale:
            self.render_markdown_field(source)  # raises MarkdownError: nothing is saved
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.rendered_fields_of(update_fields)}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # What was stored together: the HTML of each loaded text is that text's.
        instance._rendered_from = {
            source: instance.__dict__[source]
            for source, (target, _inline) in cls.MARKDOWN_FIELDS.items()
            if source in instance.__dict__ and target in instance.__dict__
        }
        return instance

    @classmethod
    def rendered_fields_of(cls, sources) -> set[str]:
        """The fields a render of `sources` writes."""
        fields = set()
        for source in sources:
            if source in cls.MARKDOWN_FIELDS:
                fields.add(cls.MARKDOWN_FIELDS[source][0])
                fields.update(cls.EXTRA_RENDERED_FIELDS.get(source, ()))
        return fields

    def _rendered_sources(self) -> dict[str, str]:
        if "_rendered_from" not in self.__dict__:
            self._rendered_from = {}
        return self._rendered_from

    def stale_markdown_fields(self) -> list[str]:
        """Loaded sources whose HTML was not rendered from their current text."""
        rendered_from = self._rendered_sources()
        return [
            source
            for source in self.MARKDOWN_FIELDS
            if source in self.__dict__ and rendered_from.get(source) != getattr(self, source)
        ]

    def set_rendered_html(self, source: str, html: str) -> None:
        """Record HTML rendered elsewhere (a form, the importer) for the current text."""
        setattr(self, self.MARKDOWN_FIELDS[source][0], html)
        self._rendered_sources()[source] = getattr(self, source)

    def render_markdown_field(self, source: str, prerendered: dict | None = None) -> None:
        """Render one source into its HTML field; MarkdownError if it cannot be rendered.

        `prerendered` maps (text, inline) to HTML, or to the MarkdownError it raised, for texts
        rendered before a transaction began (the admin)."""
        _target, inline = self.MARKDOWN_FIELDS[source]
        text = getattr(self, source)
        result = (prerendered or {}).get((text, inline))
        if result is None:
            result = render_markdown(text, inline=inline)
        if isinstance(result, MarkdownError):
            raise result
        self.set_rendered_html(source, result)

    def render_markdown_fields(self, prerendered: dict | None = None) -> dict[str, str]:
        """Render every stale source; returns {source: error message} for those that failed."""
        errors = {}
        for source in self.stale_markdown_fields():
            try:
                self.render_markdown_field(source, prerendered)
            except MarkdownError as error:
                errors[source] = str(error)
        return errors


class RenderedQuerySet(models.QuerySet):
    """Bulk writes of Markdown texts store their HTML too (nothing renders while serving)."""

    def update(self, **kwargs):
        for source in self.model.MARKDOWN_FIELDS:
            if isinstance(kwargs.get(source), str):
                rendered = self.model(**{source: kwargs[source]})
                rendered.render_markdown_field(source)
                for field in self.model.rendered_fields_of([source]):
                    kwargs.setdefault(field, getattr(rendered, field))
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            for source in obj.stale_markdown_fields():
                obj.render_markdown_field(source)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            for source in obj.stale_markdown_fields():
                if source in fields:
                    obj.render_markdown_field(source)
        fields = [*fields, *self.model.rendered_fields_of(fields)]
        return super().bulk_update(objs, fields, *args, **kwargs)
