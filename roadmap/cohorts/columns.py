"""The section columns of the cohort pages: grouped by roadmap, each with a short label.

Nineteen section titles side by side made the dashboard ~3,000 px wide. Each section gets a
short label instead, its roadmap's initial and its place in it ("F2": the second section of
Fundamentos de IA), with the full title kept for screen readers and a tooltip. The labels are
worked out once per request from the sections (never per row), and are the same on the
dashboard, its legend and a learner's page.
"""

from dataclasses import dataclass

from roadmap.catalog.models import Part, Section


@dataclass(frozen=True, slots=True)
class SectionColumn:
    section: Section
    label: str  # "F2"
    starts_group: bool  # the first section of its roadmap (a separator is drawn before it)

    @property
    def title(self) -> str:
        return self.section.title


@dataclass(frozen=True, slots=True)
class ColumnGroup:
    part: Part
    columns: tuple[SectionColumn, ...]

    @property
    def title(self) -> str:
        return f"{self.part.emoji} {self.part.title}".strip()


def _initial(part: Part) -> str:
    return next((char.upper() for char in part.title if char.isalpha()), "")


def section_columns(sections: list[Section]) -> list[ColumnGroup]:
    """`sections` (in course order, with their `part`) grouped by roadmap, each labelled.

    The label's prefix is the roadmap's initial; when two roadmaps share one (or a title has
    no letter), every roadmap is numbered instead ("2.3"), so no two labels are ever equal."""
    parts: dict[int, tuple[Part, list[Section]]] = {}
    for section in sections:
        parts.setdefault(section.part_id, (section.part, []))[1].append(section)
    initials = [_initial(part) for part, _ in parts.values()]
    if "" in initials or len(set(initials)) < len(initials):
        initials = [f"{n}." for n in range(1, len(initials) + 1)]
    return [
        ColumnGroup(
            part,
            tuple(
                SectionColumn(section, f"{initial}{n}", starts_group=n == 1)
                for n, section in enumerate(members, start=1)
            ),
        )
        for initial, (part, members) in zip(initials, parts.values(), strict=True)
    ]
