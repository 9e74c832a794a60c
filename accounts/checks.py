from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def rate_limits_use_a_shared_cache(app_configs, **kwargs):
    """allauth counts failed logins in the cache: a per-process cache multiplies the tries."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in LOCAL_CACHES:
        return [
            Warning(
                "La caché es local a cada proceso: los límites de intentos de allauth no se "
                "comparten entre procesos de gunicorn.",
                hint="Usá REDIS_URL=redis://... o CACHE_URL=db://curso_cache (y createcachetable).",
                id="accounts.W001",
            )
        ]
    return []


@register(Tags.mail, deploy=True)
def mail_is_really_sent(app_configs, **kwargs):
    """Django's own deploy check (mail.E001) does not know curso's development console backend."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend == "curso.console_mail.EmailBackend":
        return [
            Error(
                "El email se imprime en la consola (curso.console_mail): nadie lo recibe.",
                hint="Configurá EMAIL_HOST (y EMAIL_HOST_USER / EMAIL_HOST_PASSWORD) para SMTP.",
                id="accounts.E001",
            )
        ]
    return []


@register(Tags.mail, deploy=True)
def emails_know_the_site_address(app_configs, **kwargs):
    """Digests and nudges are written by cron commands, outside any request: their links need
    the site's public address (curso/emails.py)."""
    if not settings.SITE_URL:
        return [
            Error(
                "SITE_URL no está configurada: los resúmenes semanales y los recordatorios no "
                "pueden armar sus enlaces.",
                hint="Configurá SITE_URL=https://tu-dominio (sin ruta).",
                id="accounts.E002",
            )
        ]
    return []
