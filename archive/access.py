"""The one place that decides who may see a heritage record.

Every door (pages, lists, counts, search, API, media files, feeds, sitemaps, exports)
asks ``visible_records_q(user)`` or ``can_view(record, user)``; nothing else decides.
A record is visible when it is live and passes every clause below.

Access level, from most to least open:

- public: anyone, including anonymous visitors;
- registered: any signed-in user;
- groups: members of the record's named groups, and officers allowed to see restricted items;
- closed: only officers holding ``archive.view_closed_records`` (and superusers).

Cultural protocols (``archive.models.Protocol``): a record carries zero or more, and its
``protocol_mode`` says whether *all* must hold or *any* may. Each protocol is satisfied or
not for a given user at a given moment: registered (signed in), community group, men only,
women only (membership of the group the protocol names), seasonal (the moment, in Vietnam
time, falls in its lunar or solar window; a lunar leap month is outside every window) and
closed (never). The protocol table is small, so the satisfied and unsatisfied sets are
computed in Python and become ``pk__in`` / ``~pk__in`` subqueries over the link table.

Consent: a record whose speakers have not all consented to the public web
(``consent_public_web_ok``, kept by ``archive.services.consent``) is hidden from everyone
but officers who see restricted or closed records; a record with a withdrawn consent to
archiving (``consent_archive_ok``) only from those who see closed records.

Grants: an approved access request (``AccessRequest``) lets its visitor see that record
whatever its level and protocols, until its expiry date has passed (a clause on the date,
so nothing needs to run when it ends). It never opens a closed record or one carrying a
closed protocol, and never overrides consent.

Officers holding ``archive.view_closed_records`` see every live record.

Unpublished records are never visible through public doors, whatever their level.

Visibility depends on the moment (seasonal windows, expiry dates): pass ``at=`` to ask
about another moment; the clock is :func:`now`, which tests may patch. Caches keyed on what
a user sees include :func:`access_signature` (or at least :func:`access_epoch`), which
change when a season opens or closes or a grant begins or ends.
"""

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered users")
    GROUPS = "groups", _("Restricted to named groups")
    CLOSED = "closed", _("Closed")


VIEW_RESTRICTED_PERM = "archive.view_restricted_records"
VIEW_CLOSED_PERM = "archive.view_closed_records"

# Seasons are reckoned in Vietnam time (the lunar calendar of archive/lunar.py is UTC+7).
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The moment access is decided for when no ``at`` is given (patch it in tests)."""
    return timezone.now()


def local_date(at: datetime | None = None) -> date:
    return (at or now()).astimezone(VIETNAM).date()


# -- protocols -------------------------------------------------------------------------------


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _group_ids(user) -> frozenset[int]:
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_dss_group_ids", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("pk", flat=True))
        user._dss_group_ids = cached
    return cached


def _season_open(protocol, day: date) -> bool:
    if protocol.calendar == "solar":
        return protocol.window_contains(day.month, day.day)
    from .lunar import to_lunar

    try:
        lunar = to_lunar(day)
    except ValueError:  # outside the supported range: keep the item closed
        return False
    if lunar.leap:
        return False
    return protocol.window_contains(lunar.month, lunar.day)


def _protocol_rows():
    from .models import Protocol

    return list(
        Protocol.objects.only(
            "pk", "kind", "group_id", "calendar", "start_month", "start_day", "end_month", "end_day"
        )
    )


def open_seasonal_ids(at: datetime | None = None) -> list[int]:
    """Ids of the seasonal protocols whose window contains the moment (Vietnam time)."""
    day = local_date(at)
    return sorted(p.pk for p in _protocol_rows() if p.kind == "seasonal" and _season_open(p, day))


def protocol_sets(user, at: datetime | None = None, rows=None) -> tuple[list[int], list[int]]:
    """(satisfied, unsatisfied) protocol ids for ``user`` at the moment ``at``."""
    from .models.protocols import GROUP_KINDS, ProtocolKind

    day = local_date(at)
    groups = _group_ids(user)
    satisfied, unsatisfied = [], []
    for protocol in _protocol_rows() if rows is None else rows:
        if protocol.kind == ProtocolKind.REGISTERED:
            ok = _active(user)
        elif protocol.kind in GROUP_KINDS:
            ok = protocol.group_id is not None and protocol.group_id in groups
        elif protocol.kind == ProtocolKind.SEASONAL:
            ok = _season_open(protocol, day)
        else:  # closed, and any kind this code does not know
            ok = False
        (satisfied if ok else unsatisfied).append(protocol.pk)
    return satisfied, unsatisfied


def protocols_pass_q(satisfied, unsatisfied, *, links, owner: str, mode_field: str, pk_field: str):
    """Items passing their protocols: mode "all" with no unsatisfied protocol, or mode "any"
    with no protocol at all or at least one satisfied. ``links`` is the link table
    (``owner`` its column naming the item), used only in subqueries."""
    from .models.protocols import ProtocolMode

    failing = links.filter(protocol__in=unsatisfied).values(owner)
    passing = links.filter(protocol__in=satisfied).values(owner)
    carrying = links.values(owner)
    all_mode = Q(**{mode_field: ProtocolMode.ALL}) & ~Q(**{pk_field: failing})
    any_mode = Q(**{mode_field: ProtocolMode.ANY}) & (
        Q(**{pk_field: passing}) | ~Q(**{pk_field: carrying})
    )
    return all_mode | any_mode


def closed_protocol_ids(rows=None) -> list[int]:
    return [p.pk for p in (_protocol_rows() if rows is None else rows) if p.kind == "closed"]


def granted_record_ids(user, at: datetime | None = None):
    """A subquery of the record ids ``user``'s approved, unexpired access requests open."""
    from .models import AccessRequest

    return (
        AccessRequest.objects.filter(user=user, status="approved")
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=local_date(at)))
        .values("record_id")
    )


