"""Emails curso writes on its own, outside any request (weekly digests, learner nudges).

- Links are absolute, built on `settings.SITE_URL` (a cron command has no request to ask the
  host of); the emails greet and sign with `settings.SITE_NAME`, like allauth's.
- Each one carries a one-click unsubscribe link: a signed token (`django.core.signing`, salted)
  holding the user id and the kind of mail, valid for `UNSUBSCRIBE_MAX_AGE`. It is the only
  authorisation the unsubscribe page needs: it works without signing in, and from the mail
  client's RFC 8058 POST (`List-Unsubscribe` and `List-Unsubscribe-Post` headers).
- Rendered as text plus an HTML alternative from templates, then queued
  (`curso.mail_queue.enqueue_email`) by the caller, inside its transaction.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

UNSUBSCRIBE_SALT = "curso.emails.unsubscribe"
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=180)


class MailKind(NamedTuple):
    """A kind of mail people can turn off: its name in tokens and the `User` flag it reads."""

    slug: str
    field: str
    label: str  # what the unsubscribe page calls it: «Dejar de recibir …»


DIGEST = MailKind("resumen-semanal", "weekly_digest", "el resumen semanal de tus cohortes")
NUDGE = MailKind("recordatorios", "learner_nudges", "los recordatorios de tu ritmo")
KINDS = {kind.slug: kind for kind in (DIGEST, NUDGE)}


def absolute_url(path: str) -> str:
    """`path` (from `reverse()`) on the site's public address."""
    if not settings.SITE_URL:
        raise ImproperlyConfigured("Falta SITE_URL: sin ella los emails no tienen enlaces.")
    return settings.SITE_URL + path


def unsubscribe_token(user_id: int, kind: MailKind) -> str:
    return signing.dumps({"u": user_id, "k": kind.slug}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, MailKind] | None:
    """(user id, kind) from a token this site signed and that has not expired; else None."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE.total_seconds()
        )
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        return None
    return user_id, KINDS[data["k"]]


def unsubscribe_url(user_id: int, kind: MailKind) -> str:
    return absolute_url(reverse("accounts:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def site_email(
    template: str, context: dict, *, to: str, subject: str, user_id: int, kind: MailKind
) -> EmailMultiAlternatives:
    """The email of `template` (`.txt` and `.html`) for one person, with the site's name, its
    unsubscribe link in the body (`unsubscribe_url`) and in the RFC 8058 headers."""
    unsubscribe = unsubscribe_url(user_id, kind)
    context = {
        **context,
        "current_site": {"name": settings.SITE_NAME},
        "unsubscribe_url": unsubscribe,
        "profile_url": absolute_url(reverse("accounts:profile")),
        "kind": kind,
    }
    message = EmailMultiAlternatives(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        render_to_string(f"{template}.txt", context).strip() + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
