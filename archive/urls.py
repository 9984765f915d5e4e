from django.urls import path

from . import views, views_access, views_lessons, views_stable

app_name = "archive"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("id/<str:accession>/", views_stable.record_by_accession, name="record_by_accession"),
    path("access/", views_access.my_requests, name="access_requests"),
    path("access/new/", views_access.my_requests, name="access_request_new"),
    path("access/queue/", views_access.queue, name="access_queue"),
    path("access/queue/<int:request_id>/", views_access.decide, name="access_decide"),
    path("teachers/", views_lessons.teachers, name="teachers"),
    path("teachers/new/", views_lessons.pack_new, name="lesson_pack_new"),
    path("teachers/packs/<uuid:token>/", views_lessons.lesson_pack, name="lesson_pack"),
    path("teachers/packs/<uuid:token>/projector/", views_lessons.projector, name="projector"),
    path("teachers/packs/<uuid:token>/handout/", views_lessons.handout, name="handout"),
    path("teachers/packs/<uuid:token>/offline.zip", views_lessons.offline_zip, name="offline"),
    path("teachers/packs/<uuid:token>/edit/", views_lessons.pack_edit, name="lesson_pack_edit"),
    path(
        "teachers/packs/<uuid:token>/items/",
        views_lessons.pack_add_item,
        name="lesson_pack_add_item",
    ),
    path(
        "teachers/packs/<uuid:token>/items/<int:item_id>/",
        views_lessons.pack_item_action,
        name="lesson_pack_item",
    ),
]
