"""`make run` sets up the database without ever overwriting what editors changed, and serves the
site with the task worker beside it: a mail asked for on a page shows up in the console."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def environment(database: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    for name in ("CACHE_URL", "REDIS_URL", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def run(args: list[str], database: Path) -> str:
    env = environment(database)
    result = subprocess.run(
        args, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def make_setup(database: Path) -> str:
    # The same recipe `make run` runs before starting the server.
    return run(["make", "--no-print-directory", "setup", f"PY={sys.executable}"], database)


def shell(code: str, database: Path) -> str:
    return run([sys.executable, "manage.py", "shell", "-c", code], database)


EDIT = """
from roadmap.models import Topic
lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
lora.description = "Editado en el admin."
lora.save()
qlora = Topic.objects.get(slug="qlora")
qlora.slug, qlora.title = "qlora-4-bits", "QLoRA en 4 bits"
qlora.save()
Topic.objects.filter(slug="axolotl").update(is_published=False)
"""

CHECK = """
from roadmap.models import Topic
lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
print(lora.description_html)
print(Topic.objects.filter(title__startswith="QLoRA").values_list("slug", flat=True)[::1])
print(Topic.objects.get(slug="axolotl").is_published)
print(Topic.objects.count())
"""


@pytest.mark.servers
def test_a_second_make_run_keeps_an_edit_an_unpublish_and_a_rename(tmp_path):
    database = tmp_path / "db.sqlite3"
    assert "Curso cargado" in make_setup(database)
    before = shell(CHECK, database).splitlines()[-1]
    shell(EDIT, database)
    assert "no se tocó nada" in make_setup(database)
    lines = shell(CHECK, database).splitlines()
    description, qlora_slugs, axolotl_published, topic_count = lines[-4:]
    assert description == "<p>Editado en el admin.</p>"
    assert qlora_slugs == "['qlora-4-bits']"  # renamed, not duplicated
    assert axolotl_published == "False"
    assert topic_count == before


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what}: no pasó en {seconds} s")


def answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=1).status == 200
    except OSError:
        return False


def sign_up(base: str, email: str) -> int:
    """The signup form, as a browser sends it (cookie and CSRF token from the page)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/accounts/signup/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    password = "una-clave-de-make-run-2026"
    data = {"csrfmiddlewaretoken": token, "email": email, "password1": password}
    data["password2"] = password
    body = urllib.parse.urlencode(data).encode()
    return opener.open(base + "/accounts/signup/", data=body, timeout=30).status


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.servers
def test_make_run_starts_the_mail_worker_and_ctrl_c_stops_everything(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PY={sys.executable}", f"PORT={port}"],
            cwd=PROJECT,
            env=environment(tmp_path / "db.sqlite3"),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    try:
        wait_for(lambda: answers(base + "/salud/"), 180, "el servidor de make run")
        assert "Starting worker" in log.read_text()
        assert sign_up(base, "consola@example.com") == 200  # followed the redirect
        wait_for(lambda: "state=SUCCESSFUL" in log.read_text(), 30, "el envío del worker")
        printed = log.read_text()
        assert "To: consola@example.com" in printed
        assert "Subject: [curso] Confirmá tu dirección de email" in printed
        # The link whole on its own line, ready to copy.
        link = rf"^{re.escape(base)}/accounts/confirm-email/\S+/$"
        assert re.search(link, printed, re.M), printed[-3000:]
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C in the terminal
        try:
            make.wait(timeout=30)
            wait_for(lambda: group_is_gone(make.pid), 15, "que paren el servidor y el worker")
        finally:
            if not group_is_gone(make.pid):
                os.killpg(make.pid, signal.SIGKILL)
