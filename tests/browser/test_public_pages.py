"""The public pages in Chromium: they render, fit a 360 px phone, and pass axe in both themes."""

import pytest

from .conftest import save_screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "inicio": "/",
    "seccion": "/secciones/ajuste-fino-supervisado/",
    "tema": "/secciones/ajuste-fino-supervisado/lora/",
    "tema-con-codigo": "/secciones/cuantizacion/gguf-y-llamacpp/",
    "recursos": "/recursos/",
    "busqueda": "/buscar/?q=cuantisacion",
}
VIEWPORTS = {"escritorio": {"width": 1280, "height": 900}, "movil": {"width": 360, "height": 740}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_main_pages_have_no_serious_accessibility_violations(
    browser, site, axe_source, viewport, scheme
):
    # bypass_csp: the strict CSP would (rightly) block the injected axe script.
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    problems = {}
    try:
        for name, path in PAGES.items():
            response = page.goto(site + path)
            assert response.status == 200, path
            assert page.locator("h1").count() == 1, path
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} se desborda {overflow}px a lo ancho en {viewport}"
            violations = serious_axe_violations(page, axe_source)
            if violations:
                problems[path] = violations
            save_screenshot(page, f"{name}-{viewport}-{scheme}")
    finally:
        context.close()
    assert problems == {}


def test_a_reader_searches_and_opens_a_topic(page, site):
    page.goto(site + "/")
    page.get_by_role("searchbox", name="Buscar en el curso").fill("lora")
    page.get_by_role("button", name="Buscar").first.click()
    page.wait_for_url("**/buscar/?q=lora")
    assert page.locator(".result__title mark").first.inner_text() == "LoRA"
    page.get_by_role("link", name="LoRA", exact=True).first.click()
    page.wait_for_url("**/secciones/ajuste-fino-supervisado/lora/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("LoRA")
    page.get_by_role("link", name="Ajuste fino supervisado").first.click()
    assert "Ajuste fino supervisado" in page.get_by_role("heading", level=1).inner_text()


def test_resources_filter_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/recursos/")
    page.get_by_role("link", name="Cuadernos").click()
    page.wait_for_url("**/recursos/?tipo=cuaderno")
    assert page.locator(".resource").count() == 15
    context.close()


def test_the_accessibility_scan_does_catch_violations(browser, axe_source):
    """Guard against a silent no-op scan: a page with a bad image and bad contrast must fail."""
    page = browser.new_page()
    page.set_content(
        '<html><body><main><img src="x.png">'
        '<p style="color:#777;background:#888">poco contraste</p></main></body></html>'
    )
    violations = " ".join(serious_axe_violations(page, axe_source))
    assert "image-alt" in violations
    assert "color-contrast" in violations
    page.close()
