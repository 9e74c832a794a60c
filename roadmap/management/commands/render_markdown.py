from django.apps import apps
from django.core.management.base import BaseCommand

from roadmap.catalog.markdown import MarkdownError, RendererUnavailable, render_markdown_or_escape
from roadmap.catalog.rendered import RenderedMarkdown


class Command(BaseCommand):
    help = (
        "Vuelve a convertir a HTML todos los textos Markdown guardados (contenido y notas), por "
        "ejemplo después de cambiar las etiquetas permitidas. Un texto que no se puede convertir "
        "queda como texto plano escapado y se informa."
    )

    def handle(self, *args, **options):
        models = [
            model
            for model in apps.get_app_config("roadmap").get_models()
            if issubclass(model, RenderedMarkdown)
        ]
        for model in models:
            rows = list(model.objects.order_by("pk"))
            failed = 0
            for row in rows:
                for source in model.MARKDOWN_FIELDS:
                    try:
                        row.render_markdown_field(source)
                    except RendererUnavailable:
                        raise
                    except MarkdownError:
                        failed += 1
                        _target, inline = model.MARKDOWN_FIELDS[source]
                        plain = render_markdown_or_escape(getattr(row, source), inline=inline)
                        row.set_rendered_html(source, plain)  # and what is derived from it
                        self.stderr.write(
                            f"{model._meta.verbose_name} {row.pk} ({source}): texto plano"
                        )
            model.objects.bulk_update(rows, list(model.rendered_fields_of(model.MARKDOWN_FIELDS)))
            name = model._meta.verbose_name_plural
            self.stdout.write(f"{name}: {len(rows)} filas, {failed} textos como texto plano")
