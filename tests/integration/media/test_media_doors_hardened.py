"""Media doors: restricted bytes are not kept by browsers after sign-out, captions wait for
a finished asset, and a derivative's stored path cannot leave the derivatives folder."""

import pytest
from django.conf import settings

from archive.access import AccessLevel
from archive.models import RecordingPage
from media_pipeline.core.captions import Segment
from media_pipeline.models import AssetState, DerivativeFile, MediaAsset
from media_pipeline.services.captions import store_track
from tests.factories import make_record, make_user

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
