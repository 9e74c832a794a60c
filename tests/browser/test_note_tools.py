"""In Chromium: the note's preview (tab with JavaScript, button without), the delete confirmation
(dialog / page) with its undo, highlighted code, and a failed status change that shows itself."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from roadmap.models import Note, Status, Topic, TopicProgress

from .conftest import save_screenshot, serious_axe_violations
from .test_learner_journey import SECTION, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = SECTION + "lora/"
CODE = "Para probar:\n\n```python\ndef rango(r):\n    return r * 2  # doble\n```\n"
NOTE_LABEL = "Tu nota (Markdown, solo la ves vos)"


@pytest.fixture
def learner(site):
    return User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")


def lora():
    return Topic.objects.get(slug="lora")


def test_preview_tab_renders_code_without_saving(page, site, learner):
    log_in(page, site)
    page.goto(site + TOPIC)
    page.get_by_label(NOTE_LABEL).fill(CODE)
    expect(page.get_by_role("button", name="Vista previa", exact=True)).to_be_hidden()
    page.get_by_role("tab", name="Vista previa").click()
    panel = page.get_by_role("tabpanel", name="Vista previa")
    expect(panel.locator(".codehilite .k").first).to_have_text("def")
    expect(page.get_by_label(NOTE_LABEL)).to_be_hidden()
    assert not Note.objects.filter(user=learner).exists()
    keyword, plain = (
        page.evaluate(f"() => getComputedStyle(document.querySelector('{selector}')).color")
        for selector in (".note-tabpanel .codehilite .k", ".note-tabpanel .codehilite .n")
    )
    assert keyword != plain  # highlighted, not one colour
    save_screenshot(page, "nota-vista-previa")

    page.get_by_role("tab", name="Escribir").click()
    expect(page.get_by_label(NOTE_LABEL)).to_have_value(CODE)
    page.get_by_role("button", name="Guardar nota").click()
    page.wait_for_url("**/lora/#nota")
    assert page.locator(".note .codehilite pre").count() == 1
    assert Note.objects.get(user=learner).body.replace("\r\n", "\n") == CODE  # forms send CRLF


def test_preview_without_javascript_is_a_button(browser, site, learner):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site)
    page.goto(site + TOPIC)
    page.get_by_label(NOTE_LABEL).fill("Una **prueba**")
    page.get_by_role("button", name="Vista previa").click()
    expect(page.locator(".note-preview strong")).to_have_text("prueba")
    expect(page.get_by_label(NOTE_LABEL)).to_have_value("Una **prueba**")
    assert not Note.objects.filter(user=learner).exists()
    context.close()


def test_delete_asks_in_a_dialog_and_can_be_undone(page, site, learner):
    Note.objects.create(user=learner, topic=lora(), body="No me borres")
    log_in(page, site)
    page.goto(site + TOPIC)
    page.get_by_role("link", name="Borrar nota…").click()
    dialog = page.get_by_role("dialog", name="¿Borrar tu nota sobre «LoRA»?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancelar")).to_be_focused()
    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_be_hidden()
    assert Note.objects.filter(user=learner).exists()

    page.get_by_role("link", name="Borrar nota…").click()
    dialog.get_by_role("button", name="Sí, borrar la nota").click()
    expect(page.locator(".messages")).to_contain_text("Borraste tu nota sobre «LoRA»")
    assert not Note.objects.filter(user=learner).exists()
    page.locator(".messages").get_by_role("button", name="Deshacer").click()
    expect(page.locator(".messages")).to_contain_text("Recuperaste tu nota sobre «LoRA».")
    expect(page.locator(".note").first).to_contain_text("No me borres")
    assert Note.objects.get(user=learner).body == "No me borres"


def test_delete_without_javascript_uses_a_confirmation_page(browser, site, learner):
    Note.objects.create(user=learner, topic=lora(), body="Nota vieja")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site)
    page.goto(site + TOPIC)
    page.get_by_role("link", name="Borrar nota…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Borrar tu nota sobre «LoRA»?")
    page.get_by_role("button", name="Sí, borrar la nota").click()
    page.wait_for_url("**/lora/")
    assert not Note.objects.filter(user=learner).exists()
    page.locator(".messages").get_by_role("button", name="Deshacer").click()
    assert Note.objects.get(user=learner).body == "Nota vieja"
    context.close()


@pytest.mark.parametrize(
    ("failure", "message"),
    [("offline", "revisá tu conexión"), ("server", "error 500")],
)
def test_a_failed_status_change_is_visible_and_can_be_retried(
    page, site, learner, failure, message
):
    log_in(page, site)
    page.goto(site + SECTION)
    card = page.locator("#lora")

    def fail(route):
        if failure == "offline":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=500, body="<h1>Error</h1>", content_type="text/html")

    page.route("**/lora/estado/", fail)
    card.get_by_role("button", name="Completado").click()
    alert = card.get_by_role("alert")
    expect(alert).to_contain_text("No se guardó el cambio")
    expect(alert).to_contain_text(message)
    expect(card.get_by_role("button", name="Completado")).to_have_attribute("aria-pressed", "false")
    expect(card.locator("[data-status-label]")).to_have_text("Pendiente")
    assert not TopicProgress.objects.filter(user=learner).exists()
    save_screenshot(page, f"estado-fallido-{failure}")

    page.unroute("**/lora/estado/")
    alert.get_by_role("button", name="Reintentar").click()
    expect(card.locator("form[data-status-form]")).not_to_have_attribute("aria-busy", "true")
    expect(card.locator("[data-status-label]")).to_have_text("Completado")
    expect(card.get_by_role("alert")).to_have_count(0)
    assert TopicProgress.objects.get(user=learner).status == Status.DONE


VIEWPORTS = {"movil": {"width": 360, "height": 740}, "escritorio": {"width": 1280, "height": 900}}
RICH_NOTE = CODE + (
    "\n| parámetro | valor típico con un nombre bastante largo |\n|---|--:|\n| r | 8 |\n\n"
    "> una cita para recordar\n\n```python\nmuy_largo = '" + "x" * 150 + "'\n```\n"
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_note_with_code_tables_and_quotes_is_accessible_and_fits(
    browser, site, axe_source, learner, scheme, viewport
):
    Note.objects.create(user=learner, topic=lora(), body=RICH_NOTE)
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in(page, site)
    page.goto(site + TOPIC + "#nota")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"la nota desborda {overflow}px"
    assert serious_axe_violations(page, axe_source) == []
    page.get_by_role("link", name="Borrar nota…").click()
    assert serious_axe_violations(page, axe_source) == []  # with the dialog open
    save_screenshot(page, f"nota-con-codigo-{viewport}-{scheme}")
    context.close()
