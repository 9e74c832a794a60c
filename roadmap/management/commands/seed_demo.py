from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from roadmap.cohorts.demo import DEMO_PASSWORD, INSTRUCTOR_EMAIL, LEARNER_EMAIL, create_demo_cohort
from roadmap.models import Topic


class Command(BaseCommand):
    help = (
        "Crea datos de demostración: un instructor, una cohorte con calendario y aprendices con "
        "progreso y actividad. Reemplaza la demo anterior."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=30, help="Cantidad de aprendices.")
        parser.add_argument("--seed", type=int, default=2026, help="Semilla del azar.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Permite correrlo con DEBUG desactivado (¡crea cuentas con clave conocida!).",
        )

    def handle(self, *args, learners: int, seed: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG está desactivado: esto parece producción. seed_demo crea cuentas con una "
                "contraseña conocida; si de verdad querés hacerlo, agregá --force."
            )
        if not 1 <= learners <= 5000:
            raise CommandError("--learners debe estar entre 1 y 5000.")
        if not Topic.objects.exists():
            call_command("loaddata", "curso", verbosity=0)
        result = create_demo_cohort(learners=learners, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Cohorte «{result.cohort.name}» con {result.learners} aprendices, "
                f"{result.progress_rows} estados y {result.events} cambios."
            )
        )
        self.stdout.write(f"Tablero: /cohortes/{result.cohort.slug}/")
        self.stdout.write(f"Instructor: {INSTRUCTOR_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(
            f"Aprendices: {LEARNER_EMAIL.format(1)} … {LEARNER_EMAIL.format(learners)} "
            f"/ {DEMO_PASSWORD}"
        )
