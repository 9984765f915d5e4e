"""The audit log: what is recorded, that it cannot be changed, and how officers search and
export it (Wagtail's own log entries and the archive's, merged)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from archive.audit_events import record_event
from archive.models import CustomPage, RecordPage
from heritage.audit.actions import ACCESS_CHANGED, AUDIT_EXPORTED
from heritage.audit.models import AuditEntry, AuditEntryRefused
from tests.factories import admin_in_english, make_record, make_user

pytestmark = pytest.mark.django_db

ADMIN = ["wagtailadmin.access_admin"]
READER = [*ADMIN, "heritage.view_auditentry"]
OFFICER = [
    *ADMIN,
    "archive.change_recordpage",
    "archive.view_closed_records",
    "archive.view_restricted_records",
]


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_entries_cannot_be_changed_or_deleted_by_the_orm_or_the_admin(client):
    record = make_record(CustomPage, "Tục cúng rừng")
    record_event("import", user=make_user("importer"), obj=record, rows=3)
    entry = AuditEntry.objects.get()
    entry.action = "nothing-happened"
    with pytest.raises(AuditEntryRefused):
        entry.save()
    with pytest.raises(AuditEntryRefused):
        entry.delete()
    with pytest.raises(AuditEntryRefused):
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing-happened")
    with pytest.raises(AuditEntryRefused):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "import"

    # No edit or delete URL exists in the admin, and the snippet URLs are not there.
    for name in ("edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"dss_audit:{name}", args=[entry.pk])
        with pytest.raises(NoReverseMatch):
            reverse(f"wagtailsnippets_heritage_auditentry:{name}", args=[entry.pk])
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    assert client.get(f"/admin/snippets/heritage/auditentry/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/audit-log/{entry.pk}/delete/").status_code == 404
    page = client.get("/admin/audit-log/").content.decode()
    assert "Tục cúng rừng" in page
    assert "/delete" not in page.split('id="main"')[-1]


def test_access_change_is_logged_with_who_and_merged_with_wagtails_publish(client):
    officer = make_user("can-bo", is_superuser=True)
    record = make_record(CustomPage, "Lễ cấp sắc", access_level="public")
    # Publish as the admin does: its views run inside a log context naming the user.
    from wagtail.log_actions import LogContext

    draft = RecordPage.objects.get(pk=record.pk).specific
    draft.access_level = "closed"
    with LogContext(user=officer):
        draft.save_revision(user=officer).publish(user=officer)
    assert RecordPage.objects.get(pk=record.pk).access_level == "closed"
    entry = AuditEntry.objects.get(action=ACCESS_CHANGED)
    assert entry.user == officer and entry.record_id == record.pk
    assert entry.accession_number == record.accession_number
    assert entry.detail["changed"]["access_level"] == ["public", "closed"]

    reader = make_user("hoi-dong", perms=READER)
    client.force_login(admin_in_english(reader))
    rows = read_csv(client.get("/admin/audit-log/audit-log.csv", {"record": "le cap sac"}))
    actions = [row["Action code"] for row in rows]
    assert ACCESS_CHANGED in actions and "wagtail.publish" in actions
    assert {row["Person"] for row in rows if row["Action code"] == ACCESS_CHANGED} == {"can-bo"}


def test_officers_search_by_person_record_action_and_dates_and_export(client):
    an = make_user("an", first_name="Nguyễn Văn An")
    binh = make_user("binh")
    gong = make_record(CustomPage, "Nghề đúc đồng")
    dance = make_record(CustomPage, "Múa xoè")
    record_event("import", user=an, obj=gong, rows=300)
    record_event("export", user=binh, obj=dance, rows=10)
    record_event("export", user=an, obj=None, rows=5000)
    old = AuditEntry.objects.create(action="import", username="an", label="older")
    # Rows are append-only; the test moves one entry back in time at the SQL level.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET timestamp = %s WHERE id = %s",
            [timezone.now() - timedelta(days=40), old.pk],
        )

    client.force_login(admin_in_english(make_user("doc", perms=READER)))
    index = "/admin/audit-log/"

    def labels(**query):
        response = client.get(index, query)
        assert response.status_code == 200
        return [(row.person, row.action, row.label) for row in response.context["rows"]]

    assert ("an", "import", "Nghề đúc đồng") in labels(person="Văn An")
    assert {p for p, _a, _l in labels(person="binh")} == {"binh"}
    # Record: by title without tones, or by accession number.
    assert {lbl for _p, a, lbl in labels(record="nghe duc dong") if a == "import"} == {
        "Nghề đúc đồng"
    }
    by_accession = labels(record=dance.accession_number, action="export")
    assert by_accession == [("binh", "export", "Múa xoè")]
    assert {a for _p, a, _l in labels(action="export")} == {"export"}
    today = timezone.localdate()
    recent = labels(action="import", since=(today - timedelta(days=7)).isoformat())
    assert [lbl for _p, _a, lbl in recent] == ["Nghề đúc đồng"]
    older = labels(action="import", until=(today - timedelta(days=30)).isoformat())
    assert [lbl for _p, _a, lbl in older] == ["older"]
    # A reversed range is a clear error, not an empty list.
    response = client.get(index, {"since": today.isoformat(), "until": "2020-01-01"})
    assert "The start date is after the end date." in response.content.decode()

    rows = read_csv(client.get("/admin/audit-log/audit-log.csv", {"person": "an"}))
    assert {(r["Person"], r["Action code"]) for r in rows} >= {("an", "import"), ("an", "export")}
    assert all(r["Person"] == "an" for r in rows)
    # Exporting the trail is itself on the trail.
    assert AuditEntry.objects.filter(action=AUDIT_EXPORTED, username="doc").exists()


def test_only_officers_reach_the_audit_log(client):
    assert client.get("/admin/audit-log/").status_code == 302  # sent to sign in
    client.force_login(make_user("visitor"))
    assert client.get("/admin/audit-log/").status_code == 302
    # An admin account without an officer's role: Wagtail sends it back to the dashboard.
    client.force_login(make_user("teacher", perms=ADMIN))
    for url in ("/admin/audit-log/", "/admin/audit-log/audit-log.csv"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    for perms in (READER, OFFICER):
        client.force_login(make_user(perms=perms))
        assert client.get("/admin/audit-log/").status_code == 200
