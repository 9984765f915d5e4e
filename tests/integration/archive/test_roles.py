"""Roles by province: an officer of one province is refused every admin door to another
province's record, and does not even see it listed; the roles' rights are made by
``setup_roles`` and stay the same when it runs again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import GroupPagePermission, WorkflowPage

from archive import permissions
from archive.services import roles
from tests.integration.archive.test_roles_world import (  # noqa: F401
    edit_form_data,
    login,
    roles_world_fixture,
)

pytestmark = pytest.mark.django_db


def page_doors(record):
    """Every Wagtail page URL that acts on or shows one record."""
    pk = record.pk
    revision = record.get_latest_revision()
    return {
        "edit": f"/admin/pages/{pk}/edit/",
        "preview": f"/admin/pages/{pk}/edit/preview/",
        "view-draft": f"/admin/pages/{pk}/view_draft/",
        "move": f"/admin/pages/{pk}/move/",
        "copy": f"/admin/pages/{pk}/copy/",
        "delete": f"/admin/pages/{pk}/delete/",
        "unpublish": f"/admin/pages/{pk}/unpublish/",
        "history": f"/admin/pages/{pk}/history/",
        "revisions": f"/admin/pages/{pk}/revisions/",
        "revision": f"/admin/pages/{pk}/revisions/{revision.pk}/view/",
        "compare": f"/admin/pages/{pk}/revisions/compare/earliest...latest/",
        "privacy": f"/admin/pages/{pk}/privacy/",
        "usage": f"/admin/pages/{pk}/usage/",
        "workflow-history": f"/admin/pages/{pk}/workflow_history/",
    }


POSTS = ("delete", "unpublish", "copy")


def test_officer_is_refused_another_provinces_record_at_every_door(client, roles_world):
    world = roles_world
    login(client, world.users["officer"])
    for key in ("theirs", "secret"):
        record = world.records[key]
        for name, url in page_doors(record).items():
            response = client.get(url)
            body = response.content.decode()
            assert response.status_code in (302, 403, 404), (key, name, response.status_code)
            assert "Zq" + key not in body, (key, name)
        for name in POSTS:
            response = client.post(page_doors(record)[name], {"new_title": "x", "new_slug": "x"})
            assert response.status_code in (302, 403, 404), (key, name)
        for name in ("lock", "unlock"):
            client.post(f"/admin/pages/{record.pk}/{name}/")
    # Nothing happened to them.
    for key in ("theirs", "secret"):
        record = type(world.records[key]).objects.get(pk=world.records[key].pk)
        assert record.live and record.locked is False
    assert type(world.records["theirs"]).objects.filter(slug="x").count() == 0


def test_officer_opens_their_own_provinces_records(client, roles_world):
    """The same doors open for the officer's own records, and for one described under a
    former province that is now part of their unit (Phú Yên, now Đắk Lắk)."""
    world = roles_world
    login(client, world.users["officer"])
    for key in ("ours", "former"):
        record = world.records[key]
        # (Moving needs the delete right, which officers do not hold: Wagtail's rule.)
        for name in ("edit", "history", "revision", "compare", "preview", "copy"):
            response = client.get(page_doors(record)[name])
            assert response.status_code == 200, (key, name, response.status_code)
        assert "Zq" + key in client.get(page_doors(record)["edit"]).content.decode()


def test_other_provinces_records_are_not_listed_for_the_officer(client, roles_world):
    world = roles_world
    login(client, world.users["officer"])
    section = world.records["ours"].get_parent()
    listings = {
        "explorer": f"/admin/pages/{section.pk}/",
        "search": "/admin/pages/search/?q=Zq",
        "chooser": "/admin/choose-page/search/?q=Zq",
        "chooser-browse": f"/admin/choose-page/{section.pk}/",
        "dashboard": "/admin/",
    }
    for name, url in listings.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        assert "Zqsecret" not in body and "Zqtheirs" not in body, name
        if name != "dashboard":
            assert "Zqours" in body, name
    # The other province's officer sees theirs and not ours.
    login(client, world.users["officer2"])
    body = client.get("/admin/pages/search/?q=Zq").content.decode()
    assert "Zqsecret" in body and "Zqtheirs" in body and "Zqours" not in body


def test_permission_rules_answer_the_same_as_the_admin(roles_world):
    world = roles_world
    officer, reviewer = world.users["officer"], world.users["reviewer"]
    editable = set(permissions.editable_records(officer).values_list("slug", flat=True))
    assert editable == {"ours", "former"}
    assert permissions.can_edit_record(officer, world.records["ours"])
    assert not permissions.can_edit_record(officer, world.records["theirs"])
    # Officers do not publish; reviewers do, everywhere.
    assert not permissions.can_publish(officer, world.records["ours"])
    assert permissions.can_publish(reviewer, world.records["theirs"])
    assert set(permissions.publishable_records(reviewer).values_list("slug", flat=True)) >= {
        "ours",
        "theirs",
        "secret",
    }
    # Exports: another province's public record yes, its restricted one never.
    exportable = set(permissions.exportable_records(officer).values_list("slug", flat=True))
    assert {"ours", "former", "theirs"} <= exportable and "secret" not in exportable
    officer2 = world.users["officer2"]
    assert "secret" in set(permissions.exportable_records(officer2).values_list("slug", flat=True))


def test_teacher_cannot_open_records_edit_views(client, roles_world):
    world = roles_world
    login(client, world.users["teacher"])
    response = client.get(f"/admin/pages/{world.records['ours'].pk}/edit/")
    assert response.status_code == 302 and "Zqours" not in response.content.decode()
    # ... and is where the teachers' tools are: lesson packs.
    from archive.services.lesson_packs import can_create_packs

    assert can_create_packs(world.users["teacher"])
    assert not can_create_packs(world.users["officer"])


def test_setup_roles_gives_each_role_its_rights_and_is_idempotent(roles_world):
    again = roles.setup_roles()
    assert again.changes == 0
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLE_NAMES) <= names
    officers = Group.objects.get(name=roles.PROVINCIAL_OFFICERS)
    reviewers = Group.objects.get(name=roles.REVIEWERS)
    officer_page_perms = set(
        GroupPagePermission.objects.filter(group=officers).values_list(
            "permission__codename", flat=True
        )
    )
    assert "change_page" in officer_page_perms and "publish_page" not in officer_page_perms
    assert GroupPagePermission.objects.filter(
        group=reviewers, permission__codename="publish_page"
    ).exists()
    officer = roles_world.users["officer"]
    assert officer.has_perm("wagtailadmin.access_admin")
    assert not officer.has_perm("archive.add_lessonpack")
    assert not officer.has_perm("archive.decide_access_requests")
    teacher = roles_world.users["teacher"]
    assert not teacher.has_perm("wagtailadmin.access_admin")
    assert teacher.has_perm("archive.add_lessonpack")
    # Every records section goes through the review workflow.
    sections = {wp.page.slug for wp in WorkflowPage.objects.select_related("page", "workflow")}
    assert set(roles.RECORD_SECTIONS) <= sections
    with translation.override("en"):
        assert roles.role_label(roles.PROVINCIAL_OFFICERS) == "Provincial officer"
    with translation.override("vi"):
        assert roles.role_label(roles.PROVINCIAL_OFFICERS) != "Provincial officer"


def test_setup_roles_command_puts_back_a_right_taken_by_hand(roles_world):
    from io import StringIO

    from django.core.management import call_command

    officers = Group.objects.get(name=roles.PROVINCIAL_OFFICERS)
    GroupPagePermission.objects.filter(group=officers).delete()
    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert GroupPagePermission.objects.filter(group=officers).exists()
    assert out.getvalue().strip()  # the summary line (in the active language)


def test_officer_cannot_move_a_record_out_of_their_units_by_editing_it(client, roles_world):
    """Re-tagging one's own record with another province only is refused, with a sentence
    that says why; tagging it with one's unit (and another) is fine."""
    world = roles_world
    officer, ours = world.users["officer"], world.records["ours"]
    login(client, officer)
    url = f"/admin/pages/{ours.pk}/edit/"
    data = edit_form_data(ours, officer)
    response = client.post(url, {**data, "provinces": [str(world.provinces["lao_cai"].pk)]})
    assert response.status_code == 200
    assert "You work for Đắk Lắk" in response.content.decode()
    assert permissions.can_edit_record(officer, ours)
    both = [str(world.provinces["lao_cai"].pk), str(world.provinces["dak_lak"].pk)]
    response = client.post(url, {**data, "provinces": both, "title_vi": "Dệt Zqours mới"})
    assert response.status_code == 302
    draft = type(ours).objects.get(pk=ours.pk).get_latest_revision_as_object()
    assert draft.title_vi == "Dệt Zqours mới"


