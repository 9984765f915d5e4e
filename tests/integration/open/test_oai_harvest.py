"""An independent harvester (sickle, from PyPI) harvests the whole demo archive through a
live server, in both formats, page by page with resumption tokens; what it gets is exactly
what the anonymous gate shows. A record closed in the middle of a harvest comes back as
deleted, and an incremental harvest from the start of the first one says so too."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from sickle import Sickle

from archive.models import RecordingPage, RecordPage
from demo.loader import load_demo
from tests.browser.data import ensure_wagtail_root

# A live server needs committed rows. Every transactional test of the database passes uses
# serialized_rollback: its flush then leaves content types alone, and the migrations' rows
# (Wagtail root, locale, role groups) come back for the next one. One transactional test
# without it re-creates content types on its flush, and the next reload collides.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(settings):
    settings.DSS_OAI_PAGE_SIZE = 4  # the demo archive then needs several pages
    ensure_wagtail_root()
    load_demo()
    public = RecordPage.objects.visible_to(AnonymousUser())
    assert public.count() > 8
    return public


def _harvester(live_server):
    return Sickle(f"{live_server.url}/oai", max_retries=0, timeout=60)


def _oai_id(accession):
    return f"oai:disanso.example:{accession}"


def test_sickle_harvests_the_demo_archive_in_both_formats(demo, live_server):
    sickle = _harvester(live_server)
    expected = {_oai_id(a) for a in demo.values_list("accession_number", flat=True)}
    hidden = RecordPage.objects.exclude(pk__in=demo.values("pk"))
    assert hidden.exists()  # the demo has restricted records: they must stay out
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    assert {r.header.identifier for r in records} == expected
    assert len(records) == len(expected)  # each once
    assert not any(r.header.deleted for r in records)
    assert all(r.metadata.get("title") for r in records)

    recordings = demo.type(RecordingPage).values_list("accession_number", flat=True)
    olac = list(sickle.ListRecords(metadataPrefix="olac", ignore_deleted=False))
    assert {r.header.identifier for r in olac} == {_oai_id(a) for a in recordings}
    assert all("<dc:language" in r.raw or "dc:language" in r.raw for r in olac)

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert {h.identifier for h in headers} == expected
    one = sorted(expected)[0]
    assert sickle.GetRecord(identifier=one, metadataPrefix="oai_dc").header.identifier == one
    assert {s.setSpec for s in sickle.ListSets()} >= {"group", "province", "type:festival"}


def test_record_closed_during_a_harvest_comes_back_as_deleted(demo, live_server):
    sickle = _harvester(live_server)
    started = timezone.now().replace(microsecond=0)
    harvest = sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False)
    first = next(harvest)
    accession = first.header.identifier.rsplit(":", 1)[1]
    record = RecordPage.objects.get(accession_number=accession).specific
    record.access_level = "closed"
    record.save_revision().publish()
    rest = list(harvest)
    last_word = [r for r in rest if r.header.identifier == first.header.identifier]
    assert last_word and last_word[-1].header.deleted
    assert "<metadata" not in last_word[-1].raw

    since = sickle.ListIdentifiers(
        metadataPrefix="oai_dc",
        ignore_deleted=False,
        **{"from": started.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    deleted = {h.identifier for h in since if h.deleted}
    assert deleted == {first.header.identifier}
