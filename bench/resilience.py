#!/usr/bin/env python
"""Resilience check (not a test): break a dependency while learners write, then audit.

    .venv/bin/python bench/resilience.py [--case postgres|redis|both] [--seconds 20] [--learners 4]

Starts gunicorn (2 workers, DEBUG off) on a scratch PostgreSQL database with Redis as cache.
Each learner thread keeps changing statuses (and reading the home page, noting whether it still
shows them signed in); an intruder thread keeps trying wrong passwords.

- postgres: PostgreSQL is restarted. Users must get the Spanish 503 page, never another 5xx.
  Needs root (or sudo) for pg_ctlcluster.
- redis: the bench starts its own redis-server on a spare port (the machine's Redis is never
  touched), stops it for a few seconds (`shutdown nosave`) and starts it again, empty. Pages must
  keep answering 200 (no 500), learners must stay signed in (sessions come from the database),
  and login attempts must get the Spanish 503 while attempts cannot be counted.

Afterwards it reports what users got, how long the app took to recover by itself, and checks
that every write the app confirmed (a redirect after the POST) is in the database. Results go to
bench/results-resilience.md. Needs PostgreSQL on 127.0.0.1:5432 and Redis on 6379 (postgres case)
or `redis-server` on PATH (redis case).
"""

import argparse
import http.cookiejar
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import environment, free_port, manage, start_gunicorn  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/curso_resilience"
DATABASE_DOWN = "Volvemos en unos segundos"
RATE_LIMITS_DOWN = "No podemos verificar los intentos de ingreso"
PASSWORD = "una-clave-para-resistir-2026"
STATUSES = ["en_progreso", "completado", "omitido", "pendiente"]
SETUP = """
from accounts.models import User
for n in range({learners}):
    User.objects.create_user(f"r{{n}}@example.com", "{password}")
from roadmap.models import Topic
print(" ".join(f"{{t.section.slug}}/{{t.slug}}" for t in Topic.objects.order_by("pk")[:12]))
"""


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


class Learner(threading.Thread):
    def __init__(self, base, email, topics, stop):
        super().__init__(daemon=True)
        self.base, self.email, self.topics, self.stop = base, email, topics, stop
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.confirmed: dict[str, str] = {}  # topic → last status the app confirmed
        self.results: list[tuple[float, int, bool]] = []  # (time, status, Spanish page?)
        self.signed_out: list[float] = []  # times the home page showed them signed out

    def request(self, url, data=None):
        request = urllib.request.Request(self.base + url, data=data, headers={"Referer": self.base})
        try:
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError:
            return 0, ""

    def log_in(self):
        self.request("/accounts/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        self.request("/accounts/login/", urllib.parse.urlencode(data).encode())
        self.request("/")

    def run(self):
        self.log_in()
        n = 0
        while not self.stop.is_set():
            topic = self.topics[n % len(self.topics)]
            status = STATUSES[(n // len(self.topics)) % len(STATUSES)]
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({"status": status, "csrfmiddlewaretoken": token})
            code, page = self.request(f"/secciones/{topic}/estado/", body.encode())
            if code == 200 and "Estado:" in page:  # redirected back to the section page
                self.confirmed[topic] = status
            self.results.append((time.time(), code, DATABASE_DOWN in page))
            code, page = self.request("/")
            self.results.append((time.time(), code, DATABASE_DOWN in page))
            if code == 200 and "Salir" not in page:
                self.signed_out.append(time.time())
            n += 1


class Intruder(Learner):
    """Keeps guessing a learner's password; records (time, status, kind of answer)."""

    def run(self):
        self.request("/accounts/login/")
        while not self.stop.is_set():
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            data = {"login": self.email, "password": "adivinando", "csrfmiddlewaretoken": token}
            code, page = self.request("/accounts/login/", urllib.parse.urlencode(data).encode())
            self.results.append((time.time(), code, RATE_LIMITS_DOWN in page))
            time.sleep(0.05)


def start_redis(port: int) -> None:
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--logfile",
            f"/tmp/curso-redis-{port}.log",
            "--dir",
            "/tmp",
        ],
        check=True,
    )
    for _ in range(50):
        ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True)
        if ping.stdout.strip() == b"PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("redis-server no arrancó")


def stop_redis(port: int) -> None:
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)


def stored_statuses(env) -> dict:
    audit = (
        "from roadmap.models import TopicProgress\n"
        "for p in TopicProgress.objects.select_related('user', 'topic__section'):\n"
        "    print(p.user.email, f'{p.topic.section.slug}/{p.topic.slug}', p.status)\n"
    )
    return {
        (email, topic): status
        for email, topic, status in (
            line.split()
            for line in manage(env, "shell", "-v", "0", "-c", audit).splitlines()
            if line
        )
    }


def prepare(env, learners: int) -> list[str]:
    psql("DROP DATABASE IF EXISTS curso_resilience WITH (FORCE)")
    psql("CREATE DATABASE curso_resilience")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "loaddata", "curso", "-v0")
    topics = manage(
        env, "shell", "-v", "0", "-c", SETUP.format(learners=learners, password=PASSWORD)
    )
    return topics.split()[-12:]


