"""Sweeps generated from the URL conf, so a new view cannot forget its protections.

- every URL of the project's apps is classified below: an unclassified one fails the suite;
- the permission ladder runs over every protected URL;
- bad input (unknown ids, wrong methods, missing or forged CSRF, oversized, malformed, control and
  non-UTF-8 characters, huge query strings) never produces a 500;
- every text field of every form (learners', instructors', allauth's, the admin's) is fed the
  hostile Markdown corpus and junk strings: never a 500, never a request over 3 s;
- GET views answer HEAD, and every page for a signed-in person says `private, no-store`.
"""

import datetime
import re
import time
from html.parser import HTMLParser

import pytest
from django.forms import BaseForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import PublicProfile
from curso.emails import NUDGE, unsubscribe_token
from roadmap.models import Cohort, CohortMembership, DigestDelivery, Note, Topic
from tests.course_factory import SECTION, TOPIC
from tests.hostile_markdown import HOSTILE_MARKDOWN
from tests.voice import assert_voseo, visible_text

pytestmark = pytest.mark.django_db

# name → (methods it accepts, who may use it)
#   public: anyone; learner: any signed-in person (their own data); owner: only the owner of
#   the object in the URL (others get 404); instructor: the cohort's instructors (others 404).
URLS = {
    "roadmap:home": ({"GET"}, "public"),
    "roadmap:section_detail": ({"GET"}, "public"),
    "roadmap:topic_detail": ({"GET"}, "public"),
    "roadmap:resources": ({"GET"}, "public"),
    "roadmap:search": ({"GET"}, "public"),
    "roadmap:health": ({"GET"}, "public"),
    ":health_ready": ({"GET"}, "public"),
    ":favicon": ({"GET"}, "public"),
    "roadmap:cohort_join": ({"GET", "POST"}, "learner"),
    "roadmap:topic_status": ({"POST"}, "learner"),
    "roadmap:topic_complete": ({"POST"}, "learner"),
    "roadmap:note_save": ({"POST"}, "learner"),
    "roadmap:my_progress": ({"GET"}, "learner"),
    "roadmap:note_list": ({"GET"}, "learner"),
    "roadmap:note_detail": ({"GET"}, "owner"),
    "roadmap:note_delete": ({"GET", "POST"}, "owner"),
    "roadmap:note_restore": ({"POST"}, "learner"),
    "roadmap:cohort_leave": ({"POST"}, "owner"),
    "roadmap:cohort_list": ({"GET"}, "instructor"),
    "roadmap:cohort_dashboard": ({"GET"}, "instructor"),
    "roadmap:cohort_csv": ({"GET"}, "instructor"),
    "roadmap:cohort_pacing": ({"GET", "POST"}, "instructor"),
    "roadmap:cohort_code": ({"POST"}, "instructor"),
    "roadmap:cohort_learner": ({"GET"}, "instructor"),
    "roadmap:cohort_remove_learner": ({"POST"}, "instructor"),
    "accounts:profile": ({"GET", "POST"}, "learner"),
    "accounts:export": ({"GET"}, "learner"),
    "accounts:export_json": ({"GET"}, "learner"),
    "accounts:export_csv": ({"GET"}, "learner"),
    "accounts:export_notes": ({"GET"}, "learner"),
    "accounts:delete": ({"GET", "POST"}, "learner"),
    # The signed token in the path is the authorisation: works signed out (curso/emails.py).
    "accounts:unsubscribe": ({"GET", "POST"}, "public"),
    "accounts:public_profile": ({"GET", "POST"}, "learner"),
    "accounts:public_profile_publish": ({"POST"}, "learner"),
    "accounts:public_profile_unpublish": ({"POST"}, "learner"),
    "accounts:public_profile_preview": ({"GET"}, "learner"),
    ":public_page": ({"GET"}, "public"),
}
# POSTs a mail client makes (RFC 8058 one-click unsubscribe) carry no CSRF token: the signed
# token in the path authorises them, and a forged one changes nothing (404).
CSRF_EXEMPT = {"accounts:unsubscribe"}
VALID_POSTS = {"roadmap:topic_status": {"status": "completado"}, "roadmap:note_save": {"body": "x"}}
JUNK_QUERY = "?q=" + "x" * 20_000 + "&tipo=%ff%fe&orden=%00&filtro=%1b[31m&next=//malo.example"