# -- Wagtail's page privacy and expiry ---------------------------------------------------------


def _page_privacy_q(user, prefix: str = "") -> Q:
    """Wagtail's own page privacy (``PageViewRestriction`` on the record or an ancestor) as
    a clause, so search, lists and media follow it, not only page serving.

    Login restrictions hold for signed-in users, group restrictions for members of one of
    their groups. A password restriction holds only while a page is served to a session that
    gave the password (``heritage.wagtail_hooks`` marks the user with the restrictions
    Wagtail accepted for that page); lists and search never show such records to anyone but
    officers who see closed records."""
    from wagtail.models import PageViewRestriction

    passed = getattr(user, "_dss_passed_view_restrictions", frozenset())
    groups = _group_ids(user)
    hidden = Q()
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related(
        "groups"
    ):
        kind = restriction.restriction_type
        if kind == PageViewRestriction.LOGIN:
            ok = _active(user)
        elif kind == PageViewRestriction.GROUPS:
            ok = bool(groups & {group.pk for group in restriction.groups.all()})
        elif kind == PageViewRestriction.PASSWORD:
            ok = restriction.pk in passed
        else:
            ok = kind == PageViewRestriction.NONE
        if not ok:
            hidden |= Q(**{f"{prefix}path__startswith": restriction.page.path})
    return ~hidden if hidden else Q()


def _not_expired_q(prefix: str = "", at: datetime | None = None) -> Q:
    """A record whose ``expire_at`` has passed is not live, even before the worker's
    ``publish_scheduled`` run unpublishes it."""
    return Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": at or now()})


# -- the gate --------------------------------------------------------------------------------


def visible_records_q(user, prefix: str = "", at: datetime | None = None) -> Q:
    """A filter on RecordPage (or a relation to it, via ``prefix``) for what ``user`` may see
    at the moment ``at`` (default: :func:`now`)."""
    from .models import RecordPage, RecordProtocol

    def field(name: str) -> str:
        return f"{prefix}{name}"

    live = Q(**{field("live"): True}) & _not_expired_q(prefix, at)
    if _active(user) and user.has_perm(VIEW_CLOSED_PERM):
        return live
    live &= _page_privacy_q(user, prefix)
    at = at or now()
    active = _active(user)
    officer = active and user.has_perm(VIEW_RESTRICTED_PERM)

    # Access level.
    level = Q(**{field("access_level"): AccessLevel.PUBLIC})
    if active:
        level |= Q(**{field("access_level"): AccessLevel.REGISTERED})
        if officer:
            level |= Q(**{field("access_level"): AccessLevel.GROUPS})
        else:
            # A subquery rather than a join: a record shared with two of the user's groups
            # must still come back once, without forcing DISTINCT on every listing.
            member_of = RecordPage.allowed_groups.through.objects.filter(
                group__in=list(_group_ids(user))
            ).values("recordpage_id")
            level |= Q(**{field("access_level"): AccessLevel.GROUPS, field("pk__in"): member_of})

    # Cultural protocols (one read of the small protocol table for the whole filter).
    rows = _protocol_rows()
    satisfied, unsatisfied = protocol_sets(user, at, rows)
    protocols = protocols_pass_q(
        satisfied,
        unsatisfied,
        links=RecordProtocol.objects.all(),
        owner="record_id",
        mode_field=field("protocol_mode"),
        pk_field=field("pk__in"),
    )
    allowed = level & protocols

    # Grants from approved access requests.
    if active:
        closed_links = RecordProtocol.objects.filter(protocol__in=closed_protocol_ids(rows)).values(
            "record_id"
        )
        grant = (
            Q(**{field("pk__in"): granted_record_ids(user, at)})
            & ~Q(**{field("access_level"): AccessLevel.CLOSED})
            & ~Q(**{field("pk__in"): closed_links})
        )
        allowed |= grant

    # Consent.
    consent = Q(**{field("consent_archive_ok"): True})
    if not officer:
        consent &= Q(**{field("consent_public_web_ok"): True})
    return live & consent & allowed


