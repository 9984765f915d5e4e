"""The API's doors. Thin: each checks the rate limit, asks ``describe`` (or the search
service) for what this visitor may see, and answers through ``answers``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query

from ..oai.sets import set_exists
from ..service import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, search
from ..views import _RAW_LIMIT, filters_from
from . import changes as feed
from . import describe, schemas
from .answers import answer
from .site import Refused, api, throttle

Lang = Literal["vi", "en"]
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
PageNo = Query(1, ge=1, le=MAX_PAGE)
EVERY = Query([])  # a filter not given: no restriction


def _responses(ok) -> dict:
    return {200: ok, 304: None, **ERRORS}


@api.get("/records", response=_responses(schemas.RecordList), tags=["records"])
def records(
    request,
    q: str = "",
    group: list[str] = EVERY,
    province: list[str] = EVERY,
    type: list[str] = EVERY,
    media: list[str] = EVERY,
    language: list[str] = EVERY,
    decade: list[str] = EVERY,
    has: list[str] = EVERY,
    lang: Lang = "vi",
    page: int = PageNo,
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Records matching a search and the search page's filters (repeat a filter to combine
    values), as the search page would list them for this visitor."""
    throttle(request)
    with translation.override(lang):
        found = search(q[:_RAW_LIMIT], filters_from(request), request.user, lang, page, page_size)
        payload = found.as_json() | {
            "page": found.page,
            "page_size": found.page_size,
            "num_pages": found.num_pages,
            "messages": [str(m) for m in found.messages],
        }
    by_accession = {r.accession: r for r in found.results}
    for row in payload["results"]:
        result = by_accession[row["accession"]]
        row |= {"title_lang": result.title_lang, "type_label": result.type_label}
        row.pop("segments", None)
    return answer(request, payload)


@api.get("/records/{accession}", response=_responses(schemas.Record), tags=["records"])
def record(request, accession: str, lang: Lang = "vi"):
    """One record in both languages, with its titles in the community's language, its
    media (public derivatives: types and sizes) and its rights."""
    throttle(request)
    found = describe.find_record(accession, request.user)
    if found is None:
        raise Http404
    payload = describe.record_detail(found, request.user, lang)
    return answer(request, payload, last_modified=found.last_published_at)


@api.get("/media/{asset_id}", response=_responses(schemas.Media), tags=["media"])
def media(request, asset_id: int):
    """One media asset the visitor may receive, with its derivatives (never the original)."""
    throttle(request)
    asset = describe.visible_assets(request.user).filter(pk=asset_id).first()
    if asset is None:
        raise Http404
    return answer(request, describe.media_summaries([asset])[0])


@api.get("/groups", response=_responses(schemas.GroupPage), tags=["reference"])
def groups(request, lang: Lang = "vi", page: int = PageNo):
    """The 54 ethnic groups, with how many records this visitor may see for each."""
    throttle(request)
    return answer(request, describe.groups(request.user, lang, page))


@api.get("/units", response=_responses(schemas.Units), tags=["reference"])
def units(request):
    """Provincial units, with the former units merged into each."""
    throttle(request)
    return answer(request, describe.units())


@api.get("/collections", response=_responses(schemas.CollectionPage), tags=["collections"])
def collections(request, lang: Lang = "vi", page: int = PageNo):
    """Published collections with the items this visitor may see."""
    throttle(request)
    return answer(request, describe.collections(request.user, lang, page))


@api.get("/lesson-packs", response=_responses(schemas.LessonPackPage), tags=["collections"])
def lesson_packs(request, lang: Lang = "vi", page: int = PageNo):
    """Lesson packs listed for teachers, with the items this visitor may see."""
    throttle(request)
    return answer(request, describe.lesson_packs(request.user, lang, page))


@api.get("/calendar", response=_responses(schemas.FestivalPage), tags=["calendar"])
def calendar(request, lang: Lang = "vi", page: int = PageNo):
    """The festival calendar: festivals this visitor may see and their next occurrences."""
    throttle(request)
    return answer(request, describe.festivals(request.user, lang, page))


@api.get("/changes", response=_responses(schemas.ChangeList), tags=["harvest"])
def changes(
    request,
    since: datetime | None = None,
    set: str = "",
    cursor: str = "",
    page_size: int = Query(feed.DEFAULT_PAGE_SIZE, ge=1, le=feed.MAX_PAGE_SIZE),
    lang: Lang = "vi",
):
    """What changed after `since` (exclusive; everything without it), oldest first, for
    harvesters: each record's identifier (as OAI-PMH names it), datestamp, whether it is
    deleted (deleted, restricted or withdrawn count alike) and, if not, its description.
    Follow `next` (a cursor that carries `since` and `set`) until it is null. Public
    records only, whoever asks; records harvested from other archives are left out."""
    throttle(request)
    with translation.override(lang):
        if cursor and (since is not None or set):
            raise Refused(_("A cursor already carries since and set: send it alone."))
        if set and not set_exists(set):
            raise Refused(_("No set has this spec."))
        try:
            payload = feed.changes(
                request.build_absolute_uri("/"),
                since=since,
                set_spec=set,
                cursor=cursor,
                page_size=page_size,
            )
        except feed.BadCursor:
            raise Refused(_("The cursor is not valid; start the list again from since.")) from None
    return answer(request, payload)
