"""The search page, JSON API and browse pages as a browser or client sees them."""

import pytest

from .conftest import SECRET_TITLE

pytestmark = pytest.mark.django_db


def test_search_page_works_without_javascript(archive, client):
    response = client.get("/vi/search/", {"q": "xuong dong", "group": "tay"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lễ hội Lồng Tồng" in html
    assert "<mark>xuống</mark> <mark>đồng</mark>" in html
    assert 'href="?q=xuong+dong"' in html  # un-tick the group filter: a plain link


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": '"" OR NOT * ( ^'},
        {"q": "🎉\x00\x07"},
        {"q": "", "page": "-3"},
        {"q": "lễ", "page": "abc"},
        {"q": "lễ", "page": "999999999999"},
        {"group": ["<script>"] * 50},
        {"decade": "19x0"},
    ],
)
def test_bad_input_gets_a_page_not_an_error(archive, client, params):
    assert client.get("/vi/search/", params).status_code == 200
    assert client.get("/api/v1/search", params).status_code == 200
    assert client.get("/api/v1/suggest", params).status_code == 200


def test_json_search_has_the_documented_shape(archive, client):
    data = client.get("/api/v1/search", {"q": "ngủ trưa", "lang": "en"}).json()
    assert set(data) == {"count", "results", "facets"}
    result = data["results"][0]
    assert set(result) == {
        "accession", "title", "type", "url", "snippet", "ethnic_groups", "provinces", "segments"
    }  # fmt: skip
    assert result["url"].startswith("/en/")
    assert result["ethnic_groups"] == ["Tày"]
    assert result["segments"] == [
        {"start_s": 20.0, "end_s": 40.0, "text": "Bài ru con ngủ trưa bên bếp lửa."}
    ]
    assert {"value": "tay", "label": "Tày", "count": 1} in data["facets"]["group"]


def test_json_suggest_has_the_documented_shape(archive, client):
    data = client.get("/api/v1/suggest", {"q": "tay", "lang": "vi"}).json()
    assert data["suggestions"][0] == {"label": "Tày", "url": "/vi/groups/tay/", "kind": "group"}


def test_nothing_restricted_leaks_through_any_door(archive, client):
    for url, params in [
        ("/vi/search/", {"q": "khấn"}),
        ("/vi/search/", {}),
        ("/api/v1/search", {"q": "pothi"}),
        ("/api/v1/suggest", {"q": "bai"}),
        ("/vi/browse/groups/", {}),
        ("/vi/browse/provinces/", {}),
        ("/vi/browse/calendar/", {}),
        ("/vi/browse/calendar.ics", {}),
        ("/vi/browse/collections/", {}),
    ]:
        body = client.get(url, params).content.decode()
        assert SECRET_TITLE not in body, url


def test_browse_pages_show_visible_counts(archive, client):
    groups = client.get("/vi/browse/groups/").content.decode()
    assert 'Ê Đê</a> <span class="count">(1 ' in groups
    provinces = client.get("/vi/browse/provinces/").content.decode()
    assert 'Cao Bằng <span class="count">(3 ' in provinces


def test_festival_calendar_and_feed_list_visible_festivals(archive, client):
    page = client.get("/vi/browse/calendar/", {"group": "tay"}).content.decode()
    assert "Lễ hội Lồng Tồng" in page and "Lễ hội Gầu Tào" not in page
    feed = client.get("/vi/browse/calendar.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Lễ hội Lồng Tồng" in feed.content.decode()
