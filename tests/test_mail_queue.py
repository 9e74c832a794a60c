"""Mail goes through the task queue in the database (curso/mail_queue.py), never out of a request.

Every other test runs tasks on the spot (conftest.py); these put the real queue back
(`database_queue`) and run its worker, `manage.py db_worker --batch`, in this process.
"""

import ast
import io
import logging
import signal
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from curso.mail_queue import RETRY_DELAYS, message_data, send_email
from tests.test_settings import PRODUCTION_ENV, run_python

ROOT = Path(__file__).resolve().parent.parent
SIGNUP = {"email": "nuevo@example.com", "password1": PASSWORD, "password2": PASSWORD}
# The worker's own transactions and connection checks need a test without a wrapping transaction.
with_the_worker = pytest.mark.django_db(transaction=True)


class ServerDownBackend(BaseEmailBackend):
    """An SMTP server nobody answers for."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class NoSuchMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        refused = (550, b"5.1.1 No such user")
        raise smtplib.SMTPRecipientsRefused({a: refused for m in email_messages for a in m.to})


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def mail_server(settings):
    """Switch the mail server: `mail_server("down")`, `("no_such_mailbox")` or `("up")`."""
    backends = {
        "up": "django.core.mail.backends.locmem.EmailBackend",
        "down": f"{__name__}.ServerDownBackend",
        "no_such_mailbox": f"{__name__}.NoSuchMailboxBackend",
    }

    def switch(state: str):
        settings.MAILERS = {"default": {"BACKEND": backends[state]}}

    return switch


def run_worker():
    """`manage.py db_worker --batch`: run every task that is due, then return."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    levels = {name: logging.getLogger(name).level for name in ("django.tasks", "django_tasks_db")}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
            verbosity=0, stdout=io.StringIO(),
        )  # fmt: skip
    finally:  # the command takes over signals and logging levels for a process of its own
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def mail_tasks():
    return DBTaskResult.objects.filter(task_path=send_email.module_path).order_by("enqueued_at")


def queue_a_mail(to="ana@example.com", **kwargs):
    message = mail.EmailMultiAlternatives("Hola", "Texto", "curso <no@localhost>", [to])
    message.attach_alternative("<p>Texto</p>", "text/html")
    return send_email.enqueue(message_data(message), **kwargs)


@with_the_worker
def test_a_signup_queues_its_mail_and_only_the_worker_sends_it_once(database_queue, client):
    assert isinstance(send_email.get_backend(), DatabaseBackend)
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    [row] = mail_tasks()
    assert row.status == TaskResultStatus.READY
    message = row.args_kwargs["args"][0]
    assert message["to"] == ["nuevo@example.com"]
    assert message["subject"] == "[curso] Confirmá tu dirección de email"
    assert [mimetype for _, mimetype in message["alternatives"]] == ["text/html"]

    run_worker()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nuevo@example.com"]
    assert sent.from_email == "curso <no-responder@localhost>"
    assert "/accounts/confirm-email/" in sent.body
    assert sent.alternatives[0].mimetype == "text/html"
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL

    run_worker()
    assert len(mail.outbox) == 1  # sent exactly once


@with_the_worker
def test_a_mail_server_that_is_down_gets_the_mail_on_a_later_attempt(
    database_queue, mail_server, caplog
):
    mail_server("down")
    queue_a_mail()
    run_worker()
    assert mail.outbox == []
    first, retry = mail_tasks()
    assert first.status == TaskResultStatus.SUCCESSFUL  # its job was done: a retry is queued
    assert first.return_value["sent"] == 0
    assert first.return_value["retry"] == str(retry.id)
    assert "ConnectionRefusedError" in first.return_value["error"]
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    wait = retry.run_after - timezone.now()
    assert timedelta(seconds=RETRY_DELAYS[0] - 10) < wait <= timedelta(seconds=RETRY_DELAYS[0])
    assert "se reintenta" in caplog.text

    mail_server("up")
    run_worker()  # not due yet
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]
    assert mail.outbox[0].alternatives[0].content == "<p>Texto</p>"


@with_the_worker
def test_after_the_last_attempt_the_mail_is_kept_and_retry_failed_mail_sends_it(
    database_queue, mail_server, caplog
):
    mail_server("down")
    queue_a_mail(attempt=len(RETRY_DELAYS) + 1)
    run_worker()
    [failed] = mail_tasks()
    assert failed.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in failed.traceback
    assert failed.args_kwargs["args"][0]["to"] == ["ana@example.com"]  # the mail is still there
    assert "«Hola» para ana@example.com no enviado (intento 6)" in caplog.text

    out = io.StringIO()
    call_command("retry_failed_mail", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "- «Hola» para ana@example.com: builtins.ConnectionRefusedError",
        "1 email(s) fallido(s) se volverían a encolar.",
    ]
    assert mail_tasks().get().status == TaskResultStatus.FAILED

    mail_server("up")
    call_command("retry_failed_mail", stdout=io.StringIO())
    [queued] = mail_tasks()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {}  # from the first attempt again
    run_worker()
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]
    call_command("retry_failed_mail", stdout=out)
    assert mail_tasks().count() == 1  # nothing left to retry


@with_the_worker
def test_a_mailbox_that_does_not_exist_is_not_retried(database_queue, mail_server):
    mail_server("no_such_mailbox")
    queue_a_mail(to="nadie@example.com")
    run_worker()
    [failed] = mail_tasks()
    assert failed.status == TaskResultStatus.FAILED
    assert "SMTPRecipientsRefused" in failed.traceback


@with_the_worker
def test_when_the_queue_cannot_take_the_mail_the_page_says_so_and_the_log_names_it(
    database_queue, client, ana, monkeypatch, caplog
):
    def database_down(self, task, args, kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DatabaseBackend, "enqueue", database_down)
    response = client.post("/accounts/password/reset/", {"email": "ana@example.com"})
    assert response.status_code == 503  # the site's page for a database outage, not a 500
    assert response["Retry-After"]
    assert mail.outbox == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert (
        "No se pudo encolar el email «[curso] Restablecé tu contraseña» para ana@example.com; "
        "no se va a enviar" in errors
    )


SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "get_connection"}
SENDERS |= {"mailers"}
MAIL_MODULES = {"curso/mail_queue.py", "curso/console_mail.py"}


def test_only_the_mail_queue_sends_mail():
    """Digests, nudges and anything new queue their email (`curso.mail_queue.enqueue_email`):
    no application module imports Django's ways of sending mail right away."""
    offenders, scanned = [], set()
    for path in ROOT.glob("[!.]*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative in MAIL_MODULES or "/tests/" in relative or relative.startswith("tests/"):
            continue
        if relative.split("/")[0] in {"bench", "node_modules", "staticfiles"}:
            continue
        scanned.add(relative)
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
                offenders += [f"{relative}: {a.name}" for a in node.names if a.name in SENDERS]
    assert {"accounts/adapter.py", "roadmap/learning/services.py"} <= scanned
    assert offenders == []


@pytest.mark.django_db
def test_queued_mail_is_not_browsable_in_the_admin(client, superuser):
    """Its rows hold one-time links (password resets)."""
    client.force_login(superuser)
    response = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert response.status_code == 404


@pytest.mark.parametrize("env", [{}, PRODUCTION_ENV], ids=["desarrollo", "producción"])
def test_development_and_production_queue_tasks_in_the_database(env):
    code = (
        "import django; django.setup(); from django.tasks import task_backends;"
        "print(type(task_backends['default']).__name__)"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DatabaseBackend"
