from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Index upkeep follows publishing, unpublishing, deletion, moves and access changes.
        from .signal_handlers import connect_signal_handlers

        connect_signal_handlers()
        # The OAI-PMH log and the tombstones of /id/ follow the same changes.
        from .oai.upkeep import connect as connect_open_doors

        connect_open_doors()
        from archive.views_stable import register_gone_answer

        from .tombstones import gone_answer

        register_gone_answer(gone_answer)
        # An import asks for an early rebuild of the open data package (search/open_data/).
        from archive.audit_events import audit_event

        from .open_data.publish import on_audit_event

        audit_event.connect(on_audit_event, dispatch_uid="open-data-import")
