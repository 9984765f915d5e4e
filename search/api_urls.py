"""JSON API (no language prefix; the language is the ``lang`` parameter)."""

from django.urls import path

from . import views

app_name = "search_api"

urlpatterns = [
    path("search", views.search_api, name="search"),
    path("suggest", views.suggest_api, name="suggest"),
]
