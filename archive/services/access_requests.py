"""Access requests: a registered visitor asks, the community's liaison decides.

An approved request is a grant, and grants are a clause of the gate (``archive.access``):
nothing here changes what anyone sees except through that clause, and an expired grant
closes by itself because the clause compares its date with the moment.

Who decides: members of the ``LIAISON_GROUP`` group who also belong to a group the record
names (its allowed groups, or the group of one of its protocols or of its media's
protocols); for a record naming no group, any liaison. Officers holding
``archive.decide_access_requests`` decide any request.

What may be asked for: a live record that is not closed, carries no closed protocol and
whose speakers consent to the public web. Anything else answers exactly as a record that
does not exist, so a request form never reveals a closed record.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..access import AccessLevel
from ..models import (
    AccessRequest,
    AccessRequestStatus,
    AssetProtocols,
    ProtocolKind,
    RecordPage,
    RecordProtocol,
)

LIAISON_GROUP = "Community liaison"
DECIDE_PERM = "archive.decide_access_requests"
DECIDED_ACTION = "archive.access_request_decided"


class NotRequestable(Exception):
    """No record with this accession number can be requested."""


def requestable_records():
    closed = RecordProtocol.objects.filter(protocol__kind=ProtocolKind.CLOSED).values("record_id")
    return RecordPage.objects.filter(
        live=True, consent_public_web_ok=True, consent_archive_ok=True
    ).exclude(Q(access_level=AccessLevel.CLOSED) | Q(pk__in=closed))


def find_requestable(accession: str) -> RecordPage:
    record = requestable_records().filter(accession_number=accession.strip().upper()).first()
    if record is None:
        raise NotRequestable(accession)
    return record


def ask(user, accession: str, reason: str) -> AccessRequest:
    """Record a request (or return the visitor's pending one for the same record)."""
    if user is None or not user.is_authenticated:
        raise NotRequestable(accession)
    record = find_requestable(accession)
    pending = AccessRequest.objects.filter(
        user=user, record=record, status=AccessRequestStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    return AccessRequest.objects.create(user=user, record=record, reason=reason.strip())


def record_group_ids(record_id: int) -> set[int]:
    """Every group the record names: allowed groups, its protocols' and its media's."""
    from media_pipeline.models import RecordMedia

    ids = set(
        RecordPage.allowed_groups.through.objects.filter(recordpage_id=record_id).values_list(
            "group_id", flat=True
        )
    )
    ids |= set(
        RecordProtocol.objects.filter(
            record_id=record_id, protocol__group__isnull=False
        ).values_list("protocol__group_id", flat=True)
    )
    assets = RecordMedia.objects.filter(record_id=record_id).values("asset_id")
    ids |= set(
        AssetProtocols.objects.filter(
            asset_id__in=assets, protocols__group__isnull=False
        ).values_list("protocols__group_id", flat=True)
    )
    return ids


def is_liaison(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.has_perm(DECIDE_PERM) or user.groups.filter(name=LIAISON_GROUP).exists())
    )


def can_decide(user, request: AccessRequest) -> bool:
    if not is_liaison(user):
        return False
    if user.has_perm(DECIDE_PERM):
        return True
    named = record_group_ids(request.record_id)
    return not named or user.groups.filter(pk__in=named).exists()


def liaisons_for(record) -> list:
    """The people who may decide requests for ``record`` (officers with the permission aside)."""
    named = record_group_ids(record.pk)
    users = get_user_model().objects.filter(groups__name=LIAISON_GROUP, is_active=True)
    if named:
        users = users.filter(pk__in=get_user_model().objects.filter(groups__in=named).values("pk"))
    return list(users.distinct())


def queue_for(user):
    """Pending requests ``user`` may decide, oldest first."""
    pending = AccessRequest.objects.filter(status=AccessRequestStatus.PENDING).select_related(
        "user", "record"
    )
    if not is_liaison(user):
        return AccessRequest.objects.none()
    if user.has_perm(DECIDE_PERM):
        return pending.order_by("created_at")
    mine = [r.pk for r in pending if can_decide(user, r)]
    return pending.filter(pk__in=mine).order_by("created_at")


def decide(
    request: AccessRequest,
    user,
    *,
    approve: bool,
    expires_on: date | None = None,
    note: str = "",
) -> AccessRequest:
    """Approve (optionally until ``expires_on``, inclusive) or refuse; logged on the record."""
    from wagtail.log_actions import log

    if not can_decide(user, request):
        raise PermissionError("not a liaison for this record")
    with transaction.atomic():
        request.status = AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REFUSED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.expires_on = expires_on if approve else None
        request.decision_note = note.strip()
        request.save()
        log(
            instance=request.record,
            action=DECIDED_ACTION,
            user=user,
            data={
                "request_id": request.pk,
                "visitor_id": request.user_id,
                "status": request.status,
                "expires_on": expires_on.isoformat() if expires_on and approve else None,
            },
        )
    return request
