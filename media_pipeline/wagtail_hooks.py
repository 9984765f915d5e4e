from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

app_urls = (
    [
        path("", admin_views.dashboard, name="dashboard"),
        path("<int:asset_id>/", admin_views.detail, name="detail"),
        path("<int:asset_id>/retry/", admin_views.retry_view, name="retry"),
        path("<int:asset_id>/captions/", admin_views.attach_captions, name="captions"),
    ],
    "media_processing",
)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("media-processing/", include(app_urls))]


class ProcessingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.MANAGE_PERM)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ProcessingMenuItem(
        _("Media processing"), reverse("media_processing:dashboard"), icon_name="media", order=300
    )
