from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.catalog.course_data import ContentError
from roadmap.catalog.importer import MarkdownImportError, import_course
from roadmap.catalog.parser import SOURCE_PATH, load_course

from .propose_attachments import proposals_message


class Command(BaseCommand):
    help = (
        "Importa el curso desde su fuente Markdown (roadmap/catalog/content/curso.md). Es "
        "idempotente: actualiza por slug, despublica lo que ya no está y nunca borra datos de "
        "aprendices."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Muestra qué cambiaría, sin tocar la base de datos.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            default=SOURCE_PATH,
            help=f"Archivo Markdown a importar (por defecto {SOURCE_PATH.name}).",
        )

    def handle(self, *args, dry_run: bool, source: Path, **options):
        if not source.is_file():
            raise CommandError(f"No encuentro el archivo {source}.")
        try:
            content = load_course(source)
        except (ContentError, UnicodeDecodeError) as error:
            raise CommandError(f"No pude leer {source}: {error}") from error
        try:
            report = import_course(content, dry_run=dry_run)
        except MarkdownImportError as error:
            raise CommandError(
                f"No importé nada: estos textos de {source.name} no se pueden convertir a HTML. "
                f"Corregilos y volvé a importar.\n{error}"
            ) from error
        for line in report.changes:
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.proposals:
            self.stdout.write(proposals_message(report.proposals, dry_run=dry_run))
        if dry_run:
            self.stdout.write(self.style.WARNING("Simulación (--dry-run): no se guardó nada."))
        elif report.has_changes:
            self.stdout.write(self.style.SUCCESS("Curso importado."))
        else:
            self.stdout.write(self.style.SUCCESS("El curso ya estaba al día: nada que cambiar."))
