"""Code blocks are now highlighted (codehilite) and note excerpts are plain text.

Texts with a fenced code block are rendered again; every note's excerpt is remade from its stored
HTML (no renderer needed). A text that cannot be rendered keeps its current HTML.
"""

from django.db import migrations

# Model → {Markdown field: (HTML field, inline)}, as the models declare it today.
RENDERED = {
    "course": {"intro": ("intro_html", False), "acknowledgements": ("acknowledgements_html", False)},
    "part": {"intro": ("intro_html", False)},
    "section": {"intro": ("intro_html", False)},
    "topic": {"description": ("description_html", False)},
    "resourcegroup": {"intro": ("intro_html", False)},
    "note": {"body": ("body_html", False)},
}
FENCES = ("```", "~~~")
BATCH = 500


def rerender_code_blocks(apps, schema_editor):
    from django.db.models import Q

    from roadmap.catalog.markdown import MarkdownError, render_markdown

    for model_name, fields in RENDERED.items():
        model = apps.get_model("roadmap", model_name)
        for source, (target, inline) in fields.items():
            has_fence = Q()
            for fence in FENCES:
                has_fence |= Q(**{f"{source}__contains": fence})
            for row in model.objects.filter(has_fence).iterator():
                try:
                    html = render_markdown(getattr(row, source), inline=inline)
                except MarkdownError:
                    continue  # keeps the HTML it had
                model.objects.filter(pk=row.pk).update(**{target: html})


def plain_text_excerpts(apps, schema_editor):
    from roadmap.catalog.markdown import plain_excerpt_html

    note_model = apps.get_model("roadmap", "note")
    batch = []
    for note in note_model.objects.only("pk", "body_html").iterator(chunk_size=BATCH):
        note.excerpt_html = plain_excerpt_html(note.body_html)
        batch.append(note)
        if len(batch) == BATCH:
            note_model.objects.bulk_update(batch, ["excerpt_html"])
            batch = []
    note_model.objects.bulk_update(batch, ["excerpt_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0013_resource_search_text"),
    ]

    operations = [
        migrations.RunPython(rerender_code_blocks, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(plain_text_excerpts, migrations.RunPython.noop, elidable=True),
    ]
