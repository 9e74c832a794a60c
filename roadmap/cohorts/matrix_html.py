"""The cohort dashboard's matrix rows, built in Python instead of a template: the one place in
the project where HTML is assembled in code, for a measured reason. For 500 learners × 19
sections the template loop alone cost ~100 ms (matrix ~165 ms → ~115 ms with this renderer,
bench/cohort_dashboard.py). Since issue 10 the dashboard shows one page of 50 learners, so this
renders 50 rows (~1 ms under cProfile against ~10 ms for the 500-row page before): the
renderer stays because it is still the cheapest part, not because the page needs it.
Every value goes through format_html or is an integer.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from roadmap.learning.selectors import heat_level

from .columns import SectionColumn
from .models import Cohort

INACTIVE_BADGE = ' <span class="status-badge status-badge--warning">inactivo/a</span>'


def _cells_html(row, starts: tuple[str, ...]) -> SafeString:
    cells = "".join(
        f'<td class="heat heat--{heat_level(p)}{start}">{p}&nbsp;%</td>'
        for p, start in zip((cell.percent for cell in row.cells), starts, strict=True)
    )
    return mark_safe(cells)  # noqa: S308 - only integers and class names are interpolated


# Aprendiz, Total, Ritmo and Última actividad first (what an instructor reads first), then
# one cell per section, then the counts.
ROW_HTML = (
    '<tr><th scope="row"><a href="{url}">{name}</a></th>'
    '<td class="heat heat--{overall_level}"><strong>{overall}&nbsp;%</strong></td>'
    '<td class="matrix__text"><span class="status-badge status-badge--{pacing}">{pacing_label}'
    "</span>{behind}</td>"
    '<td class="matrix__text">{activity}{inactive}</td>'
    "{cells}<td>{done}</td><td>{in_progress}</td></tr>"
)


def matrix_rows_html(cohort: Cohort, columns: list[SectionColumn], rows) -> SafeString:
    """The matrix body (`<tr>` rows) for the dashboard's table; `columns` are the sections'."""
    starts = tuple(" matrix__start" if column.starts_group else "" for column in columns)
    url_prefix = reverse("roadmap:cohort_learner", args=[cohort.slug, 0]).removesuffix("0/")
    html = []
    days: dict[datetime.date, str] = {}  # a page's learners share a few dozen days at most
    for row in rows:
        last = row.last_activity
        activity = "nunca"
        if last:
            local = timezone.localtime(last)
            if local.date() not in days:
                days[local.date()] = date_format(local, "j M Y")
            activity = format_html(
                '<time datetime="{}">{}</time>', last.isoformat(), days[local.date()]
            )
        behind = ", ".join(section.title for section in row.behind_on)
        html.append(
            format_html(
                ROW_HTML,
                url=f"{url_prefix}{row.user_id}/",
                name=row.name,
                cells=_cells_html(row, starts),
                overall_level=heat_level(row.overall.percent),
                overall=row.overall.percent,
                done=row.overall.done,
                in_progress=row.overall.in_progress,
                activity=activity,
                inactive=mark_safe(INACTIVE_BADGE) if row.inactive else "",
                pacing=row.pacing,
                pacing_label=row.pacing_label,
                behind=format_html('<span class="visually-hidden">: {}</span>', behind)
                if behind
                else "",
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every part went through format_html
