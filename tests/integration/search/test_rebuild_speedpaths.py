"""The fast full rebuild (``search.indexing.rebuild``) writes exactly what ``reindex`` writes.

``rebuild`` loads relations a chunk at a time and writes rows straight through the cursor
(executemany with the FTS5 triggers replaced by one 'rebuild' on SQLite; COPY from a helper
thread on PostgreSQL). ``reindex`` still goes through ``.specific().prefetch_related()``,
the related managers and ``bulk_create``: the reference. Runs on whatever database the test
run uses (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection

import search.indexing as indexing
from archive.models import (
    CustomPage,
    FestivalPage,
    FormerProvince,
    Province,
    RecordingPage,
    RecordPage,
    VernacularTitle,
)
from search.fulltext import DOC_TABLE, FTS_TABLE
from search.indexing import rebuild, reindex
from search.models import SearchDocument, SearchFacetValue
from search.service import search
from tests.factories import make_record, make_user

pytestmark = pytest.mark.django_db

QUERIES = [
    "lồng tồng",
    "long tong",
    "đăm săn",
    "hát ru",
    "bếp lửa",
    "pơthi",
    "then tính",  # a tag
    "ꪁꪾ",  # a Tai Viet vernacular title
    "hà tây",  # a former province
    "hà nội",  # ... counted under its successor
    "điệu xoè vòng",  # a caption track of processed media
    "người tày",
    "chiêng",
]


@pytest.fixture
def varied(archive, tmp_path, django_capture_on_commit_callbacks):
    """The shared archive plus what it lacks: tags, vernacular titles, a former province,
    processed media with a caption track, several records per type (several chunks)."""
    from media_pipeline.core.captions import Segment
    from media_pipeline.services.captions import store_track
    from media_pipeline.services.ingest import ingest_file
    from tests.support import media_samples

    hanoi = Province.objects.create(code="01", name="Hà Nội", slug="ha-noi")
    ha_tay = FormerProvince.objects.create(code="HT", name="Hà Tây", successor=hanoi)
    groups = archive["groups"]
    with django_capture_on_commit_callbacks(execute=True):
        then = make_record(
            FestivalPage, "Hát then Tày", groups=[groups["tay"]], date_year=1987, locality="Bản Pác"
        )
        then.subjects.add("then tính", "đàn tính")
        then.former_provinces.set([ha_tay])
        VernacularTitle.objects.create(record=then, text="ꪁꪾ ꪹꪀꪷ", language="blt", script="Tavt")
        VernacularTitle.objects.create(record=then, text="Phuối then", language="tay")
        then.save_revision().publish()
        for i in range(5):
            make_record(
                [CustomPage, FestivalPage, RecordingPage][i % 3],
                f"Tiếng chiêng số {i}",
                groups=[groups["ede"], groups["hmong"]][: 1 + i % 2],
                summary_vi=f"Chiêng của buôn {i}.",
            )
        tone = media_samples.wav(tmp_path, "t.wav", channels=1, duration=2)
        with open(tone, "rb") as handle:
            xoe = make_record(CustomPage, "Múa xoè", groups=[groups["tay"]])
            asset = ingest_file(handle, tone.name, record=xoe).asset
        store_track(
            asset,
            "vi",
            "captions",
            [Segment(0.0, 1.0, "Mở đầu"), Segment(1.0, 2.0, "Điệu xoè vòng tròn")],
            source_format="vtt",
        )
    return archive


def _live_ids():
    return list(RecordPage.objects.live().values_list("pk", flat=True))


def _snapshot():
    """Every stored field of every document (but its write time), every facet row, the
    engine's own full-text structures, and what visitors with various rights find."""
    docs = {}
    for row in SearchDocument.objects.order_by("pk").values():
        row.pop("updated_at")
        docs[row["record_id"]] = row
    facets = sorted(SearchFacetValue.objects.values_list("document_id", "facet", "value"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT record_id, search_fts::text, title_fts::text FROM {DOC_TABLE} "
                "ORDER BY record_id"
            )
            engine = cursor.fetchall()
        else:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            engine = cursor.fetchall()
            for token in ("tong", "then", "chieng", "xoe", "dieu", "ha", "tay", "pothi"):
                cursor.execute(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid",
                    [f'"{token}"'],
                )
                engine.append((token, [r[0] for r in cursor.fetchall()]))
    users = [
        AnonymousUser(),
        _user("rb-reader"),
        _user("rb-closed", ["archive.view_closed_records"]),
    ]
    found = {
        (q, i): [r.record_id for r in search(q, {}, user, "vi", 1, 50).results]
        for q in QUERIES
        for i, user in enumerate(users)
    }
    return docs, facets, engine, found


def _user(username, perms=()):
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username=username).first()
    return existing or make_user(username=username, perms=perms)