def test_community_liaison_decides_their_communitys_requests_only(client, roles_world):
    """The liaison role (setup_roles) rests on the access-request service: a liaison who
    belongs to the community a record names decides its requests; another does not."""
    from archive.models import AccessRequest
    from archive.services import access_requests
    from tests.factories import make_auth_group, make_user

    world = roles_world
    liaisons = Group.objects.get(name=roles.LIAISONS)
    community = Group.objects.get(name="Community: Hmông Lào Cai")
    ours_liaison = make_user("liaison-hmong", groups=[liaisons, community])
    other_liaison = make_user("liaison-other", groups=[liaisons, make_auth_group("Community: x")])
    visitor = make_user("visitor-x", groups=[Group.objects.get(name=roles.REGISTERED_VISITORS)])
    request = AccessRequest.objects.create(
        user=visitor, record=world.records["secret"], reason="Nghiên cứu"
    )
    assert access_requests.can_decide(ours_liaison, request)
    assert not access_requests.can_decide(other_liaison, request)
    assert ours_liaison.has_perm("archive.add_consentrecord")
    assert not ours_liaison.has_perm("archive.decide_access_requests")
    login(client, ours_liaison)
    assert "Zqsecret" in client.get("/vi/access/queue/").content.decode()
    login(client, other_liaison)
    assert "Zqsecret" not in client.get("/vi/access/queue/").content.decode()


