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
