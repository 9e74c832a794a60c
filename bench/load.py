#!/usr/bin/env python
"""Load benchmark (not a test): gunicorn (2 workers, DEBUG off) measured with wrk.

    .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--duration 10]

For each database it loads the course, creates a 500-learner demo cohort and a signed-in learner
with progress, starts gunicorn with Redis as the shared cache, and measures:
a "hello" view (/salud/, the stack's baseline), / anonymous, / signed in, a section signed in,
/mi-progreso/ and the 500-learner cohort dashboard. Throughput runs use 10 connections; the
dashboard's latency is also measured alone (1 connection), which is its server time.
Results are printed as ratios to the baseline and written to bench/results-<db>.md.

Needs: wrk (apt-get install wrk), Redis on 127.0.0.1:6379 and, for --db postgres, PostgreSQL on
127.0.0.1:5432 (user postgres, trust auth).
"""

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = Path(__file__).resolve().parent / "wrk-report.lua"
DATABASES = {
    "sqlite": "sqlite:////tmp/curso-load.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/curso_load",
}
LEARNER = ("carga@example.com", "una-clave-para-la-carga-2026")
SETUP = """
from accounts.models import User
from roadmap.cohorts.demo import create_demo_cohort
from roadmap.models import Status, Topic
from roadmap.learning.services import progress_set_status
demo = create_demo_cohort(learners=500)
user, _ = User.objects.get_or_create(email="{email}")
user.set_password("{password}")
user.save()
for index, topic in enumerate(Topic.objects.order_by("pk")[:30]):
    status = Status.DONE if index % 3 else Status.IN_PROGRESS
    progress_set_status(user=user, topic=topic, status=status)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(demo.cohort.get_absolute_url())
"""


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "curso.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "load-" + "Zq8Lw3Nx7Tb2Vm6Kr1Pd9Hs4Gf0Jc5Ya" * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare(db: str) -> tuple[dict, str]:
    env = environment(DATABASES[db])
    if db == "sqlite":
        Path("/tmp/curso-load.sqlite3").unlink(missing_ok=True)
    else:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "DROP DATABASE IF EXISTS curso_load",
            ],
            check=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE curso_load"],
            check=True,
        )
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=True, capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "loaddata", "curso", "-v0")
    dashboard = manage(
        env, "shell", "-v", "0", "-c", SETUP.format(email=LEARNER[0], password=LEARNER[1])
    ).split()[-1]
    return env, dashboard


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(GUNICORN), "curso.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/salud/", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn no arrancó")


def log_in(base: str, email: str, password: str) -> str:
    """Log in through allauth's form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
    )
    opener.open(request).read()
    opener.open(base + "/").read()  # the CSRF cookie of the signed-in session
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "no se pudo iniciar sesión"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk(url: str, duration: int, connections: int, cookie: str = "") -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(LUA), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    if report["errors"]:
        raise RuntimeError(f"{url}: {report['errors']} respuestas no 2xx/3xx\n{output}")
    return report


def run(db: str, duration: int) -> str:
    env, dashboard = prepare(db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port)
    try:
        learner = log_in(base, *LEARNER)
        instructor = log_in(base, "bruno@example.com", "curso-demo-2026")
        scenarios = [
            ("hola (/salud/, base)", "/salud/", "", 10, None),
            ("/ anónimo", "/", "", 10, 0.5),
            ("/ con sesión y progreso", "/", learner, 10, 0.25),
            ("sección con sesión", "/secciones/ajuste-fino-supervisado/", learner, 10, 0.25),
            ("/mi-progreso/", "/mi-progreso/", learner, 10, None),
            ("tablero 500 (10 conexiones)", dashboard, instructor, 10, None),
            ("tablero 500 (1 conexión)", dashboard, instructor, 1, None),
        ]
        rows = []
        baseline = None
        for label, path, cookie, connections, target in scenarios:
            wrk(base + path, 2, connections, cookie)  # warm up both workers
            report = wrk(base + path, duration, connections, cookie)
            baseline = baseline or report["rps"]
            rows.append((label, report, report["rps"] / baseline, target))
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The same signed-in pages with the page cache off: what a first visit costs.
    port = free_port()
    server = start_gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, port)
    base = f"http://127.0.0.1:{port}"
    try:
        learner = log_in(base, *LEARNER)
        for label, path in [
            ("/ con sesión, sin caché de páginas", "/"),
            ("sección con sesión, sin caché", "/secciones/ajuste-fino-supervisado/"),
        ]:
            wrk(base + path, 2, 10, learner)
            report = wrk(base + path, duration, 10, learner)
            rows.append((label, report, report["rps"] / baseline, None))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return table(db, rows, duration)


def table(db: str, rows, duration: int) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} núcleos, Python {platform.python_version()}"
    lines = [
        f"### {db} — gunicorn 2 workers, DEBUG off, wrk 1 hilo, {duration} s por escenario",
        "",
        f"Máquina: {machine}. Caché compartida: Redis. Fecha: {time.strftime('%Y-%m-%d %H:%M')}.",
        "",
        "| escenario | req/s | × base | objetivo | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for label, report, ratio, target in rows:
        goal = "" if target is None else f"≥ {target} × {'✅' if ratio >= target else '❌'}"
        if label.endswith("(1 conexión)"):
            goal = f"p95 < 250 ms {'✅' if report['p95'] < 250 else '❌'}"
        lines.append(
            f"| {label} | {report['rps']:.0f} | {ratio:.2f} | {goal} | {report['p50']:.1f} | "
            f"{report['p95']:.1f} | {report['p99']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("Falta wrk: sudo apt-get install -y wrk", file=sys.stderr)
        return 2
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        result = run(db, args.duration)
        (Path(__file__).resolve().parent / f"results-{db}.md").write_text(result, encoding="utf-8")
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
