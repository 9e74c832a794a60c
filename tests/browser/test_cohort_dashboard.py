"""The cohort dashboard at a glance, in Chromium at 1280 and 360 px, light and dark: the page
never scrolls sideways (the matrix scrolls inside its own box), the header row and the learners'
names stay in view while the matrix scrolls, a learner's page is one aligned table, and
instructors find their cohorts from the header and from signing in."""

import pytest

from roadmap.cohorts.demo import DEMO_PASSWORD, INSTRUCTOR_EMAIL, LEARNER_EMAIL, create_demo_cohort

from .conftest import save_screenshot, serious_axe_violations
from .test_cohort_journey import log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {1280: 900, 360: 740}

PAGE_WIDTHS = """() => ({
    document: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    height: document.documentElement.scrollHeight,
})"""

# Where the sticky cells are once the box has scrolled right and down, relative to the box.
STICKY = """() => {
    const box = document.querySelector('.matrix-wrap');
    box.scrollIntoView({block: 'start'});
    box.scrollTo(box.scrollWidth, 240);
    const top = box.getBoundingClientRect();
    const rect = (el) => el.getBoundingClientRect();
    const head = document.querySelector('.matrix thead th');
    const part = document.querySelector('.matrix .matrix__part');
    const section = document.querySelector('.matrix .matrix__section');
    const name = [...document.querySelectorAll('.matrix tbody th[scope="row"]')]
        .find((th) => rect(th).top > rect(section).bottom + 1);
    return {
        scrolled: [box.scrollLeft, box.scrollTop],
        boxTop: top.top + box.clientTop, boxLeft: top.left + box.clientLeft,
        headTop: rect(head).top, headLeft: rect(head).left,
        partBottom: rect(part).bottom, sectionTop: rect(section).top,
        nameLeft: rect(name).left,
        nameOnTop: name.contains(
            document.elementFromPoint(rect(name).left + 4, rect(name).top + 4)),
    };
}"""


@pytest.fixture
def demo(site):
    return create_demo_cohort(learners=30)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_the_dashboard_fits_the_screen_and_scrolls_in_its_box(
    browser, site, demo, axe_source, width, scheme
):
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in_as(page, site, INSTRUCTOR_EMAIL, DEMO_PASSWORD)
    header = page.get_by_role("navigation", name="Principal")
    header.get_by_role("link", name="Cohortes").click()
    page.get_by_role("link", name="Cohorte demo").click()
    page.wait_for_url(f"**{demo.cohort.get_absolute_url()}")

    widths = page.evaluate(PAGE_WIDTHS)
    assert widths["document"] <= widths["viewport"], widths  # no sideways scroll of the page
    box = page.get_by_role("region", name="Tabla de aprendices por sección (se desplaza)")
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")  # the matrix scrolls in it
    headers = page.locator("table.matrix thead tr").first.locator("th").all_inner_texts()
    assert headers[:4] == ["Aprendiz", "Total", "Ritmo", "Última actividad"]
    first_section = page.get_by_role("columnheader", name="Matemáticas para aprendizaje automático")
    assert first_section.locator("[aria-hidden]").inner_text() == "F1"  # a short label shown
    assert serious_axe_violations(page, axe_source) == []
    save_screenshot(page, f"cohorte-tablero-{width}-{scheme}")

    sticky = page.evaluate(STICKY)
    assert sticky["scrolled"][0] > 0 and sticky["scrolled"][1] > 0, sticky
    assert abs(sticky["headTop"] - sticky["boxTop"]) <= 1, sticky  # the header row stays
    assert abs(sticky["headLeft"] - sticky["boxLeft"]) <= 1, sticky  # so does the corner
    assert abs(sticky["sectionTop"] - sticky["partBottom"]) <= 1, sticky  # rows do not overlap
    assert abs(sticky["nameLeft"] - sticky["boxLeft"]) <= 1, sticky  # the names stay
    assert sticky["nameOnTop"], sticky  # opaque, above the cells scrolled under it
    assert page.evaluate(PAGE_WIDTHS)["document"] <= widths["viewport"]
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_a_learners_page_is_one_table_that_fits(browser, site, demo, axe_source, width, scheme):
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    log_in_as(page, site, INSTRUCTOR_EMAIL, DEMO_PASSWORD)
    learner = demo.cohort.memberships.filter(role="aprendiz").first().user
    page.goto(f"{site}{demo.cohort.get_absolute_url()}aprendices/{learner.pk}/")
    assert page.locator("table").count() == 1
    widths = page.evaluate(PAGE_WIDTHS)
    assert widths["document"] <= widths["viewport"], widths
    # The same column starts at the same x in every section.
    lefts = page.locator("table.learner-topics tbody tr:nth-child(2) td:nth-child(2)").evaluate_all(
        "(cells) => cells.map((td) => Math.round(td.getBoundingClientRect().left))"
    )
    assert len(lefts) > 10 and len(set(lefts)) == 1, lefts
    assert serious_axe_violations(page, axe_source) == []
    save_screenshot(page, f"cohorte-aprendiz-{width}-{scheme}")
    context.close()


def test_a_learner_lands_on_my_progress_without_a_cohortes_item(page, site, demo):
    log_in_as(page, site, LEARNER_EMAIL.format(1), DEMO_PASSWORD, lands_on="/mi-progreso/")
    header = page.get_by_role("navigation", name="Principal")
    assert header.get_by_role("link", name="Mi progreso").is_visible()
    assert header.get_by_role("link", name="Cohortes").count() == 0
