"""Search never shows a record the gate refuses now (issue 10, leak 2).

A bulk ``update()`` sends no signal and replaces no index token, so the answer cache and
the in-memory copy's access mask are not told. Results and suggestions are re-checked
against the gate on every request, and a refusal found that way drops the stale answers.
"""

import pytest
from django.test import TestCase

from archive.models import CustomPage, RecordPage
from tests.factories import make_record

pytestmark = pytest.mark.django_db

TITLE = "Then Pơlang cầu mùa"


@pytest.fixture(params=[True, False], ids=["memory", "sql"])
def record(request, settings):
    settings.SEARCH_MEMORY_INDEX = request.param
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make_record(CustomPage, TITLE, summary_vi="Bài then cầu mùa của người Tày.")


def titles(client, url, query):
    data = client.get(url, {"q": query, "lang": "vi"}).json()
    items = data["results"] if isinstance(data, dict) and "results" in data else data
    if isinstance(items, dict):
        items = items.get("suggestions", [])
    return [item.get("title") or item.get("label") for item in items], data


def test_search_and_suggest_forget_a_record_closed_by_a_bulk_update(client, record):
    found, data = titles(client, "/api/v1/search", "polang")
    assert TITLE in found and data["count"] == 1
    assert TITLE in titles(client, "/api/v1/suggest", "then polang")[0]

    RecordPage.objects.filter(pk=record.pk).update(access_level="closed")

    found, data = titles(client, "/api/v1/search", "polang")
    assert TITLE not in found
    assert data["count"] == 0
    assert all(value["count"] == 0 for values in data["facets"].values() for value in values)
    assert TITLE not in titles(client, "/api/v1/suggest", "then polang")[0]
