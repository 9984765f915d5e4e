"""The same behaviour suite against a live OpenSearch node (OPENSEARCH_URL), plus what only
an engine can get wrong: facet counts equal to the database path's for the same visitor.

Marked ``opensearch``: the OpenSearch pass selects these tests (``-m opensearch``) with a
node running; every other pass deselects them. Selected without a node, they fail.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from search.service import search

from .conftest import SECRET_WORD, opensearch_backend, resync_engine
from .test_search_behaviour import *  # noqa: F403  (re-collect every behaviour test)
from .test_search_behaviour import facet

pytestmark = [pytest.mark.django_db, pytest.mark.opensearch]


@pytest.fixture(scope="module", autouse=True)
def _opensearch(django_db_setup):
    """Active before the module's archive is built, so publishing indexes into the node."""
    with opensearch_backend("behaviour") as eng:
        yield eng


@pytest.fixture(autouse=True)
def _fresh_engine(archive):
    resync_engine()


VISITORS = ("anonymous", "registered", "elder", "closed")


def _visitor(kind, archive):
    from tests.factories import make_user

    if kind == "anonymous":
        return AnonymousUser()
    if kind == "registered":
        return make_user()
    if kind == "elder":
        return make_user(groups=[archive["elders"]])
    return make_user(perms=["archive.view_closed_records"])


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    "query,filters",
    [
        ("", {}),
        (SECRET_WORD, {}),
        ("lễ hội", {}),
        ("", {"group": ["tay"]}),
        ("", {"group": ["e-de"], "decade": ["1970"]}),
    ],
)
def test_facet_counts_equal_the_database_paths(archive, settings, visitor, query, filters):
    user = _visitor(visitor, archive)
    engine_results = search(query, filters, user, "vi", page_size=50)
    settings.SEARCH_BACKEND = "database"
    database_results = search(query, filters, user, "vi", page_size=50)
    assert engine_results.count == database_results.count
    for name in ("group", "province", "type", "media", "language", "decade", "has"):
        assert facet(engine_results, name) == facet(database_results, name), name
    assert {r.record_id for r in engine_results.results} == {
        r.record_id for r in database_results.results
    }
