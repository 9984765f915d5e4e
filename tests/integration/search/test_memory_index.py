"""The in-memory copy of the index: same answers as SQL, kept in step, never leaks."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.access import VIEW_CLOSED_PERM, AccessLevel
from archive.models import CustomPage
from search.memory import index as memory_index
from search.models import SearchDocument
from search.service import search
from search.suggest import suggest
from tests.factories import make_record, make_user

from .conftest import SECRET_WORD

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()
QUERIES = [
    "",
    "lễ",
    "lễ hội",
    "le hoi",
    '"lễ hội" tày',
    "người",
    "hát ru",
    "ru hát",
    "Mèo",
    "H'Mông",
    "Ê-đê",
    "lồng tồng",
    "Lồng Tồng xyzzy",
    SECRET_WORD,
    "bếp lửa",
]
FILTERS = [{}, {"group": ["tay"]}, {"group": ["tay", "e-de"], "type": ["recording"]}]


@pytest.fixture
def no_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0
    return settings


def answer(settings, memory, query, filters, user):
    settings.SEARCH_MEMORY_INDEX = memory
    results = search(query, filters, user, "vi", page_size=50)
    facets = {k: {v.value: v.count for v in vs} for k, vs in results.facets.items()}
    return results.count, facets, {r.record_id for r in results.results}, results.relaxed


def test_memory_and_sql_give_the_same_counts_facets_and_results(archive, no_cache):
    elder = make_user(groups=[archive["elders"]])
    officer = make_user(perms=[VIEW_CLOSED_PERM])
    cases = [(ANON, q, f) for q, f in itertools.product(QUERIES, FILTERS)]
    cases += [
        (u, q, {}) for u, q in itertools.product([elder, officer], QUERIES[:2] + [SECRET_WORD])
    ]
    for user, query, filters in cases:
        in_memory = answer(no_cache, True, query, filters, user)
        in_sql = answer(no_cache, False, query, filters, user)
        assert in_memory == in_sql, (query, filters, user)
    assert memory_index.index_for_connection().snapshot is not None


def test_suggestions_agree_between_memory_and_sql(archive, no_cache):
    for prefix in ("l", "lễ h", "hat", "su thi", "đăm", "pơ"):
        no_cache.SEARCH_MEMORY_INDEX = True
        in_memory = [s.as_json() for s in suggest(prefix, ANON, "vi")]
        no_cache.SEARCH_MEMORY_INDEX = False
        assert in_memory == [s.as_json() for s in suggest(prefix, ANON, "vi")], prefix


def test_publish_unpublish_and_access_changes_reach_memory_without_a_rebuild(
    archive, committed, no_cache
):
    officer = make_user(perms=[VIEW_CLOSED_PERM])
    assert search("xoè", {}, ANON).count == 0
    main = memory_index.snapshot().main

    page = committed(make_record, CustomPage, "Múa xoè Thái", groups=[archive["groups"]["tay"]])
    assert [r.title for r in search("xoè", {}, ANON).results] == ["Múa xoè Thái"]
    snap = memory_index.snapshot()
    assert snap.main is main and page.pk in snap.delta.pks.tolist()

    def close():
        page.access_level = AccessLevel.CLOSED
        page.save_revision().publish()

    committed(close)
    assert search("xoè", {}, ANON).count == 0
    assert search("xoè", {}, ANON).facets.get("group", []) == []
    assert search("xoè", {}, officer).count == 1

    committed(lambda: page.unpublish())
    assert search("xoè", {}, officer).count == 0
    assert memory_index.snapshot().main is main


def test_restricted_records_stay_out_of_memory_answers(archive, no_cache):
    results = search(SECRET_WORD, {}, ANON)
    assert results.count == 0
    everything = search("", {}, ANON, page_size=50)
    assert SECRET_WORD not in " ".join(r.title.lower() for r in everything.results)
    assert everything.count == SearchDocument.objects.filter(record__access_level="public").count()


def test_a_large_index_is_built_in_the_background_and_sql_answers_meanwhile(
    archive, no_cache, monkeypatch
):
    started = []
    index = memory_index.index_for_connection()
    monkeypatch.setattr(index, "snapshot", None)
    monkeypatch.setattr(index, "_start_background_build", lambda: started.append(True))
    no_cache.SEARCH_MEMORY_INLINE_BUILD_LIMIT = 1
    results = search("hát ru", {}, ANON)
    assert started and index.snapshot is None
    assert results.results[0].title == "Hát ru của người Tày"
