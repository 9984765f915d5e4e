"""Signed bundles: what a province exports, the centre applies exactly like a harvest;
a tampered, unsigned, wrongly signed or unknown sender's bundle is refused with one
sentence and nothing is applied."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import CommandError

from archive.exchange.bundles import canonical, public_key_text
from archive.models import HarvestedRecord, Peer, RecordPage
from tests.factories import make_group, make_record
from tests.support.commands import command_output as _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(settings, tmp_path):
    """Two public records, this archive's key, and a signed bundle of them; the sender is
    registered as the peer "lao-cai" with its public key."""
    settings.DSS_SIGNING_KEY_FILE = tmp_path / "key" / "ed25519.pem"
    out = _run("generate_signing_key")
    public = out.strip().splitlines()[-1]
    group = make_group("Tày")
    english = "Going-to-the-fields festival"
    make_record(title_vi="Lễ hội Lồng Tồng", title_en=english, groups=[group])
    make_record(title_vi="Hát then")
    bundle = tmp_path / "records.json"
    assert "2" in _run("export_bundle", str(bundle))
    peer = Peer.objects.create(label="lao-cai", base_url="http://lc.example/oai", public_key=public)
    return bundle, peer


def _copies():
    return RecordPage.objects.filter(source_identifier__startswith="lao-cai:")


def test_the_key_is_written_once_and_its_public_half_printed(signed, settings):
    assert settings.DSS_SIGNING_KEY_FILE.stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError, match="already exists"):
        _run("generate_signing_key")


def test_a_signed_bundle_is_applied_like_a_harvest(signed):
    bundle, peer = signed
    out = _run("import_bundle", str(bundle), "--from", "lao-cai")
    assert "2 new" in out
    copy = _copies().get(title_vi="Lễ hội Lồng Tồng").specific
    assert copy.title_en == "Going-to-the-fields festival"
    assert [g.name_vi for g in copy.ethnic_groups.all()] == ["Tày"]
    assert copy.harvested.peer == peer and copy.live
    assert copy.harvested.original_url.endswith(f"/id/{copy.source_identifier.split(':')[1]}")
    # Sent twice: updated, never duplicated.
    _run("import_bundle", str(bundle), "--from", "lao-cai")
    assert _copies().count() == 2 == HarvestedRecord.objects.filter(peer=peer).count()


def _refused(bundle, sender, sentence):
    with pytest.raises(CommandError, match=sentence):
        _run("import_bundle", str(bundle), "--from", sender)
    assert not HarvestedRecord.objects.exists()
    assert not _copies().exists()


def test_a_tampered_bundle_is_refused_and_nothing_applied(signed):
    bundle, _peer = signed
    data = json.loads(bundle.read_text())
    data["entries"][1]["titles"]["vi"] = "Hát then (đã sửa)"
    bundle.write_text(json.dumps(data, ensure_ascii=False))
    _refused(bundle, "lao-cai", "signature does not match")


def test_a_tampered_bundle_with_fixed_checksums_is_still_refused(signed):
    bundle, _peer = signed
    data = json.loads(bundle.read_text())
    data["entries"].pop()
    data["checksums"].pop()
    bundle.write_bytes(canonical(data))
    _refused(bundle, "lao-cai", "signature does not match")


def test_an_unsigned_bundle_is_refused(signed):
    bundle, _peer = signed
    data = json.loads(bundle.read_text())
    del data["signature"]
    bundle.write_bytes(canonical(data))
    _refused(bundle, "lao-cai", "not signed")


def test_a_bundle_signed_by_another_key_is_refused(signed):
    bundle, _peer = signed
    data = json.loads(bundle.read_text())
    del data["signature"]
    stranger = Ed25519PrivateKey.generate()
    data["signature"] = base64.b64encode(stranger.sign(canonical(data))).decode()
    bundle.write_bytes(canonical(data))
    _refused(bundle, "lao-cai", "signature does not match")
    # ...and the stranger's key registered for another peer does not open lao-cai's door.
    Peer.objects.create(
        label="ha-giang",
        base_url="http://hg.example/oai",
        public_key=public_key_text(stranger.public_key()),
    )
    _refused(bundle, "lao-cai", "signature does not match")


def test_an_unknown_sender_is_refused(signed):
    bundle, _peer = signed
    _refused(bundle, "son-la", "no peer archive is labelled")
    Peer.objects.create(label="son-la", base_url="http://sl.example/oai")
    _refused(bundle, "son-la", "no public key is registered")


def test_the_refusal_is_said_in_vietnamese_too(signed, settings):
    bundle, _peer = signed
    bundle.write_text("{}")
    with pytest.raises(CommandError) as refused:
        _run("import_bundle", str(bundle), "--from", "lao-cai", lang="vi")
    assert str(refused.value)
    assert not HarvestedRecord.objects.exists()
