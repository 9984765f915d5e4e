import pytest
from django.core.cache import cache
from django.utils import translation

from archive.access import AccessLevel
from archive.models import CustomPage, FestivalPage, RecordingPage
from tests.factories import make_auth_group, make_group, make_record

SECRET = "Bài khấn thiêng bí mật"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache (the cache outlives database rollbacks)."""
    cache.clear()
    # A request leaves its language active in the thread; start each test in Vietnamese.
    translation.activate("vi")
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    """Public records of each type plus restricted, closed and draft ones with a secret title."""
    tay = make_group("Tày", slug="tay", name_en="Tay")
    elders = make_auth_group("Community: elders")
    made = {
        "group": tay,
        "festival": make_record(
            FestivalPage,
            "Lễ hội Lồng Tồng",
            groups=[tay],
            title_en="Long Tong festival",
            summary_vi="Lễ xuống đồng đầu năm.",
            summary_en="The spring field festival.",
            calendar="lunar",
            month=1,
            day_start=8,
        ),
        "custom": make_record(
            CustomPage, "Dệt thổ cẩm", groups=[tay], summary_vi="Nghề dệt.", licence="CC-BY-4.0"
        ),
        "recording": make_record(
            RecordingPage, "Hát ru", groups=[tay], summary_vi="Bài hát ru.", licence="CC-BY-4.0"
        ),
    }
    for level in (AccessLevel.REGISTERED, AccessLevel.GROUPS, AccessLevel.CLOSED):
        made[level] = make_record(
            CustomPage,
            f"{SECRET} {level}",
            groups=[tay],
            access_level=level,
            slug=f"secret-{level}",
        )
    made["groups"].allowed_groups.set([elders])
    made["draft"] = make_record(
        CustomPage, f"{SECRET} draft", groups=[tay], publish=False, slug="secret-draft"
    )
    return made
