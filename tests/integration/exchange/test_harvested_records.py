"""Harvested records are kept apart: nobody edits them in the admin, nothing local is
touched, and the coverage page shows what each peer shared and when."""

import pytest

from archive.exchange.harvest import harvest
from archive.models import RecordPage
from archive.permissions import can_edit_record
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db


def test_nobody_edits_a_harvested_record_and_local_records_stay(fake_peer, client):
    _state, peer = fake_peer
    local = make_record(title_vi="Lễ hội Lồng Tồng")
    assert harvest(peer).complete
    copy = RecordPage.objects.get(source_identifier="lao-cai:DSS-2026-000001")
    admin = make_user(is_superuser=True, is_staff=True)
    assert can_edit_record(admin, local)
    assert not can_edit_record(admin, copy)
    client.force_login(admin)
    assert client.get(f"/admin/pages/{copy.pk}/edit/").status_code in (302, 403)
    local.refresh_from_db()
    assert local.title == "Lễ hội Lồng Tồng" and not local.source_identifier


def test_coverage_page_shows_each_peer_and_when_it_reported(fake_peer, client):
    _state, peer = fake_peer
    assert harvest(peer).complete
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get("/admin/exchange/coverage/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lào Cai" in text and ">8<" in text
    officer = make_user(is_staff=True)
    client.force_login(officer)
    assert client.get("/admin/exchange/coverage/").status_code in (302, 403)


def test_the_task_loop_harvests_each_peer_on_its_schedule(fake_peer):
    from datetime import timedelta

    from django.utils import timezone

    from archive.exchange.schedule import claim_due_peers
    from heritage.tasks import publish_scheduled_task

    _state, peer = fake_peer
    peer.interval_minutes = 60
    peer.save()
    publish_scheduled_task.call()  # the worker's minute loop (tasks run inline in tests)
    assert peer.records.count() == 8
    peer.refresh_from_db()
    assert peer.last_success_at is not None
    assert claim_due_peers() == []  # not again within the hour
    assert claim_due_peers(timezone.now() + timedelta(minutes=61)) == [peer.pk]
    peer.enabled = False
    peer.save()
    assert claim_due_peers(timezone.now() + timedelta(days=2)) == []
