from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Heritage archive")

    def ready(self):
        # The media app below asks the catalogue's gate through its policy hook.
        from media_pipeline.policy import register_access_policy

        from .media_access import RecordMediaAccess

        register_access_policy(RecordMediaAccess())

        from .signal_handlers import connect_signal_handlers

        connect_signal_handlers()

        # Role and unit changes go to the audit trail (archive.permissions reads them).
        from .role_events import connect_role_events

        connect_role_events()
