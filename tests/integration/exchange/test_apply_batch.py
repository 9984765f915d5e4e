"""Applying a harvested page of records in one batch: copies go live without revisions, and
search, the OAI-PMH log, pages, tombstones and the page cache all follow creates, updates
and deletions after one apply, with one page-cache invalidation per apply."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import TestCase
from wagtail.models import Page, PageLogEntry, Revision

from archive.exchange.apply import apply_records
from archive.exchange.oai import HarvestedItem
from archive.fuzzy_dates import DatePrecision
from archive.models import CustomPage, HarvestedRecord, Peer, Province, RecordPage
from heritage import page_cache
from heritage.site_setup import ensure_site_tree
from search.models import OaiRecordLog, Tombstone
from tests.factories import make_group, make_record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


def item(n, when=T0, *, title=None, title_en=None, group="Tày", place="Tuyên Quang", deleted=False):
    accession = f"DSS-2026-{n:06d}"
    return HarvestedItem(
        identifier=f"oai:lao-cai:{accession}",
        datestamp=when,
        deleted=deleted,
        record_type=["festival", "custom", "recording"][n % 3],
        titles={"vi": title or f"Lễ cúng rừng số {n}", "en": title_en or f"Forest rite {n}"},
        groups=[group],
        places=[place, "Bản Phùng"],
        subjects=["nghi lễ"],
        date="2024-03-15",
        accession=accession,
        original_url=f"http://lao-cai.example/id/{accession}",
        media_urls=[f"http://lao-cai.example/files/{n}.mp3"],
    )


def committed(peer, items):
    """One apply, then its transaction's commit (the search reindex and the OAI log's
    second look run then; tasks run inline in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return apply_records(peer, items)


@pytest.fixture
def peer():
    with TestCase.captureOnCommitCallbacks(execute=True):
        ensure_site_tree()
    make_group("Tày", slug="tay")
    make_group("Dao", slug="dao")
    Province.objects.create(code="08", name="Tuyên Quang", slug="tuyen-quang")
    Province.objects.create(code="11", name="Lào Cai", slug="lao-cai")
    return Peer.objects.create(label="lao-cai", name="Lào Cai", base_url="http://127.0.0.1:9/")


def copies(peer):
    return RecordPage.objects.filter(harvested__peer=peer)


def search(client, q, **params):
    return client.get("/api/v1/search", {"q": q, "lang": "vi", **params}).json()


def shows(client, page, title_vi, title_en):
    """The page's title in the language its address carries."""
    html = client.get(page.url).content.decode()
    return (title_vi if page.url.startswith("/vi/") else title_en) in html


def facet(data, slug):
    return next((f["count"] for f in data["facets"]["group"] if f["value"] == slug), 0)


