"""Media reach search: a word said in a recording's caption/ELAN track is found with its
timecode, and the media and caption facets count processed media only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.models import CustomPage
from media_pipeline.core.captions import Segment
from media_pipeline.services.captions import store_track
from media_pipeline.services.ingest import ingest_file
from search.indexing import reindex
from search.service import search
from tests.factories import make_record
from tests.support import media_samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_with_track(tmp_path, django_capture_on_commit_callbacks):
    tone = media_samples.wav(tmp_path, "t.wav", channels=1, duration=2)
    # Tests never commit, so run what each step queues "on commit" as production would.
    with django_capture_on_commit_callbacks(execute=True), open(tone, "rb") as handle:
        record = make_record(CustomPage, title_vi="Múa xoè", slug="mua-xoe")
        asset = ingest_file(handle, tone.name, record=record).asset
    with django_capture_on_commit_callbacks() as callbacks:
        store_track(
            asset,
            "vi",
            "captions",
            [Segment(0.0, 1.0, "Mở đầu"), Segment(1.0, 2.0, "Điệu xoè vòng tròn")],
            source_format="vtt",
        )
    return record, callbacks


def test_storing_a_track_queues_a_reindex_of_its_record(record_with_track):
    _, callbacks = record_with_track
    assert callbacks, "a new caption track must schedule the search index update"


def test_track_words_are_found_with_timecodes_and_facets(record_with_track):
    record, _ = record_with_track
    reindex([record.pk])  # what the queued task does
    results = search("dieu xoe vong", {}, AnonymousUser(), "vi", 1, 20)
    [hit] = [r for r in results.results if r.accession == record.accession_number]
    assert [(s.start_s, s.end_s) for s in hit.segments] == [(1.0, 2.0)]
    media = {f.value: f.count for f in results.facets["media"]}
    has = {f.value: f.count for f in results.facets["has"]}
    assert media.get("audio") == 1 and has.get("captions") == 1
