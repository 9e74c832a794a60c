"""Settings for curso, all driven by environment variables (see .env.example).

Development defaults are safe to run locally (SQLite, console mail, DEBUG on). In production set
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; `manage.py check --deploy` must stay clean.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} debe ser 1/0, true/false, yes/no u on/off; vale {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} debe ser un número entero; vale {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY es obligatoria con DEBUG desactivado. Generá una con: "
            "python -c 'from django.core.management.utils import get_random_secret_key as k; "
            "print(k())'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    SECRET_KEY == _DEV_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY no es una clave real: debe tener al menos 50 caracteres aleatorios."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "accounts",
    "roadmap",
]

# Each middleware costs every request (bench/middleware.py measures them on /salud/): no
# LocaleMiddleware, the site has one language. GZip compresses pages (with Django's BREACH
# mitigation); WhiteNoise, before it, serves static files already compressed.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "curso.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "curso.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "curso.urls"
WSGI_APPLICATION = "curso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file in the project by default, PostgreSQL with DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers on one file: writers queue (IMMEDIATE + a 20 s busy timeout)
    # instead of failing with "database is locked", and readers never block writers (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A dead or unreachable server must fail a request quickly (the 503 page), not hang it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the session's user with a query compiled once
# (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailBackend",
    "accounts.backends.AllauthBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "roadmap:my_progress"

# django-allauth 65: email + password, no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION debe ser none, optional o mandatory.")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "roadmap:home"
SITE_NAME = "curso"  # what emails are signed with (accounts/adapter.py)


def site_url_from_env() -> str:
    """The site's public address, for links in emails written outside a request (digests,
    nudges: curso/emails.py). http(s)://host[:port], no path; DEBUG defaults to runserver's.
    Without it in production those commands refuse to run and `check --deploy` says so."""
    value = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value.rstrip("/"))
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if (
        not parts
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
    ):
        raise ImproperlyConfigured(
            f"SITE_URL debe ser http(s)://dominio[:puerto], sin ruta; vale {value!r}."
        )
    return f"{parts.scheme}://{parts.netloc}"


SITE_URL = site_url_from_env()
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Email changes take effect only once verified; failed logins are keyed on the account, not on
# the Host header (accounts/adapter.py, accounts/email_addresses.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "add_email": "accounts.forms.AddEmailForm"}
# Rate limits count per client IP. Behind proxies you run (nginx, a load balancer), set how many:
# allauth then takes the address the outermost of them appended to X-Forwarded-For. 0 = clients
# connect directly and X-Forwarded-For is ignored (a client can write anything in it).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("ALLAUTH_TRUSTED_PROXY_COUNT no puede ser negativo.")
# Or a header your proxy always overwrites with the client IP (CF-Connecting-IP, X-Real-IP).
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "").strip()
_header = ALLAUTH_TRUSTED_CLIENT_IP_HEADER.replace("-", "")
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and not (_header.isascii() and _header.isalnum()):
    raise ImproperlyConfigured("ALLAUTH_TRUSTED_CLIENT_IP_HEADER debe ser un nombre de cabecera.")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = ALLAUTH_TRUSTED_CLIENT_IP_HEADER or None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "America/Argentina/Buenos_Aires"
USE_I18N = True
# Voseo translations that take precedence over allauth's usted/tú Spanish (compiled .mo committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production (needs `collectstatic`); plain in development.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Markdown is rendered when it is written, in a separate process killed after this many seconds
# of wall time (roadmap/markdown.py); texts that take longer are refused with a message.
try:
    MARKDOWN_RENDER_TIMEOUT = float(os.environ.get("MARKDOWN_RENDER_TIMEOUT") or 1.5)
except ValueError:
    raise ImproperlyConfigured("MARKDOWN_RENDER_TIMEOUT debe ser un número de segundos.") from None
if not 0.1 <= MARKDOWN_RENDER_TIMEOUT <= 30:
    raise ImproperlyConfigured("MARKDOWN_RENDER_TIMEOUT debe estar entre 0.1 y 30 segundos.")


# Cache: it also holds allauth's rate-limit counters, so production needs one shared by every
# process: Redis (REDIS_URL or CACHE_URL=redis://...) or the database (CACHE_URL=db://table, the
# production default; create it with `manage.py createcachetable`). Local memory in development.
def cache_from_url(url: str, *, name: str = "", max_entries: int = 100_000) -> dict:
    """A cache config from a URL; `name` keeps a second cache apart on the same server."""
    scheme, _, rest = url.partition("://")
    options = {"MAX_ENTRIES": max_entries}
    if scheme in {"redis", "rediss"}:
        return {
            # Django's RedisCache, but a Redis outage reads as misses (curso/cache.py).
            "BACKEND": "curso.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": name,
        }
    if scheme == "db":
        table = rest or "curso_cache"
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": f"{table}_{name}" if name else table,
            "OPTIONS": options,
        }
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{rest}-{name}",
            "OPTIONS": options,
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL no reconocida: {url!r} (redis://, db://, locmem://).")


CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if not CACHE_URL:
    CACHE_URL = "locmem://curso" if DEBUG else "db://curso_cache"
CACHES = {
    # Sessions and allauth's rate-limit counters. Pages are not cached whole: they are rendered
    # once per content version and assembled per visitor (roadmap/pages/).
    "default": cache_from_url(CACHE_URL),
}
# Sessions: the database holds them, the shared cache serves them (no session query per request).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Page skeletons kept in each process (roadmap/pages/skeleton.py): about 200 pages a content
# version and visitor kind; the least recently used go first.
SKELETON_STORE_ENTRIES = env_int("SKELETON_STORE_ENTRIES", 600)

# Mail (Django 6.1 MAILERS): console by default, SMTP when EMAIL_HOST is set. The task worker
# sends through it, never a request (TASKS below).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "curso <no-responder@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    # Django's console backend, printing the decoded body so links can be copied.
    MAILERS = {"default": {"BACKEND": "curso.console_mail.EmailBackend"}}

# Tasks (Django 6's django.tasks): every email is queued in the database (django-tasks-db) by the
# request that renders it and sent by `manage.py db_worker` (curso/mail_queue.py); `make run`
# starts one worker beside the server. Tests run tasks on the spot (conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Security headers. Everything is served from this host: the CSP allows 'self' only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
