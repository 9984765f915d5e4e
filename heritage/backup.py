"""Backup and restore of a whole instance as a BagIt bag (``manage.py backup`` / ``restore``).

A bag holds, under ``data/``:

- ``originals/ab/cd/<sha256>.bin``: every original, from the folder or the bucket;
- ``database/``: a full export, ``dss.pgdump`` (``pg_dump -Fc``) on PostgreSQL or
  ``dss.sqlite3`` (sqlite3's online backup API, a consistent copy) otherwise;
- ``tracks/<asset>-<kind>-<language>.vtt``: the caption and transcript tracks, readable without
  the site;
- ``uploads/``: the editors' uploaded images and documents (``MEDIA_ROOT``);
- ``derivatives/`` when asked for (``--with-derivatives``): they can be made again;
- ``manifest.json``: each asset's checksum and stored name with the accession numbers of the
  records it belongs to.

The bag carries SHA-256 manifests and is checked with ``bagit`` before anything is restored.
Restoring into an empty instance puts back the database, byte-identical originals (each
checked against its SHA-256) and the uploads; derivatives that were not in the bag are queued
for processing again.

**Incremental bags** (``backup DIR --since PREVIOUS``): originals are write-once and named by
their checksum, so a bag made after ``PREVIOUS`` (full or itself incremental) carries only the
originals, uploads and derivatives that ``PREVIOUS``'s manifest does not list; the database
export, the tracks and the manifest are complete every time. The manifest names the bag
(``bag_id``) and the one it builds on (``previous``). ``restore FULL INC1 INC2 …`` takes the
chain oldest first: every bag is validated, the links must follow, the database comes from
the last bag and each file from the newest bag that holds it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import bagit
from django.conf import settings
from django.db import connection

from media_pipeline.core.captions import Segment, to_webvtt
from media_pipeline.core.checksum import CHUNK_SIZE
from media_pipeline.models import (
    AssetState,
    CaptionTrack,
    DerivativeFile,
    MediaAsset,
    ProcessingJob,
    RecordMedia,
)
from media_pipeline.storage import derivatives_root, originals_storage, uses_s3

PG_DUMP = "dss.pgdump"
SQLITE_DUMP = "dss.sqlite3"
MANIFEST_FORMAT = 2  # 1: full bags only, without bag_id/previous/uploads/derivatives lists


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message names what is wrong."""


@dataclass
class RestoreReport:
    originals: int = 0
    verified: int = 0
    queued: list[int] = field(default_factory=list)
    derivatives: int = 0
    bags: int = 1


@dataclass
class BackupReport:
    bag: bagit.Bag
    originals: int  # copied into this bag
    previous: str = ""  # bag_id of the bag this one builds on ("" for a full bag)


# --- the database -----------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg_uri() -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(connection.settings_dict['NAME'], safe='')}"


def _dump_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if _is_postgres():
        out = folder / PG_DUMP
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(out),
                _pg_uri(),
            ],
            check=True,
            capture_output=True,
        )
        return out
    out = folder / SQLITE_DUMP
    connection.ensure_connection()
    target = sqlite3.connect(out)
    try:
        connection.connection.backup(target)  # a consistent copy, even of a live database
    finally:
        target.close()
    return out


def _load_database(folder: Path) -> None:
    if (folder / PG_DUMP).exists():
        if not _is_postgres():
            raise BackupError("this bag holds a PostgreSQL export: restore it into PostgreSQL")
        connection.close()
        done = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "-d",
                _pg_uri(),
                str(folder / PG_DUMP),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[-500:]}")
    elif (folder / SQLITE_DUMP).exists():
        if _is_postgres():
            raise BackupError("this bag holds a SQLite export: restore it into SQLite")
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_DUMP)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError("the bag holds no database export")
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


