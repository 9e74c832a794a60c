"""What belongs to the visitor on a page: stand-ins while the skeleton renders, values per request.

While a skeleton renders, the templates receive stand-ins (`HoleUser`, `HoleTallies`,
`HoleTally`) that print holes where the visitor's name and numbers go. Per request,
`VisitorValues` answers each hole: the methods are named after the hole kinds, and each returns
safe HTML (escaped here, or rendered from a template once per process).
"""

from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import resolve
from django.utils.html import escape

from roadmap.cohorts.nav import cohorts_nav_item
from roadmap.learning.models import Status
from roadmap.learning.selectors import (
    CourseTallies,
    Tally,
    learner_statuses,
    tallies_from_statuses,
)

from .skeleton import hole


class HoleTally:
    """A learner's tally for one scope ("overall", "part-3", "section-12"), as holes."""

    def __init__(self, scope: str):
        self.scope = scope

    @property
    def label(self) -> str:
        return hole("tally_label", self.scope)

    @property
    def percent(self) -> str:
        return hole("tally_percent", self.scope)

    # How many topics of the scope have each status (the overview's totals).
    @property
    def done(self) -> str:
        return hole("tally_count", self.scope, "done")

    @property
    def in_progress(self) -> str:
        return hole("tally_count", self.scope, "in_progress")

    @property
    def skipped(self) -> str:
        return hole("tally_count", self.scope, "skipped")

    @property
    def pending(self) -> str:
        return hole("tally_count", self.scope, "pending")


class HoleTallies:
    overall = HoleTally("overall")


class HoleUser:
    """The signed-in visitor, whoever they are."""

    is_authenticated = True
    is_anonymous = False

    def get_short_name(self) -> str:
        return hole("user_name")


def skeleton_request(request, path: str | None = None) -> SimpleNamespace:
    """What templates may read of the request while a skeleton renders: the page's address."""
    if path is None:
        return SimpleNamespace(path=request.path, resolver_match=request.resolver_match)
    return SimpleNamespace(path=path, resolver_match=resolve(path))


def page_csrf_token(request) -> str:
    """One masked CSRF token for every form of the page, as a template's `{% csrf_token %}`
    gives (masking draws 32 random characters: not once per form)."""
    token = getattr(request, "_page_csrf_token", None)
    if token is None:
        token = request._page_csrf_token = get_token(request)
    return token


STATUS_LABELS = {value: escape(label) for value, label in Status.choices}


class VisitorValues:
    """The values of one request's holes.

    statuses: topic id → status for the topics the page shows (Pendiente when missing);
    tallies: the learner's CourseTallies; panels: hole name → callable returning safe HTML.
    """

    def __init__(self, request, statuses=None, tallies: CourseTallies | None = None, panels=None):
        self.request = request
        self.statuses = {
            str(topic_id): status
            for topic_id, status in (statuses or {}).items()
            if status in STATUS_LABELS
        }
        self.tallies = tallies
        self.panels = panels or {}
        self._scopes: dict[str, Tally] = {}

    def csrf(self) -> str:
        return page_csrf_token(self.request)

    def messages(self) -> str:
        storage = get_messages(self.request)
        if not storage:
            return ""
        context = {"messages": storage, "csrf_token": self.csrf()}  # «Deshacer» is a form
        return render_to_string("includes/messages.html", context)

    def user_name(self) -> str:
        return escape(self.request.user.get_short_name())

    def cohorts_nav(self) -> str:
        return cohorts_nav_item(self.request)  # from the session: no query once known

    def status(self, topic_id: str) -> str:
        return self.statuses.get(topic_id, Status.PENDING)

    def status_label(self, topic_id: str) -> str:
        return STATUS_LABELS[self.status(topic_id)]

    def pressed(self, topic_id: str, value: str) -> str:
        return "true" if self.status(topic_id) == value else "false"

    def _tally(self, scope: str) -> Tally:
        tally = self._scopes.get(scope)
        if tally is None:
            kind, _, pk = scope.partition("-")
            if kind == "overall":
                tally = self.tallies.overall
            elif kind == "part":
                tally = self.tallies.for_part(int(pk))
            else:
                tally = self.tallies.for_section(int(pk))
            self._scopes[scope] = tally
        return tally

    def tally_label(self, scope: str) -> str:
        return escape(self._tally(scope).label)

    def tally_percent(self, scope: str) -> str:
        return str(self._tally(scope).percent)

    def tally_count(self, scope: str, status: str) -> str:
        return str(getattr(self._tally(scope), status))

    def panel(self, name: str) -> str:
        return self.panels[name]()


def learner_values(request, facts: dict, panels=None, progress=None) -> VisitorValues:
    """A signed-in visitor's statuses and tallies: one query. facts["structure"]: the
    skeleton's `CourseStructure`; progress: the visitor's (topic, status, last change) rows
    when the caller already read them (`selectors.learner_progress`)."""
    if progress is None:
        statuses = learner_statuses(request.user)
    else:
        statuses = {topic_id: status for topic_id, status, _changed in progress}
    tallies = tallies_from_statuses(facts["structure"], statuses)
    return VisitorValues(request, statuses, tallies, panels)
