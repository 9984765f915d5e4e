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
    # Sent by the archive's import, export and bulk actions through ``record_event``.
    "import": _("Import"),
    "export": _("Export"),
}


def label_for(action: str) -> str:
    """A readable label for one of our actions or one of Wagtail's."""
    if action in LABELS:
        return str(LABELS[action])
    from wagtail.log_actions import registry

    if registry.action_exists(action):
        return str(registry.get_action_label(action))
    return action
