#!/usr/bin/env python
"""Resilience check (not a test): restart PostgreSQL while learners write, then audit.

    .venv/bin/python bench/resilience.py [--seconds 20] [--learners 4]

Starts gunicorn (2 workers, DEBUG off) on a scratch PostgreSQL database with Redis as cache.
Each learner thread keeps changing statuses (and reading the home page); after a few seconds
PostgreSQL is restarted. Afterwards it reports what users got during the outage (they must get
the Spanish 503 page, never another 5xx), how long the app took to recover by itself, and checks
that every write the app confirmed (a redirect after the POST) is in the database.
Needs root (or sudo) for pg_ctlcluster, PostgreSQL on 127.0.0.1:5432 and Redis on 6379.
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
            self.results.append((time.time(), code, "Volvemos en unos segundos" in page))
            code, page = self.request("/")
            self.results.append((time.time(), code, "Volvemos en unos segundos" in page))
            n += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--learners", type=int, default=4)
    args = parser.parse_args()

    psql("DROP DATABASE IF EXISTS curso_resilience")
    psql("CREATE DATABASE curso_resilience")
    env = {**environment(DATABASE), "REDIS_URL": "redis://127.0.0.1:6379/13"}
    subprocess.run(["redis-cli", "-n", "13", "FLUSHDB"], check=True, capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "loaddata", "curso", "-v0")
    topics = manage(
        env, "shell", "-v", "0", "-c", SETUP.format(learners=args.learners, password=PASSWORD)
    )
    topics = topics.split()[-12:]
    port = free_port()
    server = start_gunicorn(env, port)
    stop = threading.Event()
    learners = [
        Learner(f"http://127.0.0.1:{port}", f"r{n}@example.com", topics, stop)
        for n in range(args.learners)
    ]
    try:
        for learner in learners:
            learner.start()
        time.sleep(args.seconds / 4)
        cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True)
        version = cluster.stdout.split()[0]
        restart_started = time.time()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
        )
        restart_done = time.time()
        time.sleep(args.seconds * 3 / 4)
    finally:
        stop.set()
        for learner in learners:
            learner.join(timeout=15)
        server.terminate()
        server.wait(timeout=10)

    results = [r for learner in learners for r in learner.results]
    codes = Counter(code for _t, code, _es in results)
    outage = [r for r in results if r[1] >= 500 or r[1] == 0]
    spanish_503 = sum(1 for _t, code, es in outage if code == 503 and es)
    other_errors = [code for _t, code, es in outage if not (code == 503 and es)]
    last_failure = max((t for t, _c, _e in outage), default=restart_done)
    recovered_after = max(0.0, last_failure - restart_started)

    audit = (
        "from roadmap.models import TopicProgress\n"
        "for p in TopicProgress.objects.select_related('user', 'topic__section'):\n"
        "    print(p.user.email, f'{p.topic.section.slug}/{p.topic.slug}', p.status)\n"
    )
    stored = {
        (email, topic): status
        for email, topic, status in (
            line.split()
            for line in manage(env, "shell", "-v", "0", "-c", audit).splitlines()
            if line
        )
    }
    lost = [
        (learner.email, topic, status)
        for learner in learners
        for topic, status in learner.confirmed.items()
        if stored.get((learner.email, topic), "pendiente") != status
    ]
    report = "\n".join(
        [
            f"### Reinicio de PostgreSQL bajo carga ({args.learners} aprendices, {args.seconds} s)",
            "",
            f"- Pedidos: {len(results)}; códigos: {dict(sorted(codes.items()))}",
            f"- Reinicio de PostgreSQL: {restart_done - restart_started:.1f} s",
            f"- Respuestas durante el corte: {len(outage)}, de ellas {spanish_503} con la página "
            f"503 en español; otros errores: {len(other_errors)} {Counter(other_errors) or ''}",
            f"- Recuperación sola: el último error fue {recovered_after:.1f} s después de empezar "
            "el reinicio",
            f"- Escrituras confirmadas verificadas: {sum(len(x.confirmed) for x in learners)}; "
            f"perdidas: {len(lost)} {lost[:3] if lost else ''}",
            "",
        ]
    )
    print(report)
    (Path(__file__).resolve().parent / "results-resilience.md").write_text(report, encoding="utf-8")
    psql("DROP DATABASE IF EXISTS curso_resilience WITH (FORCE)")
    return 0 if not lost and not other_errors else 1


if __name__ == "__main__":
    sys.exit(main())
