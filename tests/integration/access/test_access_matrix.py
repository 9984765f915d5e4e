"""Every door, every role, every rule: one matrix.

A small archive is built once for the module: one record per access rule (each access
level, each kind of cultural protocol, both ways of combining them, a seasonal protocol
inside and outside its window, consent given, missing and withdrawn, an access grant and
an expired one, and a media asset carrying its own protocol). Each record's title, slug,
summary and media carry a unique marker. The clock is frozen through ``archive.access.now``.

Every door in ``DOORS`` is then requested as each role in ``ROLES``. A door says how its
URL is built and what a response must look like; the check is always the same: the status
is the expected one, and the marker of every record (or asset) the role may not see appears
nowhere in the body or the headers (ZIP files are opened). Listing doors that should show
what the role may see also check that the visible markers are there, so a door that shows
nothing cannot pass by accident.

Adding a door (an API, OAI-PMH, IIIF, an export, a harvest feed) is adding one entry to
``DOORS``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction

from archive.access import VIETNAM
from archive.models import (
    AccessRequest,
    AssetProtocols,
    CollectionItem,
    CollectionPage,
    FestivalPage,
    LessonItem,
    LessonPack,
    Person,
    Protocol,
    RecordContributor,
    RecordPage,
    RecordProtocol,
)
from archive.services import consent as consent_service
from heritage.site_setup import ensure_site_tree, section
from tests.factories import make_auth_group, make_group, make_record, make_user
from tests.integration.access import doors_exchange, doors_officers, doors_open

# Vietnam time 2026-03-10 12:00 is day 22 of lunar month 1 of 2026.
MOMENT = datetime(2026, 3, 10, 12, 0, tzinfo=VIETNAM)

ROLES = ("anonymous", "registered", "member", "man", "woman", "liaison", "officer")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
COMMUNITY = frozenset({"member", "man", "woman", "liaison", "officer"})
OFFICER = frozenset({"officer"})


@dataclass(frozen=True)
class Scenario:
    key: str
    sees: frozenset  # roles that may see the record
    level: str = "public"
    protocols: tuple = ()  # names in World.protocols
    mode: str = "all"
    consent: str = ""  # "", "given", "missing", "withdrawn"
    grant: str = ""  # "", "valid", "expired" (for the registered visitor)
    asset_protocols: tuple = ()
    asset_sees: frozenset | None = None  # roles that may receive the media (default: sees)
    privacy: str = ""  # a Wagtail page view restriction: "", "login"
    expired: bool = False  # expire_at has passed (the worker has not unpublished it yet)
    # A restricted segment of the media (10-12 s) carrying these protocols: its transcript
    # line carries ``segment_marker``, which only ``segment_sees`` may receive.
    segment_protocols: tuple = ()
    segment_sees: frozenset | None = None

    @property
    def marker(self) -> str:
        return f"zqk{self.key}q"

    @property
    def asset_marker(self) -> str:
        """Carried by the record's media only (title, caption, bytes, transcript)."""
        return f"zqa{self.key}q"

    @property
    def segment_marker(self) -> str:
        return f"zqs{self.key}q"

    @property
    def hears(self) -> frozenset:
        return self.media_sees if self.segment_sees is None else self.segment_sees

    @property
    def media_sees(self) -> frozenset:
        return self.sees if self.asset_sees is None else self.asset_sees


