"""An editor changes a topic in Django admin (under the site's strict CSP) and sees it live."""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_edits_a_topic_and_sees_it_on_the_site(page, site):
    editor = User.objects.create_user("edi@example.com", PASSWORD, is_staff=True)
    # Transactional tests flush the data migration's group: give the editor topic rights again.
    group, _ = Group.objects.get_or_create(name="Editores de contenido")
    editor.groups.add(group)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="roadmap", codename__endswith="topic")
    )
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # The admin's login sends to the site's (allauth: same rate limits) and back to the admin.
    page.goto(site + "/admin/roadmap/topic/?q=lora")
    page.locator("#id_login").fill("edi@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(site + "/admin/roadmap/topic/?q=lora")
    page.get_by_role("link", name="LoRA", exact=True).click()
    page.locator("#id_description").fill("Adaptadores de **rango bajo**, explicado de nuevo.")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    page.goto(site + "/secciones/ajuste-fino-supervisado/lora/")
    assert page.locator(".lead strong").inner_text() == "rango bajo"
    assert not [e for e in errors if "Content Security Policy" in e], errors
