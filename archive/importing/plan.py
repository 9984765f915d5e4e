"""Compare each valid row with the record it names: create, update (which columns) or
unchanged. The record's side is the export of the record (``archive.exporting``), so a row
and a record compare cell by cell in the same canonical text."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from .. import permissions
from .validate import NOT_COMPARED, RowPlan


def may_create(user, plan: RowPlan) -> bool:
    """Whether ``user`` may add this new record: Wagtail's right to add to its section and,
    for a unit-scoped officer, every place of the record inside their units."""
    from .apply import section_for

    if user is None:  # the shell without --user: the archive's own import
        return True
    parent = section_for(plan.kind)
    if parent is None or not parent.permissions_for_user(user).can_add_subpage():
        return False
    if not permissions.is_unit_scoped(user):
        return True
    places = {p.pk for p in plan.relations.get("provinces", [])} | {
        f.successor_id for f in plan.relations.get("former_provinces", [])
    }
    return bool(places) and places <= permissions.unit_ids(user)


def consent_missing(plan: RowPlan, record) -> bool:
    """Whether stating the row's consent would add a consent row for someone."""
    from ..models import CONSENTING_ROLES
    from ..services.consent import _latest

    if plan.consent is None or record is None:
        return plan.consent is not None
    scopes, _ = plan.consent
    for contribution in record.contributors.filter(role__in=CONSENTING_ROLES):
        rows = list(contribution.person.consents.order_by("-given_on", "-pk"))
        for scope in scopes:
            latest = _latest(rows, scope, record.pk)
            if latest is None or latest.kind != "consent":
                return True
    return False


def media_missing(plan: RowPlan, record) -> list[str]:
    if record is None:
        return list(plan.media)
    linked = set(record.media_links.values_list("asset__original_filename", flat=True))
    return [name for name in plan.media if name not in linked]


def decide(plan: RowPlan, *, user) -> None:
    """Set ``plan.status`` and ``plan.changed``; add a problem if the user may not act."""
    from ..exporting import record_row

    if plan.problems:
        plan.status = "error"
        return
    if plan.record is None:
        if not may_create(user, plan):
            plan.problem(
                "provinces",
                gettext_noop("You may not create records for these provincial units."),
                gettext_noop("Only records of your own units can be imported; ask their officer."),
            )
            plan.status = "error"
            return
        plan.status = "create"
        plan.changed = sorted(plan.cells)
        return
    if user is not None and not permissions.can_edit_record(user, plan.record):
        plan.problem(
            "",
            gettext_noop("You may not change the record %(number)s."),
            gettext_noop("Remove this row, or ask an officer of its province to import it."),
            number=plan.record.accession_number,
        )
        plan.status = "error"
        return
    current = record_row(plan.record)
    plan.changed = [
        key
        for key, text in plan.cells.items()
        if key not in NOT_COMPARED and current.get(key, "") != text
    ]
    if consent_missing(plan, plan.record) or (
        "contributors" in plan.changed and plan.consent is not None
    ):
        plan.changed.append("consent")
    if media_missing(plan, plan.record):
        plan.changed.append("media")
    plan.status = "update" if plan.changed else "unchanged"
