from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.learning.nudges import send_learner_nudges


class Command(BaseCommand):
    help = (
        "Encola un recordatorio para cada aprendiz que los pidió y está atrasado/a con una meta "
        "de su cohorte o lleva 7 días o más sin actividad; a lo sumo uno por semana por "
        "persona. Pensado para cron (todos los días)."
    )

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            raise CommandError("Falta SITE_URL (https://tu-dominio): los emails llevan enlaces.")
        for line in send_learner_nudges():
            self.stdout.write(line)
