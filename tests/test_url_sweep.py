"""Sweeps generated from the URL conf, so a new view cannot forget its protections.

- every URL of the project's apps is classified below: an unclassified one fails the suite;
- the permission ladder runs over every protected URL;
- bad input (unknown ids, wrong methods, missing or forged CSRF, oversized, malformed, control and
  non-UTF-8 characters, huge query strings) never produces a 500.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from roadmap.models import Cohort, CohortMembership, Note, Topic

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
    "roadmap:cohort_join": ({"GET", "POST"}, "learner"),
    "roadmap:topic_status": ({"POST"}, "learner"),
    "roadmap:note_save": ({"POST"}, "learner"),
    "roadmap:my_progress": ({"GET"}, "learner"),
    "roadmap:note_list": ({"GET"}, "learner"),
    "roadmap:note_detail": ({"GET"}, "owner"),
    "roadmap:note_delete": ({"POST"}, "owner"),
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
}
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
    """ana owns a note and learns in bruno's cohort; carla is an outsider."""
    cohort = Cohort.objects.create(
        name="C", slug="c", start_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    CohortMembership.objects.create(cohort=cohort, user=bruno, role="instructor")
    CohortMembership.objects.create(cohort=cohort, user=ana)
    note = Note.objects.create(user=ana, topic=Topic.objects.get(slug="lora"), body="privada")
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
        "<slug:section_slug>": "ajuste-fino-supervisado" if valid else "no-existe",
        "<slug:topic_slug>": "lora" if valid else "no-existe",
        "<id:pk>": str(world["note"].pk) if valid else "987654321",
        "<slug:slug>": world["cohort"].slug if valid else "no-existe",
        "<id:user_id>": str(world["ana"].pk) if valid else "987654321",
        "<slug:code>": world["cohort"].join_code if valid else "no-existe",
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
    for path in ["/secciones/ajuste-fino-supervisado/lora/estado/", "/cuenta/perfil/"]:
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