def test_a_page_of_fifty_goes_live_without_revisions_and_every_door_sees_it(peer, client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        local = make_record(CustomPage, "Lễ hội Lồng Tồng")
    local_log = OaiRecordLog.objects.get(record_id=local.pk)
    local_revisions = Revision.objects.filter(object_id=str(local.pk)).count()
    generation = page_cache.generation()

    result = committed(peer, [item(n) for n in range(1, 51)])

    assert (result.created, result.updated, result.deleted) == (50, 0, 0)
    ids = list(copies(peer).values_list("pk", flat=True))
    assert len(ids) == 50
    # Live at once, no draft and no revision; Wagtail's history still says "Published".
    assert not Revision.objects.filter(object_id__in=[str(pk) for pk in ids]).exists()
    assert copies(peer).filter(live=True, has_unpublished_changes=False).count() == 50
    assert not copies(peer).filter(first_published_at=None).exists()
    assert PageLogEntry.objects.filter(page_id__in=ids, action="wagtail.publish").count() == 50
    link = HarvestedRecord.objects.get(remote_identifier="oai:lao-cai:DSS-2026-000007")
    assert link.media_urls == ["http://lao-cai.example/files/7.mp3"]
    copy = link.record
    assert list(copy.provinces.values_list("slug", flat=True)) == ["tuyen-quang"]
    assert copy.locality == "Bản Phùng" and list(copy.subjects.names()) == ["nghi lễ"]
    # One page-cache invalidation for the whole page of records, not one per save.
    assert page_cache.generation() == generation + 1
    # The tree is sound (the batch writes tree paths itself).
    assert all(not problems for problems in Page.find_problems())
    assert copy.get_parent().numchild == 50

    # Every door: the OAI log announces them, search finds and counts them, pages serve.
    assert OaiRecordLog.objects.filter(record_id__in=ids, public=True).count() == 50
    data = search(client, "cúng rừng")
    assert data["count"] == 50 and facet(data, "tay") == 50
    assert shows(client, copy, "Lễ cúng rừng số 7", "Forest rite 7")

    # Nothing local was touched.
    local.refresh_from_db()
    assert local.title_vi == "Lễ hội Lồng Tồng" and not hasattr(local, "harvested")
    assert Revision.objects.filter(object_id=str(local.pk)).count() == local_revisions
    assert OaiRecordLog.objects.get(record_id=local.pk).datestamp == local_log.datestamp


def test_updates_and_deletions_of_one_apply_reach_search_oai_pages_and_the_cache(peer, client):
    committed(peer, [item(n) for n in range(1, 51)])
    held = {r.harvested.remote_identifier: r for r in copies(peer).select_related("harvested")}
    edited, gone = held["oai:lao-cai:DSS-2026-000003"], held["oai:lao-cai:DSS-2026-000012"]
    assert shows(client, edited, "Lễ cúng rừng số 3", "Forest rite 3")  # now cached
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    OaiRecordLog.objects.update(datestamp=long_ago)
    generation = page_cache.generation()

    result = committed(
        peer,
        [
            item(
                n,
                T1,
                title=f"Lễ cầu mùa số {n}",
                title_en=f"Harvest prayer {n}",
                group="Dao",
                place="Lào Cai",
            )
            for n in range(1, 11)
        ]
        + [item(n, T1, deleted=True) for n in range(11, 16)]
        + [item(16, T0 - timedelta(days=1), title="Cũ hơn")]  # older than what we hold
        + [item(99, T1, deleted=True)],  # never held
    )

    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 10, 5, 2)
    assert page_cache.generation() == generation + 1
    assert copies(peer).count() == 45
    assert not Revision.objects.filter(object_id__in=[str(r.pk) for r in held.values()]).exists()
    edited.refresh_from_db()
    assert edited.title_vi == "Lễ cầu mùa số 3" and edited.live
    assert list(edited.provinces.values_list("slug", flat=True)) == ["lao-cai"]
    assert list(edited.ethnic_groups.values_list("slug", flat=True)) == ["dao"]
    assert RecordPage.objects.get(harvested__remote_identifier__endswith="000016").title_vi == (
        "Lễ cúng rừng số 16"
    )

    # Search: the new titles are found, the old and the deleted are not; facets follow.
    assert search(client, "cầu mùa")["count"] == 10
    data = search(client, "cúng rừng")
    assert data["count"] == 35 and facet(data, "tay") == 35 and facet(data, "dao") == 0
    assert facet(search(client, "cầu mùa"), "dao") == 10
    # The OAI log: edits move their datestamp, deletions are announced, tombstones stay.
    logs = OaiRecordLog.objects.filter(record_id__in=[r.pk for r in held.values()])
    assert logs.filter(public=True, datestamp__gt=long_ago).count() == 10
    assert logs.filter(public=False, datestamp__gt=long_ago).count() == 5
    assert logs.filter(datestamp=long_ago).count() == 35
    assert Tombstone.objects.filter(accession=gone.accession_number, reason="deleted").exists()
    # Pages: the cached page shows the edit; the deleted copy is gone, its number says 410.
    assert shows(client, edited, "Lễ cầu mùa số 3", "Harvest prayer 3")
    assert client.get(gone.url).status_code == 404
    assert client.get(f"/id/{gone.accession_number}/").status_code == 410
    assert all(not problems for problems in Page.find_problems())


def test_two_peers_with_the_same_identifiers_keep_their_own_copies(peer):
    other = Peer.objects.create(label="yen-bai", base_url="http://127.0.0.1:9/")
    committed(peer, [item(n) for n in range(1, 4)])
    committed(other, [item(n) for n in range(1, 4)])
    assert copies(peer).count() == copies(other).count() == 3
    committed(other, [item(n, T1, deleted=True) for n in range(1, 4)])
    assert copies(other).count() == 0
    assert copies(peer).count() == 3
    # Slugs are namespaced by the peer's label: no clash in the shared section.
    assert sorted(copies(peer).values_list("slug", flat=True))[0] == "lao-cai-dss-2026-000001"


def test_a_date_the_source_got_wrong_is_left_out_not_the_record(peer):
    wrong = item(1)
    wrong.date = "2024-02-31"
    assert committed(peer, [wrong, item(2)]).created == 2
    copy = copies(peer).get(harvested__remote_identifier__endswith="000001")
    assert copy.date_precision == DatePrecision.UNKNOWN and copy.date_year is None
    right = copies(peer).get(harvested__remote_identifier__endswith="000002")
    assert (right.date_year, right.date_month, right.date_day) == (2024, 3, 15)
