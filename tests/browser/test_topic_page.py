"""A topic page in Chromium: keyboard shortcuts, «Completar y seguir» without JavaScript, and axe
with the topic's resources and the shortcuts' help open (and «Seguir con» on home and section)."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from roadmap.models import Reference, Status, Topic, TopicProgress

from .conftest import save_screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTION = "/secciones/ajuste-fino-supervisado/"
TOPIC = SECTION + "lora/"
VIEWPORTS = {"escritorio": {"width": 1280, "height": 900}, "movil": {"width": 360, "height": 740}}


@pytest.fixture
def ana(site):
    return User.objects.create_user("ana@example.com", PASSWORD, display_name="Ana")


def log_in(page, site):
    page.goto(site + "/accounts/login/")
    page.locator("#id_login").fill("ana@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url("**/mi-progreso/")


def lora_status(user) -> str | None:
    progress = TopicProgress.objects.filter(user=user, topic__slug="lora").first()
    return progress.status if progress else None


def test_keyboard_shortcuts_mark_the_status_and_open_the_help(page, site, ana):
    log_in(page, site)
    page.goto(site + TOPIC)
    status_label = page.locator("[data-status-form] [data-status-label]")

    # Typing in a field is typing, not a shortcut.
    note = page.get_by_label("Tu nota (Markdown, solo la ves vos)")
    note.click()
    page.keyboard.type("ceo")
    expect(note).to_have_value("ceo")
    page.wait_for_timeout(300)
    assert lora_status(ana) is None and status_label.inner_text() == "Pendiente"

    # Out of the field, "c" presses the Completado button: saved and announced.
    page.locator("h1").click()
    page.keyboard.press("c")
    expect(page.locator("button[value=completado]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[role=status][aria-live=polite]")).to_have_text("«LoRA»: Completado.")
    assert lora_status(ana) == Status.DONE
    page.keyboard.press("Control+e")  # with a modifier: the browser's, not ours
    page.wait_for_timeout(300)
    assert lora_status(ana) == Status.DONE

    # "?" opens the help, listed in a dialog; Esc closes it and focus comes back.
    dialog = page.locator("dialog#atajos")
    page.keyboard.press("?")
    expect(dialog).to_have_attribute("open", "")
    expect(dialog.get_by_role("heading", name="Atajos de teclado")).to_be_visible()
    page.keyboard.press("e")  # shortcuts sleep while the help is open
    page.keyboard.press("Escape")
    expect(dialog).not_to_have_attribute("open", "")
    assert lora_status(ana) == Status.DONE

    # The help is reachable by a visible button too.
    page.get_by_role("button", name="Atajos de teclado").click()
    expect(dialog).to_have_attribute("open", "")
    dialog.get_by_role("button", name="Cerrar").click()
    expect(dialog).not_to_have_attribute("open", "")

    # "n" follows the pager to the next topic.
    page.keyboard.press("n")
    page.wait_for_url("**" + SECTION + "qlora/")


def test_complete_and_continue_works_without_javascript(browser, site, ana):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site)
    page.goto(site + TOPIC)
    assert page.get_by_role("button", name="Atajos de teclado").count() == 0  # hidden
    page.get_by_role("button", name="Completar y seguir").click()
    page.wait_for_url("**" + SECTION + "qlora/")
    assert "«LoRA»: Completado. Seguís con «QLoRA»." in page.locator(".messages").inner_text()
    assert lora_status(ana) == Status.DONE
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_topic_page_with_its_resources_and_help_passes_axe(
    browser, site, axe_source, ana, viewport, scheme
):
    lora = Topic.objects.get(section__slug="ajuste-fino-supervisado", slug="lora")
    lora.attached_references.add(*Reference.objects.filter(section=lora.section)[:2])
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in(page, site)
    page.goto(site + TOPIC)
    expect(page.get_by_role("heading", name="Recursos de este tema")).to_be_visible()
    expect(page.locator(".link-card")).to_contain_text("arxiv.org")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"el tema se desborda {overflow}px en {viewport}"
    problems = serious_axe_violations(page, axe_source)
    save_screenshot(page, f"tema-recursos-{viewport}-{scheme}")
    page.get_by_role("button", name="Atajos de teclado").click()
    problems += serious_axe_violations(page, axe_source)
    save_screenshot(page, f"tema-atajos-{viewport}-{scheme}")
    # «Seguir con» on the home page and a section page.
    for name, path in {"inicio-seguir": "/", "seccion-seguir": SECTION}.items():
        page.goto(site + path)
        expect(page.get_by_role("heading", name="Seguir con")).to_be_visible()
        problems += serious_axe_violations(page, axe_source)
        save_screenshot(page, f"{name}-{viewport}-{scheme}")
    context.close()
    assert problems == []
