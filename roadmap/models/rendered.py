"""Models whose Markdown texts keep their sanitised HTML next to them, rendered when written.

Forms and the importer render first (outside any write transaction) and set the HTML field
themselves; `save()` is the safety net for other writers (a shell, a script): a text that changed
while its HTML did not is rendered there. Pages print the stored HTML and never render.
"""

from typing import ClassVar

from django.db import models

from ..markdown import MarkdownError, render_markdown


class RenderedMarkdown(models.Model):
    # Markdown source field → (HTML field, inline?)
    MARKDOWN_FIELDS: ClassVar[dict[str, tuple[str, bool]]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        stale = self.stale_markdown_fields()
        for source in stale:
            self.render_markdown_field(source)  # raises MarkdownError: nothing is saved
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and stale:
            targets = {self.MARKDOWN_FIELDS[s][0] for s in stale if s in update_fields}
            kwargs["update_fields"] = {*update_fields, *targets}
        super().save(*args, **kwargs)
        self._markdown_as_loaded = self._markdown_snapshot()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._markdown_as_loaded = instance._markdown_snapshot()
        return instance

    def _markdown_snapshot(self) -> dict[str, str]:
        return {
            name: self.__dict__[name]
            for source, (target, _inline) in self.MARKDOWN_FIELDS.items()
            for name in (source, target)
            if name in self.__dict__
        }

    def stale_markdown_fields(self) -> list[str]:
        """Sources whose HTML must be rendered: the text changed and its HTML was not set."""
        loaded = getattr(self, "_markdown_as_loaded", None)
        stale = []
        for source, (target, _inline) in self.MARKDOWN_FIELDS.items():
            if source not in self.__dict__:
                continue  # deferred: not being written
            text = getattr(self, source)
            if loaded is None:  # a new row: render unless its HTML came with it
                if text and text.strip() and not getattr(self, target):
                    stale.append(source)
            elif text != loaded.get(source) and getattr(self, target) == loaded.get(target):
                stale.append(source)
        return stale

    def render_markdown_field(self, source: str) -> None:
        """Render one source into its HTML field; MarkdownError if it cannot be rendered."""
        target, inline = self.MARKDOWN_FIELDS[source]
        setattr(self, target, render_markdown(getattr(self, source), inline=inline))

    def render_markdown_fields(self) -> dict[str, str]:
        """Render every stale source; returns {source: error message} for those that failed."""
        errors = {}
        for source in self.stale_markdown_fields():
            try:
                self.render_markdown_field(source)
            except MarkdownError as error:
                errors[source] = str(error)
        return errors
