from django.core.management.base import BaseCommand
from django.db import transaction

from roadmap.catalog.proposals import propose_attachments

REVIEW_PATH = "/admin/roadmap/attachmentproposal/?status__exact=propuesta"


def proposals_message(lines: list[str], *, dry_run: bool) -> str:
    verb = "Se propondrían" if dry_run else "Nuevas propuestas"
    head = f"{verb}: {len(lines)} recurso(s) para adjuntar a temas."
    tail = "" if dry_run else f"\nRevisalas en el admin: {REVIEW_PATH}"
    return "\n".join([head, *lines]) + tail


class Command(BaseCommand):
    help = (
        "Propone qué referencias, videos y cuadernos adjuntar a qué tema (palabras del título "
        "del tema en el título o la descripción del recurso, o el mismo enlace). No adjunta "
        "nada: un editor acepta o rechaza cada propuesta en el admin, y lo decidido no se "
        "vuelve a proponer. import_curso lo hace solo después de cada importación."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Muestra las propuestas sin guardarlas."
        )

    def handle(self, *args, dry_run: bool, **options):
        with transaction.atomic():
            matches = propose_attachments()
            if dry_run:
                transaction.set_rollback(True)
        if matches:
            self.stdout.write(proposals_message([str(m) for m in matches], dry_run=dry_run))
        else:
            self.stdout.write("Nada nuevo para proponer.")
