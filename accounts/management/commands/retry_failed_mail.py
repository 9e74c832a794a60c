"""Queue again the emails whose task FAILED (curso/mail_queue.py): after an SMTP outage longer
than the automatic retries, or once the mail configuration is fixed."""

from django.core.management.base import BaseCommand

from curso.mail_queue import retry_failed_mail


class Command(BaseCommand):
    help = "Vuelve a encolar los emails cuyo envío falló (el worker los manda de nuevo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Solo los lista; no encola nada."
        )

    def handle(self, *, dry_run: bool, **options):
        emails = retry_failed_mail(dry_run=dry_run)
        for email in emails:
            self.stdout.write(f"- {email}")
        verb = "se volverían a encolar" if dry_run else "encolados de nuevo"
        self.stdout.write(f"{len(emails)} email(s) fallido(s) {verb}.")
