"""The audit trail of the media doors: restricted bytes and originals served, once per
listening (a player's later byte ranges are not new entries)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from archive.models import CustomPage
from heritage.audit.actions import MEDIA_SERVED, ORIGINAL_DOWNLOADED
from heritage.audit.models import AuditEntry
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db

OFFICER = [
    "wagtailadmin.access_admin",
    "archive.change_recordpage",
    "archive.view_closed_records",
    "archive.view_restricted_records",
]


def _asset_of(record, *, name="audit"):
    """A processed audio asset with its files on disk, linked to ``record`` (no tools run)."""
    from media_pipeline.models import AssetState, DerivativeFile, MediaAsset, RecordMedia

    originals = Path(settings.DSS_ORIGINALS_ROOT) / "audit"
    derivatives = Path(settings.DSS_DERIVATIVES_ROOT) / "audit"
    originals.mkdir(parents=True, exist_ok=True)
    derivatives.mkdir(parents=True, exist_ok=True)
    (originals / f"{name}.wav").write_bytes(b"RIFF audit original")
    (derivatives / f"{name}-opus").write_bytes(b"OggS audit web copy")
    asset = MediaAsset.objects.create(
        title=f"Media {name}", type="audio", mime="audio/wav", file=f"audit/{name}.wav"
    )
    DerivativeFile.objects.create(
        asset=asset, name="audio_opus", path=f"audit/{name}-opus", mime="audio/ogg", size=19
    )
    RecordMedia.objects.create(record=record, asset=asset)
    MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.DONE)
    return asset


def test_restricted_media_and_originals_are_logged_once_per_listening(client):
    closed = make_record(CustomPage, "Bài cúng kín", access_level="closed")
    public = make_record(CustomPage, "Bài hát ru")
    secret_asset = _asset_of(closed, name="kin")
    public_asset = _asset_of(public, name="mo")
    officer = make_user("luu-tru", perms=OFFICER)
    client.force_login(officer)

    assert client.get(f"/files/{secret_asset.pk}/audio_opus").status_code == 200
    # A player's later byte ranges of the same listening are not new entries.
    later = client.get(f"/files/{secret_asset.pk}/audio_opus", HTTP_RANGE="bytes=5-")
    assert later.status_code == 206
    assert client.get(f"/files/{public_asset.pk}/audio_opus").status_code == 200
    assert client.get(f"/files/{public_asset.pk}/original").status_code == 200

    served = AuditEntry.objects.filter(action=MEDIA_SERVED)
    assert [(e.username, e.record_id) for e in served] == [("luu-tru", closed.pk)]
    original = AuditEntry.objects.get(action=ORIGINAL_DOWNLOADED)
    assert (original.username, original.record_id) == ("luu-tru", public.pk)
    # Bytes anyone may receive are not audited.
    client.logout()
    assert client.get(f"/files/{public_asset.pk}/audio_opus").status_code == 200
    assert AuditEntry.objects.filter(action=MEDIA_SERVED).count() == 1
