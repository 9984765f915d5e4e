"""Bulk actions on records (page explorer and search): each asks the permissions, tells
the audit trail, and never names another province's records."""

from __future__ import annotations

import pytest
from wagtail.models import WorkflowState

from archive.audit_events import audit_event
from archive.models import CollectionPage, CustomPage, Protocol
from heritage.site_setup import ensure_site_tree, section
from tests.integration.archive.test_roles_world import login, roles_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    seen = []

    def receiver(sender, user, action, obj, detail, **kwargs):
        seen.append((action, getattr(user, "username", None), getattr(obj, "slug", None)))

    audit_event.connect(receiver, weak=False)
    yield seen
    audit_event.disconnect(receiver)


def bulk_url(action, *records):
    ids = "&".join(f"id={r.pk}" for r in records)
    return f"/admin/bulk/wagtailcore/page/{action}/?{ids}&next=/admin/"


def fresh(record):
    return CustomPage.objects.get(pk=record.pk)


def test_confirmation_counts_but_never_names_other_provinces_records(client, roles_world):
    world = roles_world
    login(client, world.users["officer"])
    chosen = [world.records[k] for k in ("ours", "theirs", "secret")]
    for action in ("set_access_level", "set_protocols", "send_to_review", "publish", "unpublish"):
        response = client.get(bulk_url(action, *chosen))
        body = response.content.decode()
        assert response.status_code == 200, action
        assert "Zqtheirs" not in body and "Zqsecret" not in body, action
        assert "2 selected items are outside your provincial units" in body, action


def test_officer_sets_access_level_as_a_draft_of_their_own_records_only(
    client, roles_world, events
):
    world = roles_world
    login(client, world.users["officer"])
    ours, theirs = world.records["ours"], world.records["theirs"]
    response = client.post(
        bulk_url("set_access_level", ours, theirs), {"access_level": "registered"}
    )
    assert response.status_code == 302
    # Officers do not publish: the change waits in a draft for review.
    assert fresh(ours).access_level == "public"
    assert fresh(ours).get_latest_revision_as_object().access_level == "registered"
    assert fresh(ours).has_unpublished_changes
    assert fresh(theirs).get_latest_revision_as_object().access_level == "public"
    assert events == [("bulk-set-access-level", "officer-dl", "ours")]


def test_reviewer_sets_access_level_and_protocols_published_at_once(client, roles_world, events):
    world = roles_world
    login(client, world.users["reviewer"])
    ours, theirs = world.records["ours"], world.records["theirs"]
    client.post(bulk_url("set_access_level", ours, theirs), {"access_level": "registered"})
    assert fresh(ours).access_level == "registered" and fresh(theirs).access_level == "registered"
    protocol = Protocol.objects.create(
        name_vi="Chỉ nam giới", name_en="Men only", kind="registered"
    )
    client.post(
        bulk_url("set_protocols", ours), {"protocols": [protocol.pk], "protocol_mode": "any"}
    )
    live = fresh(ours)
    assert [link.protocol_id for link in live.protocol_links.all()] == [protocol.pk]
    assert live.protocol_mode == "any"
    # ... and the public site follows: a registered-only record is gone for anonymous visitors.
    client.logout()
    assert client.get(live.url).status_code == 404
    assert [e[0] for e in events] == [
        "bulk-set-access-level",
        "bulk-set-access-level",
        "bulk-set-protocols",
    ]


def test_add_to_collection(client, roles_world, events):
    world = roles_world
    home = ensure_site_tree()
    collection = CollectionPage(title_vi="Bộ sưu tập Tây Nguyên", slug="tay-nguyen")
    section(home, "collections").add_child(instance=collection)
    collection.save_revision().publish()
    login(client, world.users["reviewer"])
    ours, former = world.records["ours"], world.records["former"]
    response = client.post(
        bulk_url("add_to_collection", ours, former), {"collection": collection.pk}
    )
    assert response.status_code == 302
    live = CollectionPage.objects.get(pk=collection.pk)
    assert [item.record_id for item in live.items.all()] == [ours.pk, former.pk]
    assert {e[0] for e in events} == {"bulk-add-to-collection"}
    # Visitors see them in the collection.
    client.logout()
    assert "Zqours" in client.get(live.url).content.decode()


def test_officer_sends_own_records_to_review(client, roles_world, events):
    world = roles_world
    login(client, world.users["officer"])
    ours, theirs = world.records["ours"], world.records["theirs"]
    response = client.post(bulk_url("send_to_review", ours, theirs))
    assert response.status_code == 302
    in_review = set(
        WorkflowState.objects.filter(status="in_progress").values_list("object_id", flat=True)
    )
    assert in_review == {str(ours.pk)}
    assert events == [("bulk-send-to-review", "officer-dl", "ours")]


def test_publish_only_for_those_who_may(client, roles_world, events):
    world = roles_world
    ours = world.records["ours"]
    draft = fresh(ours)
    draft.title_vi = "Dệt thổ cẩm Zqours (sửa)"
    draft.save_revision()
    login(client, world.users["officer"])
    response = client.get(bulk_url("publish", ours))
    # Listed among the pages they may not publish (their own record: its title may show).
    assert "Zqours" in response.content.decode()
    client.post(bulk_url("publish", ours), {"include_descendants": ""})
    assert fresh(ours).title_vi == "Dệt thổ cẩm Zqours"
    assert events == []
    login(client, world.users["reviewer"])
    client.post(bulk_url("publish", ours), {"include_descendants": ""})
    assert fresh(ours).title_vi == "Dệt thổ cẩm Zqours (sửa)"
    assert events == [("bulk-publish", "reviewer", "ours")]


def test_unpublish_only_for_those_who_may(client, roles_world, events):
    world = roles_world
    theirs = world.records["theirs"]
    login(client, world.users["officer2"])  # Lào Cai's officer: their record, but no publishing
    client.post(bulk_url("unpublish", theirs), {"include_descendants": ""})
    assert fresh(theirs).live
    login(client, world.users["reviewer"])
    client.post(bulk_url("unpublish", theirs), {"include_descendants": ""})
    assert not fresh(theirs).live
    assert events == [("bulk-unpublish", "reviewer", "theirs")]
    client.logout()
    assert client.get(world.records["theirs"].url).status_code == 404
