"""How records reach the engine's index, and what a failure looks like.

The first tests need no engine: they check the documents and requests ``search.es`` builds
(they run in every pass). The ``opensearch`` ones write to and read from a live node.
"""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.access import AccessLevel
from archive.models import CustomPage
from search.es.client import Engine, IndexingError
from search.es.sync import _documents
from search.service import search
from tests.factories import make_record, make_user

from .conftest import engine_ids, khau_vai_of_ha_giang, opensearch_backend, resync_engine

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


# -- documents and requests (no engine) -------------------------------------------------------


def test_engine_document_names_the_former_provinces(committed):
    page = khau_vai_of_ha_giang(committed)
    doc = dict(_documents([page.pk]))[page.pk]
    assert doc["provinces_former"] == ["02"]
    assert doc["provinces"] == ["tuyen-quang"]  # the successor, for the province filter


def test_engine_documents_cost_the_same_queries_for_3_or_12_records(committed):
    pks = [committed(make_record, CustomPage, f"Bản ghi {n}").pk for n in range(12)]

    def queries(ids):
        with CaptureQueriesContext(connection) as captured:
            assert len(dict(_documents(ids))) == len(ids)
        return len(captured)

    assert queries(pks[:3]) == queries(pks) <= 6


def test_allowed_groups_are_sent_only_for_records_shared_with_groups(committed):
    from tests.factories import make_auth_group

    elders = make_auth_group("Community: elders")

    def make(level):
        page = make_record(CustomPage, f"Bài khấn {level}", access_level=level)
        page.allowed_groups.set([elders])
        page.save_revision().publish()
        return page

    shared, closed = committed(make, AccessLevel.GROUPS), committed(make, AccessLevel.CLOSED)
    docs = dict(_documents([shared.pk, closed.pk]))
    assert docs[shared.pk]["allowed_groups"] == [str(elders.pk)]
    assert docs[closed.pk]["allowed_groups"] == []


class _FakeEngine:
    def __init__(self, hits, total):
        self.response = {
            "hits": {"hits": [{"_id": str(pk)} for pk in hits], "total": {"value": total}},
            "aggregations": {},
        }

    def search(self, index, body):
        return self.response


def test_count_loses_the_hits_the_access_recheck_drops(committed, monkeypatch, settings):
    visible = committed(make_record, CustomPage, "Lễ hội công khai")
    hidden = committed(make_record, CustomPage, "Lễ hội kín", access_level=AccessLevel.CLOSED)
    # an engine whose copy is behind: it still thinks the closed record is public
    fake = _FakeEngine([visible.pk, hidden.pk], total=2)
    monkeypatch.setattr("search.es.service.engine", lambda name=None: fake)
    settings.SEARCH_BACKEND = "opensearch"
    results = search("lễ hội", {}, ANON, "vi")
    assert [r.record_id for r in results.results] == [visible.pk]
    assert results.count == 1


class _RefusingEngine(Engine):
    name = "opensearch"

    def __init__(self, items):
        super().__init__(client=None)
        self.items = items

    def _streaming_bulk(self, actions, *, chunk_size, refresh):
        list(actions)
        return iter(self.items)


def test_a_refused_bulk_item_raises_and_a_missing_delete_does_not():
    gone = (False, {"delete": {"_id": "7", "status": 404, "result": "not_found"}})
    assert _RefusingEngine([(True, {"index": {"_id": "1"}}), gone]).bulk([{}, {}]) == 2
    refused = (False, {"index": {"_id": "3", "status": 400, "error": {"type": "strict"}}})
    with pytest.raises(IndexingError) as raised:
        _RefusingEngine([(True, {"index": {"_id": "1"}}), refused]).bulk([{}, {}])
    assert "1 of 2 bulk actions failed" in str(raised.value)
    assert raised.value.errors == [refused[1]]


class _EchoEngine(Engine):
    name = "opensearch"

    def __init__(self):
        super().__init__(client=None)
        self.chunks = []

    def _streaming_bulk(self, actions, *, chunk_size, refresh):
        actions = list(actions)
        self.chunks.append(len(actions))
        for action in actions:
            status = 400 if action.get("bad") else 201
            yield status == 201, {"index": {"_id": action["_id"], "status": status}}


