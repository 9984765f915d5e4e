"""Backup → restore round trip into an empty instance: a valid BagIt bag, byte-identical
originals, the same pages and search results, derivatives made again when not in the bag;
a damaged bag is refused with the file named. Runs on SQLite and, in the PostgreSQL pass of
make test, on PostgreSQL (pg_dump / pg_restore)."""

import hashlib
import json
import shutil
from pathlib import Path

import bagit
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import RecordingPage, RecordPage
from media_pipeline.core.captions import Segment
from media_pipeline.models import AssetState, CaptionTrack, DerivativeFile, MediaAsset
from media_pipeline.services.captions import store_track
from media_pipeline.services.ingest import ingest_file
from media_pipeline.storage import derivatives_root, originals_root
from search.service import search
from tests.factories import make_record
from tests.support import media_samples

# The restore replaces the whole database, so the test cannot live inside a rolled-back
# transaction; serialized_rollback puts the migrations' rows back for the tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wipe_files():
    for root in (originals_root(), derivatives_root(), Path(settings.MEDIA_ROOT)):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def archive_with_media(tmp_path):
    _wipe_files()
    record = make_record(RecordingPage, title_vi="Hát ru miền núi", slug="hat-ru-mien-nui")
    make_record(RecordingPage, title_vi="Lễ hội đình làng", slug="le-hoi-dinh-lang")
    tone = media_samples.wav(tmp_path, "hát ru.wav", channels=1, duration=2)
    with open(tone, "rb") as handle:
        asset = ingest_file(handle, tone.name, record=record).asset
    store_track(asset, "vi", "transcript", [Segment(0, 1.5, "Ru con ngủ")], source_format="vtt")
    asset.refresh_from_db()
    assert asset.state == AssetState.DONE
    yield record, asset, tone
    _wipe_files()
    # The restore cleared the content-type cache (ids come from the bag); warm it again from
    # the restored rows, which are the migrations' own, so that nothing recreates them between
    # the flush after this test and the serialized rows loaded before the next.
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models())


def _snapshot():
    pages = sorted(
        RecordPage.objects.values_list("accession_number", "title_vi", "url_path", "live")
    )
    hits = [r.record_id for r in search("hát ru").results]
    return pages, hits


def _empty_instance():
    call_command("flush", interactive=False, verbosity=0)
    _wipe_files()
    from search.memory.index import forget_all

    forget_all()


def test_backup_then_restore_into_an_empty_instance(archive_with_media, tmp_path):
    record, asset, tone = archive_with_media
    before = _snapshot()
    assert before[1] == [record.pk]
    bag_dir = tmp_path / "bag"

    call_command("backup", str(bag_dir), verbosity=0)

    bag = bagit.Bag(str(bag_dir))
    assert bag.is_valid() and "sha256" in bag.algorithms
    data = bag_dir / "data"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["assets"]
    assert entry["sha256"] == asset.sha256 and entry["accession_numbers"] == [
        record.accession_number
    ]
    assert sorted(manifest["records"]) == sorted(n for n, *_ in before[0])
    assert (data / "originals" / asset.file.name).read_bytes() == tone.read_bytes()
    assert "Ru con ngủ" in (data / "tracks" / f"{asset.pk}-transcript-vi.vtt").read_text()
    assert any((data / "database").iterdir())
    assert not (data / "derivatives").exists()  # optional, and not asked for

    _empty_instance()
    assert not MediaAsset.objects.exists() and not RecordPage.objects.exists()

    call_command("restore", str(bag_dir), verbosity=0)

    restored = MediaAsset.objects.get()
    original = originals_root() / restored.file.name
    assert hashlib.sha256(original.read_bytes()).hexdigest() == asset.sha256
    assert original.read_bytes() == tone.read_bytes()
    assert _snapshot() == before
    assert CaptionTrack.objects.filter(asset=restored, language="vi").exists()
    # The derivatives were not in the bag: processing was queued (run inline in tests).
    restored.refresh_from_db()
    assert restored.state == AssetState.DONE
    made = DerivativeFile.objects.filter(asset=restored)
    assert {"audio_aac", "audio_opus"} <= set(made.values_list("name", flat=True))
    assert all((derivatives_root() / d.path).is_file() for d in made)

    # A second restore into a non-empty instance is refused.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(bag_dir), verbosity=0)


def test_derivatives_in_the_bag_come_back_without_processing(archive_with_media, tmp_path):
    _record, asset, _tone = archive_with_media
    paths = dict(DerivativeFile.objects.filter(asset=asset).values_list("name", "path"))
    bytes_before = {name: (derivatives_root() / p).read_bytes() for name, p in paths.items()}
    bag_dir = tmp_path / "bag"
    call_command("backup", str(bag_dir), "--with-derivatives", verbosity=0)
    _empty_instance()
    call_command("restore", str(bag_dir), verbosity=0)
    restored = dict(DerivativeFile.objects.values_list("name", "path"))
    assert restored == paths
    assert {n: (derivatives_root() / p).read_bytes() for n, p in restored.items()} == bytes_before


def test_a_damaged_bag_is_refused_with_the_file_named(archive_with_media, tmp_path):
    _record, asset, _tone = archive_with_media
    bag_dir = tmp_path / "bag"
    call_command("backup", str(bag_dir), verbosity=0)
    damaged = bag_dir / "data" / "originals" / asset.file.name
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bag_dir), verbosity=0)
    assert f"data/originals/{asset.file.name}" in str(refused.value)
    assert MediaAsset.objects.filter(pk=asset.pk).exists()  # nothing was touched
