"""Nudges: one email to a learner who asked for them (`User.learner_nudges`, off by default)
when they are behind or inactive; `send_learner_nudges`, run daily by cron.

The rules are the site's own, never a second copy:
- behind: a section of a cohort they learn in whose target date passed and that they have not
  finished (the dashboard's `cohort_matrix`, `is_behind`); only cohorts open today (active,
  started, not ended);
- inactive: 7 days or more without a status change (`is_inactive`). Someone who never marked a
  topic counts from the day they created their account: inactive 7 days after signing up.

At most one a week: `User.last_nudge_at` is set by a conditional UPDATE (still opted in, no
nudge in the last 7 days) in the same transaction as the queued email, so two runs at once
send one, and a crash sends none and records none. While they stay behind or inactive, the
nudge comes again a week later; the email's one-click link or the profile turns it off.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from curso.emails import NUDGE, absolute_url, site_email
from curso.mail_queue import enqueue_email
from roadmap.catalog.titles import title_text
from roadmap.cohorts.models import Cohort, CohortMembership
from roadmap.cohorts.selectors import cohort_matrix

from .selectors import INACTIVE_AFTER, is_inactive

NUDGE_EVERY = datetime.timedelta(days=7)


@dataclass
class BehindIn:
    cohort: str
    sections: list[tuple[str, datetime.date]]  # (title, its target date)


@dataclass
class Nudge:
    user: object  # the user model (roadmap does not import accounts)
    last_activity: datetime.datetime | None
    inactive: bool = False
    behind: list[BehindIn] = field(default_factory=list)

    def days_inactive(self, now: datetime.datetime) -> int:
        return (now - self.last_activity).days if self.last_activity else 0


def _not_nudged_lately(now: datetime.datetime) -> Q:
    return Q(last_nudge_at__isnull=True) | Q(last_nudge_at__lte=now - NUDGE_EVERY)


def due_nudges(now: datetime.datetime) -> tuple[list[Nudge], int]:
    """The nudges to send at `now`, and how many people asked for nudges in all."""
    opted_in = get_user_model().objects.filter(learner_nudges=True, is_active=True)
    asked = opted_in.count()
    candidates = {
        user.pk: Nudge(user, user.last_activity)
        for user in opted_in.filter(_not_nudged_lately(now))
        .annotate(last_activity=F("learner_summary__last_activity_at"))
        .order_by("pk")
    }
    if not candidates:
        return [], asked
    for nudge in candidates.values():
        nudge.inactive = is_inactive(nudge.last_activity or nudge.user.date_joined, now)
    today = timezone.localdate(now)
    cohorts = (
        Cohort.objects.filter(is_active=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(
            pk__in=CohortMembership.objects.filter(
                user_id__in=list(candidates), role=CohortMembership.Role.LEARNER
            ).values("cohort_id")
        )
        .order_by("name", "pk")
    )
    for cohort in cohorts:
        matrix = cohort_matrix(cohort, now=now)
        due = {target.section_id: target.due_date for target in matrix.passed_targets}
        for row in matrix.rows:
            if row.user_id in candidates and row.behind_on:
                sections = [(title_text(s.title), due[s.pk]) for s in row.behind_on]
                candidates[row.user_id].behind.append(BehindIn(cohort.name, sections))
    nudges = [nudge for nudge in candidates.values() if nudge.inactive or nudge.behind]
    return nudges, asked


def nudge_email(nudge: Nudge, now: datetime.datetime):
    user = nudge.user
    return site_email(
        "roadmap/email/learner_nudge",
        {
            "nudge": nudge,
            "name": user.get_short_name(),
            "zone": user.zone,
            "days": nudge.days_inactive(now),
            "inactive_days": INACTIVE_AFTER.days,
            "progress_url": absolute_url(reverse("roadmap:my_progress")),
        },
        to=user.email,
        subject="Un recordatorio de tu ritmo",
        user_id=user.pk,
        kind=NUDGE,
    )


def _claim_and_queue(nudge: Nudge, now: datetime.datetime) -> bool:
    """Record the nudge and queue it, together or not at all. False: they turned nudges off,
    or another run nudged them, in the meantime."""
    with transaction.atomic():
        claimed = (
            get_user_model()
            .objects.filter(pk=nudge.user.pk, learner_nudges=True, is_active=True)
            .filter(_not_nudged_lately(now))
            .update(last_nudge_at=now)
        )
        if claimed:
            enqueue_email(nudge_email(nudge, now))
    return bool(claimed)


def _why(nudge: Nudge, now: datetime.datetime) -> str:
    reasons = []
    if nudge.behind:
        sections = sum(len(behind.sections) for behind in nudge.behind)
        reasons.append(f"atrasado/a en {sections} sección{'es' if sections != 1 else ''}")
    if nudge.inactive:
        if nudge.last_activity:
            reasons.append(f"{nudge.days_inactive(now)} días sin actividad")
        else:
            reasons.append("nunca marcó un tema")
    return "; ".join(reasons)


def send_learner_nudges(*, now: datetime.datetime | None = None) -> list[str]:
    """Queue every nudge due at `now`; returns what was done, in Spanish."""
    now = now or timezone.now()
    nudges, asked = due_nudges(now)
    report, sent = [], 0
    for nudge in nudges:
        if _claim_and_queue(nudge, now):
            sent += 1
            report.append(f"{nudge.user.email}: recordatorio encolado ({_why(nudge, now)}).")
        else:
            report.append(f"{nudge.user.email}: otro proceso ya lo hizo; no se envía.")
    report.append(
        f"{asked} persona{'s' if asked != 1 else ''} con recordatorios activados; "
        f"{sent} recordatorio{'s' if sent != 1 else ''} encolado{'s' if sent != 1 else ''}."
    )
    return report
