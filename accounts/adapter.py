"""curso's allauth adapter (settings.ACCOUNT_ADAPTER): email ownership, login rate-limit keys, the
site's name in emails, and emails queued for the task worker instead of sent in the request."""

from typing import NamedTuple

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.httpkit import clean_client_ip
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from curso.mail_queue import enqueue_email
from roadmap.cohorts.nav import sees_cohorts

from .email_addresses import email_is_held

TAKEN = "No pudimos confirmar {email}: ya es el email de otra cuenta."


class SiteInfo(NamedTuple):
    """What allauth's email templates read as ``current_site``."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": (
            "Demasiados intentos fallidos. Esperá unos minutos y probá de nuevo."
        ),
    }

    def render_mail(self, template_prefix, email, context, headers=None):
        """Emails greet and sign with the site's name, not the request's host.

        Without django.contrib.sites allauth's ``current_site`` is the Host header ("¡Hola de parte
        de 127.0.0.1:8000!"); the domain stays the host the learner used, so links match it.
        """
        site = context.get("current_site")
        domain = getattr(site, "domain", "") or ""
        context = {**context, "current_site": SiteInfo(settings.SITE_NAME, domain)}
        return super().render_mail(template_prefix, email, context, headers=headers)

    def send_mail(self, template_prefix, email, context) -> None:
        """allauth's send_mail, but the rendered email is queued: the task worker sends it
        (curso/mail_queue.py), so a slow mail server never holds up the page."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        enqueue_email(self.render_mail(template_prefix, email, context))

    def get_login_redirect_url(self, request) -> str:
        """Instructors (and superusers) land on their cohorts; learners where they always did.
        A `?next=` wins over both (allauth only asks here without one)."""
        if sees_cohorts(request, fresh=True):
            return reverse("roadmap:cohort_list")
        return super().get_login_redirect_url(request)

    def can_delete_email(self, email_address) -> bool:
        """The account's login (``User.email``) cannot be removed, primary or not."""
        user = email_address.user
        if email_address.pk and email_address.email.lower() == (user.email or "").lower():
            return False
        return super().can_delete_email(email_address)

    def confirm_email(self, request, email_address) -> bool:
        """Verify an address; refuse one that is another account's login (a message, not a 500).

        allauth only checks other *verified* addresses; ``accounts.User.email`` is unique too,
        and an account created in the admin has no EmailAddress row at all.
        """
        if email_is_held(email_address.email, exclude_user=email_address.user):
            self.add_message(
                request, messages.ERROR, message=TAKEN.format(email=email_address.email)
            )
            return False
        try:
            with transaction.atomic():
                return super().confirm_email(request, email_address)
        except IntegrityError:  # the same address verified by another account at the same moment
            self.add_message(
                request, messages.ERROR, message=TAKEN.format(email=email_address.email)
            )
            return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Key failed logins on the account alone.

        allauth prefixes the key with the site's domain, which without django.contrib.sites is the
        request's Host header (port and case included): `Host: 127.0.0.1:1` would start a fresh
        count. curso serves one site, so the login is enough.
        """
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"

    def get_client_ip(self, request) -> str:
        """allauth's client IP (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER).

        allauth raises ImproperlyConfigured (a 500) when X-Forwarded-For has fewer entries than the
        trusted proxies, i.e. the request skipped an outer proxy. Every entry was then written by a
        proxy we run: take the farthest one.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            farthest = request.headers.get("x-forwarded-for", "").split(",")[0]
            ip = clean_client_ip(farthest) or clean_client_ip(request.META.get("REMOTE_ADDR", ""))
            if not ip:
                raise PermissionDenied("No se pudo determinar la IP del cliente.") from None
            return ip