def test_pipelined_bulk_sends_every_chunk_and_still_raises():
    engine = _EchoEngine()
    assert engine.bulk(({"_id": n} for n in range(1200)), chunk_size=500, threads=2) == 1200
    assert sorted(engine.chunks) == [200, 500, 500]
    actions = [{"_id": n, "bad": n == 700} for n in range(1200)]
    with pytest.raises(IndexingError) as raised:
        _EchoEngine().bulk(actions, chunk_size=500, threads=2)
    assert [e["index"]["_id"] for e in raised.value.errors] == [700]


# -- a live node --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node(django_db_setup):
    with opensearch_backend("index") as eng:
        yield eng


@pytest.fixture
def live(node, archive):
    """The node, holding exactly the module's records at the start of each test."""
    resync_engine()
    return node


def _source(eng, pk):
    from search.es.client import alias

    found = eng.search(alias(), {"query": {"ids": {"values": [str(pk)]}}})["hits"]["hits"]
    return found[0]["_source"] if found else None


def _engine_hits(user, query):
    """What the engine returns to this visitor, before the database re-check."""
    from search.es.client import alias
    from search.es.queries import build_search_body
    from search.es.service import access_filter_for
    from search.query_parser import parse_query

    body = build_search_body(parse_query(query), {}, "vi", 1, 50, access_filter_for(user))
    return {int(h["_id"]) for h in node_engine().search(alias(), body)["hits"]["hits"]}


def node_engine():
    from search.es.client import engine

    return engine()


@pytest.mark.opensearch
def test_publish_unpublish_access_and_delete_reach_the_index_through_the_task(live, committed):
    page = committed(make_record, CustomPage, "Múa xòe Thái")
    assert page.pk in engine_ids()
    committed(page.unpublish)
    assert page.pk not in engine_ids()
    page.refresh_from_db()
    committed(lambda: page.save_revision().publish())
    assert _source(live, page.pk)["access_level"] == "public"

    def close():
        page.access_level = AccessLevel.CLOSED
        page.save_revision().publish()

    committed(close)
    assert _source(live, page.pk)["access_level"] == "closed"
    assert page.pk not in _engine_hits(ANON, "múa xòe")
    committed(page.delete)
    assert page.pk not in engine_ids()


@pytest.mark.opensearch
def test_a_record_moved_from_groups_to_closed_leaves_the_groups_members(live, archive, committed):
    elder = make_user(groups=[archive["elders"]])
    shared = archive["secret_groups"].specific_class.objects.get(pk=archive["secret_groups"].pk)
    assert shared.pk in _engine_hits(elder, "pơthi")

    def close():
        shared.access_level = AccessLevel.CLOSED
        shared.save_revision().publish()

    committed(close)
    assert shared.pk not in _engine_hits(elder, "pơthi")


@pytest.mark.opensearch
def test_a_refused_write_fails_the_task_and_is_logged(
    live, archive, committed, monkeypatch, caplog
):
    from django_tasks import TaskResultStatus

    import search.es.sync as sync
    from search.tasks import reindex_records

    real = sync.es_document
    monkeypatch.setattr(sync, "es_document", lambda *a: {**real(*a), "not_mapped": 1})
    caplog.set_level(logging.ERROR)
    with pytest.raises(IndexingError):
        sync.sync_records([archive["dam_san"].pk])
    result = reindex_records.enqueue([archive["dam_san"].pk])
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "search.es.client.IndexingError"
    assert any("bulk actions failed" in r.getMessage() for r in caplog.records)


