import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roadmap.learning.pruning import (
    DEFAULT_AGE,
    DEFAULT_BATCH,
    MIN_AGE,
    Pruned,
    not_in_rollup,
    old_events,
    prune_events,
)

MAX_AGE_DAYS = 36_500  # a hundred years: beyond that the date arithmetic overflows


class Command(BaseCommand):
    help = (
        "Borra los cambios de estado (el historial crudo) más viejos que --older-than días, en "
        "lotes. Las páginas no cambian: el gráfico de actividad, las rachas y la última "
        "actividad salen del resumen diario, que se guarda siempre. Pensado para cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_AGE.days,
            metavar="DÍAS",
            help=f"Borrar los cambios de hace más de DÍAS días (por defecto {DEFAULT_AGE.days}; "
            f"mínimo {MIN_AGE.days}).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Cambios por lote, cada uno en su transacción (por defecto {DEFAULT_BATCH}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo contar lo que se borraría."
        )

    def handle(self, *args, older_than: int, batch_size: int, dry_run: bool, **options):
        if older_than < MIN_AGE.days:
            raise CommandError(
                f"--older-than debe ser al menos {MIN_AGE.days} días. El resumen de un día "
                "sigue cambiando hasta que ese día terminó en todas las zonas horarias, y una "
                "semana de cambios crudos deja tiempo para notar y corregir un problema antes "
                "de borrarlos."
            )
        if older_than > MAX_AGE_DAYS:
            raise CommandError(f"--older-than no puede pasar de {MAX_AGE_DAYS} días.")
        if batch_size < 1:
            raise CommandError("--batch-size debe ser al menos 1.")
        before = timezone.now() - datetime.timedelta(days=older_than)
        since = f"anteriores al {timezone.localtime(before):%Y-%m-%d %H:%M}"
        if dry_run:
            events = old_events(before)
            total, missing = events.count(), not_in_rollup(events).count()
            self.stdout.write(f"Se borrarían {total} cambios de estado {since}.")
            if missing:
                self.stdout.write(
                    f"{missing} no figuran en el resumen diario: se sumarían antes de borrarlos."
                )
            self.stdout.write("No se borró nada (--dry-run).")
            return

        def report(pruned: Pruned) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"Lote {pruned.batches}: {pruned.deleted} borrados en total.")

        pruned = prune_events(before=before, batch_size=batch_size, on_batch=report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Se borraron {pruned.deleted} cambios de estado {since}, en {pruned.batches} "
                f"lote(s). Las páginas muestran lo mismo: la actividad sale del resumen diario."
            )
        )
        if pruned.added_to_rollup:
            self.stdout.write(
                f"{pruned.added_to_rollup} de ellos no figuraban en el resumen diario y se "
                "sumaron antes de borrarlos."
            )
