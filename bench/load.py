#!/usr/bin/env python
"""Load benchmark (not a test): the project under gunicorn against a bare Django hello-world.

    python bench/load.py [--db sqlite|postgres|both] [--duration 10] [--scenarios id,id,...]

Two gunicorn servers run side by side on the same settings (2 sync workers, DEBUG off, Redis as the
shared cache): the baseline, bench/hello (two middleware, one view returning "hola"), and the
project (no whole-page cache: its pages are rendered once per content version and assembled per
visitor, so every signed-in view below runs the learner's queries). wrk (1 thread, 10 connections)
measures the baseline and each throughput scenario alternately — hola, scenario, hola, scenario, …,
hola — and each scenario is reported as a ratio to the mean of the two hello runs around it, so
machine noise affects both sides. Latency scenarios (dashboards and CSV, 1 connection: server time)
are measured afterwards. Gunicorn worker RSS is read after the warm-up pass and at the end.

Scenario ids (--scenarios takes a comma-separated subset; default: all):
  salud           /salud/ of the project (reported, not the baseline)
  anon            / anonymous
  home            / signed in with 24 topics marked
  section         a section signed in
  topic           a topic signed in (with the learner's note)
  progress        /mi-progreso/ signed in
  mixed           10 learners, own sessions, different pages, a status POST every 5th request
  dash-10c        cohort dashboard, 500 learners, 10 connections
  dash            cohort dashboard at 50 / 500 / 5,000 learners, 1 connection
  csv             the cohort CSV at 50 / 500 / 5,000 learners, 1 connection

Writes bench/results-<db>.md (gitignored) and prints it. Needs wrk (apt-get install wrk), Redis
on 127.0.0.1:6379 (database 14 is flushed) and, for postgres, PostgreSQL on 127.0.0.1:5432
(user postgres, trust auth; the scratch database curso_load_bench is dropped and recreated).
Run it with the project's virtualenv python: gunicorn is taken from next to it.
"""

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = Path(sys.executable)
GUNICORN = str(PYTHON.parent / "gunicorn") if (PYTHON.parent / "gunicorn").exists() else "gunicorn"
REPORT_LUA = BENCH / "wrk-report.lua"
MIXED_LUA = BENCH / "wrk-mixed.lua"
REDIS_DB = "14"
SQLITE_FILE = Path("/tmp/curso-load-bench.sqlite3")
PG_DATABASE = "curso_load_bench"
DATABASE_URLS = {
    "sqlite": f"sqlite:///{SQLITE_FILE}",
    "postgres": f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}",
}
# Every server (hello and project) runs with exactly these flags.
GUNICORN_FLAGS = ["--workers", "2", "--worker-class", "sync", "--timeout", "60"]
GUNICORN_FLAGS += ["--no-control-socket"]  # gunicorn 27: several servers, one default socket
HELLO_WSGI, HELLO_READY = "bench.hello.wsgi", "/"
WARM_UP_SECONDS = 2
ALL_SCENARIOS = "salud anon home section topic progress mixed"
ALL_SCENARIOS = (ALL_SCENARIOS + " dash-10c dash csv").split()


# =================================================================================================
# PROJECT-SPECIFIC — everything that knows curso's models, commands, URLs and forms is in this
# block. The project's modules are being reorganised: only `roadmap.models`, the user model,
# `manage.py seed_demo` and plain HTTP (login form, status POST, page addresses) are used.
# =================================================================================================
PROJECT_WSGI, PROJECT_READY = "curso.wsgi", "/salud/"
LOGIN_PATH = "/accounts/login/"
HOME, MY_PROGRESS, HEALTH = "/", "/mi-progreso/", "/salud/"
STATUS_SUFFIX, STATUS_FIELD = "estado/", "status"  # POST <topic page>estado/, status=…, CSRF
MAIN_LEARNER = "carga@example.com"  # 24 topics marked
MIXED_LEARNERS = [f"carga{n:02d}@example.com" for n in range(1, 11)]
LEARNER_PASSWORD = "una-clave-para-la-carga-2026"
MARKED_TOPICS, MIXED_MARKED = 24, 8
DEMO_LEARNERS, COHORT_SIZES = 5000, (50, 500, 5000)

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from roadmap.models import Cohort, CohortMembership, Note, Section, SectionTarget, Status, Topic

