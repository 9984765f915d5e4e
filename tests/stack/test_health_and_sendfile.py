"""/healthz, the task workers' heartbeat and its admin panel, and X-Accel-Redirect, in one
process (no services started; the stack test checks them behind nginx)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from heritage import health
from heritage.models import WorkerHeartbeat
from media_pipeline.sendfile import accel_path
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def folders(settings, tmp_path):
    settings.DSS_ORIGINALS_ROOT = tmp_path / "originals"
    settings.DSS_DERIVATIVES_ROOT = tmp_path / "derivatives"
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("originals", "derivatives", "media"):
        (tmp_path / name).mkdir()
    return tmp_path


def test_healthz_is_503_without_a_worker_and_200_with_one(client, folders):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["workers"] == {
        "ok": False,
        "alive": 0,
        "ms": body["checks"]["workers"]["ms"],
    }
    assert all(body["checks"][name]["ok"] for name in ("database", "cache", "storage", "search"))
    health.beat({"hostname": "worker-host", "pid": 4242, "queues": "*"}, timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response["Cache-Control"] == "no-store"
    # A public door: nothing about the machine.
    assert b"worker-host" not in response.content and str(folders).encode() not in response.content


def test_a_silent_worker_is_not_alive(client, folders, settings):
    settings.DSS_HEARTBEAT_SECONDS = 10
    health.beat({"hostname": "h", "pid": 1}, timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=31))
    assert client.get("/healthz").status_code == 503


def test_unwritable_storage_fails_the_check(client, folders, settings):
    settings.DSS_DERIVATIVES_ROOT = folders / "missing"
    health.beat({"hostname": "h", "pid": 1}, timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["derivatives"] is False


def test_the_dashboard_says_when_each_worker_last_reported(client, folders):
    health.beat({"hostname": "worker-host", "pid": 4242, "queues": "*"}, timezone.now())
    officer = make_user("dash-officer", is_superuser=True, is_staff=True)
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "task-workers" in html and "worker-host (4242)" in html


def test_accel_path_maps_the_three_private_folders_only(folders):
    assert (
        accel_path(folders / "derivatives" / "ab" / "x.m4a") == "/_protected/derivatives/ab/x.m4a"
    )
    assert accel_path(folders / "originals" / "ab" / "cd" / "f.bin") == (
        "/_protected/originals/ab/cd/f.bin"
    )
    assert accel_path(folders / "media" / "images" / "a.fill-80x80.jpg") == (
        "/_protected/media/images/a.fill-80x80.jpg"
    )
    assert accel_path(folders / "elsewhere" / "x") is None
    assert accel_path(Path("/etc/passwd")) is None
    # Names nginx would have to decode are streamed by Python instead.
    assert accel_path(folders / "derivatives" / "a b.m4a") is None
