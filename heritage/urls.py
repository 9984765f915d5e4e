from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from archive import views_reference, views_stable
from search.api.urls import api as search_api_v1
from search.oai import views as oai_views

from . import file_gate, health, views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("search.api_urls")),
    path("api/v1/", search_api_v1.urls),
    path("files/", include("media_pipeline.urls")),
    # Every file under MEDIA_ROOT goes through the gate, in development too.
    re_path(r"^media/(?P<path>.+)$", file_gate.serve_media, name="media"),
    path("", views.root_redirect, name="root"),
    path("data-saver/", views.toggle_data_saver, name="data_saver"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # For monitoring: database, cache, storage, search and task workers (heritage/health.py).
    path("healthz", health.healthz, name="healthz"),
    # Open doors without a language prefix (docs/open_doors.md): permanent identifiers
    # (the visitor's language is chosen by cookie or Accept-Language) and OAI-PMH.
    re_path(r"^id/(?P<accession>[^/]+)/?$", views_stable.record_by_accession, name="permalink"),
    path("oai", oai_views.endpoint, name="oai"),
    # The signed reference-data package of the national role (archive/views_reference.py).
    re_path(
        r"^reference-data/(?:(?P<name>[A-Za-z0-9_.-]+))?$",
        views_reference.package_file,
        name="reference_data",
    ),
    # IIIF Presentation 3: manifests, collections, a level-0 image service (search/iiif/).
    path("iiif/", include("search.iiif.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("archive.urls")),
    path("", include("heritage.site_urls")),
    path("", include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = [*staticfiles_urlpatterns(), *urlpatterns]
