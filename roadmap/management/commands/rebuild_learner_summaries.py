from django.core.management.base import BaseCommand
from django.db import transaction

from roadmap.learning.summary import rebuild_learner_summaries


class Command(BaseCommand):
    help = (
        "Recuenta los totales de cada aprendiz (completados, omitidos, en progreso y último "
        "cambio) desde sus estados. Solo hace falta después de escribir estados por fuera de "
        "la aplicación (SQL, cargas masivas) o de un despliegue con servidores viejos todavía "
        "activos; los cambios normales los mantienen al día."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            rebuild_learner_summaries()
        self.stdout.write(self.style.SUCCESS("Totales de aprendices recontados."))
