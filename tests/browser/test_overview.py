"""The overview (home page) in Chromium: each topic a node with its status, marked from there with
and without JavaScript; compact, accessible and screenshotted at 360 and 1280 px, light and dark."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from roadmap.learning.services import progress_set_status
from roadmap.models import Status, Topic, TopicProgress

from .conftest import save_screenshot, serious_axe_violations
from .test_learner_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"movil": {"width": 360, "height": 740}, "escritorio": {"width": 1280, "height": 900}}


@pytest.fixture
def learner(site):
    return User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")


def node(page, slug):
    return page.locator(f"#nodo-{Topic.objects.get(slug=slug).pk}")


def test_marking_from_the_overview_in_place(page, site, learner):
    log_in(page, site)
    page.goto(site + "/")
    page.evaluate("() => { window.sinRecargar = true; }")
    lora = node(page, "lora")
    expect(lora).to_have_attribute("data-status", "pendiente")
    lora.get_by_role("group").locator("summary").click()
    lora.get_by_role("button", name="En progreso").click()
    expect(lora).to_have_attribute("data-status", "en_progreso")
    expect(lora.locator("[data-status-text]")).to_have_text("En progreso")
    totals = page.locator(".overview-totals")
    expect(totals.locator('[data-progress-count="in_progress"]')).to_have_text("1")
    assert page.evaluate("() => window.sinRecargar") is True
    assert TopicProgress.objects.get(user=learner).status == Status.IN_PROGRESS
    # The note is one click away.
    lora.get_by_role("link", name="Tu nota sobre «LoRA»").click()
    page.wait_for_url("**/lora/#nota")


def test_marking_from_the_overview_without_javascript(browser, site, learner):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site)
    page.goto(site + "/")
    qlora = node(page, "qlora")
    qlora.locator("summary").click()
    qlora.get_by_role("button", name="Completado").click()
    page.wait_for_url("**/#nodo-*")
    expect(node(page, "qlora")).to_have_attribute("data-status", "completado")
    expect(page.locator('.overview-totals [data-progress-count="done"]')).to_have_text("1")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_overview_is_compact_and_accessible(
    browser, site, axe_source, learner, scheme, viewport
):
    for slug, status in [
        ("lora", Status.DONE),
        ("qlora", Status.IN_PROGRESS),
        ("axolotl", Status.SKIPPED),
    ]:
        progress_set_status(user=learner, topic=Topic.objects.get(slug=slug), status=status)
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in(page, site)
    page.goto(site + "/")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"la vista general desborda {overflow}px"
    for slug, status in [("lora", "completado"), ("qlora", "en_progreso"), ("axolotl", "omitido")]:
        expect(node(page, slug)).to_have_attribute("data-status", status)
    # Each status has its own icon, not just a colour.
    icons = {
        status: page.evaluate(
            "s => getComputedStyle(document.querySelector(`.node[data-status=${s}] > a`),"
            " '::before').content",
            status,
        )
        for status in ["pendiente", "en_progreso", "completado", "omitido"]
    }
    assert len(set(icons.values())) == 4, icons
    assert serious_axe_violations(page, axe_source) == []
    height = page.evaluate("() => document.documentElement.scrollHeight")
    save_screenshot(page, f"vista-general-{viewport}-{scheme}")
    node(page, "lora").locator("summary").click()
    assert serious_axe_violations(page, axe_source) == []  # with a menu open
    context.close()
    print(f"alto de la vista general ({viewport}, {scheme}): {height}px")