demo = Cohort.objects.get(slug={demo_slug!r})
cohorts = {{{demo_size}: demo}}
with transaction.atomic():
    # Smaller cohorts: the first learners of the demo cohort, same instructors and calendar.
    Cohort.objects.filter(slug__startswith="carga-").delete()
    memberships = list(demo.memberships.order_by("role", "user_id"))
    for size in {sizes!r}:
        if size == {demo_size}:
            continue
        cohort = Cohort.objects.create(
            name=f"Carga {{size}}", slug=f"carga-{{size}}", start_date=demo.start_date,
            end_date=demo.end_date,
        )
        learners = [m for m in memberships if m.role == CohortMembership.Role.LEARNER][:size]
        teachers = [m for m in memberships if m.role != CohortMembership.Role.LEARNER]
        CohortMembership.objects.bulk_create(
            CohortMembership(cohort=cohort, user_id=m.user_id, role=m.role, joined_at=m.joined_at)
            for m in teachers + learners
        )
        SectionTarget.objects.bulk_create(
            SectionTarget(cohort=cohort, section_id=t.section_id, due_date=t.due_date)
            for t in demo.targets.all()
        )
        cohorts[size] = cohort
    User = get_user_model()
    for email in {emails!r}:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.set_password({password!r})
        user.save()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
sections = list(Section.objects.published().in_course_order())
topics = list(
    Topic.objects.published().select_related("section")
    .order_by("section__part__order", "section__order", "order")
)
biggest = max(sections, key=lambda s: sum(t.section_id == s.pk for t in topics))
bench_topic = next(t for t in topics if t.section_id == biggest.pk)
main_learner = User.objects.get(email={main!r})
Note.objects.filter(user=main_learner).delete()
Note.objects.create(  # the topic page shows the learner's note
    user=main_learner, topic=bench_topic,
    body="Mi nota: **LoRA** congela los pesos.\\n\\n- rango 8\\n- `alpha` 16\\n",
)
print(json.dumps({{
    "cohorts": {{size: f"/cohortes/{{c.slug}}/" for size, c in cohorts.items()}},
    "sections": [s.get_absolute_url() for s in sections],
    "topics": [t.get_absolute_url() for t in topics],
    "section": biggest.get_absolute_url(),
    "topic": bench_topic.get_absolute_url(),
    "statuses": [Status.IN_PROGRESS.value, Status.DONE.value, Status.SKIPPED.value,
                 Status.PENDING.value],
}}))
"""


def project_environment(database_url: str) -> dict:
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
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args[:2])} falló:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(db: str) -> tuple[dict, dict]:
    """A fresh database with the course, the demo cohorts and the load learners."""
    env = project_environment(DATABASE_URLS[db])
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    else:
        for sql in (f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}"):
            psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql]
            subprocess.run(psql, check=True)
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=True, capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "loaddata", "curso", "-v0")
    seeded = manage(env, "seed_demo", "--learners", str(DEMO_LEARNERS), "--force")
    demo_slug = re.search(r"/cohortes/([^/\s]+)/", seeded).group(1)
    instructor = re.search(r"Instructor: (\S+) / (\S+)", seeded).groups()
    code = SETUP.format(
        demo_slug=demo_slug,
        demo_size=DEMO_LEARNERS,
        sizes=COHORT_SIZES,
        emails=[MAIN_LEARNER, *MIXED_LEARNERS],
        main=MAIN_LEARNER,
        password=LEARNER_PASSWORD,
    )
    data = json.loads(manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])
    data["cohorts"] = {int(size): path for size, path in data["cohorts"].items()}
    data["instructor"] = instructor
    return env, data


@dataclass
class Session:
    cookie: str
    csrf: str


def log_in(base: str, email: str, password: str) -> Session:
    """Sign in through allauth's form; the session's Cookie header and a CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + LOGIN_PATH).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"login": email, "password": password, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        base + LOGIN_PATH,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + LOGIN_PATH},
    )
    opener.open(request).read()
    page = opener.open(base + HOME).read().decode()  # the signed-in session's CSRF cookie
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, f"no se pudo iniciar sesión como {email}"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return Session("; ".join(f"{name}={value}" for name, value in cookies.items()), csrf)


