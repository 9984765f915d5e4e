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


def _bag_id(bag_dir):
    return json.loads((bag_dir / "data" / "manifest.json").read_text(encoding="utf-8"))["bag_id"]


def _flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_incremental_bags_carry_only_new_originals_and_restore_as_a_chain(
    archive_with_media, tmp_path
):
    _record, asset, tone = archive_with_media
    full, first, second = tmp_path / "full", tmp_path / "inc-1", tmp_path / "inc-2"
    call_command("backup", str(full), verbosity=0)

    # After the full bag: a second recording on the other record, and an editor's upload.
    other_record = RecordPage.objects.get(slug="le-hoi-dinh-lang").specific
    drum = media_samples.wav(tmp_path, "trống hội.wav", channels=2, duration=1)
    with open(drum, "rb") as handle:
        new_asset = ingest_file(handle, drum.name, record=other_record).asset
    note = Path(settings.MEDIA_ROOT) / "documents" / "ghi chép.txt"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("Ghi chép buổi lễ", encoding="utf-8")

    call_command("backup", str(first), "--since", str(full), verbosity=0)
    call_command("backup", str(second), "--since", str(first), verbosity=0)

    manifest = json.loads((first / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous"] == _bag_id(full)
    assert {a["sha256"] for a in manifest["assets"]} == {asset.sha256, new_asset.sha256}
    originals = sorted(p.name for p in (first / "data" / "originals").rglob("*") if p.is_file())
    assert originals == [Path(new_asset.file.name).name]  # the old original is not copied again
    assert any((first / "data" / "database").iterdir())  # the database is always complete
    assert sorted(p.name for p in (first / "data" / "uploads").rglob("*") if p.is_file()) == [
        "ghi chép.txt"
    ]
    assert bagit.Bag(str(first)).is_valid()
    # Nothing new since the first incremental bag: the second carries no files but the rest.
    assert not (second / "data" / "originals").exists()
    assert not (second / "data" / "uploads").exists()

    before = _snapshot()
    drum_hits = [r.record_id for r in search("lễ hội").results]
    _empty_instance()

    # Alone, or with a link missing, an incremental bag is refused and nothing is written.
    with pytest.raises(CommandError, match="incremental"):
        call_command("restore", str(second), verbosity=0)
    with pytest.raises(CommandError, match=_bag_id(first)):
        call_command("restore", str(full), str(second), verbosity=0)
    assert not RecordPage.objects.exists()

    call_command("restore", str(full), str(first), str(second), verbosity=0)

    for kept, source in ((asset, tone), (new_asset, drum)):
        stored = originals_root() / MediaAsset.objects.get(sha256=kept.sha256).file.name
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == kept.sha256
        assert stored.read_bytes() == source.read_bytes()
    assert note.read_text(encoding="utf-8") == "Ghi chép buổi lễ"
    assert _snapshot() == before
    assert [r.record_id for r in search("lễ hội").results] == drum_hits


def test_a_damaged_incremental_bag_is_refused_with_the_file_named(archive_with_media, tmp_path):
    full, first = tmp_path / "full", tmp_path / "inc-1"
    call_command("backup", str(full), verbosity=0)
    other_record = RecordPage.objects.get(slug="le-hoi-dinh-lang").specific
    drum = media_samples.wav(tmp_path, "trống hội.wav", channels=2, duration=1)
    with open(drum, "rb") as handle:
        new_asset = ingest_file(handle, drum.name, record=other_record).asset
    call_command("backup", str(first), "--since", str(full), verbosity=0)
    _flip_a_byte(first / "data" / "originals" / new_asset.file.name)
    _empty_instance()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(full), str(first), verbosity=0)
    assert f"data/originals/{new_asset.file.name}" in str(refused.value)
    assert not RecordPage.objects.exists()  # nothing was restored

    # A damaged bag cannot be the base of a new incremental one either.
    _flip_a_byte(full / "data" / "manifest.json")
    with pytest.raises(CommandError, match="not valid"):
        call_command("backup", str(tmp_path / "inc-2"), "--since", str(full), verbosity=0)
