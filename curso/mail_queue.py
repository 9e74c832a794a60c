"""Mail leaves through the task queue, never inside a request.

A request renders its email and queues it (`enqueue_email`): the message, as JSON, becomes a task
row in the project's database (Django 6's django.tasks with the django-tasks-db backend), inside
the request's transaction if there is one. `manage.py db_worker` picks the row up and
`send_email` sends it through the default mailer (SMTP in production, the console in
development). A slow or dead SMTP server costs the worker time, never a page.

When sending fails for a reason that may pass (the server is down, times out or answers 4xx), the
task queues another attempt for later (`RETRY_DELAYS`) and ends; its row keeps the error and the
id of the next attempt. When the attempts run out, or every recipient is refused for good (5xx),
or the error is not a mail server's, the task FAILS: the row keeps the mail and the traceback, and
`manage.py retry_failed_mail` queues it again once the cause is fixed. Nothing is dropped.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.tasks import TaskContext, TaskResult, task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before attempts 2, 3, ...: about eight and a half hours of trying in all.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)


def message_data(message: EmailMessage) -> dict:
    """A rendered email as plain JSON: a task's arguments are stored as JSON."""
    if message.attachments:
        raise ValueError("La cola de emails no lleva adjuntos.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), str(mimetype)]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def build_message(data: dict) -> EmailMultiAlternatives:
    """The email `message_data` described, ready to send."""
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[(content, mimetype) for content, mimetype in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    return message


def _describe(data: dict) -> str:
    """Subject and recipients, for the logs (never the body: it carries one-time links)."""
    return f"«{data['subject']}» para {', '.join(data['to'] + data['cc'] + data['bcc'])}"


def enqueue_email(message: EmailMessage) -> TaskResult:
    """Queue a rendered email for the worker: the only way curso sends mail.

    The task row joins the current transaction, if any. If the database cannot take it, the
    error goes on, so the request answers the 503 page (curso.middleware) instead of claiming a
    mail was sent; the log says which mail was not queued.
    """
    data = message_data(message)
    try:
        return send_email.enqueue(data)
    except DatabaseError:
        logger.error("No se pudo encolar el email %s; no se va a enviar", _describe(data))
        raise


def refused_for_good(error: OSError) -> bool:
    """Every recipient refused with a 5xx answer (no such mailbox): no later attempt helps.

    Anything else is retried: a dead or slow server, 4xx answers, and also 5xx answers about the
    sender, the credentials or the connection, which an operator can fix in the meantime."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


@task(takes_context=True)
def send_email(context: TaskContext, message: dict, attempt: int = 1) -> dict:
    """Send one queued email (`message_data`); `attempt` counts from 1 across retries."""
    email = build_message(message)
    try:
        sent = email.send()
    except OSError as error:  # smtplib's errors, refused connections and timeouts are OSErrors
        this_task = context.task_result.task
        if (
            refused_for_good(error)
            or attempt > len(RETRY_DELAYS)
            or not this_task.get_backend().supports_defer
        ):
            logger.error("Email %s no enviado (intento %d): %r", _describe(message), attempt, error)
            raise
        run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
        retry = this_task.using(run_after=run_after).enqueue(message, attempt=attempt + 1)
        logger.warning(
            "Email %s no enviado (intento %d): %r; se reintenta desde %s (tarea %s)",
            _describe(message),
            attempt,
            error,
            run_after.isoformat(timespec="seconds"),
            retry.id,
        )
        return {"sent": 0, "error": repr(error), "retry": retry.id}
    return {"sent": sent}


def retry_failed_mail(*, dry_run: bool = False) -> list[str]:
    """Queue again, from the first attempt, every email whose task FAILED; the failed rows go.

    For after an SMTP outage longer than the retries, or a configuration fixed (credentials, the
    sender address). Returns each email (subject, recipients, the error) that was queued again
    or, with `dry_run`, would be."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(send_email.get_backend(), DatabaseBackend):
        raise ImproperlyConfigured("Los emails fallidos solo se guardan con la cola en la base.")
    failed = DBTaskResult.objects.failed().filter(
        task_path=send_email.module_path, backend_name=send_email.backend
    )
    with transaction.atomic():
        rows = list(failed.select_for_update().order_by("enqueued_at"))
        emails = [
            f"{_describe(row.args_kwargs['args'][0])}: {row.exception_class_path}" for row in rows
        ]
        if dry_run:
            return emails
        for row in rows:
            send_email.enqueue(row.args_kwargs["args"][0])
        DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for email in emails:
        logger.info("Email %s encolado otra vez", email)
    return emails
