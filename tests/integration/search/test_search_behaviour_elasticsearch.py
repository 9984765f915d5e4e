"""The same behaviour suite against a live Elasticsearch cluster (ELASTICSEARCH_URL).

Skipped, with that reason, when no cluster is configured. Not run in this repository's CI.
"""

import os

import pytest
from django.test import override_settings

from .test_search_behaviour import *  # noqa: F403  (re-collect every behaviour test)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="ELASTICSEARCH_URL is not set: no live cluster to run the suite against",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def elasticsearch_backend():
    with override_settings(
        SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=os.environ["ELASTICSEARCH_URL"]
    ):
        from search.es.client import INDEX, client

        client().indices.delete(index=INDEX, ignore_unavailable=True)
        yield
