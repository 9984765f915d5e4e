"""IIIF Presentation 3 manifests and collections, built with ``iiif-prezi3``.

A manifest is what an anonymous visitor may see and hear, whoever asks: it is the same
document for everyone, so viewers on other sites (which fetch it without cookies),
aggregators and shared caches may keep it, and a citation of it means one thing. Signed-in
people who may see more use the record page. Hence every question below is asked of the
gate for ``user=None``:

* the record: ``RecordPage.objects.visible_to(None)`` (restricted, closed, under a
  protocol, private, expired or without public-web consent: no manifest);
* its media: ``visible_assets(None)`` (media with protocols of their own are left out);
* recordings with restricted segments: the restricted variant's duration, and the WebVTT
  tracks, which already hide the restricted lines for anonymous visitors; no poster.

URLs are absolute (``absolute(path)``, the request's ``build_absolute_uri``), as IIIF asks.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Choice,
    Collection,
    KeyValueString,
    Manifest,
    ManifestRef,
    ServiceV3,
)

from archive.models import CollectionPage, RecordPage
from archive.rights import Licence, RightsStatement
from media_pipeline.access import visible_assets
from media_pipeline.core.segments import restricted_name
from media_pipeline.models import AssetKind, AssetState, DerivativeFile, RecordMedia, TrackKind
from media_pipeline.presentation import players_for_record

from . import images

LANGUAGES = ("vi", "en")
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# What a IIIF body's type is for each kind of media (Presentation 3, "type" of content).
BODY_TYPES = {AssetKind.AUDIO: "Sound", AssetKind.VIDEO: "Video"}

Absolute = Callable[[str], str]


def public_record(accession: str):
    """The live record with this accession number an anonymous visitor may see, or None."""
    record = RecordPage.objects.visible_to(None).filter(accession_number__iexact=accession).first()
    return record.specific if record is not None else None


def has_manifest(record) -> bool:
    """Whether ``record`` has a manifest (asked once per page object: the record page
    asks in its head and in its citation section)."""
    if not record.accession_number:
        return False
    if not hasattr(record, "_iiif_public"):
        record._iiif_public = RecordPage.objects.visible_to(None).filter(pk=record.pk).exists()
    return record._iiif_public


def public_collection(key: str):
    """A live collection page without a view restriction, by slug or id, or None."""
    pages = CollectionPage.objects.live().public()
    found = pages.filter(slug=key).first()
    if found is None and key.isdigit():
        found = pages.filter(pk=int(key)).first()
    return found


def in_both_languages(text: Callable[[], str]) -> dict:
    """A IIIF language map of ``text()`` evaluated in Vietnamese and in English."""
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            value = str(text())
        if value:
            out[lang] = [value]
    return out


def _field_map(obj, name: str) -> dict:
    """A language map of a translated field (``title_vi``/``title_en``); English falls back
    to Vietnamese only when there is no English text at all, and is then left out."""
    out = {}
    for lang in LANGUAGES:
        value = getattr(obj, f"{name}_{lang}", "") or ""
        if value.strip():
            out[lang] = [value]
    if not out:
        value = getattr(obj, name, "") or ""
        if value:
            out["vi"] = [value]
    return out


def _entry(label: Callable[[], str], value: dict) -> KeyValueString:
    return KeyValueString(label=in_both_languages(label), value=value)


def _metadata(record, permalink: str) -> list[KeyValueString]:
    from search.oai.metadata import load_related

    related = load_related([record])[record.pk]
    rows = [
        _entry(lambda: _("Accession number"), {"none": [record.accession_number]}),
        _entry(lambda: _("Permanent link"), {"none": [permalink]}),
    ]
    if related.vernacular:
        titles: dict = {}
        for text, tag in related.vernacular:
            titles.setdefault(tag if tag and tag.replace("-", "").isalpha() else "none", []).append(
                text
            )
        rows.append(_entry(lambda: _("Title in the community's language"), titles))
    if related.groups:
        rows.append(_entry(lambda: _("Ethnic groups"), {"vi": related.groups}))
    places = ([record.locality] if record.locality else []) + related.places
    if places:
        rows.append(_entry(lambda: _("Places"), {"vi": places}))
    date = record.fuzzy_date
    if date.year is not None:
        rows.append(_entry(lambda: _("Date"), in_both_languages(date.display)))
    if related.subjects:
        rows.append(_entry(lambda: _("Subjects"), {"none": related.subjects}))
    if record.licence:
        rows.append(_entry(lambda: _("Licence"), {"none": [Licence(record.licence).label]}))
    return rows


def _rights_statement(record) -> KeyValueString:
    def text():
        try:
            statement = str(RightsStatement(record.rights_statement).label)
        except ValueError:
            statement = record.rights_statement
        if record.licence:
            return _("%(statement)s; files under %(licence)s. Please cite the record.") % {
                "statement": statement,
                "licence": Licence(record.licence).label,
            }
        return statement

    return _entry(lambda: _("Rights"), in_both_languages(text))


def _durations(asset_ids) -> dict:
    return {(d.asset_id, d.name): d for d in DerivativeFile.objects.filter(asset_id__in=asset_ids)}


def _av_canvas(player, made: dict, canvas_id: str, absolute: Absolute, label: str):
    """A canvas with the recording's tiers as a choice of bodies, and its caption and
    transcript tracks as supplementing annotations (one per language and kind)."""
    first = made.get((player.asset_id, player.sources[0].name))
    if player.partial:
        first = made.get((player.asset_id, restricted_name(player.sources[0].name))) or first
    duration = first.duration_s if first is not None else None
    if not duration:
        return None
    bodies = []
    for source in player.sources:
        done = made.get((player.asset_id, source.name))
        body = AnnotationBody(
            id=absolute(source.url),
            type=BODY_TYPES.get(player.kind, "Sound"),
            format=source.mime,
            duration=duration,
        )
        if player.kind == AssetKind.VIDEO and done is not None and done.width:
            body.width, body.height = done.width, done.height
        bodies.append(body)
    canvas = Canvas(id=canvas_id, label={"none": [label]}, duration=duration)
    if player.kind == AssetKind.VIDEO:
        tier = made.get((player.asset_id, player.sources[0].name))
        if tier is not None and tier.width:
            canvas.width, canvas.height = tier.width, tier.height
    painted = bodies[0] if len(bodies) == 1 else Choice(type="Choice", items=bodies)
    canvas.items = [
        AnnotationPage(
            id=f"{canvas_id}/page",
            items=[
                Annotation(
                    id=f"{canvas_id}/page/media",
                    motivation="painting",
                    body=painted,
                    target=canvas_id,
                )
            ],
        )
    ]
    if player.poster:
        canvas.thumbnail = [
            AnnotationBody(id=absolute(player.poster), type="Image", format="image/jpeg")
        ]
    if player.tracks:
        notes = []
        for n, track in enumerate(player.tracks):
            kind = track["src"].rsplit("/", 2)[-2]
            notes.append(
                Annotation(
                    id=f"{canvas_id}/tracks/{n}",
                    motivation="supplementing",
                    body=AnnotationBody(
                        id=absolute(track["src"]),
                        type="Text",
                        format="text/vtt",
                        language=track["srclang"],
                        label=in_both_languages(
                            lambda kind=kind, name=track["label"]: (
                                f"{TrackKind(kind).label} ({name})"
                            )
                        ),
                    ),
                    target=canvas_id,
                )
            )
        canvas.annotations = [AnnotationPage(id=f"{canvas_id}/tracks", items=notes)]
    return canvas


def _image_canvas(link, canvas_id: str, absolute: Absolute):
    copies = images.jpeg_copies(link.asset)
    if not copies:
        return None
    largest = copies[-1]
    # A service's id is its base URI; clients add "/info.json" themselves.
    service_id = absolute(reverse("iiif:image_service", args=[link.asset_id])).removesuffix(
        "/info.json"
    )
    full = absolute(
        reverse("iiif:image", args=[link.asset_id, f"{largest.width},{largest.height}"])
    )
    canvas = Canvas(
        id=canvas_id,
        label={"none": [link.caption or link.asset.title]},
        width=largest.width,
        height=largest.height,
    )
    canvas.items = [
        AnnotationPage(
            id=f"{canvas_id}/page",
            items=[
                Annotation(
                    id=f"{canvas_id}/page/image",
                    motivation="painting",
                    body=AnnotationBody(
                        id=full,
                        type="Image",
                        format="image/jpeg",
                        width=largest.width,
                        height=largest.height,
                        service=[ServiceV3(id=service_id, type="ImageService3", profile="level0")],
                    ),
                    target=canvas_id,
                )
            ],
        )
    ]
    smallest = copies[0]
    canvas.thumbnail = [
        AnnotationBody(
            id=absolute(reverse("iiif:image", args=[link.asset_id, f"{smallest.width},"])),
            type="Image",
            format="image/jpeg",
            width=smallest.width,
            height=smallest.height,
        )
    ]
    return canvas


def _canvases(record, manifest_id: str, absolute: Absolute) -> list[Canvas]:
    public = set(
        visible_assets(None).filter(record_links__record=record).values_list("pk", flat=True)
    )
    links = [
        link
        for link in RecordMedia.objects.filter(record=record, asset__state=AssetState.DONE)
        .select_related("asset")
        .prefetch_related("asset__derivatives")
        .order_by("sort_order")
        if link.asset_id in public
    ]
    players = {p.asset_id: p for p in players_for_record(record, user=None)}
    made = _durations([link.asset_id for link in links])
    canvases = []
    for link in links:
        canvas_id = f"{manifest_id.rsplit('/', 1)[0]}/canvas/{link.asset_id}"
        if link.asset.type == AssetKind.IMAGE:
            canvas = _image_canvas(link, canvas_id, absolute)
        elif link.asset_id in players:
            canvas = _av_canvas(
                players[link.asset_id], made, canvas_id, absolute, link.caption or link.asset.title
            )
        else:
            canvas = None
        if canvas is not None:
            canvases.append(canvas)
    return canvases


def manifest_for(record, absolute: Absolute) -> dict:
    """The manifest of a record the anonymous gate shows, as a JSON-ready dict."""
    manifest_id = absolute(reverse("iiif:manifest", args=[record.accession_number]))
    permalink = absolute(f"/id/{record.accession_number}")
    manifest = Manifest(
        id=manifest_id,
        label=_field_map(record, "title"),
        metadata=_metadata(record, permalink),
        requiredStatement=_rights_statement(record),
        rights=record.rights_statement or None,
        homepage=[
            {
                "id": permalink,
                "type": "Text",
                "format": "text/html",
                "label": _field_map(record, "title"),
            }
        ],
        items=_canvases(record, manifest_id, absolute),
    )
    summary = _field_map(record, "summary")
    if summary:
        manifest.summary = summary
    return json.loads(manifest.jsonld())


def collection_for(collection, absolute: Absolute) -> dict:
    """The IIIF collection of a curated collection: the manifests of its public records."""
    collection_id = absolute(reverse("iiif:collection", args=[collection.slug]))
    refs = [
        ManifestRef(
            id=absolute(reverse("iiif:manifest", args=[item.record.accession_number])),
            type="Manifest",
            label=_field_map(item.record, "title"),
        )
        for item in collection.visible_items(None)
        if item.record.accession_number
    ]
    built = Collection(
        id=collection_id,
        label=_field_map(collection, "title"),
        homepage=[
            {
                "id": absolute(collection.url),
                "type": "Text",
                "format": "text/html",
                "label": _field_map(collection, "title"),
            }
        ],
        items=refs,
    )
    summary = _field_map(collection, "description")
    if summary:
        built.summary = summary
    return json.loads(built.jsonld())
