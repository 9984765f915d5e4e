"""Media doors: restricted bytes are not kept by browsers after sign-out, captions wait for
a finished asset, and a derivative's stored path cannot leave the derivatives folder."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.access import AccessLevel
from archive.models import RecordingPage
from media_pipeline.core.captions import Segment
from media_pipeline.models import AssetState, DerivativeFile, MediaAsset
from media_pipeline.services.captions import store_track
from tests.factories import make_record, make_user
from tests.support import media_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_asset(ingest, tone):
    record = make_record(RecordingPage, "Hát đối đáp", access_level=AccessLevel.REGISTERED)
    asset = ingest(tone, record=record).asset
    store_track(asset, "vi", "transcript", [Segment(0, 1, "Lời hát")], source_format="vtt")
    return asset


def test_restricted_media_is_not_kept_by_the_browser(client, registered_asset):
    client.force_login(make_user())
    for suffix in ("audio_aac", "captions/transcript/vi.vtt"):
        response = client.get(f"/files/{registered_asset.pk}/{suffix}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_public_media_may_be_kept_briefly(client, ingest, tone, public_recording):
    asset = ingest(tone, record=public_recording).asset
    response = client.get(f"/files/{asset.pk}/audio_aac")
    assert response.status_code == 200 and "no-store" not in response["Cache-Control"]


def test_captions_wait_for_a_finished_asset(client, registered_asset):
    client.force_login(make_user())
    MediaAsset.objects.filter(pk=registered_asset.pk).update(state=AssetState.RUNNING)
    assert client.get(f"/files/{registered_asset.pk}/captions/transcript/vi.vtt").status_code == 404


def test_a_derivative_path_cannot_leave_the_derivatives_folder(client, registered_asset):
    outside = settings.DSS_DERIVATIVES_ROOT.parent / "outside-secret.txt"
    outside.write_text("not a derivative")
    DerivativeFile.objects.create(
        asset=registered_asset,
        name="escape",
        path="../outside-secret.txt",
        mime="text/plain",
        preset_key="x",
    )
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    assert client.get(f"/files/{registered_asset.pk}/escape").status_code == 404


def _served_with_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # The gate's statement: assets filtered through the records their links point to.
    gate = [
        q
        for q in queries.captured_queries
        if '"media_pipeline_mediaasset"' in q["sql"] and '"archive_recordpage"' in q["sql"]
    ]
    return response, len(queries), len(gate)


# The gate is asked once per request: one statement loads the asset with the visitor's and
# an anonymous visitor's decisions (the cache header), then the restricted ranges and the
# file or track rows. Signing in adds the session, user, permissions and groups, and the
# gate's per-visitor preparation (page restrictions, protocol rows) for both decisions.
# Asking the gate twice, as before, took 18 (file) and 20 (captions) signed in. Restricted
# bytes are also written to the audit trail (its own queries), so for them only the gate's
# statement is counted.
MAX_QUERIES = {"anonymous": 7, "signed in": 17}


def test_a_media_door_asks_the_gate_once_and_still_refuses(
    client, ingest, tone, samples, public_recording, registered_asset
):
    other = media_samples.wav(samples, "bài khác.wav", channels=1, duration=2)
    public = ingest(other, record=public_recording).asset
    urls = {
        asset: (f"/files/{asset.pk}/audio_aac", f"/files/{asset.pk}/captions/transcript/vi.vtt")
        for asset in (public, registered_asset)
    }
    store_track(public, "vi", "transcript", [Segment(0, 1, "Lời ru")], source_format="vtt")

    for url in urls[public]:
        response, count, gate = _served_with_queries(client, url)
        assert response.status_code == 200 and "no-store" not in response["Cache-Control"]
        assert count <= MAX_QUERIES["anonymous"] and gate == 1, (url, count, gate)
    for url in urls[registered_asset]:
        assert client.get(url).status_code == 404  # still refused to an anonymous visitor

    client.force_login(make_user())
    for url in urls[public]:
        response, count, gate = _served_with_queries(client, url)
        assert response.status_code == 200 and "no-store" not in response["Cache-Control"]
        assert count <= MAX_QUERIES["signed in"] and gate == 1, (url, count, gate)
    for url in urls[registered_asset]:
        response, _count, gate = _served_with_queries(client, url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert gate == 1, (url, gate)
