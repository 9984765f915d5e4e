"""Public pages (mounted under the language prefix): search and browse."""

from django.urls import include, path

from . import browse, views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("browse/groups/", browse.groups, name="browse_groups"),
    path("browse/provinces/", browse.provinces, name="browse_provinces"),
    path("browse/calendar/", browse.calendar, name="browse_calendar"),
    path("browse/calendar.ics", browse.calendar_ics, name="browse_calendar_ics"),
    path("browse/collections/", browse.collections, name="browse_collections"),
    path("", include("search.open_data.urls")),  # /open-data/ (search/open_data/)
]
