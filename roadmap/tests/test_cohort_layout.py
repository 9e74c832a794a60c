"""The cohort pages at a glance: the dashboard's columns (what an instructor reads first, then
the sections grouped by roadmap under short labels) and a learner's page as one table."""

import re

import pytest

from roadmap.cohorts.columns import section_columns
from roadmap.models import Part, Section, Status, Topic
from roadmap.tests.test_cohorts import _add_learners, mark
from tests.course_factory import COURSE, FIRST_SECTION, TOPIC

pytestmark = pytest.mark.django_db


def _sections():
    return list(Section.objects.published().in_course_order().select_related("part"))


# Short labels.
def test_each_section_gets_its_roadmaps_initial_and_its_place(course):
    groups = section_columns(_sections())
    assert [group.title for group in groups] == [
        f"{part.emoji} {part.title}".strip() for part in COURSE.published_parts
    ]
    columns = [column for group in groups for column in group.columns]
    assert [column.label for column in columns] == ["O1", "O2", "A1", "A2"]
    assert [column.starts_group for column in columns] == [True, False, True, False]
    assert [column.title for column in columns] == [s.title for s in COURSE.sections]


@pytest.mark.parametrize(
    ("titles", "labels"),
    [
        (["Astronomía", "Astrofísica"], ["1.1", "2.1"]),  # the same initial
        (["🔭 123", "Astrofísica"], ["1.1", "2.1"]),  # no letter at all
        (["🧩 Fundamentos de IA", "Ingeniero/a de LLMs"], ["F1", "I1"]),  # emoji skipped
    ],
)
def test_labels_stay_unique_when_initials_do_not(titles, labels):
    sections = []
    for n, title in enumerate(titles, start=1):
        part = Part(pk=n, slug=f"p{n}", title=title)
        sections.append(Section(pk=n, part=part, slug=f"s{n}", title=f"Sección {n}"))
    groups = section_columns(sections)
    assert [column.label for group in groups for column in group.columns] == labels


# The dashboard.
def _table(html: str) -> str:
    return html[html.index('<table class="data-table matrix">') : html.index("</table>")]


def _cells(row: str) -> list[str]:
    return re.findall(r"<(t[hd])\b", row)


def test_the_dashboard_reads_learner_total_pacing_and_activity_first(client, cohort, bruno):
    client.force_login(bruno)
    table = _table(client.get(f"/cohortes/{cohort.slug}/").content.decode())
    head = table[table.index("<thead>") : table.index("</thead>")]
    first_row, second_row = head.split("</tr>")[:2]
    leading = re.findall(r'<th scope="col" rowspan="2">([^<]+)</th>', first_row)
    assert leading == [
        "Aprendiz",
        "Total",
        "Ritmo",
        "Última actividad",
        "Completados",
        "En progreso",
    ]
    assert first_row.index("Última actividad") < first_row.index('scope="colgroup"')
    for part in COURSE.published_parts:
        sections = [s for s in part.sections if s.is_published]
        title = f"{part.emoji} {part.title}".strip()
        assert f'<th scope="colgroup" colspan="{len(sections)}" ' in first_row
        assert f">{title}</th>" in first_row
    assert (
        '<th scope="col" class="matrix__section matrix__start"><span aria-hidden="true" '
        f'title="{FIRST_SECTION.title}">O1</span>'
        f'<span class="visually-hidden">{FIRST_SECTION.title}</span></th>'
    ) in second_row
    assert second_row.count('<th scope="col"') == COURSE.section_count
    assert table.count('scope="colgroup"') == len(COURSE.published_parts)


def test_every_row_has_a_cell_under_each_header(client, cohort, bruno, ana):
    mark(ana, [TOPIC.slug])
    _add_learners(cohort, 3)
    client.force_login(bruno)
    table = _table(client.get(f"/cohortes/{cohort.slug}/").content.decode())
    columns = 1 + 3 + COURSE.section_count + 2
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = body.split("</tr>")[:-1]
    assert len(rows) == 4
    for row in rows:
        cells = _cells(row)
        assert cells[0] == "th" and len(cells) == columns, row
    ana_row = next(row for row in rows if ">Ana<" in row)
    total, pacing, activity, *rest = re.findall(r"<td[^>]*>(.*?)</td>", ana_row)
    assert total == f"<strong>{round(100 / COURSE.topic_count)}&nbsp;%</strong>"
    assert "Al día" in pacing and "<time" in activity
    footer = table[table.index("<tfoot>") : table.index("</tfoot>")]
    assert len(_cells(footer)) == columns


def test_the_matrix_scrolls_in_its_own_labelled_box(client, cohort, bruno):
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/").content.decode()
    assert (
        '<div class="table-wrap matrix-wrap" role="region" '
        'aria-label="Tabla de aprendices por sección (se desplaza)" tabindex="0">'
    ) in html
    legend = html[html.index('<details class="matrix-legend">') :]
    assert f"<strong>O1</strong> {FIRST_SECTION.emoji} {FIRST_SECTION.title}" in legend


# A learner's page.
def test_the_drill_down_is_one_table_with_a_row_group_per_section(client, cohort, bruno, ana):
    mark(ana, [TOPIC.slug])
    mark(ana, [FIRST_SECTION.topics[0].slug], Status.SKIPPED)
    client.force_login(bruno)
    html = client.get(f"/cohortes/{cohort.slug}/aprendices/{ana.pk}/").content.decode()
    assert html.count("<table") == 1
    table = html[html.index("<table") : html.index("</table>")]
    groups = table.split("<tbody>")[1:]
    assert len(groups) == COURSE.section_count
    for spec, group in zip(COURSE.sections, groups, strict=True):
        header = re.search(r'<th scope="rowgroup" colspan="5">(.*?)</th>', group).group(1)
        assert spec.title in header
        rows = group.split("</tr>")[1:-1]
        assert [re.search(r'<th scope="row">([^<]+)</th>', row).group(1) for row in rows] == [
            topic.title for topic in spec.published_topics
        ]
        assert all(len(_cells(row)) == 5 for row in rows)
    first = groups[0]
    assert "0 de 2 temas completados (1 omitido) · 0&nbsp;%" in first
    assert '<span class="status-badge status-badge--omitido">Omitido</span>' in first
    assert '<span class="status-badge status-badge--completado">Completado</span>' in table
    assert '<span class="status-badge status-badge--pendiente">Pendiente</span>' in table


def test_the_drill_down_costs_the_same_whatever_the_progress(
    client, cohort, bruno, ana, django_assert_num_queries
):
    client.force_login(bruno)
    url = f"/cohortes/{cohort.slug}/aprendices/{ana.pk}/"
    client.get(url)
    with django_assert_num_queries(11) as empty:  # as before it became one table
        client.get(url)
    for status, topic in zip(
        [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED] * 5, Topic.objects.all(), strict=False
    ):
        mark(ana, [topic.slug], status)
    with django_assert_num_queries(len(empty.captured_queries)):
        client.get(url)
