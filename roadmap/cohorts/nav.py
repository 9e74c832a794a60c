"""Who gets the header's «Cohortes» item and lands on /cohortes/ after signing in: whoever may
see a cohort's dashboard (an instructor of at least one cohort, or a superuser).

Every page shows the header, and most pages are assembled from a skeleton with a few fixed
queries (roadmap/pages/), so the answer is not asked of the database on every page: it is kept
in the session, worked out once per session (at login, or on the first page after it) with one
`EXISTS`, and refreshed whenever the person opens /cohortes/. Someone made an instructor while
signed in sees the item after signing in again or opening /cohortes/; someone no longer
teaching stops seeing it the next time /cohortes/ answers 404.
"""

from functools import cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .models import Cohort

SESSION_KEY = "cohorts_nav"  # [user id, sees cohorts?]


def remember_sees_cohorts(request, sees: bool) -> None:
    """Keep the answer in the session (written only when it changes)."""
    value = [request.user.pk, sees]
    if request.session.get(SESSION_KEY) != value:
        request.session[SESSION_KEY] = value


def sees_cohorts(request, *, fresh: bool = False) -> bool:
    """Whether the signed-in visitor may open /cohortes/: from the session, or one query when
    the session does not know yet (or `fresh`, at login)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    remembered = request.session.get(SESSION_KEY)
    if not fresh and isinstance(remembered, list) and remembered[:1] == [user.pk]:
        return bool(remembered[1])
    sees = Cohort.objects.taught_by(user).exists()
    remember_sees_cohorts(request, sees)
    return sees


@cache
def _item(current: bool) -> SafeString:
    """The header's item, rendered once per process (no `reverse()` per page)."""
    html = render_to_string("roadmap/cohort_nav_item.html", {"current": current})
    return mark_safe(html.strip())  # noqa: S308 - a template's output


def cohorts_nav_item(request, current: bool = False) -> SafeString:
    """The «Cohortes» `<li>` for this visitor, or nothing."""
    return _item(current) if sees_cohorts(request) else mark_safe("")
