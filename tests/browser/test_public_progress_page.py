"""A learner's public progress page in Chromium: published from the profile, opened signed out,
accessible and without sideways scroll at 1280 and 360 px, light and dark."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic

from .conftest import save_screenshot, serious_axe_violations
from .test_learner_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"movil": {"width": 360, "height": 740}, "escritorio": {"width": 1280, "height": 900}}


def test_publish_from_the_profile_and_open_it_signed_out(browser, site, axe_source):
    learner = User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")
    for slug, status in [
        ("lora", Status.DONE),
        ("qlora", Status.IN_PROGRESS),
        ("axolotl", Status.SKIPPED),
    ]:
        progress_set_status(user=learner, topic=Topic.objects.get(slug=slug), status=status)

    context = browser.new_context()
    page = context.new_page()
    log_in(page, site)
    page.goto(site + "/cuenta/perfil/")
    page.get_by_role("link", name="Configurar tu página pública").click()
    page.get_by_label("Nombre de tu página").fill("ana-aprende")
    expect(page.get_by_label("Pedir a los buscadores que no la indexen")).to_be_checked()
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator(".messages")).to_contain_text("todavía no está publicada")
    page.get_by_role("link", name="Vista previa").click()
    expect(page.get_by_role("complementary", name="Vista previa")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progreso de ana-aprende")
    page.go_back()
    page.get_by_role("button", name="Publicar mi página").click()
    expect(page.locator(".messages")).to_contain_text("Publicaste tu página")
    context.close()

    for scheme in ("light", "dark"):
        for viewport, size in VIEWPORTS.items():
            context = browser.new_context(viewport=size, color_scheme=scheme, bypass_csp=True)
            page = context.new_page()  # signed out
            response = page.goto(site + "/aprendices/ana-aprende/")
            assert response.status == 200
            assert response.headers["x-robots-tag"] == "noindex"
            expect(page.get_by_role("heading", level=1)).to_have_text("Progreso de ana-aprende")
            lora = page.locator(".node", has=page.get_by_role("link", name="LoRA (Completado)"))
            expect(lora).to_have_attribute("data-status", "completado")
            expect(page.locator("main form")).to_have_count(0)  # read-only
            assert "ana@example.com" not in page.content()
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"la página pública desborda {overflow}px ({viewport})"
            assert serious_axe_violations(page, axe_source) == [], (viewport, scheme)
            save_screenshot(page, f"pagina-publica-{viewport}-{scheme}")
            context.close()
