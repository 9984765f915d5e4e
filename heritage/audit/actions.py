"""The actions this trail stores itself, with their labels (Wagtail labels its own)."""

from django.utils.translation import gettext_lazy as _

ACCESS_CHANGED = "dss.access_changed"
MEDIA_SERVED = "dss.restricted_media_served"
ORIGINAL_DOWNLOADED = "dss.original_downloaded"
AUDIT_EXPORTED = "dss.audit_exported"

LABELS = {
    ACCESS_CHANGED: _("Access or protocols changed"),
    MEDIA_SERVED: _("Restricted media viewed"),
    ORIGINAL_DOWNLOADED: _("Original downloaded"),
    AUDIT_EXPORTED: _("Audit log exported"),
    # Sent by the archive's import, export, bulk actions and role changes through
    # ``record_event`` (archive/importing, archive/views_import.py, archive/bulk_actions.py,
    # archive/role_events.py).
    "import": _("Import"),
    "export": _("Export"),
    "bulk-set-access-level": _("Access level set (bulk)"),
    "bulk-set-protocols": _("Protocols set (bulk)"),
    "bulk-add-to-collection": _("Added to a collection (bulk)"),
    "bulk-send-to-review": _("Sent to review (bulk)"),
    "bulk-publish": _("Published (bulk)"),
    "bulk-unpublish": _("Unpublished (bulk)"),
    "bulk-delete": _("Deleted (bulk)"),
    "bulk-move": _("Moved (bulk)"),
    "unit-assigned": _("Provincial unit assigned"),
    "unit-assignment-changed": _("Provincial unit assignment changed"),
    "unit-unassigned": _("Provincial unit unassigned"),
    "role-added": _("Role given"),
    "role-removed": _("Role taken away"),
}


def label_for(action: str) -> str:
    """A readable label for one of our actions or one of Wagtail's."""
    if action in LABELS:
        return str(LABELS[action])
    from wagtail.log_actions import registry

    if registry.action_exists(action):
        return str(registry.get_action_label(action))
    return action