@pytest.mark.opensearch
def test_rebuild_swaps_the_alias_and_search_answers_throughout(
    live, archive, committed, monkeypatch
):
    import search.es.sync as sync
    from search.es.client import alias

    def found():
        return [r.title for r in search("Đăm Săn", {}, ANON, "vi").results]

    before = live.indices_of(alias())
    assert len(before) == 1 and found() == ["Sử thi Đăm Săn"]
    during, late = [], []
    fill = sync._index_actions

    def watched(index, ids):
        for n, action in enumerate(fill(index, ids)):
            if n == 2:
                during.append(found())
                # published while the new index fills: its task writes to the old index,
                # so the rebuild must copy it again after the swap
                late.append(committed(make_record, CustomPage, "Lễ cúng bản mới"))
            yield action

    monkeypatch.setattr(sync, "_index_actions", watched)
    report = sync.rebuild_index()
    after = live.indices_of(alias())
    assert after == [report["index"]] != before
    assert not live.exists(before[0])
    assert during == [["Sử thi Đăm Săn"]] and found() == ["Sử thi Đăm Săn"]
    assert late[0].pk in engine_ids()
    assert [r.title for r in search("cúng bản mới", {}, ANON, "vi").results] == ["Lễ cúng bản mới"]


@pytest.mark.opensearch
def test_update_index_rebuilds_the_engine_behind_the_alias(live):
    from io import StringIO

    from django.core.management import call_command

    from search.es.client import alias

    before = live.indices_of(alias())
    out = StringIO()
    call_command("update_index", stdout=out)
    after = live.indices_of(alias())
    assert len(after) == 1 and after != before and not live.exists(before[0])
    assert f"alias {alias()} now points to {after[0]}" in out.getvalue()
    assert [r.title for r in search("Đăm Săn", {}, ANON, "vi").results] == ["Sử thi Đăm Săn"]


@pytest.mark.opensearch
def test_the_engine_filter_lets_through_exactly_what_the_gate_does(live, archive, committed):
    """Protocols (all/any), consent and grants: the node's own hits for a browse, before
    the database re-check, equal the gate's visible set for each visitor. So totals and
    facet counts, which come from the node, follow the gate too."""
    from archive.models import AccessRequest, Protocol, RecordPage, RecordProtocol
    from search.indexing import reindex
    from tests.factories import make_auth_group

    men_group, women_group = make_auth_group("Cơ Tu men"), make_auth_group("Cơ Tu women")

    def protocol(kind, **fields):
        return Protocol.objects.create(name_vi=kind, name_en=kind, kind=kind, **fields)

    def build():
        men = protocol("men", group=men_group)
        women = protocol("women", group=women_group)
        registered, closed = protocol("registered"), protocol("closed")
        made = {}
        for name, protocols, mode, fields in [
            ("men only", [men], "all", {}),
            ("men and women", [men, women], "all", {}),
            ("men or women", [men, women], "any", {}),
            ("signed in", [registered], "all", {}),
            ("closed protocol", [closed], "all", {}),
            ("granted groups record", [], "all", {"access_level": AccessLevel.GROUPS}),
            ("granted closed protocol", [closed], "all", {}),
        ]:
            page = make_record(CustomPage, f"Giao thức {name}", protocol_mode=mode, **fields)
            for p in protocols:
                RecordProtocol.objects.create(record=page, protocol=p)
            made[name] = page
        for name, flag in (("no web consent", "consent_public_web_ok"), ("withdrawn", "")):
            page = make_record(CustomPage, f"Giao thức {name}")
            flags = {flag: False} if flag else {"consent_archive_ok": False}
            RecordPage.objects.filter(pk=page.pk).update(**flags)
            made[name] = page
        reindex([p.pk for p in made.values()])
        return made

    made = committed(build)
    granted = make_user()
    for name in ("granted groups record", "granted closed protocol"):
        AccessRequest.objects.create(
            user=granted, record=made[name], reason="research", status="approved"
        )
    visitors = {
        "anonymous": ANON,
        "signed in": make_user(),
        "man": make_user(groups=[men_group]),
        "woman": make_user(groups=[women_group]),
        "both": make_user(groups=[men_group, women_group]),
        "restricted officer": make_user(perms=["archive.view_restricted_records"]),
        "closed officer": make_user(perms=["archive.view_closed_records"]),
        "granted": granted,
    }
    for label, user in visitors.items():
        expected = set(RecordPage.objects.visible_to(user).values_list("pk", flat=True))
        assert _engine_hits(user, "") == expected, label
