"""Officers follow processing in the admin, retry failures and attach ELAN transcripts."""

import pytest
from django.contrib.auth.models import Permission
from django.utils.html import escape

from media_pipeline.models import AssetState, CaptionTrack
from tests.factories import make_user
from tests.support import media_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_mediaasset"),
    )
    client.force_login(user)
    return client


def test_dashboard_shows_states_and_failure_sentences(officer, ingest, tone, samples):
    ingest(tone)
    ingest(media_samples.html_as_mp4(samples))
    html = officer.get("/admin/media-processing/").content.decode()
    assert 'data-state="done"' in html and 'data-state="quarantined"' in html
    # The admin speaks the site's default language to officers without a preference.
    from django.utils import translation

    from media_pipeline.messages import sentence_for

    with translation.override("vi"):
        assert escape(sentence_for("unsupported_type")) in html


def test_retry_requeues_and_processes_again(
    officer, ingest, tone, django_capture_on_commit_callbacks
):
    asset = ingest(tone).asset
    asset.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"/admin/media-processing/{asset.pk}/retry/")
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.state == AssetState.DONE and asset.jobs.count() == 1


def test_attach_elan_tiers_as_transcript_and_translation(officer, ingest, tone, samples):
    asset = ingest(tone).asset
    eaf = media_samples.elan_file(samples)
    with open(eaf, "rb") as handle:
        response = officer.post(
            f"/admin/media-processing/{asset.pk}/captions/",
            {
                "file": handle,
                "language": "tyz",
                "kind": "transcript",
                "tier": "Tày",
                "translation_tier": "Tiếng Việt",
                "translation_language": "vi",
            },
        )
    assert response.status_code == 302
    transcript = CaptionTrack.objects.get(asset=asset, kind="transcript")
    translation = CaptionTrack.objects.get(asset=asset, kind="translation")
    assert [s.text for s in transcript.segments.all()] == ["Pjạ khửn", "Slấc mừa"]
    assert [(s.start_s, s.text) for s in translation.segments.all()] == [
        (0.0, "Trời sáng"),
        (1.5, "Mùa đến"),
    ]


def test_elan_without_tier_lists_the_tiers(officer, ingest, tone, samples):
    asset = ingest(tone).asset
    with open(media_samples.elan_file(samples), "rb") as handle:
        response = officer.post(
            f"/admin/media-processing/{asset.pk}/captions/",
            {"file": handle, "language": "tyz", "kind": "transcript"},
            follow=True,
        )
    assert "Tày" in response.content.decode() and "Tiếng Việt" in response.content.decode()
    assert not CaptionTrack.objects.exists()


def test_broken_vtt_is_refused_with_the_line(officer, ingest, tone, samples):
    asset = ingest(tone).asset
    bad = samples / "bad.vtt"
    bad.write_text("WEBVTT\n\n00:00:01.000 --> nonsense\nxin chào\n", encoding="utf-8")
    with open(bad, "rb") as handle:
        response = officer.post(
            f"/admin/media-processing/{asset.pk}/captions/",
            {"file": handle, "language": "vi", "kind": "captions"},
            follow=True,
        )
    assert "line 3" in response.content.decode()
    assert not CaptionTrack.objects.exists()


def test_visitors_cannot_open_the_dashboard(client):
    client.force_login(make_user(is_staff=True))
    assert client.get("/admin/media-processing/").status_code in (302, 403)


def test_admin_upload_goes_through_the_same_ingest(
    client, tone, django_capture_on_commit_callbacks
):
    from wagtail.models import Collection

    from archive.services.reference_data import LoadReport
    from demo.loader import ensure_demo_users, grant_officer_permissions
    from heritage.site_setup import ensure_site_tree
    from media_pipeline.models import MediaAsset

    ensure_site_tree()
    ensure_demo_users(LoadReport())
    grant_officer_permissions()
    assert client.login(username="officer", password="demo-2026")
    root = Collection.get_first_root_node().pk
    with django_capture_on_commit_callbacks(execute=True), open(tone, "rb") as handle:
        response = client.post(
            "/admin/media/audio/add/",
            {"title": "Ghi âm tải lên", "file": handle, "collection": root},
        )
    assert response.status_code == 302 and response["Location"] != "/admin/"
    asset = MediaAsset.objects.get(title="Ghi âm tải lên")
    assert len(asset.sha256) == 64 and asset.file.name.endswith(f"{asset.sha256}.bin")
    assert asset.original_filename == tone.name
    assert asset.state == AssetState.DONE and asset.derivatives.count() >= 3
    dashboard = client.get("/admin/media-processing/").content.decode()
    assert "Ghi âm tải lên" in dashboard
