"""JSON API (no language prefix; the language is the ``lang`` parameter).

``search`` and ``suggest`` are the original views (answers unchanged, rate-limited by
``heritage.middleware``); everything else is the django-ninja API in ``search.api``
(``search.api.urls``, included after this in ``heritage.urls``), with its OpenAPI
document at ``openapi.json`` and browsable docs at ``docs``."""

from django.urls import path

from . import views

app_name = "search_api"

urlpatterns = [
    path("search", views.search_api, name="search"),
    path("suggest", views.suggest_api, name="suggest"),
]
