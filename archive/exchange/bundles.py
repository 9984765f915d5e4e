"""Signed bundles: the push route for systems that cannot harvest.

A bundle is one JSON file: a ``kind`` ("records" or "report"), the payload, a SHA-256
checksum per record, and a detached Ed25519 signature over everything else (canonical
JSON: sorted keys, no spaces, UTF-8). The receiver checks the signature against the public
key it registered for the sender (``Peer.public_key``) *before* reading anything, so a
tampered, unsigned, wrongly signed or unknown sender's bundle is refused whole and nothing
is applied. Records travel as the same plain items a harvest applies
(:class:`~archive.exchange.oai.HarvestedItem`), and are applied by the same function.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import visible_records_q
from ..models import Peer, RecordPage
from ..rights import LICENCE_URLS
from .apply import Applied, apply_records
from .oai import HarvestedItem

FORMAT = "dss-bundle/1"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
ITEM_FIELDS = {f.name for f in fields(HarvestedItem)}


class BundleRefused(Exception):
    """A bundle that is not applied: ``str()`` is the one sentence for the officer."""


# Keys ---------------------------------------------------------------------------------


def generate_key_pair(path: Path) -> str:
    """Write a new private key to ``path`` (owner-only) and return the public key text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600, exist_ok=False)
    path.write_bytes(pem)
    return public_key_text(key.public_key())


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_private_key() -> Ed25519PrivateKey:
    path = Path(settings.DSS_SIGNING_KEY_FILE)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise BundleRefused(
            _("No signing key at %(path)s: run “manage.py generate_signing_key” first.")
            % {"path": path}
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleRefused(_("The signing key at %(path)s is not Ed25519.") % {"path": path})
    return key


def load_public_key(text: str) -> Ed25519PublicKey:
    """A peer's registered key, as PEM or as the raw key in base64 (what we print)."""
    text = (text or "").strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode("ascii"))
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as exc:
        raise BundleRefused(_("The registered public key cannot be read.")) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BundleRefused(_("The registered public key is not Ed25519."))
    return key


# Signing and checking -----------------------------------------------------------------


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum(entry: dict) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def signature_of(data: dict, key: Ed25519PrivateKey) -> str:
    """The detached Ed25519 signature of ``data`` (its canonical JSON), in base64."""
    return base64.b64encode(key.sign(canonical(data))).decode("ascii")


def signature_matches(data: dict, signature, public_key: str) -> bool:
    """Whether ``signature`` is the registered ``public_key``'s signature of ``data``."""
    try:
        load_public_key(public_key).verify(base64.b64decode(signature), canonical(data))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def registered_peer(label: str) -> Peer:
    """The peer labelled ``label`` with a public key, or :class:`BundleRefused`."""
    peer = Peer.objects.filter(label=label).first()
    if peer is None:
        raise BundleRefused(
            _("Refused: no peer archive is labelled “%(label)s”; register the sender first.")
            % {"label": label}
        )
    if not peer.public_key.strip():
        raise BundleRefused(
            _("Refused: no public key is registered for %(label)s.") % {"label": peer.label}
        )
    return peer


def sign(kind: str, entries: list[dict], key: Ed25519PrivateKey, **extra) -> dict:
    body = {
        "format": FORMAT,
        "kind": kind,
        "sender": settings.DSS_OAI_REPOSITORY_ID,
        "created": timezone.now().isoformat(),
        "entries": entries,
        "checksums": [checksum(e) for e in entries],
        **extra,
    }
    body["signature"] = signature_of(body, key)
    return body


