from django.urls import path, re_path

from . import views

app_name = "iiif"

urlpatterns = [
    path("collection/<str:key>.json", views.collection, name="collection"),
    path("image/<int:asset_id>/info.json", views.image_service, name="image_service"),
    re_path(
        r"^image/(?P<asset_id>\d+)/full/(?P<size>max|\d+,\d*)/0/default\.jpg$",
        views.image,
        name="image",
    ),
    re_path(r"^(?P<accession>[A-Za-z0-9-]+)/manifest\.json$", views.manifest, name="manifest"),
]