SCENARIOS = [
    Scenario("public", EVERYONE),
    Scenario("registered", SIGNED_IN, level="registered"),
    Scenario("groups", COMMUNITY, level="groups"),
    Scenario("closed", OFFICER, level="closed"),
    Scenario("protoregistered", SIGNED_IN, protocols=("registered",)),
    Scenario("protocommunity", COMMUNITY, protocols=("community",)),
    Scenario("protomen", frozenset({"man", "officer"}), protocols=("men",)),
    Scenario("protowomen", frozenset({"woman", "officer"}), protocols=("women",)),
    Scenario("protoclosed", OFFICER, protocols=("closed",)),
    Scenario(
        "anymenwomen",
        frozenset({"man", "woman", "officer"}),
        protocols=("men", "women"),
        mode="any",
    ),
    Scenario(
        "allcommunitywomen", frozenset({"woman", "officer"}), protocols=("community", "women")
    ),
    Scenario("seasonopen", EVERYONE, protocols=("lunar_open",)),
    Scenario("seasonshut", OFFICER, protocols=("lunar_shut",)),
    Scenario("seasonsolar", EVERYONE, protocols=("solar_open",)),
    Scenario(
        "anyseasonmen", frozenset({"man", "officer"}), protocols=("lunar_shut", "men"), mode="any"
    ),
    Scenario("consentgiven", EVERYONE, consent="given"),
    Scenario("consentmissing", OFFICER, consent="missing"),
    Scenario("consentwithdrawn", OFFICER, consent="withdrawn"),
    Scenario("granted", frozenset({"registered", "officer"}), level="groups", grant="valid"),
    Scenario("grantexpired", OFFICER, level="groups", grant="expired"),
    Scenario("privacylogin", SIGNED_IN, privacy="login"),
    # Nobody sees an expired record through the site; officers still reach its media.
    Scenario("expired", frozenset(), expired=True, asset_sees=OFFICER),
    Scenario(
        "assetmen",
        EVERYONE,
        asset_protocols=("men",),
        asset_sees=frozenset({"man", "officer"}),
    ),
    Scenario(
        "segmentmen",
        EVERYONE,
        segment_protocols=("men",),
        segment_sees=frozenset({"man", "officer"}),
    ),
]
BY_KEY = {s.key: s for s in SCENARIOS}


@dataclass
class World:
    records: dict = field(default_factory=dict)
    assets: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    protocols: dict = field(default_factory=dict)
    group_slug: str = ""
    collection_url: str = ""
    pack_token: str = ""
    redirects: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)  # record key -> rendition URL
    image_original: str = ""
    document_url: str = ""


def _fake_asset(record, scenario: Scenario, n: int):
    """A processed audio asset without running the tools: rows and small files whose bytes
    carry the scenario's marker, so any door serving them shows it."""
    from media_pipeline.models import (
        AssetState,
        CaptionTrack,
        DerivativeFile,
        MediaAsset,
        RecordMedia,
        TranscriptSegment,
    )

    originals = Path(settings.DSS_ORIGINALS_ROOT)
    derivatives = Path(settings.DSS_DERIVATIVES_ROOT)
    (originals / "matrix").mkdir(parents=True, exist_ok=True)
    (derivatives / "matrix").mkdir(parents=True, exist_ok=True)
    original = originals / "matrix" / f"{n}.wav"
    original.write_bytes(f"RIFF original {scenario.asset_marker}".encode())
    asset = MediaAsset.objects.create(
        title=f"Media {scenario.asset_marker}",
        type="audio",
        state=AssetState.DONE,
        mime="audio/wav",
        file=f"matrix/{n}.wav",
    )
    for name, mime in (
        ("audio_opus", "audio/ogg"),
        ("poster", "image/jpeg"),
        ("waveform", "application/json"),
    ):
        path = f"matrix/{n}-{name}"
        (derivatives / path).write_bytes(f"{name} {scenario.asset_marker}".encode())
        DerivativeFile.objects.create(
            asset=asset, name=name, path=path, mime=mime, preset_key="matrix", size=20
        )
    track = CaptionTrack.objects.create(
        asset=asset, language="vi", kind="transcript", source_format="txt"
    )
    TranscriptSegment.objects.create(
        track=track, position=0, start_s=0, end_s=2, text=f"Lời {scenario.asset_marker}"
    )
    if scenario.segment_protocols:
        TranscriptSegment.objects.create(
            track=track, position=1, start_s=10, end_s=12, text=f"Lời {scenario.segment_marker}"
        )
        # The restricted variants the media core would make: the range is not in their bytes.
        for name in ("audio_opus", "poster", "waveform"):
            path = f"matrix/{n}-{name}_restricted"
            (derivatives / path).write_bytes(f"{name} {scenario.asset_marker}".encode())
            DerivativeFile.objects.create(
                asset=asset, name=f"{name}_restricted", path=path, mime="audio/ogg", size=20
            )
        # ... and the full files carry the range's marker.
        for made in DerivativeFile.objects.filter(asset=asset).exclude(
            name__endswith="_restricted"
        ):
            (derivatives / made.path).write_bytes(
                f"{made.name} {scenario.asset_marker} {scenario.segment_marker}".encode()
            )
    RecordMedia.objects.create(record=record, asset=asset, caption=f"Media {scenario.asset_marker}")
    # Saving may queue processing, which quarantines the fake original: mark it done again.
    MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.DONE)
    return asset


