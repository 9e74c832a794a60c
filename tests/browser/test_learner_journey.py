"""A learner in Chromium: signs up, marks topics (with and without JavaScript), writes a note."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from roadmap.models import Note, Status, TopicProgress

from .conftest import save_screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTION = "/secciones/ajuste-fino-supervisado/"


def log_in(page, site, email="ana@example.com"):
    page.goto(site + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Entrá").click()
    page.wait_for_url("**/mi-progreso/")


@pytest.fixture
def ana_account(site):
    return User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")


def test_sign_up_and_land_on_my_progress(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name="Crear cuenta").click()
    page.get_by_label("Email").fill("nueva@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Creá tu cuenta").click()
    page.wait_for_url("**/mi-progreso/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mi progreso"
    assert User.objects.filter(email="nueva@example.com").exists()


def test_marking_a_topic_with_javascript_updates_in_place(page, site, ana_account):
    log_in(page, site)
    page.goto(site + SECTION)
    page.evaluate("() => { window.sinRecargar = true; }")
    card = page.locator("#lora")
    card.get_by_role("button", name="Completado").click()
    # The buttons change at once; the numbers once the server has saved it.
    expect(card.locator("form[data-status-form]")).not_to_have_attribute("aria-busy", "true")
    expect(card.get_by_role("button", name="Completado")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => window.sinRecargar") is True  # no reload happened
    assert card.locator("[data-status-label]").inner_text() == "Completado"
    section_bar = page.locator(".progress-group [data-progress-scope^='section-']")
    assert "1 de 5 temas completados" in section_bar.inner_text()
    assert section_bar.locator("progress").get_attribute("value") == "20"
    expect(page.locator("[role=status][aria-live=polite]")).to_have_text("«LoRA»: Completado.")
    assert TopicProgress.objects.get(user=ana_account).status == Status.DONE
    # Keyboard: focus the next button and press Enter.
    card.get_by_role("button", name="En progreso").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[role=status][aria-live=polite]")).to_have_text("«LoRA»: En progreso.")
    assert "0 de 5 temas completados" in section_bar.inner_text()


def test_marking_a_topic_without_javascript_uses_the_form(browser, site, ana_account):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site)
    page.goto(site + SECTION)
    page.locator("#qlora").get_by_role("button", name="Omitido").click()
    page.wait_for_url(f"**{SECTION}#qlora")
    assert page.locator("#qlora [data-status-label]").inner_text() == "Omitido"
    assert "0 de 4 temas completados (1 omitido)" in page.locator(".progress-group").inner_text()
    context.close()


def test_write_a_note_and_find_it_in_my_notes(page, site, ana_account):
    log_in(page, site)
    page.goto(site + SECTION + "lora/")
    page.get_by_label("Tu nota (Markdown, solo la ves vos)").fill("Probar **rango 8** primero")
    page.get_by_role("button", name="Guardar nota").click()
    page.wait_for_url("**/lora/#nota")
    assert page.locator(".note strong").inner_text() == "rango 8"
    page.get_by_role("link", name="Mis notas").click()
    page.get_by_role("searchbox", name="Buscar en mis notas").fill("rango")
    page.get_by_role("button", name="Buscar").last.click()
    assert page.get_by_role("link", name="LoRA").first.is_visible()
    assert Note.objects.get(user=ana_account).body == "Probar **rango 8** primero"


VIEWPORTS = {"movil": {"width": 360, "height": 740}, "escritorio": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_signed_in_pages_have_no_serious_accessibility_violations(
    browser, site, axe_source, ana_account, scheme, viewport
):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in(page, site)
    page.goto(site + SECTION)
    page.locator("#lora").get_by_role("button", name="Completado").click()
    page.wait_for_timeout(300)
    problems = {}
    for name, path in {
        "inicio-conectada": "/",
        "seccion-conectada": SECTION,
        "tema-conectada": SECTION + "lora/",
        "mi-progreso": "/mi-progreso/",
        "mis-notas": "/mis-notas/",
        "perfil": "/cuenta/perfil/",
        "exportar": "/cuenta/exportar/",
        "eliminar": "/cuenta/eliminar/",
    }.items():
        page.goto(site + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} se desborda {overflow}px en {viewport}"
        violations = serious_axe_violations(page, axe_source)
        if violations:
            problems[path] = violations
        save_screenshot(page, f"{name}-{viewport}-{scheme}")
    context.close()
    assert problems == {}


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_have_no_serious_accessibility_violations(browser, site, axe_source, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(site + path)
    violations = serious_axe_violations(page, axe_source)
    context.close()
    assert violations == []
