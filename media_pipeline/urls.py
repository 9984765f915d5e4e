from django.urls import path

from . import views

app_name = "media_pipeline"

urlpatterns = [
    path("<int:asset_id>/original", views.original, name="original"),
    path("<int:asset_id>/captions/<str:kind>/<str:lang>.vtt", views.captions, name="captions"),
    path("<int:asset_id>/<slug:name>", views.derivative, name="derivative"),
]
