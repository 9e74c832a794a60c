from django.apps import apps
from django.core.management.base import BaseCommand

from roadmap.catalog.markdown import (
    MarkdownError,
    excerpt_source,
    render_markdown,
    render_markdown_or_escape,
)
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
            rendered = failed = 0
            for row in model.objects.order_by("pk").iterator():
                targets = []
                for source, (target, inline) in model.MARKDOWN_FIELDS.items():
                    text = getattr(row, source)
                    try:
                        html = render_markdown(text, inline=inline)
                    except MarkdownError:
                        failed += 1
                        html = render_markdown_or_escape(text, inline=inline)
                        self.stderr.write(
                            f"{model._meta.verbose_name} {row.pk} ({source}): texto plano"
                        )
                    setattr(row, target, html)
                    targets.append(target)
                if model._meta.model_name == "note":
                    row.excerpt_html = render_markdown_or_escape(excerpt_source(row.body))
                    targets.append("excerpt_html")
                model.objects.filter(pk=row.pk).update(**{t: getattr(row, t) for t in targets})
                rendered += 1
            name = model._meta.verbose_name_plural
            self.stdout.write(f"{name}: {rendered} filas, {failed} textos como texto plano")
