"""Resources attached to topics: edited in the admin, proposed, decided by editors."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from conftest import PASSWORD
from roadmap.catalog.proposals import (
    AttachmentProposal,
    find_matches,
    propose_attachments,
    title_words,
)
from roadmap.models import Reference, Resource, Topic
from tests.course_factory import (
    COURSE,
    NOTEBOOK,
    OTHER_TOPIC,
    REFERENCE,
    SECTION,
    TOPIC,
    UNPUBLISHED_REFERENCE,
    VIDEO,
)

pytestmark = pytest.mark.django_db

URL = SECTION.topic_url(TOPIC)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edi@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editores de contenido"))
    return user


def doppler() -> Topic:
    return Topic.objects.get(slug=TOPIC.slug)


def reference_form(reference: Reference, **changes) -> dict:
    data = {
        "section": reference.section_id,
        "slug": reference.slug,
        "title": reference.title,
        "url": reference.url,
        "author": reference.author,
        "description": reference.description,
        "kind": reference.kind,
        "order": reference.order,
        "is_published": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def proposal_for(item) -> AttachmentProposal:
    field = "reference" if isinstance(item, Reference) else "resource"
    return AttachmentProposal.objects.get(**{field: item}, topic=doppler())


# --- The admin ----------------------------------------------------------------------------


def test_an_editor_attaches_a_reference_to_topics_in_the_admin(client, editor, course):
    client.force_login(editor)
    reference = Reference.objects.get(slug=REFERENCE.slug)
    url = reverse("admin:roadmap_reference_change", args=[reference.pk])
    html = client.get(url).content.decode()
    assert 'name="topics"' in html and "admin-autocomplete" in html
    topics = [doppler().pk, Topic.objects.get(slug=OTHER_TOPIC.slug).pk]
    response = client.post(url, reference_form(reference, topics=topics))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(reference.topics.values_list("pk", flat=True)) == set(topics)
    own = client.get(URL).content.decode().split('id="titulo-recursos-del-tema"')[1]
    assert REFERENCE.title in own.split("</section>")[0]


def test_the_topics_autocomplete_finds_topics_by_title(client, editor, course):
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": TOPIC.title.split()[-1],
            "app_label": "roadmap",
            "model_name": "reference",
            "field_name": "topics",
        },
    )
    assert response.status_code == 200
    assert TOPIC.title in [result["text"] for result in response.json()["results"]]


def test_an_editor_attaches_a_video_in_the_admin(client, editor, course):
    client.force_login(editor)
    video = Resource.objects.get(slug=VIDEO.slug)
    data = {
        "group": video.group_id,
        "slug": video.slug,
        "title": video.title,
        "url": video.url,
        "description": video.description,
        "article_url": video.article_url,
        "article_label": video.article_label,
        "order": video.order,
        "is_published": "on",
        "topics": [doppler().pk],
    }
    url = reverse("admin:roadmap_resource_change", args=[video.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert VIDEO.title in client.get(URL).content.decode()


@pytest.mark.parametrize("junk", ["id", "\x00", "99999999999999999999999", "-1"])
def test_junk_in_the_topics_field_is_a_form_error_not_a_500(client, superuser, course, junk):
    client.force_login(superuser)
    reference = Reference.objects.get(slug=REFERENCE.slug)
    url = reverse("admin:roadmap_reference_change", args=[reference.pk])
    response = client.post(url, reference_form(reference, topics=[junk]))
    assert response.status_code == 200
    assert "topics" in response.context["adminform"].form.errors


def test_the_topic_admin_lists_what_is_attached(client, editor, course):
    client.force_login(editor)
    html = client.get(reverse("admin:roadmap_topic_change", args=[doppler().pk])).content.decode()
    assert "Recursos de este tema" in html
    assert NOTEBOOK.title in html


# --- Proposals ----------------------------------------------------------------------------


def test_the_matcher_proposes_by_title_words_within_the_section():
    assert title_words("¿Qué es el Efecto Doppler?") == {"efecto", "doppler"}
    assert title_words("Mistral-7b con DPO") == {"mistral", "7b", "dpo"}


def test_the_course_comes_with_its_proposals(course):
    """The synthetic course is proposed as an import would (tests/course_factory.py)."""
    assert title_words(TOPIC.title) <= title_words(REFERENCE.title)
    proposal = proposal_for(Reference.objects.get(slug=REFERENCE.slug))
    assert proposal.status == AttachmentProposal.Status.PENDING
    assert proposal.reason.startswith("título:")
    assert not AttachmentProposal.objects.filter(resource__slug=NOTEBOOK.slug).exists()  # attached
    assert not AttachmentProposal.objects.filter(reference__slug=UNPUBLISHED_REFERENCE.slug)
    assert propose_attachments() == []  # nothing new: proposing twice changes nothing


def test_a_reference_matches_only_topics_of_its_own_section(course):
    topics = list(Topic.objects.published())
    references = list(Reference.objects.published())
    for match in find_matches(topics, references, []):
        assert match.item.section_id == match.topic.section_id


def test_a_same_link_is_proposed(course):
    topic = doppler()
    Resource.objects.filter(slug=VIDEO.slug).update(url=topic.url + "/")
    matches = find_matches([topic], [], [Resource.objects.get(slug=VIDEO.slug)])
    assert [m.reason for m in matches] == ["mismo enlace"]


def test_an_editor_accepts_a_proposal_from_the_list(client, editor, course):
    client.force_login(editor)
    proposal = proposal_for(Reference.objects.get(slug=REFERENCE.slug))
    changelist = reverse("admin:roadmap_attachmentproposal_changelist")
    html = client.get(changelist, {"status__exact": "propuesta"}).content.decode()
    assert REFERENCE.title in html and TOPIC.title in html
    response = client.post(
        changelist, {"action": "accept", "_selected_action": [proposal.pk]}, follow=True
    )
    assert "Adjuntados: 1." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == AttachmentProposal.Status.ACCEPTED and proposal.decided_at
    assert doppler() in Reference.objects.get(slug=REFERENCE.slug).topics.all()
    own = client.get(URL).content.decode().split('id="titulo-recursos-del-tema"')[1]
    assert REFERENCE.title in own.split("</section>")[0]  # on the page at once


def test_a_rejected_proposal_is_not_proposed_again(client, editor, course):
    client.force_login(editor)
    reference = Reference.objects.get(slug=REFERENCE.slug)
    proposal = proposal_for(reference)
    changelist = reverse("admin:roadmap_attachmentproposal_changelist")
    client.post(changelist, {"action": "reject", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == AttachmentProposal.Status.REJECTED
    assert not reference.topics.exists()
    assert propose_attachments() == []
    assert REFERENCE.title not in client.get(URL).content.decode().split("titulo-referencias")[0]


def test_nobody_adds_a_proposal_by_hand(client, superuser, course):
    client.force_login(superuser)
    assert client.get(reverse("admin:roadmap_attachmentproposal_add")).status_code == 403


def test_a_detached_resource_is_not_proposed_again_after_an_editors_decision(course):
    """Attaching by hand then detaching is a decision too only once proposed: a resource never
    proposed comes back as a proposal, never as an attachment."""
    notebook = Resource.objects.get(slug=NOTEBOOK.slug)
    notebook.topics.clear()
    assert not notebook.topics.exists()
    propose_attachments()
    assert not notebook.topics.exists()  # proposals never attach anything


def test_the_course_facts_list_what_each_topic_page_shows(course):
    attached = COURSE.attached_to(TOPIC)
    assert [spec.title for spec in attached] == [NOTEBOOK.title]
