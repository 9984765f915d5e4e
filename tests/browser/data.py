"""The small archive every browser test starts from (built per test: transactional_db)."""

from django.contrib.auth.models import Group

from archive.access import AccessLevel
from archive.models import CustomPage, FestivalPage, LessonItem, LessonPack, RecordingPage
from heritage.site_setup import ensure_site_tree
from tests.factories import make_group, make_record, make_user

SECRET = "Bài khấn thiêng bí mật"


def ensure_wagtail_root():
    """transactional_db empties every table, including the root page and locale that
    Wagtail's migrations create; put them back as the migrations would."""
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="vi")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", title_vi="Root", slug="root", live=True))


def build_archive(media_dir):
    from tests.support.site_media import attach_audio

    ensure_wagtail_root()
    ensure_site_tree()
    tay = make_group("Tày", slug="tay", name_en="Tay")
    hmong = make_group("H'Mông", slug="hmong", name_en="Hmong")
    made = {
        "festival": make_record(
            FestivalPage,
            "Lễ hội Lồng Tồng",
            groups=[tay],
            slug="long-tong",
            title_en="Long Tong festival",
            summary_vi="Lễ xuống đồng đầu năm của người Tày.",
            summary_en="The Tay spring field festival.",
            calendar="lunar",
            month=1,
            day_start=8,
        ),
        "festival_hmong": make_record(
            FestivalPage,
            "Lễ hội Gầu Tào",
            groups=[hmong],
            slug="gau-tao",
            title_en="Gau Tao festival",
            summary_vi="Lễ cầu phúc của người H'Mông.",
        ),
        "custom": make_record(
            CustomPage,
            "Lòng tong",
            groups=[tay],
            slug="long-tong-fish",
            title_en="Long tong fish",
            summary_vi="Món cá lòng tong.",
        ),
        "recording": make_record(
            RecordingPage,
            "Hát ru của người Tày",
            groups=[tay],
            slug="hat-ru",
            title_en="Tay lullaby",
            summary_vi="Một bài hát ru.",
            summary_en="A lullaby.",
            licence="CC-BY-4.0",
        ),
        "secret": make_record(
            RecordingPage,
            SECRET,
            groups=[tay],
            slug="secret",
            access_level=AccessLevel.CLOSED,
        ),
    }
    attach_audio(made["recording"], media_dir)
    attach_audio(made["secret"], media_dir, freq=660)
    teacher = make_user("teacher", groups=[Group.objects.get_or_create(name="Teachers")[0]])
    pack = LessonPack.objects.create(
        title_vi="Lễ hội và lời ru của người Tày",
        title_en="Tay festivals and lullabies",
        grade=5,
        subject="local_education",
        objectives_vi="Học sinh kể được lễ hội Lồng Tồng.",
        objectives_en="Pupils can describe the Long Tong festival.",
        owner=teacher,
    )
    for position, (key, start, end) in enumerate(
        [("festival", None, None), ("recording", 2.0, 4.0), ("secret", None, None)]
    ):
        LessonItem.objects.create(
            pack=pack,
            record=made[key],
            start_s=start,
            end_s=end,
            note=f"Ghi chú {key}",
            sort_order=position,
        )
    made["pack"] = pack
    return made
