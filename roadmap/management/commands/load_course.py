from django.core.management import call_command
from django.core.management.base import BaseCommand

from roadmap.catalog.proposals import propose_attachments
from roadmap.models import Course, Part

from .propose_attachments import REVIEW_PATH


class Command(BaseCommand):
    help = (
        "Carga el curso (el fixture curso.json) solo si la base no tiene contenido. Si ya lo "
        "tiene, no toca nada: lo editado en el admin se conserva. Para traer cambios de la "
        "fuente Markdown usá import_curso, que respeta las ediciones."
    )

    def handle(self, *args, **options):
        if Part.objects.exists() or Course.objects.exists():
            self.stdout.write("El curso ya está cargado: no se tocó nada.")
            return
        call_command("loaddata", "curso", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Curso cargado."))
        proposed = propose_attachments()  # the fixture holds content only, never proposals
        if proposed:
            self.stdout.write(
                f"{len(proposed)} propuesta(s) de recursos para adjuntar a temas: "
                f"revisalas en el admin ({REVIEW_PATH})."
            )