def test_role_and_unit_changes_go_to_the_audit_trail(roles_world):
    from archive.audit_events import audit_event
    from archive.models import UnitAssignment

    seen = []

    def receiver(sender, user, action, obj, detail, **kwargs):
        seen.append((action, str(obj)))

    audit_event.connect(receiver, weak=False)
    try:
        officer = roles_world.users["officer"]
        assignment = UnitAssignment.objects.create(
            user=officer, province=roles_world.provinces["lao_cai"]
        )
        assignment.delete()
        officer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    finally:
        audit_event.disconnect(receiver)
    assert seen == [
        ("unit-assigned", "officer-dl"),
        ("unit-unassigned", "officer-dl"),
        ("role-added", "officer-dl"),
    ]


def test_officers_cannot_give_themselves_a_unit(client, roles_world):
    """Unit assignments are the administrators' (a snippet officers hold no right on)."""
    from tests.factories import make_user

    officer = roles_world.users["officer"]
    assert not officer.has_perm("archive.add_unitassignment")
    assert not officer.has_perm("archive.change_unitassignment")
    login(client, officer)
    assert client.get("/admin/snippets/archive/unitassignment/add/").status_code == 302
    admin = make_user(
        "admin-x", is_staff=True, groups=[Group.objects.get(name=roles.ADMINISTRATORS)]
    )
    login(client, admin)
    assert client.get("/admin/snippets/archive/unitassignment/add/").status_code == 200
    listing = client.get("/admin/snippets/archive/unitassignment/").content.decode()
    assert "officer-dl" in listing and "officer-lc" in listing
