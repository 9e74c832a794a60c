"""A learner's own data, as JSON, CSV (Excel- and LibreOffice-friendly) and Markdown."""

import csv
import io
import re

from django.utils import timezone

from curso.spreadsheets import spreadsheet_safe
from roadmap.catalog.titles import title_text
from roadmap.cohorts.models import DigestDelivery
from roadmap.learning.models import (
    DailyActivity,
    LearnerSummary,
    Note,
    ProgressEvent,
    TopicProgress,
)

from .models import PublicProfile

CSV_HEADER = [
    "parte",
    "sección",
    "tema",
    "estado",
    "empezado",
    "completado",
    "último cambio",
    "nota",
]


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _progress(user):
    return (
        TopicProgress.objects.filter(user=user)
        .select_related("topic__section__part")
        .order_by("topic__section__part__order", "topic__section__order", "topic__order")
    )


def _notes(user):
    return (
        Note.objects.filter(user=user)
        .select_related("topic__section__part")
        .order_by("topic__section__part__order", "topic__section__order", "topic__order")
    )


def _totals(user) -> dict:
    summary = LearnerSummary.objects.filter(user=user).first() or LearnerSummary()
    return {
        "completados": summary.done,
        "omitidos": summary.skipped,
        "en_progreso": summary.in_progress,
        "ultimo_cambio": _when(summary.last_activity_at),
    }


def _public_page(user, absolute_url) -> dict | None:
    profile = PublicProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "nombre": profile.handle,
        "url": absolute_url(profile.get_absolute_url()),
        "publicada": profile.is_published,
        "mostrar_nombre_visible": profile.show_name,
        "pedir_no_indexar": profile.noindex,
        "ultimo_cambio": _when(profile.updated_at),
    }


def export_data(user, absolute_url=lambda path: path) -> dict:
    """Everything stored about `user`; `absolute_url` turns the site's paths into full addresses
    (the request's `build_absolute_uri`), so the file still points at the course on its own."""
    return {
        "exportado": _when(timezone.now()),
        "cuenta": {
            "email": user.email,
            "nombre_visible": user.display_name,
            "zona_horaria": user.time_zone,
            "fecha_de_alta": _when(user.date_joined),
        },
        "emails": {
            "recordatorios": user.learner_nudges,
            "ultimo_recordatorio": _when(user.last_nudge_at),
            "resumen_semanal": user.weekly_digest,
            "resumenes_semanales_enviados": [
                {
                    "cohorte": d.cohort.name,
                    "semana": f"{d.iso_year}-W{d.iso_week:02d}",
                    "encolado": _when(d.sent_at),
                }
                for d in DigestDelivery.objects.filter(instructor=user)
                .select_related("cohort")
                .order_by("sent_at")
            ],
        },
        "acerca_de_los_emails": (
            "Qué emails pediste: recordatorios de tu ritmo (y cuándo te mandamos el último; "
            "a lo sumo uno por semana) y, si dictás una cohorte, el resumen semanal, con la "
            "cohorte y la semana de cada uno que te mandamos."
        ),
        "progreso": [
            {
                "parte": p.topic.section.part.title,
                "seccion": p.topic.section.title,
                "tema": title_text(p.topic.title),
                "url": absolute_url(p.topic.get_absolute_url()),
                "estado": p.status,
                "estado_texto": p.get_status_display(),
                "empezado": _when(p.started_at),
                "completado": _when(p.completed_at),
                "ultimo_cambio": _when(p.updated_at),
            }
            for p in _progress(user)
        ],
        "notas": [
            {
                "seccion": n.topic.section.title,
                "tema": title_text(n.topic.title),
                "url": absolute_url(n.topic.get_absolute_url()),
                "nota": n.body,
                "creada": _when(n.created_at),
                "editada": _when(n.updated_at),
            }
            for n in _notes(user)
        ],
        "actividad": [
            {"tema": title_text(e.topic.title), "estado": e.status, "fecha": _when(e.created_at)}
            for e in ProgressEvent.objects.filter(user=user)
            .select_related("topic")
            .order_by("created_at")
        ],
        "actividad_por_dia": [
            {"dia": d.day.isoformat(), "cambios": d.changes, "ultimo_cambio": _when(d.last_at)}
            for d in DailyActivity.objects.filter(user=user).order_by("day")
        ],
        "totales": _totals(user),
        "pagina_publica": _public_page(user, absolute_url),
        "acerca_de_la_actividad": {
            "actividad": (
                "Cada cambio de estado con su tema y su fecha. Los más viejos se borran con el "
                "tiempo; siguen contados en actividad_por_dia."
            ),
            "actividad_por_dia": (
                "Cuántos cambios de estado hiciste cada día (en tu zona horaria de ese momento) "
                "y la hora del último. Se guarda siempre: de acá salen tu gráfico de actividad "
                "y tus rachas."
            ),
            "totales": (
                "Tus estados contados (en todos los temas, también los que ya no se publican) "
                "y la hora de tu último cambio: de acá salen las listas de cohortes."
            ),
        },
        "acerca_de_la_pagina_publica": (
            "La configuración de tu página pública (null si nunca la configuraste): su nombre, "
            "si está publicada, si muestra tu nombre visible y si pide a los buscadores que no "
            "la indexen. La página muestra tus estados y tus totales, nunca tus notas, tu email "
            "ni tus cohortes."
        ),
    }