def _sqlite_triggers():
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "ORDER BY name",
            [DOC_TABLE],
        )
        return cursor.fetchall()


def test_rebuild_writes_exactly_what_reindex_writes(varied):
    reindex(_live_ids())
    expected = _snapshot()
    triggers = _sqlite_triggers()
    assert len(expected[0]) == len(_live_ids()) >= 14
    assert any(f[1:] == ("province", "ha-noi") for f in expected[1])
    assert expected[3][("điệu xoè vòng", 0)], "the caption track must be searchable"
    assert expected[3][("ꪁꪾ", 0)], "the vernacular title must be searchable"

    count, _ = rebuild(chunk_size=3)  # several chunks, so the writer overlaps with building

    assert count == len(expected[0])
    got = _snapshot()
    assert [
        (pk, name, value, got[0][pk][name])
        for pk, doc in expected[0].items()
        for name, value in doc.items()
        if got[0][pk][name] != value
    ] == []
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert got[3] == expected[3]
    assert _sqlite_triggers() == triggers


def test_index_stays_live_after_a_rebuild(varied):
    """The FTS triggers (SQLite) are back: a later per-record update is searchable."""
    rebuild(chunk_size=4)
    page = varied["dam_san"]
    page.title_vi = "Sử thi Xinh Nhã"
    page.save_revision().publish()
    reindex([page.pk])
    ids = [r.record_id for r in search("xinh nhã", {}, AnonymousUser(), "vi").results]
    assert ids == [page.pk]
    assert SearchDocument.objects.get(pk=page.pk).title_vi == "Sử thi Xinh Nhã"


def test_a_failed_rebuild_leaves_the_previous_index(varied, monkeypatch):
    reindex(_live_ids())
    before = _snapshot()
    triggers = _sqlite_triggers()
    real = indexing.build_document
    calls = {"n": 0}

    def failing(record, related=None):
        calls["n"] += 1
        if calls["n"] == 8:  # in the third chunk, with earlier chunks already written
            raise RuntimeError("boom")
        return real(record, related)

    monkeypatch.setattr(indexing, "build_document", failing)
    with pytest.raises(RuntimeError, match="boom"):
        rebuild(chunk_size=3)
    monkeypatch.setattr(indexing, "build_document", real)

    assert _snapshot() == before
    assert _sqlite_triggers() == triggers
    # ... and the index still follows record updates.
    page = varied["gau_tao"]
    page.title_vi = "Lễ hội Nào Cô"
    page.save_revision().publish()
    reindex([page.pk])
    assert [r.record_id for r in search("nào cô", {}, AnonymousUser(), "vi").results] == [page.pk]


def test_a_failed_write_leaves_the_previous_index(varied, monkeypatch):
    """An error from the database itself, in a later chunk (on PostgreSQL it is raised in
    the COPY thread and must still roll the whole rebuild back)."""
    reindex(_live_ids())
    before = _snapshot()
    triggers = _sqlite_triggers()
    real = indexing._BulkWriter.facet_rows
    calls = {"n": 0}

    def duplicated(pairs):
        rows = list(real(pairs))
        calls["n"] += 1
        if calls["n"] == 2:
            rows.append(rows[0])  # violates the unique (document, facet, value) constraint
        return rows

    monkeypatch.setattr(indexing._BulkWriter, "facet_rows", staticmethod(duplicated))
    with pytest.raises(IntegrityError):
        rebuild(chunk_size=3)
    monkeypatch.setattr(indexing._BulkWriter, "facet_rows", staticmethod(real))
    assert calls["n"] >= 2
    assert _snapshot() == before
    assert _sqlite_triggers() == triggers
