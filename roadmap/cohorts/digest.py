"""The weekly digest each instructor gets about each cohort they teach (`send_weekly_digests`).

What it says comes from the dashboard's own rules (`cohort_matrix`): who is behind (a section
whose target date passed, not finished: `is_behind`), who is inactive (7+ days without a status
change, or none ever: `is_inactive`), plus who finished sections in the last 7 days
(`sections_finished_since`), and the dashboard's address.

Once per ISO week (of the site's calendar) per cohort and instructor: the `DigestDelivery` row
is the claim, written in the same transaction as the queued email, so running the command
again that week queues nothing, and a crash leaves neither a row without its email nor an
email without its row. Instructors who turned it off (`User.weekly_digest`, the profile or the
email's unsubscribe link) are skipped. Cohorts: active, already started, and not ended before
the last 7 days (so the week after the end still gets its digest); without learners, nothing
is sent.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from curso.emails import DIGEST, absolute_url, site_email
from curso.mail_queue import enqueue_email
from roadmap.catalog.titles import title_text

from .models import Cohort, CohortMembership, DigestDelivery
from .selectors import LearnerRow, cohort_matrix, sections_finished_since

WEEK = datetime.timedelta(days=7)
LISTED = 30  # learners named per list; the rest are counted, with the dashboard for details


@dataclass
class Listed:
    """One learner in a list of the digest, and what the list says about them."""

    name: str
    sections: list[str]
    last_activity: datetime.datetime | None = None


@dataclass
class CohortDigest:
    cohort: Cohort
    learners: int
    since: datetime.datetime
    behind: list[Listed]
    inactive: list[Listed]
    finished: list[Listed]
    dashboard_url: str


def digest_cohorts(today: datetime.date):
    """The cohorts that get a digest this week."""
    return Cohort.objects.filter(is_active=True, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today - WEEK)
    )


def cohort_digest(cohort: Cohort, now: datetime.datetime) -> CohortDigest:
    """What the digest of `cohort` says at `now`: a fixed number of queries, whatever its size."""
    matrix = cohort_matrix(cohort, now=now)
    since = now - WEEK
    finished = sections_finished_since(cohort, matrix.sections, since)
    rows: list[LearnerRow] = matrix.rows
    return CohortDigest(
        cohort=cohort,
        learners=len(rows),
        since=since,
        behind=[
            Listed(row.name, [title_text(section.title) for section in row.behind_on])
            for row in rows
            if row.behind_on
        ],
        inactive=[
            Listed(row.name, [], row.last_activity)
            for row in sorted(rows, key=_least_recently_active)
            if row.inactive
        ],
        finished=[
            Listed(row.name, [title_text(section.title) for section in finished[row.user_id]])
            for row in rows
            if row.user_id in finished
        ],
        dashboard_url=absolute_url(cohort.get_absolute_url()),
    )


def _least_recently_active(row: LearnerRow):
    """Never active first, then the longest without activity."""
    last = row.last_activity
    return (last is not None, last or datetime.datetime.min.replace(tzinfo=datetime.UTC))


def iso_week(now: datetime.datetime) -> tuple[int, int]:
    """(ISO year, ISO week) of `now` in the site's calendar."""
    year, week, _day = timezone.localdate(now).isocalendar()
    return year, week


def digest_email(digest: CohortDigest, instructor):
    lists = {
        key: (items[:LISTED], max(0, len(items) - LISTED))
        for key, items in (
            ("behind", digest.behind),
            ("inactive", digest.inactive),
            ("finished", digest.finished),
        )
    }
    return site_email(
        "roadmap/email/weekly_digest",
        {
            "digest": digest,
            "instructor": instructor,
            "zone": instructor.zone,
            "lists": lists,
            "since": timezone.localdate(digest.since, instructor.zone),
        },
        to=instructor.email,
        subject=f"Resumen semanal de {digest.cohort.name}",
        user_id=instructor.pk,
        kind=DIGEST,
    )


def send_weekly_digests(*, now: datetime.datetime | None = None) -> list[str]:
    """Queue this week's digest for every instructor of every cohort who has not had it yet.
    Returns what was done, one line per cohort and per instructor, in Spanish."""
    now = now or timezone.now()
    year, week = iso_week(now)
    report = []
    for cohort in digest_cohorts(timezone.localdate(now)).order_by("name", "pk"):
        instructors = [
            membership.user
            for membership in CohortMembership.objects.filter(
                cohort=cohort, role=CohortMembership.Role.INSTRUCTOR, user__is_active=True
            )
            .select_related("user")
            .order_by("user__email")
        ]
        if not instructors:
            report.append(f"«{cohort.name}»: no tiene instructores/as activos/as; no se envía.")
            continue
        if not cohort.memberships.filter(role=CohortMembership.Role.LEARNER).exists():
            report.append(f"«{cohort.name}»: todavía no tiene aprendices; no se envía.")
            continue
        done = set(
            DigestDelivery.objects.filter(cohort=cohort, iso_year=year, iso_week=week).values_list(
                "instructor_id", flat=True
            )
        )
        digest = None
        for instructor in instructors:
            who = f"«{cohort.name}» → {instructor.email}"
            if instructor.pk in done:
                report.append(f"{who}: ya se envió la semana {week} de {year}.")
                continue
            if not instructor.weekly_digest:
                report.append(f"{who}: lo desactivó; no se envía.")
                continue
            digest = digest or cohort_digest(cohort, now)
            if _claim_and_queue(digest, instructor, year, week, now):
                report.append(
                    f"{who}: resumen encolado ({len(digest.behind)} atrasados/as, "
                    f"{len(digest.inactive)} inactivos/as, "
                    f"{len(digest.finished)} terminaron secciones)."
                )
            else:
                report.append(f"{who}: otro proceso lo envió al mismo tiempo.")
    if not report:
        report.append("No hay cohortes activas: no se envió nada.")
    return report


def _claim_and_queue(digest: CohortDigest, instructor, year: int, week: int, now) -> bool:
    """The week's row and the queued email, together or not at all. False: another run
    claimed it first."""
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(
                cohort=digest.cohort,
                instructor=instructor,
                iso_year=year,
                iso_week=week,
                sent_at=now,
                behind=len(digest.behind),
                inactive=len(digest.inactive),
                finished=len(digest.finished),
            )
            enqueue_email(digest_email(digest, instructor))
    except IntegrityError:
        return False
    return True
