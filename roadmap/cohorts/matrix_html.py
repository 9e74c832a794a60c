"""The cohort dashboard's matrix, rendered once per content version and filled per request.

The column groups, header rows and legend depend on the course only: they are rendered from
their templates once per content version (`MatrixFrame`). A learner's row comes from its
template too (roadmap/partials/cohort_matrix_row.html), rendered once per content version and
kind of row (behind or not, ever active or not, inactive or not) and cut at its holes, the
way pages are (roadmap/pages/skeleton.py); for each learner shown, `rows_html` joins those
pieces with their values. Each value is an integer, a URL built from one `reverse()`, or text
escaped here.

Measured (bench/cohort_dashboard.py, 50 rows × 19 sections): `format_html` for every row cost
~2,500 function calls and ~3 ms per page; joining the pieces costs a few hundred calls.
"""

import datetime
from dataclasses import dataclass
from itertools import product

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roadmap.catalog.versions import current_content_version
from roadmap.learning.selectors import heat_level
from roadmap.pages.assemble import STORE
from roadmap.pages.skeleton import render_skeleton

from .content import CohortContent, cohort_content
from .models import Cohort
from .selectors import LearnerRow, Pacing

# A row's values, in this order, then (heat level, percentage) for each section.
ROW_FIELDS = ("url", "name", "overall_level", "overall", "behind", "iso", "day", "done")
ROW_FIELDS += ("in_progress",)
CELL_FIELDS = ("level", "percent")


@dataclass(frozen=True, slots=True)
class RowSkeleton:
    pieces: tuple[str, ...]  # pieces[0], value, pieces[1], value, …, pieces[-1]
    slots: tuple[int, ...]  # for each value between two pieces: its index in a row's values

    def fill(self, values: list[str]) -> str:
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return "".join(out)


def _row_skeleton(content: CohortContent, behind: bool, active: bool, inactive: bool):
    pacing = Pacing.BEHIND if behind else Pacing.ON_TRACK
    context = {
        "columns": content.columns,
        "pacing": pacing,
        "pacing_label": Pacing.LABELS[pacing],
        "behind": behind,
        "active": active,
        "inactive": inactive,
    }
    skeleton = render_skeleton("roadmap/partials/cohort_matrix_row.html", context)
    slots = []
    for kind, args in skeleton.holes:
        if kind in CELL_FIELDS:
            slots.append(len(ROW_FIELDS) + 2 * int(args[0]) + CELL_FIELDS.index(kind))
        else:
            slots.append(ROW_FIELDS.index(kind))
    pieces = list(skeleton.pieces)
    pieces[0], pieces[-1] = pieces[0].lstrip(), pieces[-1].rstrip()
    return RowSkeleton(tuple(pieces), tuple(slots))


@dataclass(frozen=True)
class MatrixFrame:
    content: CohortContent
    head: SafeString  # the column groups and header rows
    legend: SafeString  # which section each column is
    rows: dict[tuple[bool, bool, bool], RowSkeleton]  # (behind, active, inactive) → its row


def _rendered(template: str, context: dict) -> SafeString:
    return mark_safe(render_to_string(template, context).strip())  # noqa: S308 - a template's


def matrix_frame(content: CohortContent) -> MatrixFrame:
    context = {"groups": content.groups, "columns": content.columns}
    return MatrixFrame(
        content,
        _rendered("roadmap/partials/cohort_matrix_head.html", context),
        _rendered("roadmap/partials/cohort_matrix_legend.html", context),
        {flags: _row_skeleton(content, *flags) for flags in product((False, True), repeat=3)},
    )


def current_matrix_frame() -> MatrixFrame:
    """The frame (and its `CohortContent`) of the current content version, kept with the pages'
    skeletons: one read of the content version."""
    version = current_content_version()
    content = STORE.get_or_build((version, "cohort-content"), cohort_content)
    return STORE.get_or_build((version, "cohort-frame"), lambda: matrix_frame(content))


def rows_html(frame: MatrixFrame, cohort: Cohort, rows: list[LearnerRow]) -> SafeString:
    """The matrix body (`<tr>` rows) for the learners shown, with their cells filled."""
    url_prefix = reverse("roadmap:cohort_learner", args=[cohort.slug, 0]).removesuffix("0/")
    days: dict[datetime.date, str] = {}  # a page's learners share a few dozen days at most
    behind_text: dict[int, str] = {}  # the rows share a few lists of sections behind on
    cell_text: dict[int, tuple[str, str]] = {}  # and a few hundred cells (`fill_cells`)
    html = []
    for row in rows:
        last = row.last_activity
        iso = day = ""
        if last:
            local = timezone.localtime(last)
            if local.date() not in days:
                days[local.date()] = escape(date_format(local, "j M Y"))
            iso, day = last.isoformat(), days[local.date()]
        behind = behind_text.get(id(row.behind_on))
        if behind is None:
            behind = escape(", ".join(section.title for section in row.behind_on))
            behind_text[id(row.behind_on)] = behind
        percent = row.overall.percent
        values = [
            f"{url_prefix}{row.user_id}/",
            escape(row.name),
            str(heat_level(percent)),
            str(percent),
            behind,
            iso,
            day,
            str(row.overall.done),
            str(row.overall.in_progress),
        ]
        for cell in row.cells:
            text = cell_text.get(id(cell))
            if text is None:
                text = cell_text[id(cell)] = (str(heat_level(cell.percent)), str(cell.percent))
            values += text
        html.append(frame.rows[bool(row.behind_on), bool(last), row.inactive].fill(values))
    return mark_safe("".join(html))  # noqa: S308 - templates' pieces and escaped values
