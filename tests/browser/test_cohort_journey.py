"""Cohorts in Chromium: a learner joins by invite link; the instructor sorts and downloads."""

import re
from pathlib import Path

import pytest

from accounts.models import User
from conftest import PASSWORD
from roadmap.cohorts.demo import DEMO_PASSWORD, INSTRUCTOR_EMAIL, create_demo_cohort
from roadmap.models import CohortMembership

from .conftest import save_screenshot, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(site):
    return create_demo_cohort(learners=12)


def test_a_learner_joins_by_invite_link(page, site, demo):
    User.objects.create_user("carla@example.com", PASSWORD)
    page.goto(site + demo.cohort.get_join_url())
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/cohortes/unirse/"))
    page.locator("#id_login").fill("carla@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Entrá").click()
    page.get_by_role("button", name="Unirme a la cohorte").click()
    page.wait_for_url("**/mi-progreso/")
    assert page.get_by_role("heading", name="Cohorte demo").is_visible()
    assert CohortMembership.objects.filter(user__email="carla@example.com").exists()


def test_the_instructor_sorts_the_dashboard_and_downloads_the_csv(browser, site, demo, axe_source):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.locator("#id_login").fill(INSTRUCTOR_EMAIL)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Entrá").click()
    page.wait_for_url("**/cohortes/")  # instructors land on their cohorts
    page.get_by_role("link", name="Cohorte demo").click()
    assert page.locator("table.matrix tbody tr").count() == 12
    page.get_by_role("link", name="progreso", exact=True).click()
    page.wait_for_url("**orden=progreso")
    totals = page.locator("table.matrix tbody tr td strong").all_inner_texts()
    percents = [int(text.replace("%", "").strip()) for text in totals]
    assert percents == sorted(percents, reverse=True)
    assert serious_axe_violations(page, axe_source) == []
    save_screenshot(page, "cohorte-tablero-escritorio")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar CSV").click()
    download = download_info.value
    assert download.suggested_filename == "cohorte-cohorte-demo.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.count("\n") == 13  # header + 12 learners
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cohort_pages_pass_axe_at_360px(browser, site, demo, axe_source, scheme):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in_as(page, site, INSTRUCTOR_EMAIL, DEMO_PASSWORD)
    learner = demo.cohort.memberships.filter(role="aprendiz").first().user
    problems = {}
    for path in [
        "/cohortes/",
        demo.cohort.get_absolute_url(),
        demo.cohort.get_absolute_url() + "ritmo/",
        f"{demo.cohort.get_absolute_url()}aprendices/{learner.pk}/",
    ]:
        page.goto(site + path)
        violations = serious_axe_violations(page, axe_source)
        if violations:
            problems[path] = violations
    context.close()
    assert problems == {}


def log_in_as(page, site, email, password, lands_on="/cohortes/"):
    page.goto(site + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Entrá").click()
    page.wait_for_url(f"**{lands_on}")
