#!/usr/bin/env python
"""Benchmark (not a test): what each middleware costs on `/salud/`, in-process.

    .venv/bin/python bench/middleware.py [--requests 3000] [--rounds 5]

Builds Django's WSGI handler with the project's MIDDLEWARE, then once more without each
middleware in turn, and times anonymous GET /salud/ requests straight through the handler (no
server, no network: only the stack). Rounds alternate between the variants so machine noise
spreads evenly; the best round of each is kept. Prints µs per request and each middleware's cost
(full stack minus the stack without it). Runs with DEBUG off and a local-memory cache.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "curso.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "Mw4Rt8Yp2Zx6Qc1Vb9Nk3Hd7Gs5Lf0Ja" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "locmem://bench",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/curso-mw-bench.sqlite3"),
    }
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ENVIRON = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/salud/",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000",
    "HTTP_HOST": "127.0.0.1",
    "HTTP_ACCEPT_ENCODING": "gzip",
    "wsgi.url_scheme": "http",
    "wsgi.input": io.BytesIO(b""),
}


# Middleware that cannot run without another: dropping the first drops these too.
NEEDS = {
    "django.contrib.sessions.middleware.SessionMiddleware": [
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "allauth.account.middleware.AccountMiddleware",
    ],
    "django.contrib.auth.middleware.AuthenticationMiddleware": [
        "allauth.account.middleware.AccountMiddleware",
    ],
}


def without(full: list[str], name: str) -> list[str]:
    dropped = {name, *NEEDS.get(name, [])}
    return [m for m in full if m not in dropped]


def variant_name(name: str) -> str:
    short = name.rsplit(".", 1)[-1]
    return f"{short} (+ lo que lo necesita)" if name in NEEDS else short


def handler_for(middleware: list[str]) -> WSGIHandler:
    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


def time_requests(handler: WSGIHandler, count: int) -> float:
    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    started = time.perf_counter()
    for _ in range(count):
        response = handler(dict(ENVIRON), start_response)
        b"".join(response)
        response.close()
    return (time.perf_counter() - started) / count * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    full = list(settings.MIDDLEWARE)
    variants = {"(todo el stack)": full, "(sin middleware)": []}
    for name in full:
        variants[variant_name(name)] = without(full, name)
    handlers = {label: handler_for(middleware) for label, middleware in variants.items()}
    best = dict.fromkeys(handlers, float("inf"))
    for _ in range(args.rounds):
        for label, handler in handlers.items():
            time_requests(handler, args.requests // 10)  # warm up
            best[label] = min(best[label], time_requests(handler, args.requests))
    stack = best["(todo el stack)"]
    print(f"/salud/ en el proceso, mejor de {args.rounds} rondas de {args.requests} pedidos")
    print(f"{'todo el stack':45} {stack:8.1f} µs")
    print(f"{'sin ningún middleware':45} {best['(sin middleware)']:8.1f} µs")
    for name in full:
        print(f"  {variant_name(name):43} {stack - best[variant_name(name)]:8.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
