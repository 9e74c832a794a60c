"""`make run` sets up the database without ever overwriting what editors changed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def run(args: list[str], database: Path) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
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