def _build(world: World) -> None:
    community = make_auth_group("Community: Ê Đê village")
    men = make_auth_group("Community: Ê Đê men")
    women = make_auth_group("Community: Ê Đê women")
    liaisons = make_auth_group("Community liaison")
    other = make_auth_group("Community: elsewhere")

    def protocol(name, kind, **fields):
        return Protocol.objects.create(name_vi=name, name_en=name, kind=kind, **fields)

    world.protocols = {
        "registered": protocol("Người đăng ký", "registered"),
        "community": protocol("Cộng đồng", "group", group=community),
        "men": protocol("Chỉ nam giới", "men", group=men),
        "women": protocol("Chỉ nữ giới", "women", group=women),
        "closed": protocol("Đóng", "closed"),
        "lunar_open": protocol(
            "Tháng Giêng", "seasonal", calendar="lunar", start_month=1, start_day=1,
            end_month=2, end_day=15,
        ),
        "lunar_shut": protocol(
            "Tháng Bảy", "seasonal", calendar="lunar", start_month=7, start_day=1,
            end_month=7, end_day=30,
        ),
        "solar_open": protocol(
            "Mùa khô", "seasonal", calendar="solar", start_month=12, start_day=20,
            end_month=3, end_day=15,
        ),
    }  # fmt: skip

    group = make_group("Ê Đê matrix", slug="e-de-matrix")
    world.group_slug = group.slug

    def officer():
        user = make_user(
            "officer",
            perms=[
                "archive.view_closed_records",
                "archive.view_restricted_records",
                "wagtailadmin.access_admin",
            ],
        )
        return user

    world.users = {
        "anonymous": None,
        "registered": make_user("registered"),
        "member": make_user("member", groups=[community]),
        "man": make_user("man", groups=[community, men]),
        "woman": make_user("woman", groups=[community, women]),
        "liaison": make_user("liaison", groups=[community, liaisons]),
        "officer": officer(),
    }

    speaker = Person.objects.create(name="Người nói (matrix)")
    for n, scenario in enumerate(SCENARIOS, start=1):
        record = make_record(
            FestivalPage,
            title_vi=f"Zqmatrix {scenario.marker}",
            slug=scenario.marker,
            summary_vi=f"Lời thiêng {scenario.marker} nội dung",
            access_level=scenario.level,
            protocol_mode=scenario.mode,
            groups=[group],
        )
        if scenario.level == "groups":
            record.allowed_groups.set([other if scenario.grant else community])
        for order, name in enumerate(scenario.protocols):
            RecordProtocol.objects.create(
                record=record, protocol=world.protocols[name], sort_order=order
            )
        if scenario.consent:
            person = Person.objects.create(name=f"Speaker {n}")
            RecordContributor.objects.create(record=record, person=person, role="speaker")
            if scenario.consent in ("given", "withdrawn"):
                consent_service.consent(
                    person, scopes=["archive", "public_web"], on=date(2024, 1, 1), record=record
                )
            if scenario.consent == "withdrawn":
                consent_service.withdraw(
                    person, scopes=["public_web"], on=date(2025, 5, 2), record=record
                )
        elif n % 3 == 0:  # a consenting speaker on some others: consent does not hide them
            RecordContributor.objects.create(record=record, person=speaker, role="singer")
        if scenario.grant:
            expires = date(2026, 12, 31) if scenario.grant == "valid" else date(2026, 3, 9)
            AccessRequest.objects.create(
                user=world.users["registered"],
                record=record,
                reason="Nghiên cứu",
                status="approved",
                expires_on=expires,
            )
        record.save_revision().publish()
        if scenario.privacy:
            from wagtail.models import PageViewRestriction

            PageViewRestriction.objects.create(page=record, restriction_type=scenario.privacy)
        if scenario.expired:
            RecordPage.objects.filter(pk=record.pk).update(expire_at=MOMENT - timedelta(days=1))
        world.records[scenario.key] = RecordPage.objects.get(pk=record.pk)
        asset = _fake_asset(record, scenario, n)
        if scenario.asset_protocols:
            rules = AssetProtocols.objects.create(asset=asset)
            rules.protocols.set([world.protocols[p] for p in scenario.asset_protocols])
        if scenario.segment_protocols:
            from archive.models import RestrictedSegment

            with mock.patch("media_pipeline.services.processing.restrictions_changed"):
                segment = RestrictedSegment.objects.create(asset=asset, start_s=10, end_s=12)
                segment.protocols.set([world.protocols[p] for p in scenario.segment_protocols])
        world.assets[scenario.key] = asset
    consent_service.consent(
        speaker, scopes=["archive", "public_web", "education"], on=date(2023, 6, 1)
    )

    home = ensure_site_tree()
    collection = CollectionPage(title_vi="Bộ sưu tập ma trận", slug="ma-tran")
    section(home, "collections").add_child(instance=collection)
    for order, record in enumerate(world.records.values()):
        CollectionItem.objects.create(collection=collection, record=record, sort_order=order)
    collection.save_revision().publish()
    world.collection_url = collection.url

    pack = LessonPack.objects.create(
        title_vi="Gói bài ma trận", grade=6, subject="history", owner=world.users["officer"],
        listed=True,
    )  # fmt: skip
    for order, record in enumerate(world.records.values()):
        LessonItem.objects.create(pack=pack, record=record, sort_order=order)
    world.pack_token = str(pack.token)

    from wagtail.contrib.redirects.models import Redirect

    for key, record in world.records.items():
        # As Wagtail records a renamed page's old address: language prefix, no final slash.
        old = f"/vi/festivals/old-{key}"
        Redirect.objects.create(old_path=old, redirect_page=record)
        world.redirects[key] = old + "/"

    _images_and_documents(world)

    from search.indexing import rebuild

    rebuild()