def export_csv(user) -> str:
    """One row per topic with a status or a note; UTF-8 with BOM and ';' for Spanish Excel."""
    notes = {n.topic_id: n for n in _notes(user)}
    rows = []
    for p in _progress(user):
        note = notes.pop(p.topic_id, None)
        rows.append(
            [
                p.topic.section.part.title,
                p.topic.section.title,
                title_text(p.topic.title),
                p.get_status_display(),
                _when(p.started_at),
                _when(p.completed_at),
                _when(p.updated_at),
                note.body if note else "",
            ]
        )
    for note in notes.values():
        topic = note.topic
        rows.append(
            [topic.section.part.title, topic.section.title, title_text(topic.title), "Pendiente"]
        )
        rows[-1] += ["", "", "", note.body]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
NOT_A_PARAGRAPH = re.compile(r"^( {4}|\t| {0,3}([-*+>|#]|\d+[.)]))")


def nest_headings(markdown: str, levels: int = 2) -> str:
    """`markdown` with every heading `levels` deeper (at most `######`), so a learner's own
    `# Título` sits under the export's per-topic `##` instead of beside it. Fenced code is left
    alone; an underlined (setext) heading becomes a `#` one."""
    out: list[str] = []
    fence = ""
    after_paragraph_line = False  # an underline below it would make it a heading
    for line in markdown.split("\n"):
        marker = FENCE.match(line)
        underline = SETEXT_UNDERLINE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = ""
            out.append(line)
        elif marker:
            fence = marker.group(1)
            out.append(line)
        elif atx := ATX_HEADING.match(line):
            hashes = "#" * min(6, len(atx.group(2)) + levels)
            out.append(f"{atx.group(1)}{hashes}{line[atx.end() :]}")
        elif underline and after_paragraph_line:
            level = 1 if underline.group(1)[0] == "=" else 2
            out[-1] = f"{'#' * min(6, level + levels)} {out[-1].strip()}"
            after_paragraph_line = False
            continue
        else:
            out.append(line)
            after_paragraph_line = bool(line.strip()) and not NOT_A_PARAGRAPH.match(line)
            continue
        after_paragraph_line = False
    return "\n".join(out)


def export_notes_markdown(user) -> str:
    lines = [f"# Mis notas de curso ({timezone.localdate().isoformat()})", ""]
    notes = list(_notes(user))
    if not notes:
        lines.append("Todavía no escribiste notas.")
    for note in notes:
        lines += [
            f"## {note.topic.section.title} › {note.topic.title}",
            "",
            f"*Editada: {_when(note.updated_at)}*",
            "",
            nest_headings(note.body.strip()),
            "",
        ]
    return "\n".join(lines) + "\n"
