"""Scale-out: two app servers (separate gunicorn processes) and one mail worker on one database
and one cache.

A session made on one works on the other, a write through one is visible through the other, a
content edit from a terminal shows on both at once, allauth's rate limits (failed logins,
password resets, signups) count across both, and a mail queued by either is sent exactly once.
On the PostgreSQL run the servers share PostgreSQL and Redis; on SQLite, a database file and
Django's database cache (the production default without Redis).

Parallel PostgreSQL runs on one machine need their own database and Redis database: the database
is named after DATABASE_URL's (`<name>_dos_servidores`, or SERVERS_DATABASE_NAME) and Redis
uses database SERVERS_REDIS_DB (14 by default), which the test empties.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import dj_database_url
import pytest

from tests.course_factory import SECTION, TOPIC

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "una-clave-de-servidores-2026"
# Like a load balancer that keeps the Host header: allauth keys failed logins by site domain.
SITE_HOST = "curso.local"
# One account per server for the mail test (ana's password resets run into their limit).
MAIL_USERS = ("correo.a@example.com", "correo.b@example.com")
pytestmark = pytest.mark.servers


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_HOST"}  # mail to the console
        },
        "DJANGO_SETTINGS_MODULE": "curso.settings",
        "DEBUG": "0",
        "SECRET_KEY": "servers-" + "Hq2Xw7Lp4Ns9Vb1Kd6Mt3Zr8Gc5Yf0Ja" * 2,
        "ALLOWED_HOSTS": f"{SITE_HOST},127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    postgres = _postgres_url()
    if postgres:
        import psycopg

        params = dj_database_url.parse(postgres)
        admin = psycopg.connect(
            host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"],
            dbname="postgres", autocommit=True,  # the maintenance database: always there
        )  # fmt: skip
        database = os.environ.get("SERVERS_DATABASE_NAME") or f"{params['NAME']}_dos_servidores"
        if not re.fullmatch(r"\w+", database):
            pytest.fail(f"SERVERS_DATABASE_NAME no es un nombre simple: {database!r}")
        admin.execute(f"DROP DATABASE IF EXISTS {database}")
        admin.execute(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/" + database
        if not _redis_up():
            pytest.skip("Redis no está en 127.0.0.1:6379")
        redis_db = os.environ.get("SERVERS_REDIS_DB", "14")
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
        env.pop("CACHE_URL", None)
        subprocess.run(["redis-cli", "-n", redis_db, "FLUSHDB"], check=True, capture_output=True)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('dos') / 'db.sqlite3'}"
        env["CACHE_URL"] = "db://curso_cache"
        env.pop("REDIS_URL", None)
    env["STATIC_ROOT"] = str(tmp_path_factory.mktemp("static"))
    manage = [sys.executable, "manage.py"]
    commands = [
        ["migrate", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
        ["shell", "-c", "from tests.course_factory import build_course; build_course()"],
    ]
    for command in commands:
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True)
    create_user = (
        "from accounts.models import User\n"
        f"for email in ('ana@example.com', *{MAIL_USERS!r}):\n"
        f"    User.objects.create_user(email, '{PASSWORD}')"
    )
    subprocess.run(manage + ["shell", "-c", create_user], cwd=ROOT, env=env, check=True)
    yield env
    if postgres:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def servers(app_env):
    """Two gunicorn processes on different ports; yields their base URLs."""
    processes, bases = [], []
    gunicorn = Path(sys.executable).parent / "gunicorn"
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [str(gunicorn), "curso.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=app_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/salud/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"{base} no arrancó")
    yield bases
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def worker(app_env, tmp_path_factory):
    """One task worker for both servers; the mail it sends (console backend) goes to a file."""
    output = tmp_path_factory.mktemp("worker") / "salida.txt"
    with output.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=app_env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    yield output
    process.terminate()
    process.wait(timeout=10)


class Browser:
    """One cookie jar for both servers: like one site behind a load balancer (cookies ignore
    the port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            request = urllib.request.Request(url, headers={"Host": SITE_HOST})
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, data: dict, form_page: str | None = None) -> tuple[int, str]:
        """POST like a browser: the CSRF token comes from the page with the form."""
        status, page = self.get(form_page or url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(body).encode(),
            headers={"Referer": url, "Host": SITE_HOST},
        )
        try:
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def log_in(browser: Browser, base: str, password: str = PASSWORD) -> tuple[int, str]:
    return browser.post(
        base + "/accounts/login/", {"login": "ana@example.com", "password": password}
    )