def _images_and_documents(world: World) -> None:
    """An image in each record's body (rendition and original doors) and a document used
    nowhere (the documents door): both are served only where they are used visibly
    (``heritage/file_gate.py``)."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    for key, record in world.records.items():
        data = io.BytesIO()
        PILImage.new("RGB", (16, 12), (120, 40, 10)).save(data, "PNG")
        image = get_image_model().objects.create(
            title=f"Ảnh {key}", file=ImageFile(io.BytesIO(data.getvalue()), name=f"mx-{key}.png")
        )
        page = RecordPage.objects.get(pk=record.pk).specific
        page.body_vi = [
            {"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}}
        ]
        page.save()  # the record's content row only; the reference index reads it
        ReferenceIndex.create_or_update_for_object(page)
        world.images[key] = image.get_rendition("width-400").url
        if key == "closed":
            world.image_original = f"/media/{image.file.name}"
    document = get_document_model().objects.create(
        title="Lời khấn (tài liệu)",
        file=ContentFile(f"WEBVTT {BY_KEY['closed'].marker}".encode(), name="mx-loi-khan.vtt"),
    )
    world.document_url = document.url


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), mock.patch("archive.access.now", return_value=MOMENT):
        with transaction.atomic():
            built = World()
            _build(built)
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The matrix asks each door many times a minute from one address."""
    settings.DSS_SEARCH_RATE_PER_MINUTE = 0
    settings.DSS_SUGGEST_RATE_PER_MINUTE = 0
    settings.DSS_OFFLINE_PACK_RATE_PER_MINUTE = 0
    settings.DSS_API_RATE_PER_MINUTE = 0


