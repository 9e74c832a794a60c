"""Settings come from the environment and refuse unsafe production values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#p9q2!zv8m4x1r6t0w3y5u-a8s2d4f6g1h3j5l7z9x0c2v4b6n8m1q3e5r7t9y",
    "ALLOWED_HOSTS": "curso.example.org",
    "DATABASE_URL": "sqlite:////tmp/curso-settings-check.sqlite3",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://curso.example.org",
}


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    # Start from this environment without anything the test run itself set.
    unwanted = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "REDIS_URL"}
    clean = {
        k: v for k, v in os.environ.items() if k not in unwanted and not k.startswith("ALLAUTH_")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "curso.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_python("import django; django.setup()", {"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY es obligatoria" in result.stderr


def test_debug_off_with_a_toy_secret_key_refuses_to_start():
    result = run_python("import django; django.setup()", {"DEBUG": "0", "SECRET_KEY": "abc"})
    assert result.returncode != 0
    assert "no es una clave real" in result.stderr


def test_malformed_boolean_fails_loudly():
    result = run_python("import django; django.setup()", {"DEBUG": "quizás"})
    assert result.returncode != 0
    assert "DEBUG debe ser" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_python(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_uses_smtp_and_hashed_static_files():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.MAILERS['default']['BACKEND']);"
        "print(settings.STORAGES['staticfiles']['BACKEND'])"
    )
    result = run_python(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "smtp.EmailBackend" in result.stdout
    assert "CompressedManifestStaticFilesStorage" in result.stdout


def test_development_defaults_are_sqlite_and_console_mail():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.MAILERS['default']['BACKEND']); print(settings.LANGUAGE_CODE)"
    )
    result = run_python(code, {"DATABASE_URL": f"sqlite:///{ROOT / 'db.sqlite3'}"})
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert "curso.console_mail.EmailBackend" in result.stdout
    assert "\nes" in result.stdout


def test_check_deploy_warns_when_rate_limits_are_not_shared():
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_python(code, {**PRODUCTION_ENV, "CACHE_URL": "locmem://"})
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr


def test_production_defaults_to_the_database_cache_and_redis_when_given():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'])"
    )
    assert "DatabaseCache" in run_python(code, PRODUCTION_ENV).stdout
    redis_env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/1"}
    assert "RedisCache" in run_python(code, redis_env).stdout
    bad = run_python(code, {**PRODUCTION_ENV, "CACHE_URL": "memcached://x"})
    assert bad.returncode != 0 and "CACHE_URL no reconocida" in bad.stderr