def test_a_session_made_on_one_server_works_on_the_other(servers):
    a, b = servers
    browser = Browser()
    log_in(browser, a)
    status, page = browser.get(b + "/mi-progreso/")
    assert status == 200
    assert "<h1>Mi progreso</h1>" in page


def test_a_write_through_one_server_is_visible_through_the_other(servers):
    a, b = servers
    browser = Browser()
    log_in(browser, a)
    section, topics = SECTION.url(), len(SECTION.published_topics)
    assert f"0 de {topics} temas completados" in browser.get(b + section)[1]
    browser.get(b + section)
    status, _ = browser.post(
        a + SECTION.topic_url(TOPIC) + "estado/", {"status": "completado"}, a + section
    )
    assert status == 200  # followed the redirect back to the section
    assert f"1 de {topics} temas completados" in browser.get(b + section)[1]


def test_a_content_edit_from_a_terminal_shows_on_both_servers_at_once(servers, app_env):
    """Each server keeps its own page skeletons; the content version in the database is what
    tells them that a skeleton is out of date."""
    a, b = servers
    section = SECTION.url()
    for server in (a, b):
        Browser().get(server + section)  # both servers build the page
    edit = (
        "from roadmap.models import Topic\n"
        f"t = Topic.objects.get(slug='{TOPIC.slug}'); t.title = 'Editado en la terminal'; t.save()"
    )
    manage = [sys.executable, "manage.py", "shell", "-v", "0", "-c", edit]
    subprocess.run(manage, cwd=ROOT, env=app_env, check=True)
    for server in (a, b):
        assert "Editado en la terminal" in Browser().get(server + section)[1]


def test_failed_login_limit_counts_across_both_servers(servers):
    a, b = servers
    browser = Browser()
    for attempt in range(5):  # 5 per key every 5 minutes, alternating servers
        log_in(browser, (a, b)[attempt % 2], password="mala")
    status, page = log_in(browser, b)  # the right password, but too many failures
    assert "Demasiados intentos" in page or status == 429
    assert browser.get(b + "/mi-progreso/")[0] == 200 and "Entrar" in browser.get(b + "/")[1]


def test_password_reset_limit_counts_across_both_servers(servers):
    a, b = servers
    statuses = []
    for attempt in range(6):  # 5 per address per minute
        browser = Browser()
        status, _ = browser.post(
            (a, b)[attempt % 2] + "/accounts/password/reset/", {"email": "ana@example.com"}
        )
        statuses.append(status)
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429


def test_signup_limit_counts_across_both_servers(servers):
    a, b = servers
    statuses = []
    for attempt in range(21):  # 20 per IP per minute
        browser = Browser()
        status, _ = browser.post(
            (a, b)[attempt % 2] + "/accounts/signup/",
            {"email": f"n{attempt}@example.com", "password1": PASSWORD, "password2": PASSWORD},
        )
        statuses.append(status)
    assert 429 not in statuses[:20]
    assert statuses[20] == 429


def _mail_tasks(app_env) -> list[dict]:
    code = (
        "import json\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "rows = DBTaskResult.objects.filter(task_path='curso.mail_queue.send_email')\n"
        "print(json.dumps([{'to': r.args_kwargs['args'][0]['to'], 'status': r.status}"
        " for r in rows]))"
    )
    manage = [sys.executable, "manage.py", "shell", "-v", "0", "-c", code]
    result = subprocess.run(manage, cwd=ROOT, env=app_env, check=True, capture_output=True)
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def test_a_mail_queued_by_either_server_is_sent_once_by_the_worker(servers, worker, app_env):
    for base, email in zip(servers, MAIL_USERS, strict=True):
        status, _ = Browser().post(base + "/accounts/password/reset/", {"email": email})
        assert status == 200
    mine = []
    for _ in range(150):  # both requests answered; wait for the worker to drain the queue
        tasks = _mail_tasks(app_env)
        mine = [task for task in tasks if task["to"][0] in MAIL_USERS]
        if len(mine) == 2 and all(task["status"] in {"SUCCESSFUL", "FAILED"} for task in tasks):
            break
        time.sleep(0.2)
    assert sorted((task["to"][0], task["status"]) for task in mine) == [
        (email, "SUCCESSFUL") for email in MAIL_USERS
    ]
    printed = worker.read_text()
    for email in MAIL_USERS:
        assert printed.count(f"To: {email}\n") == 1, printed[-2000:]