def project_urls(patterns=None, prefix="", namespace=""):
    """(name, route) of every URL of our own apps (not admin's, not allauth's)."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_name, "__name__", str(entry.urlconf_name))
            if entry.namespace == "admin" or module.startswith("allauth"):
                continue  # covered by Django's and allauth's own protections (and tests)
            ns = entry.namespace or namespace
            found += project_urls(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}:{entry.name}", prefix + str(entry.pattern)))
    return found


@pytest.fixture
def world(course, ana, bruno, carla):
    """ana owns a note, learns in bruno's cohort and published her page; carla is an outsider."""
    cohort = Cohort.objects.create(
        name="C", slug="c", start_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    note = Note.objects.create(user=ana, topic=Topic.objects.get(slug=TOPIC.slug), body="privada")
    DigestDelivery.objects.create(cohort=cohort, instructor=bruno, iso_year=2026, iso_week=1)
    PublicProfile.objects.create(user=ana, handle="ana-publica", is_published=True)
    return {"ana": ana, "carla": carla, "bruno": bruno, "cohort": cohort, "note": note}


def restore(world) -> None:
    CohortMembership.objects.get_or_create(cohort=world["cohort"], user=world["ana"])
    note = world["note"]
    Note.objects.get_or_create(
        pk=note.pk, defaults={"user": note.user, "topic": note.topic, "body": note.body}
    )


def fill(route: str, world, valid: bool = True) -> str:
    """A concrete path for a route: real objects when `valid`, unknown ones otherwise."""
    values = {
        "<slug:section_slug>": SECTION.slug if valid else "no-existe",
        "<slug:topic_slug>": TOPIC.slug if valid else "no-existe",
        "<id:pk>": str(world["note"].pk) if valid else "987654321",
        "<slug:slug>": world["cohort"].slug if valid else "no-existe",
        "<id:user_id>": str(world["ana"].pk) if valid else "987654321",
        "<slug:code>": world["cohort"].join_code if valid else "no-existe",
        "<str:token>": unsubscribe_token(world["ana"].pk, NUDGE) if valid else "no-existe",
        "<slug:handle>": "ana-publica" if valid else "no-existe",
    }
    path = "/" + route
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    assert "<" not in path, f"falta un valor para {route}"
    return path


def client_for(user=None, csrf_checks=False) -> Client:
    client = Client(enforce_csrf_checks=csrf_checks)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_is_classified():
    names = {name for name, _route in project_urls()}
    assert names - URLS.keys() == set(), "URL nueva sin clasificar en tests/test_url_sweep.py"
    assert URLS.keys() - names == set(), "URL clasificada que ya no existe"


def test_permission_ladder_over_every_protected_url(world):
    anonymous, outsider = client_for(), client_for(world["carla"])
    owner = {"owner": world["ana"], "instructor": world["bruno"], "learner": world["ana"]}
    for name, route in project_urls():
        methods, access = URLS[name]
        if access == "public":
            continue
        path = fill(route, world)
        method = "get" if "GET" in methods else "post"
        response = getattr(anonymous, method)(path)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith("/accounts/login/?next="), name
        if access in ("owner", "instructor"):
            assert getattr(outsider, method)(path).status_code == 404, name
        restore(world)  # an earlier POST may have removed the membership or the note
        data = VALID_POSTS.get(name, {}) if method == "post" else {}
        allowed = getattr(client_for(owner[access]), method)(path, data)
        assert allowed.status_code in (200, 302), (name, allowed.status_code)


def get_urls_with_their_user(world):
    """(name, path, client) for every GET URL, with the person allowed to open it."""
    who = {"public": "ana", "learner": "ana", "owner": "ana", "instructor": "bruno"}
    for name, route in project_urls():
        methods, access = URLS[name]
        if "GET" in methods:
            yield name, fill(route, world), client_for(world[who[access]])


def test_get_views_answer_head_like_get(world):
    for name, path, client in get_urls_with_their_user(world):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, (name, head.status_code)
        assert head.getvalue() == b"", name  # getvalue(): the CSV is streamed


def test_every_page_and_download_for_a_signed_in_person_is_private_and_not_stored(world):
    for name, path, client in get_urls_with_their_user(world):
        response = client.get(path)
        assert response.status_code in (200, 302), (name, response.status_code)
        cache_control = response.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, (name, cache_control)


def test_every_page_speaks_voseo(world):
    for name, path, client in get_urls_with_their_user(world):
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert_voseo(visible_text(response.content.decode()), name)


def test_the_learner_of_a_cohort_cannot_open_instructor_pages(world):
    learner = client_for(world["ana"])
    for name, route in project_urls():
        methods, access = URLS[name]
        if access == "instructor":
            method = "get" if "GET" in methods else "post"
            assert getattr(learner, method)(fill(route, world)).status_code == 404, name


@pytest.mark.parametrize("who", [None, "ana", "bruno"])
def test_unknown_ids_and_junk_queries_never_give_500(world, who):
    client = client_for(world[who] if who else None)
    for name, route in project_urls():
        methods, _access = URLS[name]
        for valid in (True, False):
            path = fill(route, world, valid)
            if "GET" in methods:
                for url in (path, path + JUNK_QUERY, path + "?q=%00%ff\x7f&tipo=\u202e"):
                    status = client.get(url).status_code
                    assert status < 500, (name, url[:120], status)
                if not valid and "<" in route:
                    assert client.get(path).status_code in (302, 404), (name, path)


PATH_JUNK = ["%00", "99999999999999999999999", "%ff%fe", "a" * 300, "..%2F..%2Fetc", "%E2%80%AE"]


@pytest.mark.parametrize("who", [None, "bruno"])
def test_junk_in_path_segments_never_gives_500(world, who):
    client = client_for(world[who] if who else None)
    for name, route in project_urls():
        methods, _access = URLS[name]
        if "<" not in route:
            continue
        for junk in PATH_JUNK:
            path = re.sub(r"<[^>]+>", junk, "/" + route)
            method = "get" if "GET" in methods else "post"
            status = getattr(client, method)(path).status_code
            assert status < 500, (name, path[:100], status)
            assert status in (302, 404, 405), (name, path[:100], status)


def test_wrong_methods_get_405(world):
    client = client_for(world["bruno"])
    for name, route in project_urls():
        methods, _access = URLS[name]
        path = fill(route, world)
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(path).status_code == 405, (name, method)
        if "GET" not in methods:
            assert client.get(path).status_code == 405, name


def test_posts_without_or_with_a_forged_csrf_token_are_refused(world):
    for user in (world["ana"], world["bruno"]):
        client = client_for(user, csrf_checks=True)
        client.get("/")  # has a CSRF cookie, like a real browser
        for name, route in project_urls():
            methods, _access = URLS[name]
            if "POST" not in methods:
                continue
            if name in CSRF_EXEMPT:
                path = fill(route, world, valid=False)
                assert client.post(path, {"status": "completado"}).status_code == 404, name
                continue
            path = fill(route, world)
            assert client.post(path, {"status": "completado"}).status_code == 403, name
            forged = {"status": "completado", "csrfmiddlewaretoken": "x" * 64}
            assert client.post(path, forged).status_code == 403, name


BAD_BODIES = [
    {},
    {"status": "☃" * 1000, "body": "\x00\x01\x02", "q": "\ufffe\u202e"},
    {"body": "a" * 200_000, "display_name": "n" * 5000, "time_zone": "../../etc/passwd"},
    {"password": "", "next": "javascript:alert(1)"},
    {"status": ["completado", "omitido"], "seccion_1": "2026-02-30"},
]


@pytest.mark.parametrize("who", ["ana", "bruno"])
def test_oversized_and_malformed_posts_never_give_500(world, who):
    client = client_for(world[who])
    for name, route in project_urls():
        methods, _access = URLS[name]
        if "POST" not in methods or name in ("accounts:delete",):
            continue
        for valid in (True, False):
            path = fill(route, world, valid)
            for body in BAD_BODIES:
                status = client.post(path, body).status_code
                assert status < 500, (name, path, status)


def test_raw_non_utf8_body_and_garbage_content_type_never_give_500(world):
    client = client_for(world["ana"])
    for path in [SECTION.topic_url(TOPIC) + "estado/", "/cuenta/perfil/"]:
        response = client.post(path, data=b"\xff\xfe\x00status=\xe9", content_type="text/plain")
        assert response.status_code < 500
        response = client.generic("POST", path, b"\x00" * 10, content_type="multipart/form-data")
        assert response.status_code < 500


def allauth_paths():
    """allauth's parameterless URLs, with junk where a key would go."""
    from django.urls import reverse
    from django.urls.exceptions import NoReverseMatch

    paths = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "accounts/":
            for name in sorted(n for n in entry.reverse_dict if isinstance(n, str)):
                try:
                    paths.append(reverse(name))
                except NoReverseMatch:
                    paths.append(reverse(name, kwargs=KEY_KWARGS.get(name, {"key": "x-y"})))
    return paths


KEY_KWARGS = {"account_reset_password_from_key": {"uidb36": "zz", "key": "no-existe"}}


@pytest.mark.parametrize("who", [None, "ana"])
def test_allauth_pages_survive_junk(world, who):
    client = client_for(world[who] if who else None)
    paths = allauth_paths()
    assert "/accounts/login/" in paths and "/accounts/signup/" in paths
    for path in paths:
        for url in (path, path + JUNK_QUERY):
            assert client.get(url).status_code < 500, url
        assert client.post(path, BAD_BODIES[1]).status_code < 500, path


# --- Hostile text into every text field of every form -------------------------------------
# Every page below is fetched, each of its forms is read from the HTML, and each field (inputs,
# textareas, selects) is filled in turn with the hostile Markdown corpus and junk strings while
# the other fields keep what the page proposed. Never a 500, never a request over 3 s.

JUNK_STRINGS = [
    "\x00",
    "\ufffe\u202e\u200b",
    "☃" * 1000,
    "a" * 200_000,
    "<script>alert(1)</script>{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE roadmap_topic; --",
]
MARKDOWN_FIELDS = {"body", "intro", "acknowledgements", "summary", "description"}
# Form classes of the project and the names of the text fields the crawl must meet for each.
FORM_FIELDS = {
    "SearchForm": {"q"},
    "ResourceFilterForm": {"tipo"},
    "StatusForm": {"status"},
    "NoteForm": {"body"},
    "NoteSearchForm": {"q"},
    "CohortViewForm": {"orden", "filtro", "pagina"},
    "CohortListForm": {"pagina"},  # links, no <form>: its junk values are in test_cohort_pages
    "PacingForm": {"seccion_"},
    "ProfileForm": {"display_name", "time_zone"},
    "PublicProfileForm": {"handle"},
    "DeleteAccountForm": {"password"},
    "SignupForm": {"email", "password1", "password2"},
    "AddEmailForm": {"email"},
    "UserCreationAdminForm": {"email", "password1", "password2"},
    "UserChangeAdminForm": {"email", "display_name"},
    "RenderedMarkdownForm": {"title", "description", "intro", "summary", "acknowledgements"},
}


class _FormReader(HTMLParser):
    """The forms of a page: action, method, and fields with the values the page proposes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "data": {},
                "text": [],
            }
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                self._form["data"].setdefault(attrs["name"], []).append(attrs.get("value", ""))
            if kind in ("text", "email", "url", "search", "password", "date", "number"):
                self._form["text"].append(attrs["name"])
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["data"][self._textarea] = [""]
            self._form["text"].append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
            self._form["data"].setdefault(self._select, [])
            self._form["text"].append(self._select)  # a client can send any string
        elif tag == "option" and self._select and "selected" in attrs:
            self._form["data"][self._select].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self._form["data"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def page_forms(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    reader = _FormReader()
    reader.feed(response.content.decode())
    return [form for form in reader.forms if form["text"] and "logout" not in form["action"]]


def submit(client, path, form, field, value):
    data = {name: list(values) for name, values in form["data"].items()}
    data[field] = [value]
    target = form["action"] or path
    started = time.monotonic()
    if form["method"] == "post":
        response = client.post(target, data)
    else:
        response = client.get(target, {k: v for k, v in data.items() if len(k) < 100})
    elapsed = time.monotonic() - started
    assert response.status_code < 500, (path, field, value[:40], response.status_code)
    assert elapsed < 3.0, (path, field, value[:40], elapsed)
    return response


def payloads_for(field: str) -> list[str]:
    if field in MARKDOWN_FIELDS:
        return [*HOSTILE_MARKDOWN.values(), *JUNK_STRINGS]
    return [HOSTILE_MARKDOWN["unmatched brackets"], *JUNK_STRINGS[:3]]


def sweep_pages(client, paths) -> set[str]:
    seen = set()
    for path in paths:
        for form in page_forms(client, path):
            for field in form["text"]:
                if re.match(r"\w+-([1-9]\d*|__prefix__)-", field):
                    continue  # inline rows after the first have the same fields
                seen.add(field)
                for value in payloads_for(field):
                    submit(client, path, form, field, value)
    return seen


def admin_change_paths() -> list[str]:
    """The change page of one object of every model in the admin, and the user add page."""
    from django.contrib import admin as django_admin
    from django.urls import reverse

    paths = [reverse("admin:accounts_user_add")]
    for model in django_admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"sin objetos para probar {info}"
        paths.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    return paths


def test_every_form_class_is_in_the_hostile_text_sweep():
    import accounts.forms
    import roadmap.catalog.forms
    import roadmap.cohorts.forms
    import roadmap.learning.forms

    FORM_MODULES = (roadmap.catalog.forms, roadmap.learning.forms, roadmap.cohorts.forms)

    defined = {
        name
        for module in (*FORM_MODULES, accounts.forms)
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseForm)
        and value.__module__ == module.__name__
    }
    assert defined == FORM_FIELDS.keys(), "formulario nuevo: sumalo a FORM_FIELDS y al barrido"


def test_hostile_text_in_every_field_of_the_learner_and_instructor_forms(world, superuser):
    cohort = world["cohort"]
    learner_pages = [
        SECTION.topic_url(TOPIC),
        "/buscar/",
        "/recursos/",
        "/mis-notas/",
        "/cuenta/perfil/",
        "/cuenta/perfil-publico/",
        "/cuenta/eliminar/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]
    seen = sweep_pages(client_for(world["ana"]), learner_pages)
    instructor = client_for(world["bruno"])
    instructor_pages = [f"/cohortes/{cohort.slug}/", f"/cohortes/{cohort.slug}/ritmo/"]
    seen |= sweep_pages(instructor, instructor_pages)
    # Parameters that links and buttons (not text inputs) carry.
    by_hand = [
        (instructor, f"/cohortes/{cohort.slug}/", "get", ["orden", "filtro", "pagina"]),
        (instructor, "/recursos/", "get", ["tipo"]),
        (instructor, SECTION.topic_url(TOPIC) + "estado/", "post", ["status"]),
    ]
    for client, path, method, fields in by_hand:
        form = {"action": path, "method": method, "data": {}, "text": fields}
        for field in fields:
            seen.add(field)
            for value in payloads_for(field):
                submit(client, path, form, field, value)
    seen |= sweep_pages(client_for(), ["/accounts/login/", "/accounts/signup/"])
    seen |= sweep_pages(client_for(), ["/accounts/password/reset/"])
    checked = ("SearchForm", "NoteForm", "ProfileForm", "PublicProfileForm", "DeleteAccountForm")
    for form_class in (*checked, "SignupForm"):
        assert FORM_FIELDS[form_class] <= seen, (form_class, seen)
    assert {"orden", "filtro", "pagina", "tipo", "q", "email", "status"} <= seen
    assert any(name.startswith("seccion_") for name in seen)
    assert world["ana"].__class__.objects.filter(pk=world["ana"].pk).exists()


def test_hostile_text_in_every_field_of_every_admin_form(world, superuser):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=world["ana"], email=world["ana"].email, verified=True)
    seen = sweep_pages(client_for(superuser), admin_change_paths())
    for form_class in ("RenderedMarkdownForm", "UserChangeAdminForm", "UserCreationAdminForm"):
        assert FORM_FIELDS[form_class] <= seen, (form_class, FORM_FIELDS[form_class] - seen)
