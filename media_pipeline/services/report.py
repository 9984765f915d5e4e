"""The machine-readable summary of an ingested file (``ingest --json``)."""

from django.urls import reverse

from ..messages import sentence_for
from ..models import AssetState, MediaAsset


def asset_report(file_label: str, result) -> dict:
    asset: MediaAsset | None = result.asset
    if asset is not None:
        asset.refresh_from_db()
    status = "failed"
    error = result.error
    if asset is not None and result.status != "failed":
        if asset.state == AssetState.DONE:
            status = "done"
        elif asset.state in (AssetState.FAILED, AssetState.QUARANTINED):
            error = sentence_for(asset.error_code)
        else:
            status = asset.state
    if result.status == "duplicate":
        status = "done" if asset.state == AssetState.DONE else asset.state
    return {
        "file": file_label,
        "asset_id": asset.pk if asset else None,
        "status": status,
        "error": error,
        "duplicate_of": result.duplicate_of.pk if result.duplicate_of else None,
        "sha256": asset.sha256 if asset else None,
        "kind": asset.type if asset else None,
        "duration_s": asset.duration if asset and asset.duration else None,
        "derivatives": [
            {
                "name": d.name,
                "path": reverse("media_pipeline:derivative", args=[asset.pk, d.name]),
                "mime": d.mime,
                "width": d.width or None,
                "height": d.height or None,
                "bitrate": d.bitrate or None,
            }
            for d in (asset.derivatives.all() if asset else [])
        ],
    }