def read_bundle(raw: bytes, peer_label: str, kind: str) -> tuple[Peer, dict]:
    """The checked bundle from ``peer_label`` or :class:`BundleRefused`; nothing is applied
    here, so a refusal never leaves half a bundle behind."""
    peer = registered_peer(peer_label)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleRefused(_("Refused: the file is not a bundle (unreadable JSON).")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleRefused(_("Refused: the file is not a bundle of this archive's format."))
    signature = data.pop("signature", None)
    if not signature:
        raise BundleRefused(_("Refused: the bundle is not signed."))
    if not signature_matches(data, signature, peer.public_key):
        raise BundleRefused(
            _(
                "Refused: the signature does not match %(label)s's registered key "
                "(the bundle was altered or signed by someone else)."
            )
            % {"label": peer.label}
        )
    entries, sums = data.get("entries"), data.get("checksums")
    if not isinstance(entries, list) or [checksum(e) for e in entries] != sums:
        raise BundleRefused(_("Refused: a record's checksum does not match its content."))
    if data.get("kind") != kind:
        raise BundleRefused(
            _("Refused: this bundle holds a %(found)s, not a %(wanted)s.")
            % {"found": data.get("kind"), "wanted": kind}
        )
    return peer, data


def bundle_kind(path: Path) -> str:
    """What the file says it holds, only to choose where to send it: the signature is
    checked there, before anything is applied."""
    try:
        data = json.loads(read_file(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    return data.get("kind", "") if isinstance(data, dict) else ""


def read_file(path: Path) -> bytes:
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise BundleRefused(_("Refused: the file is larger than a bundle may be."))
    return path.read_bytes()


# Records ------------------------------------------------------------------------------


def public_records(*, group: str | None = None, since: datetime | None = None):
    """This archive's own public records (never records harvested from others)."""
    records = RecordPage.objects.filter(visible_records_q(AnonymousUser()))
    records = records.filter(harvested__isnull=True, accession_number__isnull=False)
    if group:
        records = records.filter(ethnic_groups__slug=group)
    if since:
        records = records.filter(last_published_at__gte=since)
    return records.distinct().order_by("accession_number")


def describe(record: RecordPage) -> HarvestedItem:
    """A local record as the plain item a harvest applies."""
    record = record.specific
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    accession = record.accession_number
    titles = {k: v for k, v in {"vi": record.title_vi, "en": record.title_en}.items() if v}
    summaries = {"vi": record.summary_vi or "", "en": record.summary_en or ""}
    places = [p.name for p in record.provinces.all()]
    places += [p.name for p in record.former_provinces.all()]
    return HarvestedItem(
        identifier=f"oai:{settings.DSS_OAI_REPOSITORY_ID}:{accession}",
        datestamp=record.last_published_at or record.latest_revision_created_at,
        record_type=record.record_type or "custom",
        titles=titles,
        summaries={k: v for k, v in summaries.items() if v},
        groups=[g.name_vi or g.name for g in record.ethnic_groups.all()],
        subjects=[t.name for t in record.subjects.all()],
        places=places,
        date=_date_text(record),
        accession=accession,
        original_url=f"{base}/id/{accession}",
        rights=[u for u in (record.rights_statement, _licence_url(record)) if u],
    )


def _date_text(record) -> str:
    parts = [record.date_year, record.date_month, record.date_day]
    out = []
    for width, part in zip((4, 2, 2), parts, strict=True):
        if part is None:
            break
        out.append(f"{part:0{width}d}")
    return "-".join(out)


def _licence_url(record) -> str:
    return LICENCE_URLS.get(record.licence, "")


def item_entry(item: HarvestedItem) -> dict:
    entry = asdict(item)
    entry["datestamp"] = item.datestamp.isoformat()
    return entry


def entry_item(entry: dict) -> HarvestedItem:
    if not isinstance(entry, dict) or not {"identifier", "datestamp"} <= entry.keys():
        raise BundleRefused(_("Refused: a record in the bundle has no identifier or date."))
    values = {k: v for k, v in entry.items() if k in ITEM_FIELDS}
    values["datestamp"] = datetime.fromisoformat(entry["datestamp"])
    return HarvestedItem(**values)


def export_records(path: Path, **filters) -> int:
    key = load_private_key()
    entries = [item_entry(describe(r)) for r in public_records(**filters)]
    path.write_bytes(canonical(sign("records", entries, key)))
    return len(entries)


def import_records(path: Path, peer_label: str) -> Applied:
    """Check, then apply like a harvest (all or nothing)."""
    peer, data = read_bundle(read_file(path), peer_label, "records")
    items = [entry_item(e) for e in data["entries"]]
    own = [i for i in items if not i.identifier.startswith(f"oai:{data.get('sender')}:")]
    if own:
        raise BundleRefused(_("Refused: the bundle holds records of another archive."))
    return apply_records(peer, items)
