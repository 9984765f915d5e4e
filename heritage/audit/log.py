"""Who may read the audit trail, and the trail itself: Wagtail's log entries (pages and
snippets) and ours, merged into one list that officers filter by person, record, action
and date.

Administrators and Reviewers read every entry: superusers, holders of
``heritage.view_auditentry``, and whoever may publish pages (Reviewers and Administrators
do; provincial officers do not), since they answer for what the archive publishes.
Provincial officers (``archive.change_recordpage``) read the entries of the records
they may edit (``archive.permissions.editable_records``) and their own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, IntegerField, Q, Value
from wagtail.models import ModelLogEntry, PageLogEntry

from archive.models import RecordPage
from archive.permissions import editable_records
from search.folding import fold

from .actions import LABELS, label_for
from .models import AuditEntry

READ_ALL_PERM = "heritage.view_auditentry"
OFFICER_PERM = "archive.change_recordpage"


def _admin(user) -> bool:
    return bool(
        user is not None
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def _publishes(user) -> bool:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_permission(user, "publish")


def reads_everything(user) -> bool:
    return _admin(user) and (user.is_superuser or user.has_perm(READ_ALL_PERM) or _publishes(user))


def may_read(user) -> bool:
    """Administrators, Reviewers and provincial officers; nobody without an admin role."""
    return reads_everything(user) or (_admin(user) and user.has_perm(OFFICER_PERM))


@dataclass
class Filters:
    person: str = ""
    record: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


@dataclass
class Row:
    timestamp: object
    person: str
    action: str
    action_label: str
    accession_number: str
    label: str
    source: str
    detail: object
    record_id: int | None


def matching_users(text: str):
    User = get_user_model()
    text = unicodedata.normalize("NFC", text.strip())
    return User.objects.filter(
        Q(username__icontains=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(email__iexact=text)
    ).values("pk")


def matching_records(text: str) -> list[int]:
    """Records whose accession number is ``text`` or whose Vietnamese or English title
    contains it, compared without tones, case or đ (``search.folding.fold``)."""
    text = unicodedata.normalize("NFC", text.strip())
    exact = list(
        RecordPage.objects.filter(accession_number__iexact=text).values_list("pk", flat=True)
    )
    if exact:
        return exact
    wanted = fold(text)
    found = []
    for pk, title_vi, title_en in RecordPage.objects.values_list("pk", "title_vi", "title_en"):
        if wanted in fold(title_vi or "") or wanted in fold(title_en or ""):
            found.append(pk)
    return found


_NONE_INT = Value(None, output_field=IntegerField())


def _columns(**values):
    order = ("ts", "uid", "uname", "act", "lbl", "rid", "acc", "src", "eid", "info")
    return {key: values[key] for key in order}


def entries(user, filters: Filters | None = None):
    """The merged entries ``user`` may read, newest first, as a queryset of dicts."""
    filters = filters or Filters()
    pages = PageLogEntry.objects.order_by()
    models = ModelLogEntry.objects.order_by()
    ours = AuditEntry.objects.order_by()
    if not reads_everything(user):
        mine = editable_records(user).values("pk")
        pages = pages.filter(Q(page_id__in=mine) | Q(user_id=user.pk))
        models = models.filter(user_id=user.pk)
        ours = ours.filter(Q(record_id__in=mine) | Q(user_id=user.pk))
    if filters.person:
        people = matching_users(filters.person)
        pages = pages.filter(user_id__in=people)
        models = models.filter(user_id__in=people)
        ours = ours.filter(Q(user_id__in=people) | Q(username__icontains=filters.person.strip()))
    if filters.record:
        records = matching_records(filters.record)
        pages = pages.filter(page_id__in=records)
        models = models.none()  # snippet entries belong to no record
        ours = ours.filter(
            Q(record_id__in=records) | Q(accession_number__iexact=filters.record.strip())
        )
    if filters.action:
        pages = pages.filter(action=filters.action)
        models = models.filter(action=filters.action)
        ours = ours.filter(action=filters.action)
    for field, bound in (
        ("timestamp__date__gte", filters.since),
        ("timestamp__date__lte", filters.until),
    ):
        if bound:
            pages = pages.filter(**{field: bound})
            models = models.filter(**{field: bound})
            ours = ours.filter(**{field: bound})
    text = CharField()
    pages = pages.values(
        **_columns(
            ts=F("timestamp"),
            uid=F("user_id"),
            uname=Value("", output_field=text),
            act=F("action"),
            lbl=F("label"),
            rid=F("page_id"),
            acc=Value("", output_field=text),
            src=Value("wagtail-page", output_field=text),
            eid=F("pk"),
            info=F("data"),
        )
    )
    models = models.values(
        **_columns(
            ts=F("timestamp"),
            uid=F("user_id"),
            uname=Value("", output_field=text),
            act=F("action"),
            lbl=F("label"),
            rid=_NONE_INT,
            acc=Value("", output_field=text),
            src=Value("wagtail-model", output_field=text),
            eid=F("pk"),
            info=F("data"),
        )
    )
    ours = ours.values(
        **_columns(
            ts=F("timestamp"),
            uid=F("user_id"),
            uname=F("username"),
            act=F("action"),
            lbl=F("label"),
            rid=F("record_id"),
            acc=F("accession_number"),
            src=Value("dss", output_field=text),
            eid=F("pk"),
            info=F("detail"),
        )
    )
    return pages.union(models, ours, all=True).order_by("-ts", "-eid")


def rows(raw_rows) -> list[Row]:
    """Readable rows for one page (or all) of ``entries``: names, labels, accession numbers."""
    raw_rows = list(raw_rows)
    user_ids = {r["uid"] for r in raw_rows if r["uid"]}
    names = {u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=user_ids)}
    record_ids = {r["rid"] for r in raw_rows if r["rid"] and not r["acc"]}
    accessions = dict(
        RecordPage.objects.filter(pk__in=record_ids).values_list("pk", "accession_number")
    )
    return [
        Row(
            timestamp=r["ts"],
            person=names.get(r["uid"]) or r["uname"] or "",
            action=r["act"],
            action_label=label_for(r["act"]),
            accession_number=r["acc"] or accessions.get(r["rid"]) or "",
            label=r["lbl"] or "",
            source=r["src"],
            detail=r["info"],
            record_id=r["rid"],
        )
        for r in raw_rows
    ]


def action_choices() -> list[tuple[str, str]]:
    """Wagtail's registered actions and ours, for the filter's menu."""
    from wagtail.log_actions import registry

    choices = {action: str(label) for action, label in registry.get_choices()}
    choices.update({action: str(label) for action, label in LABELS.items()})
    return sorted(choices.items(), key=lambda item: fold(item[1]))
