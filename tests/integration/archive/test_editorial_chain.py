"""Draft → review → published: an officer's change waits for a reviewer, who sees the diff
and approves it; an approved change with a go-live time is published by the task worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from archive.models import CustomPage
from tests.integration.archive.test_roles_world import login, roles_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

NEW_TITLE = "Dệt thổ cẩm Zqours của người Ê Đê"


def submit_change(record, officer, **changes):
    """What the officer's "Submit to Review" does: a revision, then the section's workflow."""
    draft = CustomPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=officer)
    draft.get_workflow().start(draft, officer)
    return WorkflowState.objects.get(object_id=str(record.pk), status="in_progress")


def approve_url(record, state):
    return f"/admin/pages/workflow/action/{record.pk}/approve/{state.current_task_state.pk}/"


def test_officer_submits_reviewer_sees_the_diff_and_approves(client, roles_world):
    world = roles_world
    ours = world.records["ours"]
    state = submit_change(ours, world.users["officer"], title_vi=NEW_TITLE)
    # Nothing public changes yet.
    assert CustomPage.objects.get(pk=ours.pk).title_vi == "Dệt thổ cẩm Zqours"

    # The officer may not approve their own change.
    login(client, world.users["officer"])
    client.post(approve_url(ours, state), {})
    assert WorkflowState.objects.get(pk=state.pk).status == "in_progress"

    login(client, world.users["reviewer"])
    # The reviewer's dashboard lists it, and the comparison shows what changed.
    assert "Zqours" in client.get("/admin/").content.decode()
    compare = client.get(f"/admin/pages/{ours.pk}/revisions/compare/live...latest/")
    assert compare.status_code == 200
    body = compare.content.decode()
    assert "của người Ê Đê" in body and "Dệt thổ cẩm Zqours" in body

    response = client.post(approve_url(ours, state), {})
    assert response.status_code in (200, 302)
    assert WorkflowState.objects.get(pk=state.pk).status == "approved"
    live = CustomPage.objects.get(pk=ours.pk)
    assert live.title_vi == NEW_TITLE and live.live
    client.logout()
    assert NEW_TITLE in client.get(live.url).content.decode()


def test_other_provinces_officer_cannot_review_or_open_the_submission(client, roles_world):
    world = roles_world
    ours = world.records["ours"]
    state = submit_change(ours, world.users["officer"], title_vi=NEW_TITLE)
    login(client, world.users["officer2"])
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 302
    client.post(approve_url(ours, state), {})
    assert WorkflowState.objects.get(pk=state.pk).status == "in_progress"


def test_approved_change_with_a_go_live_time_is_published_by_the_worker(client, roles_world):
    from heritage.tasks import publish_scheduled_task

    world = roles_world
    ours = world.records["ours"]
    go_live = timezone.now() + timedelta(hours=2)
    state = submit_change(ours, world.users["officer"], title_vi=NEW_TITLE, go_live_at=go_live)
    login(client, world.users["reviewer"])
    client.post(approve_url(ours, state), {})
    # Approved and scheduled, not yet published.
    revision = Revision.page_revisions.get(
        object_id=str(ours.pk), approved_go_live_at__isnull=False
    )
    assert CustomPage.objects.get(pk=ours.pk).title_vi == "Dệt thổ cẩm Zqours"
    publish_scheduled_task.call()
    assert CustomPage.objects.get(pk=ours.pk).title_vi == "Dệt thổ cẩm Zqours"
    # Two hours later (the times moved back rather than waited for), the worker publishes.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    publish_scheduled_task.call()
    assert CustomPage.objects.get(pk=ours.pk).title_vi == NEW_TITLE


def test_reviewer_sets_an_expiry_and_the_worker_unpublishes(roles_world):
    from heritage.tasks import publish_scheduled_task

    ours = roles_world.records["ours"]
    CustomPage.objects.filter(pk=ours.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    publish_scheduled_task.call()
    page = CustomPage.objects.get(pk=ours.pk)
    assert not page.live and page.expired


def test_comments_are_on_in_the_record_editor(client, roles_world):
    """Reviewers and officers discuss a change on the record itself (Wagtail comments)."""
    login(client, roles_world.users["reviewer"])
    body = client.get(f"/admin/pages/{roles_world.records['ours'].pk}/edit/").content.decode()
    assert 'data-w-init-event-value="w-comments:init"' in body
