from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media and preservation")

    def ready(self):
        from . import signal_handlers  # noqa: F401  (connects receivers)