# --- files ------------------------------------------------------------------------------


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def _copy_original(asset: MediaAsset, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with originals_storage().open(asset.file.name, "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, CHUNK_SIZE)


def _copy_derivative(made: DerivativeFile, dest: Path) -> bool:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if uses_s3():
        from media_pipeline import objectstore

        store = objectstore.derivatives()
        if objectstore.object_size(store, made.path) is None:
            return False
        with open(dest, "wb") as out:
            for chunk in objectstore.iter_object(store, made.path):
                out.write(chunk)
        return True
    source = derivatives_root() / made.path
    if not source.is_file():
        return False
    shutil.copyfile(source, dest)
    return True


def _write_tracks(folder: Path) -> int:
    count = 0
    for track in CaptionTrack.objects.prefetch_related("segments").order_by("pk"):
        folder.mkdir(parents=True, exist_ok=True)
        segments = [Segment(s.start_s, s.end_s, s.text) for s in track.segments.all()]
        name = f"{track.asset_id}-{track.kind}-{track.language}.vtt"
        (folder / name).write_text(to_webvtt(segments), encoding="utf-8")
        count += 1
    return count


def _manifest(bag_id: str, previous: str, uploads: dict, derivatives: list[str]) -> dict:
    assets = []
    for asset in MediaAsset.objects.exclude(sha256="").order_by("pk"):
        accessions = sorted(
            n
            for n in RecordMedia.objects.filter(asset=asset).values_list(
                "record__accession_number", flat=True
            )
            if n
        )
        assets.append(
            {
                "id": asset.pk,
                "title": asset.title,
                "sha256": asset.sha256,
                "size": asset.size,
                "file": asset.file.name,
                "accession_numbers": accessions,
            }
        )
    from archive.models import RecordPage

    records = sorted(n for n in RecordPage.objects.values_list("accession_number", flat=True) if n)
    return {
        "format": MANIFEST_FORMAT,
        "bag_id": bag_id,
        "previous": previous,
        "records": records,
        "assets": assets,
        "uploads": uploads,
        "derivatives": derivatives,
    }


def _upload_checksums(root: Path) -> dict[str, str]:
    """Every file under ``MEDIA_ROOT`` by relative path, with its SHA-256."""
    found = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            with open(path, "rb") as handle:
                found[path.relative_to(root).as_posix()] = _sha256(handle)
    return found


def read_manifest(bag_dir: str | Path) -> dict:
    """The manifest of the bag at ``bag_dir``; a format-1 bag reads as a full bag."""
    path = Path(bag_dir) / "data" / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{bag_dir} is not a backup bag: it has no data/manifest.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.setdefault("bag_id", "")
    manifest.setdefault("previous", "")
    return manifest


# --- backup -----------------------------------------------------------------------------


def backup(
    dest: str | Path, *, with_derivatives: bool = False, since: str | Path | None = None
) -> BackupReport:
    """Write a bag of this instance to ``dest`` (a new or empty folder). With ``since`` (a
    previous bag), only the files that bag's manifest does not list are copied."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    base = _base_of(since) if since is not None else None
    known_originals = {a["file"] for a in base["assets"]} if base else set()
    known_uploads = base.get("uploads", {}) if base else {}
    known_derivatives = set(base.get("derivatives", [])) if base else set()
    bag_id = str(uuid.uuid4())
    dest.mkdir(parents=True, exist_ok=True)
    try:
        _dump_database(dest / "database")
        assets = list(MediaAsset.objects.exclude(sha256="").order_by("pk"))
        copied = 0
        for asset in assets:
            if asset.file.name not in known_originals:
                _copy_original(asset, dest / "originals" / asset.file.name)
                copied += 1
        tracks = _write_tracks(dest / "tracks")
        uploads_root = Path(settings.MEDIA_ROOT)
        uploads = _upload_checksums(uploads_root)
        for relative, digest in uploads.items():
            if known_uploads.get(relative) != digest:
                target = dest / "uploads" / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(uploads_root / relative, target)
        derivatives: list[str] = []
        copied_derivatives = 0
        if with_derivatives:
            for made in DerivativeFile.objects.order_by("pk"):
                if made.path in known_derivatives:
                    derivatives.append(made.path)
                elif _copy_derivative(made, dest / "derivatives" / made.path):
                    derivatives.append(made.path)
                    copied_derivatives += 1
        previous = base["bag_id"] if base else ""
        (dest / "manifest.json").write_text(
            json.dumps(
                _manifest(bag_id, previous, uploads, derivatives), ensure_ascii=False, indent=2
            ),
            encoding="utf-8",
        )
        kind = f"incremental on {previous}" if base else "full"
        bag = bagit.make_bag(
            str(dest),
            bag_info={
                "Source-Organization": settings.WAGTAIL_SITE_NAME,
                "External-Identifier": bag_id,
                "External-Description": (
                    f"Di Sản Số backup ({kind}): {copied} of {len(assets)} originals, "
                    f"{tracks} tracks, {copied_derivatives} derivatives, "
                    f"database {connection.vendor}"
                ),
            },
            checksums=["sha256"],
        )
        return BackupReport(bag=bag, originals=copied, previous=previous)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def _base_of(since: str | Path) -> dict:
    """The manifest of the bag an incremental one builds on. Its structure, payload sizes
    and its manifest's checksum are checked (reading every original again is left to
    restore); one without an id (written before incremental bags existed) cannot be named
    by the next bag, so it is refused."""
    try:
        bag = bagit.Bag(str(since))
        bag.validate(fast=True)
    except (bagit.BagError, bagit.BagValidationError) as exc:
        raise BackupError(f"the previous bag {since} is not valid: {exc}") from exc
    listed = bag.entries.get("data/manifest.json", {}).get("sha256")
    with open(Path(since) / "data" / "manifest.json", "rb") as handle:
        if listed != _sha256(handle):
            raise BackupError(
                f"the previous bag {since} is not valid: data/manifest.json does not match "
                "its checksum"
            )
    base = read_manifest(since)
    if not base["bag_id"]:
        raise BackupError(
            f"the previous bag {since} has no bag id (an older format): make a full backup first"
        )
    return base


# --- restore ----------------------------------------------------------------------------


def open_valid_bag(path: str | Path) -> bagit.Bag:
    """The bag at ``path`` after a full check; a damaged one is refused with its files named."""
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except bagit.BagValidationError as exc:
        named = sorted({str(getattr(d, "path", d)) for d in (exc.details or [])})
        raise BackupError(
            "the bag is damaged: " + (", ".join(named) if named else str(exc.message))
        ) from exc
    except bagit.BagError as exc:
        raise BackupError(f"not a valid bag: {exc}") from exc
    return bag


def _instance_is_empty() -> bool:
    from archive.models import RecordPage

    if MediaAsset.objects.exists() or RecordPage.objects.exists():
        return False
    if uses_s3():
        from media_pipeline import objectstore

        return next(objectstore.list_names(objectstore.originals()), None) is None
    root = Path(settings.DSS_ORIGINALS_ROOT)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def _put_original(path: Path, name: str) -> None:
    with open(path, "rb") as handle:
        stored = originals_storage().backend()._save(name, handle)
    if stored != name:
        raise BackupError(f"{name} does not match its checksum (stored as {stored})")


def _put_derivative(path: Path, relative: str) -> None:
    if uses_s3():
        from media_pipeline import objectstore

        store = objectstore.derivatives()
        client = store.connection.meta.client
        client.upload_file(str(path), store.bucket_name, objectstore.key_of(store, relative))
        return
    target = derivatives_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)


def _chain(sources) -> list[tuple[Path, dict]]:
    """The bags to restore, oldest first, each validated, with their manifests; the first
    must be full and each next one must build on the one before it."""
    chain = []
    for source in sources:
        bag = open_valid_bag(source)
        chain.append((Path(bag.path) / "data", read_manifest(bag.path)))
    first = chain[0][1]
    if first["previous"]:
        raise BackupError(
            f"{sources[0]} is incremental (it builds on bag {first['previous']}): give the "
            "full bag first, then each incremental bag in the order they were made"
        )
    for (_, earlier), source, (_, later) in zip(chain, sources[1:], chain[1:], strict=False):
        if later["previous"] != earlier["bag_id"]:
            raise BackupError(
                f"{source} builds on bag {later['previous'] or '(none: a full bag)'}, "
                f"not on the bag before it ({earlier['bag_id'] or 'without an id'})"
            )
    return chain


def _newest_holding(chain, folder: str, relative: str) -> Path | None:
    for data, _ in reversed(chain):
        path = data / folder / relative
        if path.is_file():
            return path
    return None


def restore(*sources: str | Path, force: bool = False) -> RestoreReport:
    """Restore the bag at ``sources[0]`` into this (empty) instance, or a full bag followed
    by the incremental bags made after it, oldest first."""
    if not sources:
        raise BackupError("no bag given")
    chain = _chain(sources)
    if not force and not _instance_is_empty():
        raise BackupError("this instance is not empty: restore only into a new instance")
    last_data, manifest = chain[-1]
    # Every original the newest manifest lists must be in one of the bags before anything
    # is written, so a missing link in the chain leaves the instance untouched.
    originals = {}
    for entry in manifest["assets"]:
        path = _newest_holding(chain, "originals", entry["file"])
        if path is None:
            raise BackupError(f"the bag lacks the original {entry['file']}")
        originals[entry["file"]] = path
    _load_database(last_data / "database")

    report = RestoreReport(bags=len(chain))
    for name, path in originals.items():
        _put_original(path, name)
        report.originals += 1

    _restore_uploads(chain, manifest)

    # Every original, read back from the store, must hash to the checksum taken at ingest.
    for asset in MediaAsset.objects.exclude(sha256="").order_by("pk"):
        with originals_storage().open(asset.file.name, "rb") as handle:
            actual = _sha256(handle)
        if actual != asset.sha256:
            raise BackupError(f"{asset.file.name}: expected {asset.sha256}, found {actual}")
        report.verified += 1

    restored: dict[int, int] = {}
    for made in DerivativeFile.objects.order_by("pk"):
        path = _newest_holding(chain, "derivatives", made.path)
        if path is not None:
            _put_derivative(path, made.path)
            restored[made.asset_id] = restored.get(made.asset_id, 0) + 1
            report.derivatives += 1
    _queue_missing_derivatives(report, restored)
    _refresh_search()
    return report


def _restore_uploads(chain, manifest: dict) -> None:
    target = Path(settings.MEDIA_ROOT)
    listed = manifest.get("uploads")
    if listed is None:  # a format-1 bag: its uploads folder is complete
        for data, _ in chain:
            if (data / "uploads").is_dir():
                shutil.copytree(data / "uploads", target, dirs_exist_ok=True)
        return
    for relative in listed:
        path = _newest_holding(chain, "uploads", relative)
        if path is None:
            raise BackupError(f"the bag lacks the upload {relative}")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


def _queue_missing_derivatives(report: RestoreReport, restored: dict[int, int]) -> None:
    """Assets whose derivatives did not all come back are processed again (queued jobs)."""
    from media_pipeline.services.processing import retry

    for asset in MediaAsset.objects.exclude(sha256="").exclude(state=AssetState.QUARANTINED):
        rows = asset.derivatives.count()
        if rows and restored.get(asset.pk, 0) == rows:
            continue
        DerivativeFile.objects.filter(asset=asset).delete()
        ProcessingJob.objects.filter(asset=asset).delete()
        retry(asset)
        report.queued.append(asset.pk)


def _refresh_search() -> None:
    """The database's own index came back with it; process copies are rebuilt on demand."""
    from search.memory.index import forget_all

    forget_all()
    if settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] != "wagtail.search.backends.database":
        from django.core.management import call_command

        call_command("update_index", verbosity=0)
