from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = _("Site shell")

    def ready(self):
        # Publishing, access and media changes empty the anonymous page cache.
        from .signal_handlers import connect_signal_handlers

        connect_signal_handlers()
        # The audit trail stores what the catalogue and the media app announce.
        from .audit.receivers import connect as connect_audit

        connect_audit()
        # The catalogue's plain views are served from this shell's page cache.
        from archive.shell import register_page_cache

        from .page_cache import serve_cached

        register_page_cache(serve_cached)
