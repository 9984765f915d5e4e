"""Fast on the server: cached anonymous pages that publishing invalidates, and a constant
number of queries per page type whatever the number of related items."""

import gzip

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import CollectionItem, CollectionPage, CustomPage, LessonItem, LessonPack
from heritage.site_setup import ensure_site_tree, section
from tests.factories import make_group, make_record, make_user

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_cache(client, catalogue):
    url = catalogue["custom"].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) < 8  # routing only, no rendering


def test_publishing_a_change_shows_at_once(client, catalogue):
    record = catalogue["custom"]
    client.get(record.url)
    record.title_vi = "Dệt thổ cẩm (đã sửa)"
    record.save_revision().publish()
    response = client.get(record.url)
    assert "Dệt thổ cẩm (đã sửa)" in response.content.decode()


def test_restricting_a_cached_record_hides_it_at_once(client, catalogue):
    record = catalogue["custom"]
    home_html = client.get("/vi/").content.decode()
    assert record.title in home_html
    assert client.get(record.url).status_code == 200
    record.access_level = "closed"
    record.save_revision().publish()
    assert client.get(record.url).status_code == 404
    assert record.title not in client.get("/vi/").content.decode()


def test_unpublishing_removes_the_page_and_its_listing(client, catalogue):
    record = catalogue["custom"]
    client.get(record.url)
    client.get("/vi/sitemap.xml")
    record.unpublish()
    assert client.get(record.url).status_code == 404
    assert record.slug not in client.get("/vi/sitemap.xml").content.decode()


def test_signed_in_visitors_and_data_saver_get_their_own_pages(client, catalogue):
    url = catalogue["custom"].url
    client.get(url)
    client.cookies["datasaver"] = "1"
    saver = client.get(url)
    assert saver["X-Page-Cache"] == "miss"
    assert 'aria-pressed="true"' in saver.content.decode()
    client.force_login(make_user())
    assert "X-Page-Cache" not in client.get(url)


def query_count(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_related(group, n, model=CustomPage):
    return [make_record(model, f"Liên quan {i}", groups=[group]) for i in range(n)]


def test_record_page_queries_do_not_grow_with_related_records(client, catalogue):
    record = catalogue["custom"]
    few = query_count(client, record.url)
    add_related(catalogue["group"], 6)
    assert query_count(client, record.url) == few


def test_home_and_group_pages_queries_do_not_grow_with_records(client, catalogue):
    urls = ["/vi/", "/vi/groups/tay/", "/vi/groups/", "/vi/customs/"]
    before = [query_count(client, url) for url in urls]
    add_related(catalogue["group"], 5)
    add_related(catalogue["group"], 3, model=type(catalogue["festival"]))
    assert [query_count(client, url) for url in urls] == before


def test_collection_page_queries_do_not_grow_with_items(client, catalogue):
    home = ensure_site_tree()
    collection = CollectionPage(title_vi="Bộ sưu tập Tày", slug="bst-tay")
    section(home, "collections").add_child(instance=collection)
    CollectionItem.objects.create(collection=collection, record=catalogue["custom"])
    collection.save_revision().publish()
    url = collection.url
    few = query_count(client, url)
    for record in add_related(catalogue["group"], 5):
        CollectionItem.objects.create(collection=collection, record=record)
    assert query_count(client, url) == few


def test_lesson_pack_pages_queries_do_not_grow_with_items(client, catalogue):
    pack = LessonPack.objects.create(title_vi="Bài học", grade=5, subject="history")
    LessonItem.objects.create(pack=pack, record=catalogue["custom"], sort_order=0)
    with translation.override("vi"):
        from django.urls import reverse

        urls = [
            reverse("archive:lesson_pack", kwargs={"token": pack.token}),
            reverse("archive:handout", kwargs={"token": pack.token}),
            reverse("archive:projector", kwargs={"token": pack.token}),
            reverse("archive:teachers"),
        ]
    before = [query_count(client, url) for url in urls]
    for i, record in enumerate(add_related(make_group("Mông", slug="mong"), 5), start=1):
        LessonItem.objects.create(pack=pack, record=record, sort_order=i)
    assert [query_count(client, url) for url in urls] == before


def compressed_weight(client, url) -> int:
    """Gzipped bytes of the page's HTML plus the CSS and JS it links (what a phone downloads)."""
    import re

    html = client.get(url).content
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        path = finders.find(asset.decode())
        total += len(gzip.compress(open(path, "rb").read()))
    return total


def test_record_pages_weigh_under_100_kb_compressed(client, catalogue):
    for key in ("festival", "custom", "recording"):
        assert compressed_weight(client, catalogue[key].url) <= 100 * 1024