def set_status(base: str, session: Session, topic: str, status: str) -> None:
    request = urllib.request.Request(
        base + topic + STATUS_SUFFIX,
        data=urllib.parse.urlencode({STATUS_FIELD: status}).encode(),
        headers={
            "Cookie": session.cookie,
            "X-CSRFToken": session.csrf,
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200, f"POST {topic}{STATUS_SUFFIX}: {response.status}"


def prepare_sessions(base: str, data: dict) -> dict:
    """Sign everyone in (over HTTP) and mark topics: 24 for the main learner, 8 per mixed one."""
    topics, statuses = data["topics"], data["statuses"][:3]  # not "pending": it unmarks
    main = log_in(base, MAIN_LEARNER, LEARNER_PASSWORD)
    spread = topics[:: max(1, len(topics) // MARKED_TOPICS)][:MARKED_TOPICS]
    for index, topic in enumerate(spread):
        set_status(base, main, topic, statuses[index % 3])
    mixed = []
    for number, email in enumerate(MIXED_LEARNERS):
        session = log_in(base, email, LEARNER_PASSWORD)
        for index, topic in enumerate(topics[number * 3 : number * 3 + MIXED_MARKED]):
            set_status(base, session, topic, statuses[index % 3])
        mixed.append(session)
    return {"main": main, "mixed": mixed, "instructor": log_in(base, *data["instructor"])}


def mixed_learners(data: dict, sessions: dict) -> list[dict]:
    """Per learner: its session, pages to browse (a different starting point each) and topics."""
    sections, topics = data["sections"], data["topics"]
    pages = []  # 18 pages: 6 sections, 6 topics, 3 × home, 3 × Mi progreso
    for k in range(6):
        pages += [sections[k % len(sections)], topics[k * 2 % len(topics)]]
        pages.append(HOME if k % 2 == 0 else MY_PROGRESS)
    learners = []
    for number, session in enumerate(sessions["mixed"]):
        start = number * 3 % len(pages)
        learners.append(
            {
                "cookie": session.cookie,
                "csrf": session.csrf,
                "pages": pages[start:] + pages[:start],
                "topics": topics[number * 3 + 1 : number * 3 + 7],
            }
        )
    return learners


@dataclass
class Scenario:
    id: str
    label: str
    server: str  # "project"; the baseline is "hello"
    path: str = ""
    session: str = ""  # "main", "instructor" or "" (anonymous); "mixed" for the mixed run
    connections: int = 10
    target: float | None = None  # × hello
    latency: bool = False  # 1 connection: server time, no hello around it
    cohort: int = 0  # learners in the cohort (dashboards and CSV)


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def scenarios_for(data: dict) -> list[Scenario]:
    section, topic, cohorts = data["section"], data["topic"], data["cohorts"]
    scenarios = [
        Scenario("salud", "`/salud/` del proyecto (no es la base)", "project", HEALTH),
        Scenario("anon", "`/` anónimo", "project", HOME, target=0.5),
        Scenario("home", "`/` con sesión, 24 temas marcados", "project", HOME, "main", target=0.15),
        Scenario("section", "sección con sesión", "project", section, "main", target=0.15),
        Scenario("topic", "tema con sesión y nota", "project", topic, "main", target=0.15),
        Scenario(
            "progress", "`/mi-progreso/` con sesión", "project", MY_PROGRESS, "main", target=0.15
        ),
        Scenario(
            "mixed",
            "mixto: 10 aprendices, POST de estado cada 5.º pedido",
            "project",
            session="mixed",
            target=0.15,
        ),
        Scenario(
            "dash-10c",
            "tablero 500, 10 conexiones",
            "project",
            cohorts[500],
            "instructor",
            cohort=500,
        ),
    ]
    for size in COHORT_SIZES:
        scenarios.append(
            Scenario(
                "dash",
                f"tablero {thousands(size)}, 1 conexión",
                "project",
                cohorts[size],
                "instructor",
                connections=1,
                latency=True,
                cohort=size,
            )
        )
    for size in COHORT_SIZES:
        scenarios.append(
            Scenario(
                "csv",
                f"CSV {thousands(size)}, 1 conexión",
                "project",
                cohorts[size] + "exportar.csv",
                "instructor",
                connections=1,
                latency=True,
                cohort=size,
            )
        )
    return scenarios


# =================================================================================================
# End of the project-specific block.
# =================================================================================================


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    base: str
    rss: dict = field(default_factory=dict)  # moment -> {pid: kB}
    peak: dict = field(default_factory=dict)  # pid -> VmHWM kB at the end

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def read_rss(self, moment: str) -> None:
        sizes = {}
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes[pid] = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            if moment == "end":
                self.peak[pid] = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        self.rss[moment] = sizes

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(name: str, wsgi: str, ready: str, env: dict) -> Server:
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"curso-load-bench-{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [GUNICORN, wsgi, *GUNICORN_FLAGS, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + ready, timeout=1).read()
            return Server(name, process, base)
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn {name} no arrancó (ver {log.name})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(url: str, cookie: str) -> None:
    """A signed-in page must answer 200 itself: a redirect to the login would look fast."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        status = opener.open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise RuntimeError(f"{url} respondió {status} antes de medir")


def wrk(url: str, seconds: int, connections: int, cookie: str = "", mixed: str = "") -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += ["-s", str(MIXED_LUA if mixed else REPORT_LUA), url]
    if mixed:
        command += ["--", mixed]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"wrk falló con {url}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed_requests(url: str, cookie: str, seconds: int, samples: int = 20) -> dict:
    """One connection, one request at a time (server time): for `seconds`, and at least
    `samples` requests unless that would take over a minute. Same keys as the wrk report."""
    parts = urllib.parse.urlsplit(url)
    headers = {"Cookie": cookie} if cookie else {}
    times, errors = [], 0
    start = time.perf_counter()
    while True:
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and (len(times) >= samples or elapsed >= 60):
            break
        began = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request("GET", parts.path, headers=headers)
            response = connection.getresponse()
            response.read()
            errors += response.status >= 400
        except OSError:
            errors += 1
        finally:
            connection.close()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()

    def percentile(p: float) -> float:
        return times[max(0, math.ceil(p / 100 * len(times)) - 1)]

    return {
        "rps": len(times) / (time.perf_counter() - start),
        "p50": percentile(50),
        "p95": percentile(95),
        "p99": percentile(99),
        "errors": errors,
        "samples": len(times),
    }


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def settle(servers, timeout: float = 60) -> None:
    """Wait until no worker of any server uses CPU (requests abandoned by wrk have finished)."""
    pids = [pid for server in servers for pid in server.workers()]
    deadline = time.monotonic() + timeout
    before = sum(cpu_ticks(pid) for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = sum(cpu_ticks(pid) for pid in pids)
        if now - before <= 1:  # clock ticks, usually 10 ms each
            return
        before = now


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_mixed_data(data: dict, sessions: dict) -> str:
    def learner(item: dict) -> str:
        pages = ", ".join(lua_string(page) for page in item["pages"])
        topics = ", ".join(lua_string(topic) for topic in item["topics"])
        return (
            f"{{cookie = {lua_string(item['cookie'])}, csrf = {lua_string(item['csrf'])}, "
            f"pages = {{{pages}}}, topics = {{{topics}}}}}"
        )

    learners = ",\n    ".join(learner(item) for item in mixed_learners(data, sessions))
    statuses = ", ".join(lua_string(status) for status in data["statuses"])
    text = (
        f"return {{\n  learners = {{\n    {learners}\n  }},\n  statuses = {{{statuses}}},\n"
        f"  suffix = {lua_string(STATUS_SUFFIX)}, field = {lua_string(STATUS_FIELD)},\n}}\n"
    )
    handle, path = tempfile.mkstemp(prefix="curso-load-mixed-", suffix=".lua")
    with os.fdopen(handle, "w") as file:
        file.write(text)
    return path


def run(db: str, duration: int, wanted: set[str]) -> str:
    env, data = prepare_database(db)
    hello_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    servers: dict[str, Server] = {}
    mixed_data = ""
    try:
        servers["hello"] = start_server("hello", HELLO_WSGI, HELLO_READY, hello_env)
        servers["project"] = start_server("project", PROJECT_WSGI, PROJECT_READY, env)
        sessions = prepare_sessions(servers["project"].base, data)
        mixed_data = write_mixed_data(data, sessions)
        scenarios = [s for s in scenarios_for(data) if s.id in wanted]

        def measure(scenario: Scenario | None, seconds: int, warm_up: bool = False) -> dict:
            if scenario is None:
                report = wrk(servers["hello"].base + "/", seconds, 10)
            elif scenario.session == "mixed":
                url = servers[scenario.server].base
                report = wrk(url, seconds, scenario.connections, mixed=mixed_data)
            else:
                url = servers[scenario.server].base + scenario.path
                cookie = sessions[scenario.session].cookie if scenario.session else ""
                if scenario.latency and not warm_up:
                    return timed_requests(url, cookie, seconds)
                # Warm-up: at least 2 connections, so that both workers see the page.
                connections = max(2, scenario.connections) if warm_up else scenario.connections
                report = wrk(url, seconds, connections, cookie)
            settle(servers.values())  # wrk leaves its last requests running: wait them out
            return report

        # Warm-up pass: every server, every worker, every page; then the "after warm-up" RSS.
        warm = min(WARM_UP_SECONDS, duration)
        measure(None, warm, warm_up=True)
        for scenario in scenarios:
            if scenario.session != "mixed":
                cookie = sessions[scenario.session].cookie if scenario.session else ""
                check_page(servers[scenario.server].base + scenario.path, cookie)
            measure(scenario, warm, warm_up=True)
        for server in servers.values():
            server.read_rss("warm")

        rows = []
        throughput = [s for s in scenarios if not s.latency]
        hello_runs = [measure(None, duration)] if throughput else []
        for scenario in throughput:
            report = measure(scenario, duration)
            hello_runs.append(measure(None, duration))
            around = [h["rps"] for h in hello_runs[-2:]]
            rows.append((scenario, report, report["rps"] / statistics.mean(around), around))
        for server in servers.values():
            server.read_rss("mid")
        for scenario in scenarios:
            if scenario.latency:
                rows.append((scenario, measure(scenario, duration), None, None))
        for server in servers.values():
            server.read_rss("end")
    finally:
        for server in servers.values():
            server.stop()
        if mixed_data:
            Path(mixed_data).unlink(missing_ok=True)
    return table(db, duration, rows, hello_runs, servers)


def machine() -> str:
    cpu = platform.processor()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} núcleos, Python {platform.python_version()}"


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def table(db: str, duration: int, rows, hello_runs, servers) -> str:
    hello = [h["rps"] for h in hello_runs]
    lines = [
        f"### {db} — gunicorn 2 workers sync, DEBUG off, Redis; wrk 1 hilo, {duration} s "
        "por medida",
        "",
        f"Máquina: {machine()}. Fecha: {time.strftime('%Y-%m-%d %H:%M %Z')}.",
    ]
    if hello:
        lines.append(
            f"Base: bench/hello (2 middleware, una vista), {len(hello)} corridas alternadas con "
            f"los escenarios: {statistics.mean(hello):.0f} req/s de media "
            f"(mín. {min(hello):.0f}, máx. {max(hello):.0f}). «× hola»: contra la media de las "
            "dos corridas de hola de antes y después."
        )
    lines += [
        "",
        "| escenario | req/s | × hola | objetivo | ¿cumple? | p50 ms | p95 ms | errores "
        "| hola antes / después |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    first = {}
    for scenario, report, ratio, around in rows:
        goal, ok = "", None
        if ratio is not None and scenario.target is not None:
            goal, ok = f"≥ {scenario.target} ×", ratio >= scenario.target
        if scenario.id == "mixed":
            goal += ", 0 errores"
            ok = ok and report["errors"] == 0
        if scenario.latency:
            base = first.setdefault(scenario.id, report)
            growth = report["p50"] / base["p50"] if base["p50"] else 0
            rows_growth = scenario.cohort / COHORT_SIZES[0]
            goals, oks = [], []
            if scenario.id == "dash" and scenario.cohort == 500:
                goals.append("p95 < 60 ms")
                oks.append(report["p95"] < 60)
            if report is not base:
                goals.append(f"p50 {growth:.1f}× el de {COHORT_SIZES[0]} (≤ {rows_growth:.0f}×)")
                oks.append(growth <= rows_growth)
            goal, ok = "; ".join(goals), (all(oks) if oks else None)
        hellos = "—" if around is None else " / ".join(f"{h:.0f}" for h in around)
        label = scenario.label
        if scenario.latency:
            label += f" ({report['samples']} pedidos)"
        if scenario.id == "mixed":
            label += f" ({report['posts_ok']} POST respondidos de {report['posts']} enviados)"
        lines.append(
            f"| {label} | {report['rps']:.{0 if report['rps'] >= 10 else 1}f} | "
            f"{'—' if ratio is None else f'{ratio:.2f}'} | {goal} | "
            f"{'' if ok is None else mark(ok)} | {report['p50']:.1f} | {report['p95']:.1f} | "
            f"{report['errors']} | {hellos} |"
        )
    lines += [
        "",
        "| RSS de los workers (VmRSS) | tras calentar | tras los req/s | al final | crecimiento "
        "| objetivo | pico (VmHWM) |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    labels = {"hello": "hola", "project": "proyecto"}
    for name, server in servers.items():
        warm, mid, end = (server.rss.get(moment, {}) for moment in ("warm", "mid", "end"))
        for pid in sorted(set(warm) | set(end)):
            if pid in warm and pid in end:
                growth = (end[pid] - warm[pid]) / warm[pid] * 100
                change = f"{growth:+.1f} %"
                goal = "" if name == "hello" else f"< 10 % {mark(growth < 10)}"
            else:
                change, goal = "worker reemplazado", ""
            sizes = [warm.get(pid), mid.get(pid), end.get(pid), server.peak.get(pid)]
            before, middle, after, peak = (
                "—" if kb is None else f"{kb / 1024:.1f} MB" for kb in sizes
            )
            lines.append(
                f"| {labels[name]}, pid {pid} | {before} | {middle} | {after} | {change} | {goal} "
                f"| {peak} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument(
        "--scenarios",
        default=",".join(ALL_SCENARIOS),
        help="comma-separated scenario ids (default: all): " + ", ".join(ALL_SCENARIOS),
    )
    args = parser.parse_args()
    wanted = {name.strip() for name in args.scenarios.split(",") if name.strip()}
    if unknown := wanted - set(ALL_SCENARIOS):
        parser.error(f"escenarios desconocidos: {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        print("Falta wrk: sudo apt-get install -y wrk", file=sys.stderr)
        return 2
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        result = run(db, args.duration, wanted)
        (BENCH / f"results-{db}.md").write_text(result, encoding="utf-8")
        print(result, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
