"""Records for the search behaviour suite, indexed the way production indexes them.

Index updates run in ``transaction.on_commit``; the test transaction never commits, so the
``committed`` fixture runs those callbacks as a commit would (tasks run inline in tests).
"""

import os
import uuid
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from archive.access import AccessLevel
from archive.models import CustomPage, FestivalPage, FormerProvince, Province, RecordingPage
from tests.factories import make_auth_group, make_group, make_record

SECRET_TITLE = "Bài khấn Pơthi bí mật"
SECRET_WORD = "pơthi"


def _run_committed(make, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make(*args, **kwargs)


@pytest.fixture
def committed(db):
    return _run_committed


def khau_vai_of_ha_giang(committed):
    """Chợ tình Khâu Vai, published (on commit) as a record of Hà Giang, a former province
    now part of Tuyên Quang."""
    tuyen_quang = Province.objects.create(code="08", name="Tuyên Quang", slug="tuyen-quang")
    ha_giang = FormerProvince.objects.create(code="02", name="Hà Giang", successor=tuyen_quang)

    def make():
        page = make_record(CustomPage, "Chợ tình Khâu Vai")
        page.former_provinces.set([ha_giang])
        page.save_revision().publish()
        return page

    return committed(make)


@pytest.fixture(scope="module")
def archive_data(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back afterwards; each test
    runs in its own savepoint on top, so tests that unpublish or delete stay isolated."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_archive(_run_committed)
        transaction.set_rollback(True)


@pytest.fixture
def archive(archive_data, db):
    return archive_data


def _build_archive(committed):
    """A small archive with accents, đ, a transcript and restricted records."""
    tay = make_group("Tày", slug="tay", other_names="Thổ; Ngạn")
    hmong = make_group("H'Mông", slug="hmong", name_en="Hmong", other_names="Mèo; Mẹo")
    ede = make_group("Ê Đê", slug="e-de", name_en="Ede", other_names="Ê-đê; Rađê")
    cao_bang = Province.objects.create(code="04", name="Cao Bằng", slug="cao-bang")
    dak_lak = Province.objects.create(code="66", name="Đắk Lắk", slug="dak-lak")
    elders = make_auth_group("Community: Ê Đê elders")

    def record(model, title, groups, provinces=(), **fields):
        def make():
            page = make_record(model, title, groups=groups, **fields)
            if provinces:
                page.provinces.set(provinces)
                page.save_revision().publish()
            return page

        return committed(make)

    made = {
        "long_tong": record(
            FestivalPage,
            "Lễ hội Lồng Tồng",
            [tay],
            [cao_bang],
            summary_vi="Lễ xuống đồng đầu năm của người Tày.",
            date_year=1998,
        ),
        # Same folded spelling, different tones, a shorter title (which bm25 prefers).
        "long_tong_decoy": record(
            CustomPage, "Lòng tong", [tay], [cao_bang], summary_vi="Món cá lòng tong."
        ),
        "dam_san": record(
            CustomPage,
            "Sử thi Đăm Săn",
            [ede],
            [dak_lak],
            summary_vi="Khan Đăm Săn được kể trong nhà dài.",
            date_year=2005,
        ),
        "gau_tao": record(
            FestivalPage, "Lễ hội Gầu Tào", [hmong], summary_vi="Lễ cầu phúc của người H’Mông."
        ),
        "lullaby": record(
            RecordingPage,
            "Hát ru của người Tày",
            [tay],
            [cao_bang],
            summary_vi="Một bài hát ru.",
            transcript="[00:00-00:20] Người hát giới thiệu bài hát.\n"
            "[00:20-00:40] Bài ru con ngủ trưa bên bếp lửa.",
        ),
    }
    for level in (AccessLevel.REGISTERED, AccessLevel.GROUPS, AccessLevel.CLOSED):
        made[f"secret_{level}"] = record(
            RecordingPage,
            f"{SECRET_TITLE} {level}",
            [ede],
            [dak_lak],
            access_level=level,
            summary_vi=f"Lời khấn {SECRET_WORD} của người Ê Đê.",
            transcript=f"[00:05-00:10] Lời khấn {SECRET_WORD} thiêng.",
            date_year=1975,
            language="rad",
        )

    def allow_elders():
        page = made["secret_groups"]
        page.allowed_groups.set([elders])
        page.save_revision().publish()

    committed(allow_elders)
    made["draft"] = committed(
        make_record, CustomPage, f"{SECRET_TITLE} nháp", groups=[ede], publish=False
    )
    made["groups"] = {"tay": tay, "hmong": hmong, "ede": ede}
    made["elders"] = elders
    return made


# -- a live OpenSearch node (tests marked ``opensearch``) ---------------------------------------

# One prefix per test session, so two runs against the same node never share an index.
ENGINE_PREFIX = f"dss-test-{uuid.uuid4().hex[:8]}"


def opensearch_url() -> str:
    """The node the ``opensearch`` tests run against. They are deselected (``-m "not
    opensearch"``) where no node runs; selected without a node, they fail, never skip."""
    url = os.environ.get("OPENSEARCH_URL", "")
    if not url:
        pytest.fail("OPENSEARCH_URL is not set: the opensearch tests need a live node")
    return url


@contextmanager
def opensearch_backend(name: str):
    """SEARCH_BACKEND=opensearch with an alias of its own; its indices are deleted after."""
    alias = f"{ENGINE_PREFIX}-{name}"
    with override_settings(
        SEARCH_BACKEND="opensearch", OPENSEARCH_URL=opensearch_url(), SEARCH_INDEX_ALIAS=alias
    ):
        from search.es.client import engine

        eng = engine()
        for index in eng.indices_of(alias):
            eng.delete_index(index)
        try:
            yield eng
        finally:
            for index in eng.indices_of(alias):
                eng.delete_index(index)


def engine_ids(eng=None) -> set[int]:
    """Ids of every document the engine's alias holds (bypassing the access re-check)."""
    from search.es.client import alias, engine

    eng = eng or engine()
    body = {"size": 10_000, "_source": False, "query": {"match_all": {}}}
    return {int(hit["_id"]) for hit in eng.search(alias(), body)["hits"]["hits"]}


def resync_engine() -> None:
    """Make the engine hold exactly the database's documents again. Tests roll the database
    back, but not the engine: each test starts from the module's records."""
    from search.es.client import engine
    from search.es.sync import ensure_index, sync_records
    from search.models import SearchDocument

    ensure_index()
    ids = engine_ids() | set(SearchDocument.objects.values_list("pk", flat=True))
    sync_records(ids, refresh=True)
    engine().refresh(ensure_index())
