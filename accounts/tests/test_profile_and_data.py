"""Profile, export of the learner's own data, and account deletion."""

import csv
import io
import json

import pytest

from accounts.models import User
from conftest import PASSWORD
from roadmap.learning.services import progress_set_status
from roadmap.models import (
    DailyActivity,
    LearnerSummary,
    Note,
    ProgressEvent,
    Status,
    Topic,
    TopicProgress,
)
from tests.course_factory import CONSTELLATIONS, OTHER_TOPIC, SECTION, TOPIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_with_data(ana, course):
    topic = Topic.objects.get(slug=TOPIC.slug)
    progress_set_status(user=ana, topic=topic, status=Status.DONE)
    other = Topic.objects.get(slug=OTHER_TOPIC.slug)
    progress_set_status(user=ana, topic=other, status=Status.SKIPPED)
    Note.objects.create(user=ana, topic=topic, body="Rango bajo; ojo con «alpha»")
    first = Topic.objects.get(slug=CONSTELLATIONS[0].slug)
    Note.objects.create(user=ana, topic=first, body="derivadas")
    return ana


def test_profile_saves_display_name_and_time_zone(ana_client, ana):
    response = ana_client.post(
        "/cuenta/perfil/", {"display_name": "Ana Q.", "time_zone": "Europe/Madrid"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.display_name, ana.time_zone) == ("Ana Q.", "Europe/Madrid")
    assert "Ana Q." in ana_client.get("/").content.decode()  # shown instead of the email


def test_profile_rejects_an_unknown_time_zone(ana_client, ana):
    response = ana_client.post(
        "/cuenta/perfil/", {"display_name": "", "time_zone": "Marte/Olympus"}
    )
    assert response.status_code == 400
    assert "Elegí una zona horaria de la lista" in response.content.decode()
    ana.refresh_from_db()
    assert ana.time_zone == "America/Argentina/Buenos_Aires"


def test_profile_links_to_export_and_delete(ana_client):
    html = ana_client.get("/cuenta/perfil/").content.decode()
    assert 'href="/cuenta/exportar/"' in html
    assert 'href="/cuenta/eliminar/"' in html


def test_json_export_has_progress_notes_and_activity(ana_client, ana_with_data):
    response = ana_client.get("/cuenta/exportar/curso-datos.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="curso-datos.json"'
    data = json.loads(response.content)
    assert data["cuenta"]["email"] == "ana@example.com"
    statuses = {row["tema"]: row["estado"] for row in data["progreso"]}
    # Full addresses: the file still leads back to the course on its own.
    assert {row["url"][:17] for row in data["progreso"] + data["notas"]} == {"http://testserver"}
    assert statuses == {TOPIC.title: "completado", OTHER_TOPIC.title: "omitido"}
    notes = {n["tema"]: n["nota"] for n in data["notas"]}
    assert notes[TOPIC.title] == "Rango bajo; ojo con «alpha»"
    assert len(data["actividad"]) == 2
    assert [day["cambios"] for day in data["actividad_por_dia"]] == [2]
    totals = data["totales"]
    assert (totals["completados"], totals["omitidos"], totals["en_progreso"]) == (1, 1, 0)
    assert totals["ultimo_cambio"] == data["actividad_por_dia"][0]["ultimo_cambio"]


def test_csv_export_opens_in_spanish_spreadsheets(ana_client, ana_with_data):
    response = ana_client.get("/cuenta/exportar/curso-progreso.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["parte", "sección", "tema", "estado"]
    by_topic = {row[2]: row for row in rows[1:]}
    assert by_topic[TOPIC.title][3] == "Completado"
    assert by_topic[TOPIC.title][7] == "Rango bajo; ojo con «alpha»"
    assert by_topic[CONSTELLATIONS[0].title][3] == "Pendiente"  # a note without a status
    assert by_topic[OTHER_TOPIC.title][3] == "Omitido"


def test_notes_export_is_one_markdown_file(ana_client, ana_with_data):
    response = ana_client.get("/cuenta/exportar/curso-notas.md")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert f"## {SECTION.title} › {TOPIC.title}" in text
    assert "Rango bajo; ojo con «alpha»" in text
    assert "derivadas" in text


def test_the_learners_own_headings_nest_under_each_topic_in_the_markdown_export(
    ana_client, ana, course
):
    body = "\n".join(
        [
            "# Mi resumen",
            "Ideas",
            "=====",
            "```python",
            "# un comentario, no un título",
            "```",
            "---",
            "###### muy adentro",
        ]
    )
    Note.objects.create(user=ana, topic=Topic.objects.get(slug=TOPIC.slug), body=body)
    text = ana_client.get("/cuenta/exportar/curso-notas.md").content.decode()
    assert f"## {SECTION.title} › {TOPIC.title}" in text
    assert "\n### Mi resumen\n" in text and "\n### Ideas\n" in text and "=====" not in text
    assert "\n# un comentario, no un título\n" in text  # code is left as written
    assert "\n---\n" in text  # a rule after code stays a rule
    assert "\n###### muy adentro" in text  # never deeper than six
    assert "\n# Mi resumen" not in text


def test_exports_contain_only_the_learners_own_data(carla_client, ana_with_data):
    data = json.loads(carla_client.get("/cuenta/exportar/curso-datos.json").content)
    assert data["progreso"] == [] and data["notas"] == []
    assert "derivadas" not in carla_client.get("/cuenta/exportar/curso-notas.md").content.decode()


def test_delete_with_a_wrong_password_deletes_nothing(ana_client, ana_with_data):
    response = ana_client.post("/cuenta/eliminar/", {"password": "no-es-esta"})
    assert response.status_code == 400
    assert "No se borró nada" in response.content.decode()
    assert User.objects.filter(pk=ana_with_data.pk).exists()


def test_delete_removes_the_account_progress_and_notes(ana_client, ana_with_data):
    assert ana_client.get("/cuenta/eliminar/").status_code == 200
    response = ana_client.post("/cuenta/eliminar/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="ana@example.com").exists()
    assert not TopicProgress.objects.exists()
    assert not Note.objects.exists()
    assert not ProgressEvent.objects.exists()
    assert not DailyActivity.objects.exists()
    assert not LearnerSummary.objects.exists()
    assert Topic.objects.filter(slug=TOPIC.slug).exists()  # the course stays
    assert ana_client.get("/mi-progreso/").status_code == 302  # signed out


def test_delete_needs_post_for_the_deletion(ana_client, ana):
    ana_client.get("/cuenta/eliminar/")
    assert User.objects.filter(pk=ana.pk).exists()
    assert ana_client.put("/cuenta/eliminar/").status_code == 405


def test_csv_export_neutralises_spreadsheet_formulas(ana_client, ana, course):
    Note.objects.create(user=ana, topic=Topic.objects.get(slug=TOPIC.slug), body="=1+1 @SUMA")
    text = ana_client.get("/cuenta/exportar/curso-progreso.csv").content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[7] == "'=1+1 @SUMA"
