from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.cohorts.digest import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Encola el resumen semanal de cada cohorte activa para cada uno de sus instructores/as: "
        "quién se atrasó con sus metas, quién lleva 7 días o más sin actividad y quién terminó "
        "secciones en los últimos 7 días. Una vez por semana ISO: correrlo de nuevo la misma "
        "semana no envía nada. Pensado para cron (los lunes)."
    )

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            raise CommandError("Falta SITE_URL (https://tu-dominio): los emails llevan enlaces.")
        for line in send_weekly_digests():
            self.stdout.write(line)