def run_case(case: str, args) -> tuple[str, bool]:
    redis_port = free_port() if case == "redis" else None
    if redis_port:
        start_redis(redis_port)
        redis_url = f"redis://127.0.0.1:{redis_port}/0"
    else:
        redis_url = "redis://127.0.0.1:6379/13"
        subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], check=True, capture_output=True)
    env = {**environment(DATABASE), "REDIS_URL": redis_url}
    topics = prepare(env, args.learners)
    port = free_port()
    server = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    learners = [Learner(base, f"r{n}@example.com", topics, stop) for n in range(args.learners)]
    intruder = Intruder(base, "r0@example.com", topics, stop)
    outage_start = outage_end = 0.0
    try:
        for learner in learners:
            learner.start()
        time.sleep(args.seconds / 4)
        intruder.start()
        outage_start = time.time()
        if case == "postgres":
            cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True)
            version = cluster.stdout.split()[0]
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                check=True,
            )
        else:
            stop_redis(redis_port)
            time.sleep(args.seconds / 4)
            start_redis(redis_port)  # empty: sessions and counters must come back by themselves
        outage_end = time.time()
        time.sleep(args.seconds / 2)
    finally:
        stop.set()
        for thread in [*learners, intruder]:
            thread.join(timeout=15)
        server.terminate()
        server.wait(timeout=10)
        if redis_port:
            stop_redis(redis_port)

    results = [r for learner in learners for r in learner.results]
    codes = Counter(code for _t, code, _es in results)
    errors = [r for r in results if r[1] >= 500 or r[1] == 0]
    stored = stored_statuses(env)
    lost = [
        (learner.email, topic, status)
        for learner in learners
        for topic, status in learner.confirmed.items()
        if stored.get((learner.email, topic), "pendiente") != status
    ]
    signed_out = sum(len(learner.signed_out) for learner in learners)
    during = [r for r in results if outage_start <= r[0] <= outage_end]
    before = sum(1 for r in results if r[0] < outage_start)
    after = sum(1 for r in results if r[0] > outage_end)
    guesses = intruder.results
    guess_codes = Counter(code for _t, code, _es in guesses)
    guesses_during = [g for g in guesses if outage_start <= g[0] <= outage_end]
    refused_during = sum(1 for _t, code, es in guesses_during if code == 503 and es)
    confirmed = sum(len(x.confirmed) for x in learners)
    if case == "postgres":
        spanish_503 = sum(1 for _t, code, es in errors if code == 503 and es)
        other_errors = [code for _t, code, es in errors if not (code == 503 and es)]
        last_failure = max((t for t, _c, _e in errors), default=outage_end)
        lines = [
            f"### Reinicio de PostgreSQL bajo carga ({args.learners} aprendices, {args.seconds} s)",
            "",
            f"- Pedidos: {len(results)}; códigos: {dict(sorted(codes.items()))}",
            f"- Reinicio de PostgreSQL: {outage_end - outage_start:.1f} s",
            f"- Respuestas durante el corte: {len(errors)}, de ellas {spanish_503} con la página "
            f"503 en español; otros errores: {len(other_errors)} {Counter(other_errors) or ''}",
            f"- Recuperación sola: el último error fue "
            f"{max(0.0, last_failure - outage_start):.1f} s después de empezar el reinicio",
        ]
        ok = not other_errors
    else:
        lines = [
            f"### Redis detenido bajo carga ({args.learners} aprendices, {args.seconds} s; "
            f"Redis propio en el puerto {redis_port})",
            "",
            f"- Pedidos de aprendices: {len(results)}; códigos: {dict(sorted(codes.items()))}; "
            f"antes / durante / después del corte: {before} / {len(during)} / {after}",
            f"- Redis caído {outage_end - outage_start:.1f} s (`shutdown nosave`, vuelve vacío); "
            f"pedidos durante el corte: {len(during)}, "
            f"con 200: {sum(1 for r in during if r[1] == 200)}",
            f"- Errores (5xx o sin respuesta): {len(errors)}; páginas que mostraron a un/a "
            f"aprendiz sin sesión: {signed_out}",
            f"- Intentos de contraseña del intruso: {len(guesses)}; códigos: "
            f"{dict(sorted(guess_codes.items()))}; durante el corte: {len(guesses_during)}, "
            f"de ellos {refused_during} rechazados con el 503 en español",
        ]
        ok = not errors and not signed_out and refused_during == len(guesses_during)
    lines += [
        f"- Escrituras confirmadas verificadas: {confirmed}; perdidas: {len(lost)} "
        f"{lost[:3] if lost else ''}",
        "",
    ]
    psql("DROP DATABASE IF EXISTS curso_resilience WITH (FORCE)")
    return "\n".join(lines), ok and not lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=["postgres", "redis", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--learners", type=int, default=4)
    args = parser.parse_args()
    cases = ["postgres", "redis"] if args.case == "both" else [args.case]
    reports, ok = [], True
    for case in cases:
        report, passed = run_case(case, args)
        print(report)
        reports.append(report)
        ok = ok and passed
    (Path(__file__).resolve().parent / "results-resilience.md").write_text(
        "\n".join(reports), encoding="utf-8"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
