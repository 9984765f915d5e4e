"""Lesson packs: who builds them, what visitors see, the handout's QR codes, the projector
and the offline ZIP (public items only, self-contained, safe names, size shown first)."""

import io
import re
import shutil
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from archive.models import LessonItem, LessonPack
from tests.factories import make_user
from tests.support.requirements import require

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def url(name, pack=None, lang="vi", **kwargs):
    if pack is not None:
        kwargs["token"] = pack.token
    with translation.override(lang):
        return reverse(f"archive:{name}", kwargs=kwargs or None)


@pytest.fixture
def teacher(db):
    return make_user("teacher", groups=[Group.objects.get_or_create(name="Teachers")[0]])


@pytest.fixture
def pack(catalogue, teacher):
    pack = LessonPack.objects.create(
        title_vi="Lễ hội của người Tày",
        title_en="Tay festivals",
        grade=5,
        subject="local_education",
        objectives_vi="Biết lễ hội Lồng Tồng.",
        owner=teacher,
    )
    for position, key in enumerate(["festival", "closed", "recording", "registered"]):
        LessonItem.objects.create(
            pack=pack, record=catalogue[key], sort_order=position, note=f"Ghi chú {key}"
        )
    return pack


def test_teacher_builds_a_pack_from_accession_numbers(client, catalogue, teacher):
    client.force_login(teacher)
    response = client.post(
        url("lesson_pack_new"),
        {"title_vi": "Hát ru", "grade": 3, "subject": "music", "listed": "on"},
    )
    pack = LessonPack.objects.get(title_vi="Hát ru")
    assert response["Location"] == url("lesson_pack_edit", pack)
    add = url("lesson_pack_add_item", pack)
    client.post(add, {"item-accession_number": catalogue["custom"].accession_number})
    client.post(
        add,
        {
            "item-accession_number": catalogue["recording"].accession_number,
            "item-start": "0:02",
            "item-end": "4",
            "item-note": "Nghe đoạn giữa",
        },
    )
    # A record the teacher may not see cannot be added, even by its number.
    client.post(add, {"item-accession_number": catalogue["closed"].accession_number})
    items = list(pack.items.order_by("sort_order"))
    assert [i.record_id for i in items] == [catalogue["custom"].pk, catalogue["recording"].pk]
    assert (items[1].start_s, items[1].end_s) == (2.0, 4.0)
    client.post(url("lesson_pack_item", pack, item_id=items[1].pk), {"action": "up"})
    assert pack.items.order_by("sort_order").first().record_id == catalogue["recording"].pk


def test_only_teachers_and_officers_may_build_packs(client, catalogue, pack):
    client.force_login(make_user())
    assert client.get(url("lesson_pack_new")).status_code == 403
    assert client.get(url("lesson_pack_edit", pack)).status_code == 403
    officer = make_user(perms=["archive.add_lessonpack", "archive.change_lessonpack"])
    client.force_login(officer)
    assert client.get(url("lesson_pack_edit", pack)).status_code == 200


def test_teachers_page_filters_by_grade_and_subject(client, pack):
    LessonPack.objects.create(title_vi="Toán", grade=9, subject="history")
    html = client.get(url("teachers") + "?grade=5&subject=local_education").content.decode()
    assert "Lễ hội của người Tày" in html and "Toán" not in html
    html = client.get(url("teachers") + "?grade=9").content.decode()
    assert "Toán" in html and "Lễ hội của người Tày" not in html


def test_pack_shows_visitors_only_what_they_may_see(client, pack):
    html = client.get(url("lesson_pack", pack)).content.decode()
    assert "Lễ hội Lồng Tồng" in html and "Hát ru" in html
    assert SECRET not in html and "Ghi chú closed" not in html
    assert url("projector", pack) in html and url("handout", pack) in html


def test_pack_title_is_translated(client, pack):
    assert "Tay festivals" in client.get(url("lesson_pack", pack, lang="en")).content.decode()


def test_handout_has_an_offline_qr_code_per_visible_item(client, pack):
    html = client.get(url("handout", pack)).content.decode()
    assert html.count("<svg") == 2
    assert "http://testserver/vi/id/" in html
    assert SECRET not in html


def test_projector_shows_one_item_per_screen_with_links_between(client, pack):
    first = client.get(url("projector", pack)).content.decode()
    assert "Lễ hội Lồng Tồng" in first and "Hát ru" not in first
    assert 'rel="next" href="?item=2"' in first and 'rel="prev"' not in first
    second = client.get(url("projector", pack) + "?item=2").content.decode()
    assert "Hát ru" in second and 'rel="prev" href="?item=1"' in second
    assert client.get(url("projector", pack) + "?item=3").status_code == 404


@pytest.fixture
def pack_with_media(pack, catalogue, tmp_path):
    require("media", bool(shutil.which("ffmpeg")), "ffmpeg is not installed")
    from tests.support.site_media import attach_audio

    attach_audio(catalogue["recording"], tmp_path)
    attach_audio(catalogue["closed"], tmp_path, freq=660)
    clip = pack.items.get(record=catalogue["recording"])
    clip.start_s, clip.end_s = 2.0, 4.0
    clip.save()
    return pack


def open_zip(client, pack):
    response = client.get(url("offline", pack))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    return data, zipfile.ZipFile(io.BytesIO(data))


def test_offline_pack_is_self_contained_and_public_only(client, pack_with_media, catalogue):
    officer = make_user(perms=["archive.view_closed_records", "archive.add_lessonpack"])
    client.force_login(officer)  # even an officer's download holds public items only
    _data, archive = open_zip(client, pack_with_media)
    names = archive.namelist()
    folder = names[0].split("/")[0]
    assert all(n.startswith(folder + "/") and ".." not in n for n in names)
    files = {n[len(folder) + 1 :]: n for n in names}
    assert {"index.html", "CREDITS.txt"} <= set(files)
    assert any(f.startswith("media/") and f.endswith(".webm") for f in files)  # Opus, WebM
    assert any(f.startswith("captions/") and f.endswith(".vtt") for f in files)
    html = archive.read(files["index.html"]).decode()
    assert "Lễ hội Lồng Tồng" in html and "Hát ru" in html
    assert SECRET not in html and SECRET not in archive.read(files["CREDITS.txt"]).decode()
    assert "#t=2,4" in html
    assert "Câu thứ hai của bài hát" in html
    # Every relative link and source resolves to a file in the ZIP; nothing loads from afar.
    for ref in re.findall(r'(?:href|src|poster)="([^"#]+)(?:#[^"]*)?"', html):
        if ref.startswith(("http://", "https://")):
            assert not re.search(rf'<(?:script|link|img|source)[^>]+"{re.escape(ref)}', html)
            continue
        assert ref in files, ref
    credits = archive.read(files["CREDITS.txt"]).decode()
    assert "CC BY 4.0" in credits and catalogue["recording"].accession_number in credits


def test_offline_pack_size_is_shown_before_download(client, pack_with_media):
    html = client.get(url("lesson_pack", pack_with_media)).content.decode()
    shown = re.search(
        r"up to ([\d.,]+\s*[KM]B)",
        client.get(url("lesson_pack", pack_with_media, lang="en")).content.decode(),
    )
    assert shown, html
    number, unit = shown.group(1).replace(",", ".").split()
    limit = float(number) * (1024 if unit == "KB" else 1024**2)
    data, _archive = open_zip(client, pack_with_media)
    assert len(data) <= limit * 1.05  # filesizeformat rounds to one decimal