def can_view(record, user, at: datetime | None = None) -> bool:
    """Per-object check; deliberately the same query as the list filter so the two never drift."""
    if record is None or record.pk is None:
        return False
    model = type(record)
    return model.objects.filter(visible_records_q(user, at=at), pk=record.pk).exists()


# -- what caches must key on -----------------------------------------------------------------


def access_epoch(at: datetime | None = None) -> str:
    """A short hash of the set of seasonal protocols open at ``at`` (default: now).

    It changes exactly when a seasonal window opens or closes, with no edit anywhere, so any
    cache of what visitors see (the page cache, search answers, the search copy's access
    masks) must include it in its key; anonymous pages depend on nothing else of the
    moment. Cheap: one query on the small protocol table.
    """
    ids = ",".join(str(pk) for pk in open_seasonal_ids(at))
    return hashlib.sha256(ids.encode()).hexdigest()[:12]


def access_signature(user, at: datetime | None = None) -> tuple:
    """Everything ``visible_records_q`` reads about ``user`` and the moment: two users (or
    moments) with the same signature see the same records."""
    if not _active(user):
        return ("anonymous", access_epoch(at))
    if user.has_perm(VIEW_CLOSED_PERM):
        return ("closed",)
    role = "restricted" if user.has_perm(VIEW_RESTRICTED_PERM) else "member"
    grants = tuple(sorted(set(granted_record_ids(user, at).values_list("record_id", flat=True))))
    return (role, tuple(sorted(_group_ids(user))), grants, access_epoch(at))


def engine_access_terms(user, at: datetime | None = None) -> dict:
    """The gate's inputs for ``user`` at ``at`` as plain data, for a search engine that
    filters its own documents (OpenSearch/Elasticsearch) instead of asking the database.

    Keys: ``all`` (True: every live record; nothing else applies), ``levels``, ``groups``
    (ids of the user's groups, for level "groups" unless "groups" is in ``levels``),
    ``satisfied`` / ``unsatisfied`` (protocol ids), ``grants`` (record ids of unexpired
    grants), ``closed_protocols`` (ids a grant never overrides) and ``public_web_consent``
    (True: records must have ``consent_public_web_ok``). Documents then need
    ``protocol_ids``, ``protocol_mode``, ``consent_public_web_ok`` and
    ``consent_archive_ok``; the clause mirrors ``visible_records_q``:

        live and consent_archive_ok [and consent_public_web_ok]
        and ( (level clause
               and (mode=all and not protocol_ids in unsatisfied
                    or mode=any and (protocol_ids in satisfied or no protocol_ids)))
              or (id in grants and level != closed and not protocol_ids in closed) )

    Because the sets are computed per request, seasons and grant expiry need no reindex.
    Wagtail page privacy and ``expire_at`` (``_page_privacy_q``, ``_not_expired_q``) are
    not expressed here; an engine path must still re-check its page of results with the
    gate, as the search service does.
    """
    if _active(user) and user.has_perm(VIEW_CLOSED_PERM):
        return {"all": True}
    at = at or now()
    active = _active(user)
    officer = active and user.has_perm(VIEW_RESTRICTED_PERM)
    levels = [AccessLevel.PUBLIC.value]
    if active:
        levels.append(AccessLevel.REGISTERED.value)
        if officer:
            levels.append(AccessLevel.GROUPS.value)
    satisfied, unsatisfied = protocol_sets(user, at)
    grants = (
        sorted(set(granted_record_ids(user, at).values_list("record_id", flat=True)))
        if active
        else []
    )
    return {
        "all": False,
        "levels": levels,
        "groups": sorted(_group_ids(user)),
        "satisfied": satisfied,
        "unsatisfied": unsatisfied,
        "grants": grants,
        "closed_protocols": closed_protocol_ids(),
        "public_web_consent": not officer,
    }
