"""An offline ZIP is built once per pack version and kept, not rebuilt per request."""

import pytest
from django.urls import reverse
from django.utils import translation

from archive import views_lessons
from archive.models import LessonItem, LessonPack
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_offline_zip_is_built_once_per_version(client, catalogue, monkeypatch, settings):
    settings.DSS_OFFLINE_PACK_RATE_PER_MINUTE = 0
    pack = LessonPack.objects.create(
        title_vi="Gói", grade=5, subject="local_education", owner=make_user()
    )
    item = LessonItem.objects.create(pack=pack, record=catalogue["festival"], sort_order=0)
    builds = []
    real = views_lessons.write_offline_pack
    monkeypatch.setattr(
        views_lessons, "write_offline_pack", lambda plan, f: (builds.append(1), real(plan, f))
    )
    with translation.override("vi"):
        url = reverse("archive:offline", kwargs={"token": pack.token})
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    assert first == second and len(builds) == 1
    item.note = "Ghi chú mới"
    item.save()
    third = b"".join(client.get(url).streaming_content)
    assert third != first and len(builds) == 2


def test_building_offline_zips_is_rate_limited(client, catalogue, settings):
    settings.DSS_OFFLINE_PACK_RATE_PER_MINUTE = 1
    from django.core.cache import cache

    cache.clear()
    codes = []
    for n in range(2):
        pack = LessonPack.objects.create(
            title_vi=f"Gói {n}", grade=5, subject="local_education", owner=make_user()
        )
        LessonItem.objects.create(pack=pack, record=catalogue["festival"], sort_order=0)
        with translation.override("vi"):
            codes.append(
                client.get(reverse("archive:offline", kwargs={"token": pack.token})).status_code
            )
    assert codes == [200, 429]
