"""What an uncached search page costs in database queries, on the demo archive.

Issue 11 asks for 150 uncached searches a second on two cores; each query is a round trip
to PostgreSQL and its Python on every request. These tests pin the count of an anonymous
visitor's search with a facet filter (the answer cache off), so a change that brings back a
query per result, per facet or per page shell fails here, not in a load run weeks later.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Site

from archive.access import can_view
from archive.models import RecordPage
from demo.loader import load_demo

pytestmark = pytest.mark.django_db

# Measured 29 Nov 2026 with words and a group filter: 9 (the search copy's freshness and
# the season's protocols, ranking, the shown documents with their pages' URL columns, their
# groups and places, their sources, then the gate's re-check of the page in three). The
# shared cache (menu, page-cache generation, Wagtail's site roots) is in memory in tests and
# is not counted here.
MAX_QUERIES = 9


def _result_links(html: str) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)"', html)


@pytest.fixture
def demo_site(client, committed):
    committed(load_demo)  # the search copy is written on commit, as in production
    return client


@override_settings(SEARCH_CACHE_SECONDS=0, DSS_SEARCH_RATE_PER_MINUTE=0)
def test_an_anonymous_search_with_a_facet_keeps_its_query_count(demo_site):
    client = demo_site
    first = client.get("/vi/search/", {"q": "then"})
    assert first.status_code == 200
    # A group facet link the page offers, followed the way a visitor follows it.
    link = re.search(r'href="(\?q=then&amp;group=[^"]+)"', first.content.decode()).group(1)
    url = "/vi/search/" + link.replace("&amp;", "&")
    client.get(url)  # the process's search copy and reference labels are built once

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    links = _result_links(html)
    assert links, "the filtered search shows records"
    assert 'aria-current="true"' in html  # the chosen filter is shown as chosen
    assert len(queries) <= MAX_QUERIES, "\n".join(q["sql"][:160] for q in queries)

    # Still only what an anonymous visitor may see, each result re-checked by the gate.
    anonymous = {page.url: page for page in RecordPage.objects.live()}
    assert all(can_view(anonymous[url], None) for url in links)


@override_settings(SEARCH_CACHE_SECONDS=0, DSS_SEARCH_RATE_PER_MINUTE=0)
def test_the_search_pages_menu_shows_a_renamed_section_at_once(demo_site):
    client = demo_site
    before = client.get("/vi/search/", {"q": "then"}).content.decode()
    root = Site.objects.get(is_default_site=True).root_page
    section = root.get_children().live().in_menu().last().specific
    old_title = section.title
    assert f">{old_title}<" in before
    section.title = "Sưu tập chọn lọc"
    section.save_revision().publish()

    after = client.get("/vi/search/", {"q": "then"}).content.decode()
    assert ">Sưu tập chọn lọc<" in after
    assert f">{old_title}<" not in after
