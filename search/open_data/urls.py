"""/open-data/ under the language prefix (included from ``search.urls``)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("open-data/", views.page, name="open_data"),
    re_path(
        r"^open-data/(?P<version>\d{8}T\d{6}Z)/(?P<name>[A-Za-z0-9_.-]+)$",
        views.download,
        name="open_data_file",
    ),
]
