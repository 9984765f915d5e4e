"""IIIF Presentation 3 (issue 13): manifests of public records with their photos, recordings
and videos (real ffmpeg and Pillow through the media pipeline), caption annotations per
language, restricted parts left out, collections, and validation against the official
Presentation 3 JSON schema shipped in search/iiif/schemas/ (no network)."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from jsonschema import Draft7Validator

from archive.models import (
    AssetProtocols,
    CollectionItem,
    CollectionPage,
    CustomPage,
    Protocol,
    RecordingPage,
    RestrictedSegment,
)
from heritage.site_setup import ensure_site_tree, section
from media_pipeline.core.captions import Segment
from media_pipeline.services.captions import store_track
from tests.factories import make_record, make_user
from tests.support import media_samples

pytestmark = pytest.mark.django_db

SCHEMA = Path(settings.BASE_DIR) / "search" / "iiif" / "schemas" / "iiif_3_0.json"
PROFILE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


@pytest.fixture(autouse=True)
def clean_media_roots():
    yield
    for root in (settings.DSS_ORIGINALS_ROOT, settings.DSS_DERIVATIVES_ROOT):
        shutil.rmtree(root, ignore_errors=True)


def valid(document: dict) -> dict:
    schema = json.loads(SCHEMA.read_text())
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return document


def manifest_of(client, record, status=200):
    response = client.get(f"/iiif/{record.accession_number}/manifest.json")
    assert response.status_code == status
    if status != 200:
        return response
    assert response["Content-Type"].startswith(PROFILE)
    assert response["Access-Control-Allow-Origin"] == "*"
    return valid(response.json())


def painted(canvas) -> list[dict]:
    body = canvas["items"][0]["items"][0]["body"]
    return body["items"] if body["type"] == "Choice" else [body]


def test_recording_manifest_has_duration_tiers_captions_and_rights(client, ingest, tmp_path):
    record = make_record(
        RecordingPage,
        title_vi="Hát ru Tày",
        title_en="Tày lullaby",
        summary_vi="Bài hát ru con",
        summary_en="A lullaby",
        licence="CC-BY-4.0",
    )
    tone = media_samples.wav(tmp_path, "hat-ru.wav", channels=1, duration=3)
    asset = ingest(tone, record=record).asset
    store_track(asset, "vi", "transcript", [Segment(0, 1.5, "Ru hời ru")], source_format="vtt")
    store_track(asset, "en", "translation", [Segment(0, 1.5, "Hush now")], source_format="vtt")

    manifest = manifest_of(client, record)

    assert manifest["label"] == {"vi": ["Hát ru Tày"], "en": ["Tày lullaby"]}
    assert manifest["summary"] == {"vi": ["Bài hát ru con"], "en": ["A lullaby"]}
    assert manifest["rights"] == record.rights_statement
    statement = manifest["requiredStatement"]
    assert set(statement["label"]) == {"vi", "en"} and "CC BY 4.0" in statement["value"]["en"][0]
    accession = next(
        m for m in manifest["metadata"] if m["value"].get("none") == [record.accession_number]
    )
    assert set(accession["label"]) == {"vi", "en"}
    assert manifest["homepage"][0]["id"].endswith(f"/id/{record.accession_number}")
    [canvas] = manifest["items"]
    assert 2.8 < canvas["duration"] < 3.3
    bodies = painted(canvas)
    assert {b["type"] for b in bodies} == {"Sound"}
    assert f"/files/{asset.pk}/audio_aac" in bodies[0]["id"]
    assert all(b["format"].startswith("audio/") for b in bodies)
    # Every tier the manifest names plays for an anonymous visitor.
    for body in bodies:
        assert client.get(body["id"]).status_code == 200
    tracks = canvas["annotations"][0]["items"]
    assert {(t["motivation"], t["body"]["language"]) for t in tracks} == {
        ("supplementing", "vi"),
        ("supplementing", "en"),
    }
    vtt = client.get(next(t for t in tracks if t["body"]["language"] == "vi")["body"]["id"])
    assert "Ru hời ru" in vtt.content.decode()


def test_video_manifest_has_size_and_duration(client, ingest, tmp_path):
    record = make_record(CustomPage, title_vi="Múa xòe")
    clip = media_samples.video(tmp_path, "xoe.mp4", duration=2)
    asset = ingest(clip, record=record).asset

    [canvas] = manifest_of(client, record)["items"]

    assert 1.8 < canvas["duration"] < 2.3
    assert canvas["width"] and canvas["height"]
    bodies = painted(canvas)
    assert {b["type"] for b in bodies} == {"Video"}
    assert all(f"/files/{asset.pk}/video_" in b["id"] for b in bodies)
    assert canvas["thumbnail"][0]["id"].endswith(f"/files/{asset.pk}/poster")


def test_photo_canvas_uses_a_level0_service_over_the_web_copies(client, ingest, tmp_path):
    record = make_record(CustomPage, title_vi="Nhà rông")
    photo = media_samples.png(tmp_path, size=(2000, 1000))
    asset = ingest(photo, record=record).asset

    [canvas] = manifest_of(client, record)["items"]

    assert (canvas["width"], canvas["height"]) == (1600, 800)
    [body] = painted(canvas)
    assert body["type"] == "Image" and body["format"] == "image/jpeg"
    [service] = body["service"]
    assert service["profile"] == "level0" and service["type"] == "ImageService3"
    info = client.get(f"/iiif/image/{asset.pk}/info.json")
    assert info.status_code == 200
    described = info.json()
    assert described["id"] == service["id"]
    assert described["sizes"] == [
        {"width": 480, "height": 240},
        {"width": 1024, "height": 512},
        {"width": 1600, "height": 800},
    ]
    for size in described["sizes"]:
        image = client.get(f"{described['id']}/full/{size['width']},/0/default.jpg")
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert client.get(body["id"]).status_code == 200
    assert client.get(f"{described['id']}/full/max/0/default.jpg").status_code == 200
    # Level 0: only the pre-computed sizes exist.
    assert client.get(f"{described['id']}/full/700,/0/default.jpg").status_code == 404


def test_hidden_records_have_no_manifest_for_anyone(client):
    closed = make_record(CustomPage, title_vi="Lễ đóng", access_level="closed")
    registered = make_record(CustomPage, title_vi="Cho người đăng ký", access_level="registered")
    draft = make_record(CustomPage, title_vi="Bản nháp", publish=False)
    for record in (closed, registered, draft):
        manifest_of(client, record, status=404)
    # The manifest is the public view whoever asks: an officer gets no manifest either.
    client.force_login(
        make_user(perms=["archive.view_closed_records", "archive.view_restricted_records"])
    )
    manifest_of(client, closed, status=404)
    manifest_of(client, registered, status=404)
    assert client.get("/iiif/DSS-2099-999999/manifest.json").status_code == 404


def test_media_with_a_protocol_and_restricted_segments_stay_out(
    client, ingest, tmp_path, django_capture_on_commit_callbacks
):
    elders = Group.objects.create(name="Già làng")
    protocol = Protocol.objects.create(
        name_vi="Già làng", name_en="Elders", kind="group", group=elders
    )
    record = make_record(RecordingPage, title_vi="Bài khấn")
    kept = ingest(media_samples.wav(tmp_path, "kept.wav", duration=2), record=record).asset
    AssetProtocols.objects.create(asset=kept).protocols.set([protocol])
    tone = media_samples.wav(tmp_path, "khan.wav", channels=1, duration=6)
    partial = ingest(tone, record=record).asset
    store_track(
        partial,
        "vi",
        "transcript",
        [Segment(0.2, 1.5, "Lời mở đầu"), Segment(2.3, 3.6, "Lời khấn bí mật")],
        source_format="vtt",
    )
    with django_capture_on_commit_callbacks(execute=True):
        segment = RestrictedSegment.objects.create(asset=partial, start_s=2, end_s=4, mode="cut")
        segment.protocols.add(protocol)

    manifest = manifest_of(client, record)
    text = json.dumps(manifest, ensure_ascii=False)

    assert f"/files/{kept.pk}/" not in text
    [canvas] = manifest["items"]
    assert canvas["id"].endswith(f"/canvas/{partial.pk}")
    assert 3.7 < canvas["duration"] < 4.3  # the cut variant anonymous visitors receive
    assert "thumbnail" not in canvas  # no poster or waveform of the full recording
    track = canvas["annotations"][0]["items"][0]["body"]["id"]
    vtt = client.get(track).content.decode()
    assert "Lời mở đầu" in vtt and "bí mật" not in vtt


def test_collection_lists_only_public_manifests(client):
    public = make_record(CustomPage, title_vi="Chiêng công khai")
    closed = make_record(CustomPage, title_vi="Chiêng đóng", access_level="closed")
    home = ensure_site_tree()
    collection = CollectionPage(title_vi="Cồng chiêng", slug="cong-chieng")
    section(home, "collections").add_child(instance=collection)
    for order, record in enumerate((public, closed)):
        CollectionItem.objects.create(collection=collection, record=record, sort_order=order)
    collection.save_revision().publish()

    response = client.get("/iiif/collection/cong-chieng.json")
    assert response.status_code == 200
    document = valid(response.json())

    assert document["type"] == "Collection" and document["label"]["vi"] == ["Cồng chiêng"]
    ids = [item["id"] for item in document["items"]]
    assert ids == [f"http://testserver/iiif/{public.accession_number}/manifest.json"]
    assert "Chiêng đóng" not in response.content.decode()
    assert client.get(f"/iiif/collection/{collection.pk}.json").status_code == 200
    assert client.get("/iiif/collection/khong-co.json").status_code == 404


def test_record_page_links_its_manifest(client):
    record = make_record(CustomPage, title_vi="Lễ cúng lúa mới")
    html = client.get(record.url).content.decode()
    href = f"/iiif/{record.accession_number}/manifest.json"
    assert (
        'rel="alternate" type=\'application/ld+json;profile="http://iiif.io/api/presentation/3/'
        in html
    )
    assert html.count(f'href="{href}"') == 2  # the head's alternate and the citation's link
    # A record only signed-in people see has no manifest, so its page does not link one.
    hidden = make_record(CustomPage, title_vi="Cho người đăng ký", access_level="registered")
    client.force_login(make_user())
    html = client.get(hidden.url).content.decode()
    assert "Cho người đăng ký" in html and "/iiif/" not in html


def test_image_service_follows_the_media_gate(client, ingest, tmp_path):
    """info.json and the sizes are media doors: a closed record's photo is 404 to visitors
    and to signed-in people without the right, and reaches officers, never kept by caches."""
    record = make_record(CustomPage, title_vi="Ảnh đóng", access_level="closed")
    asset = ingest(media_samples.png(tmp_path, size=(600, 400)), record=record).asset
    info, image = (
        f"/iiif/image/{asset.pk}/info.json",
        f"/iiif/image/{asset.pk}/full/max/0/default.jpg",
    )
    assert client.get(info).status_code == 404 and client.get(image).status_code == 404
    client.force_login(make_user())
    assert client.get(info).status_code == 404 and client.get(image).status_code == 404
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    described = client.get(info)
    assert described.status_code == 200 and described["Cache-Control"] == "private, no-store"
    # The web copies stop below the original's width: the largest is 480 px wide.
    assert described.json()["sizes"] == [{"width": 480, "height": 320}]
    served = client.get(image)
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
