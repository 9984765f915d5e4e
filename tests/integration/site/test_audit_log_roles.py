"""The audit log with the real roles (``setup_roles``): a provincial officer reads the
entries of their own units' records and their own actions, never another province's; a
reviewer reads everything."""

import pytest

from archive.audit_events import record_event
from tests.integration.archive.test_roles_world import build_world, login

pytestmark = pytest.mark.django_db


def test_officers_read_their_units_entries_and_reviewers_read_all(client):
    world = build_world()
    records, users = world.records, world.users
    record_event("export", user=users["officer2"], obj=records["theirs"], rows=1)
    record_event("import", user=users["officer"], obj=None, sheet="field-trip.xlsx")

    def seen(user):
        login(client, user)
        response = client.get("/admin/audit-log/")
        assert response.status_code == 200
        text = response.content.decode()
        csv_text = b"".join(client.get("/admin/audit-log/audit-log.csv").streaming_content)
        return text, csv_text.decode()

    page, csv_text = seen(users["officer"])
    for text in (page, csv_text):
        assert "Zqours" in text and "Zqformer" in text  # former province, now Đắk Lắk
        assert "Zqtheirs" not in text and "Zqsecret" not in text
    assert "field-trip.xlsx" in csv_text  # their own import, which names no record
    for text in seen(users["reviewer"]):
        assert all(f"Zq{key}" in text for key in ("ours", "former", "theirs", "secret"))
    # Searching for another province's record by its title finds nothing for the officer.
    login(client, users["officer"])
    response = client.get("/admin/audit-log/", {"record": "cho tinh"})
    assert response.context["page_obj"].paginator.count == 0
    login(client, users["teacher"])
    assert client.get("/admin/audit-log/").status_code == 302
