"""The lesson-pack editor shows its owner only the records they may see now (issue 10,
leak 7): an item whose record was closed after it was added stays in the pack, unnamed, so
the teacher can remove it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from archive.models import LessonItem, LessonPack
from tests.factories import make_user

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def test_editor_does_not_name_records_its_owner_cannot_see(client, catalogue):
    teacher = make_user("teacher", groups=[Group.objects.get_or_create(name="Teachers")[0]])
    pack = LessonPack.objects.create(
        title_vi="Gói", grade=5, subject="local_education", owner=teacher
    )
    for position, key in enumerate(["festival", "closed", "groups"]):
        LessonItem.objects.create(pack=pack, record=catalogue[key], sort_order=position)
    client.force_login(teacher)
    with translation.override("vi"):
        url = reverse("archive:lesson_pack_edit", kwargs={"token": pack.token})
    html = client.get(url).content.decode()
    assert catalogue["festival"].title in html
    assert SECRET not in html
    assert catalogue["closed"].accession_number not in html
    assert html.count('value="remove"') == 3