@pytest.fixture
def frozen():
    with mock.patch("archive.access.now", return_value=MOMENT):
        yield MOMENT


# -- doors -----------------------------------------------------------------------------------


def text_of(response) -> str:
    """Body and headers of a response as text; ZIP files are opened, every entry read."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"\n".join(archive.read(name) for name in archive.namelist())
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return (headers + "\n" + body.decode("utf-8", errors="replace")).lower()


@dataclass
class Door:
    """One way in. ``per`` is "record" (one URL per record: ``url(world, key)``), "asset"
    (one URL per media asset) or "page" (one URL: ``url(world, None)``). ``shown``/
    ``hidden`` are the statuses when the role may or may not see the item; for pages,
    ``status`` is expected for every role and ``lists`` says whether the markers of what
    the role may see must be present."""

    name: str
    url: Callable
    per: str = "page"
    shown: tuple = (200,)
    hidden: tuple = (404,)
    status: tuple = (200,)
    lists: bool = False
    lists_roles: frozenset = EVERYONE  # roles for which ``lists`` is checked
    roles: frozenset = EVERYONE  # roles this door is checked for
    marks: tuple = ()
    # Extra check: check(response, text, role, scenario or None) -> list of problems.
    check: Callable | None = None

    def param(self):
        return pytest.param(self, id=self.name, marks=list(self.marks))


def visible_count(role) -> int:
    return sum(role in s.sees for s in SCENARIOS)


def _count_is_visible(response, text, role, scenario):
    count = response.json()["count"]
    expected = visible_count(role)
    return [] if count == expected else [f"count {count}, expected {expected}"]


def _group_facet_is_visible(response, text, role, scenario):
    facets = {f["value"]: f["count"] for f in response.json()["facets"]["group"]}
    counted = facets.get("e-de-matrix", 0)
    expected = visible_count(role)
    return [] if counted == expected else [f"group facet {counted}, expected {expected}"]


def _group_list_count(response, text, role, scenario):
    import re

    found = re.search(r'e-de-matrix/">[^<]*</a>\s*<span class="count">\((\d+)', text)
    counted = int(found.group(1)) if found else 0
    expected = visible_count(role)
    return [] if counted == expected else [f"group count {counted}, expected {expected}"]


def _found_only_if_media_visible(response, text, role, scenario):
    """Searching words of a recording's transcript finds the record only for those who may
    hear the recording (otherwise the search itself tells what the restricted media says).
    Search documents are shared, so words of media with protocols are found by nobody."""
    count = response.json()["count"]
    hears = role in scenario.sees and role in scenario.media_sees
    expected = 1 if hears and not scenario.asset_protocols else 0
    return [] if count == expected else [f"found {count}, expected {expected}"]


def _record_url(world, key):
    return world.records[key].url


def _asset_url(name):
    def build(world, key):
        return f"/files/{world.assets[key].pk}/{name}"

    return build


# Doors that must give those who may hear a restricted segment the full version.
FULL_VERSION_DOORS = {"media-file", "media-captions"}

# A login-restricted page sends anonymous visitors to sign in (Wagtail), with no title.
PAGE_HIDDEN = (404, 302)

DOORS = [
    Door("record-page", _record_url, per="record", hidden=PAGE_HIDDEN),
    Door(
        "record-page-en",
        lambda w, k: "/en" + w.records[k].url[3:],
        per="record",
        hidden=PAGE_HIDDEN,
    ),
    Door(
        "redirect",
        lambda w, k: w.redirects[k],
        per="record",
        shown=(301, 302),
    ),
    Door(
        "stable-id",
        lambda w, k: f"/vi/id/{w.records[k].accession_number}/",
        per="record",
        shown=(302,),
    ),
    # Wagtail images and documents (heritage/file_gate.py). Officers hold admin access and
    # receive every file, so these doors are checked for everyone else.
    Door(
        "image-rendition",
        lambda w, k: w.images[k],
        per="record",
        roles=EVERYONE - OFFICER,
    ),
    Door("image-original", lambda w, k: w.image_original, status=(404,), roles=EVERYONE - OFFICER),
    Door("document", lambda w, k: w.document_url, status=(404,), roles=EVERYONE - OFFICER),
    Door("media-file", _asset_url("audio_opus"), per="asset"),
    Door("media-poster", _asset_url("poster"), per="asset"),
    Door("media-waveform", _asset_url("waveform"), per="asset"),
    Door("media-captions", _asset_url("captions/transcript/vi.vtt"), per="asset"),
    # Asking for a restricted variant by name: anyone who may receive the media may have it.
    Door(
        "media-restricted-variant",
        _asset_url("audio_opus_restricted"),
        per="asset",
        shown=(200, 404),
    ),
    Door(
        "media-original",
        _asset_url("original"),
        per="asset",
        roles=EVERYONE - {"officer"},  # originals are for officers; hidden for all others
        shown=(404,),
    ),
    # The officer sees more records than one page of results holds.
    Door(
        "search-page",
        lambda w, k: "/vi/search/?q=zqmatrix",
        lists=True,
        lists_roles=EVERYONE - OFFICER,
    ),
    Door(
        "search-json",
        lambda w, k: "/api/v1/search?q=zqmatrix&lang=vi",
        lists=True,
        lists_roles=EVERYONE - OFFICER,
        check=_count_is_visible,
    ),
    Door(
        "search-json-facets",
        lambda w, k: "/api/v1/search?q=zqmatrix&lang=vi",
        check=_group_facet_is_visible,
    ),
    Door(
        "search-json-transcript",
        lambda w, k: f"/api/v1/search?q={BY_KEY[k].asset_marker}&lang=vi",
        per="asset",
        hidden=(200,),
        check=_found_only_if_media_visible,
    ),
    Door("suggest", lambda w, k: "/api/v1/suggest?q=zqmatrix&lang=vi"),
    Door("home", lambda w, k: "/vi/"),
    Door("section-list", lambda w, k: "/vi/festivals/"),
    Door("group-page", lambda w, k: f"/vi/groups/{w.group_slug}/", lists=True),
    Door("group-list", lambda w, k: "/vi/groups/", check=_group_list_count),
    Door("browse-groups", lambda w, k: "/vi/browse/groups/"),
    Door("province-map", lambda w, k: "/vi/browse/provinces/"),
    Door("browse-collections", lambda w, k: "/vi/browse/collections/"),
    Door("collection", lambda w, k: w.collection_url, lists=True),
    Door("sitemap-index", lambda w, k: "/sitemap.xml"),
    Door("sitemap-vi", lambda w, k: "/vi/sitemap.xml"),
    # Monitoring: 503 here (no task worker reports in tests); says nothing of any record.
    Door("healthz", lambda w, k: "/healthz", status=(200, 503)),
    Door("calendar", lambda w, k: "/vi/browse/calendar/"),
    Door("calendar-ics", lambda w, k: "/vi/browse/calendar.ics"),
    Door("teachers", lambda w, k: "/vi/teachers/"),
    Door("lesson-pack", lambda w, k: f"/vi/teachers/packs/{w.pack_token}/", lists=True),
    Door("lesson-projector", lambda w, k: f"/vi/teachers/packs/{w.pack_token}/projector/"),
    Door("lesson-handout", lambda w, k: f"/vi/teachers/packs/{w.pack_token}/handout/"),
    Door(
        "lesson-offline-zip",
        lambda w, k: f"/vi/teachers/packs/{w.pack_token}/offline.zip",
        roles=frozenset({"anonymous"}),  # the ZIP is built for anonymous visitors
    ),
    Door("access-requests", lambda w, k: "/vi/access/", roles=SIGNED_IN),
    Door(
        "access-requests-anonymous",
        lambda w, k: "/vi/access/",
        roles=frozenset({"anonymous"}),
        status=(302,),
    ),
    # The liaison's queue: liaisons see it (requests they decide), others get 404.
    Door("access-queue", lambda w, k: "/vi/access/queue/", roles=SIGNED_IN, status=(200, 404)),
    Door(
        "access-queue-anonymous",
        lambda w, k: "/vi/access/queue/",
        roles=frozenset({"anonymous"}),
        status=(302,),
    ),
    Door(
        "admin-view-draft",
        lambda w, k: f"/admin/pages/{w.records[k].pk}/view_draft/",
        per="record",
        roles=EVERYONE - {"officer"},
        shown=(302,),
        hidden=(302,),
    ),
]

# Doors opened by later issues live in modules of their own (officers' tools, the open
# standard doors, the exchange between instances), so each grows without editing this
# list. Each module's ``doors(Door)`` returns its entries, built with the same ``Door``.
for _module in (doors_officers, doors_open, doors_exchange):
    DOORS += _module.doors(Door)


def _client_for(client, world, role):
    client.logout()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("door", [d.param() for d in DOORS])
def test_every_door_keeps_every_promise(door, world, client, frozen):
    problems = []
    for role in ROLES:
        if role not in door.roles:
            continue
        _client_for(client, world, role)
        if door.per == "page":
            response = client.get(door.url(world, None))
            text = text_of(response)
            if response.status_code not in door.status:
                problems.append(f"{role}: status {response.status_code}")
            if door.check is not None:
                problems.extend(f"{role}: {p}" for p in door.check(response, text, role, None))
            for scenario in SCENARIOS:
                may = role in scenario.sees
                if not may and scenario.marker in text:
                    problems.append(f"{role}: {scenario.key} leaks")
                if may and door.lists and role in door.lists_roles and scenario.marker not in text:
                    problems.append(f"{role}: {scenario.key} missing")
                if role not in scenario.media_sees and scenario.asset_marker in text:
                    problems.append(f"{role}: media of {scenario.key} leaks")
                if role not in scenario.hears and scenario.segment_marker in text:
                    problems.append(f"{role}: restricted segment of {scenario.key} leaks")
            continue
        for scenario in SCENARIOS:
            sees = scenario.media_sees if door.per == "asset" else scenario.sees
            may = role in sees
            response = client.get(door.url(world, scenario.key))
            expected = door.shown if may else door.hidden
            if response.status_code not in expected:
                problems.append(f"{role}: {scenario.key} status {response.status_code}")
            # The slug is in the URL the visitor typed (echoed in language links).
            text = text_of(response).replace(f"/{scenario.marker}/", "/")
            if door.check is not None:
                problems.extend(
                    f"{role}: {scenario.key} {p}"
                    for p in door.check(response, text, role, scenario)
                )
            if not may and door.per == "record" and scenario.marker in text:
                problems.append(f"{role}: {scenario.key} leaks")
            if role not in scenario.media_sees and scenario.asset_marker in text:
                problems.append(f"{role}: media of {scenario.key} leaks")
            if role not in scenario.hears and scenario.segment_marker in text:
                problems.append(f"{role}: restricted segment of {scenario.key} leaks")
            if (
                door.per != "page"
                and door.name in FULL_VERSION_DOORS
                and role in scenario.hears
                and scenario.segment_protocols
                and scenario.segment_marker not in text
            ):
                problems.append(f"{role}: {scenario.key} lacks the full version")
    assert not problems, f"{door.name}: " + "; ".join(problems)


@pytest.mark.django_db
def test_seasonal_record_follows_its_window_with_no_edit(world, client):
    """The same request, at two moments: hidden outside the lunar window, shown inside."""
    record = world.records["seasonshut"]
    inside = datetime(2026, 8, 20, 12, 0, tzinfo=VIETNAM)  # lunar 8/7/2026
    for moment, status in ((MOMENT, 404), (inside, 200), (inside + timedelta(days=60), 404)):
        with mock.patch("archive.access.now", return_value=moment):
            client.logout()
            response = client.get(record.url)
            assert response.status_code == status, moment
            search = client.get("/api/v1/search?q=zqmatrix&lang=vi").content.decode().lower()
            assert (BY_KEY["seasonshut"].marker in search) == (status == 200), moment
