"""The JSON API under /api/v1/ as a client sees it: the OpenAPI document, records in both
languages, reference lists, pagination, validators (ETag, Last-Modified, 304), CORS, rate
limits and JSON errors in the asker's language. Answers are validated against the live
OpenAPI document."""

import jsonschema_rs
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from archive.models import LessonItem, LessonPack, VernacularTitle
from tests.factories import make_user
from tests.integration.search import conftest as search_fixtures
from tests.integration.search.conftest import SECRET_TITLE

# The search suite's small archive (public, restricted and draft records), built per module.
archive_data = search_fixtures.archive_data
archive = search_fixtures.archive
committed = search_fixtures.committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    return document.json()


def valid(openapi, path, response):
    """The answer's body conforms to the schema the OpenAPI document gives for ``path`` and
    its status (with the document's components for references)."""
    answers = openapi["paths"]["/api/v1" + path]["get"]["responses"]
    assert str(response.status_code) in answers, response.status_code
    schema = answers[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": openapi["components"]})
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert not errors, errors
    return response


def test_openapi_document_lists_every_door(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/records",
        "/api/v1/records/{accession}",
        "/api/v1/media/{asset_id}",
        "/api/v1/groups",
        "/api/v1/units",
        "/api/v1/collections",
        "/api/v1/lesson-packs",
        "/api/v1/calendar",
    ):
        assert list(paths[path]) == ["get"], path


def test_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_record_list_uses_the_search_filters(archive, client, openapi):
    response = valid(openapi, "/records", client.get("/api/v1/records", {"group": "tay"}))
    data = response.json()
    titles = {r["title"] for r in data["results"]}
    assert "Lễ hội Lồng Tồng" in titles and "Sử thi Đăm Săn" not in titles
    assert data["count"] == len(data["results"]) == 3
    assert {"value": "tay", "label": "Tày", "count": 3} in data["facets"]["group"]
    folded = client.get("/api/v1/records", {"q": "long tong", "lang": "en"}).json()
    assert folded["results"][0]["url"].startswith("/en/")


def test_record_list_pages(archive, client, openapi):
    first = client.get("/api/v1/records", {"page_size": 2}).json()
    second = valid(
        openapi, "/records", client.get("/api/v1/records", {"page_size": 2, "page": 2})
    ).json()
    assert first["count"] == 5 and first["num_pages"] == 3
    assert not {r["accession"] for r in first["results"]} & {
        r["accession"] for r in second["results"]
    }


def test_record_detail_in_both_languages(archive, client, openapi):
    record = archive["gau_tao"]
    record.title_en = "Gau Tao festival"
    record.save_revision().publish()
    VernacularTitle.objects.create(record=record, text="Nox Ntoos", language="hnj")
    url = f"/api/v1/records/{record.accession_number}"
    data = valid(openapi, "/records/{accession}", client.get(url, {"lang": "en"})).json()
    assert data["title"] == {"vi": "Lễ hội Gầu Tào", "en": "Gau Tao festival"}
    assert data["vernacular_titles"] == [{"text": "Nox Ntoos", "lang": "hnj"}]
    assert data["ethnic_groups"] == [{"code": archive["groups"]["hmong"].code, "name": "Hmong"}]
    assert data["url"].startswith("/en/") and data["permalink"] == f"/id/{record.accession_number}"
    assert set(data["rights"]) == {"statement", "licence", "licence_url", "download_allowed"}
    assert data["media"] == []
    lower = client.get(url.lower())
    assert lower.status_code == 200


def test_restricted_record_is_404_whoever_asks_how(archive, client):
    hidden = archive["secret_closed"]
    url = f"/api/v1/records/{hidden.accession_number}"
    response = client.get(url, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 404
    assert SECRET_TITLE not in response.content.decode()
    assert client.get("/api/v1/records/DSS-1999-000001").json() == client.get(url).json()
    listed = client.get("/api/v1/records", {"q": "khấn"}).content.decode()
    assert SECRET_TITLE not in listed
    counted = client.get("/api/v1/groups").json()["results"]
    assert {g["name"]: g["records"] for g in counted}["Ê Đê"] == 1  # only Đăm Săn


def test_signed_in_member_sees_their_groups_records(archive, client):
    member = make_user(groups=[archive["elders"]])
    client.force_login(member)
    record = archive["secret_groups"]
    response = client.get(f"/api/v1/records/{record.accession_number}")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response  # never shared across origins
    assert "private" in response["Cache-Control"]


def test_etag_and_last_modified_answer_304(archive, client):
    record = archive["long_tong"]
    url = f"/api/v1/records/{record.accession_number}"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    listing = client.get("/api/v1/records")
    assert client.get("/api/v1/records", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    # the same list for someone who sees more is another version
    client.force_login(make_user(groups=[archive["elders"]]))
    assert client.get("/api/v1/records", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200
    # a change gives a new validator
    client.logout()
    record.summary_vi = "Lễ xuống đồng, sửa lại."
    record.save_revision().publish()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_anonymous_get_is_open_to_other_sites(archive, client):
    response = client.get("/api/v1/groups", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_errors_are_json_in_the_askers_language(archive, client, openapi):
    vi = client.get("/api/v1/records", {"page": "abc", "lang": "vi"})
    assert vi.status_code == 400 and vi["Content-Type"].startswith("application/json")
    assert "page" in vi.json()["detail"]
    valid(openapi, "/records", vi)
    en = client.get("/api/v1/records/DSS-1999-000001", {"lang": "en"})
    assert en.status_code == 404 and en.json() == {"detail": "Not found."}
    valid(openapi, "/records/{accession}", en)


@override_settings(DSS_API_RATE_PER_MINUTE=3)
def test_rate_limit_answers_429_in_json(archive, client):
    from django.core.cache import cache

    cache.clear()
    codes = [client.get("/api/v1/units", {"lang": "en"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/units", {"lang": "en"})
    assert limited["Retry-After"] == "60"
    assert "Too many requests" in limited.json()["detail"]
    in_vi = client.get("/api/v1/units", {"lang": "vi"}).json()["detail"]
    assert in_vi == "Có quá nhiều yêu cầu. Vui lòng đợi một phút rồi thử lại."
    cache.clear()


def test_units_include_former_ones_mapped(client, committed, openapi):
    from tests.integration.search.conftest import khau_vai_of_ha_giang

    khau_vai_of_ha_giang(committed)
    data = valid(openapi, "/units", client.get("/api/v1/units")).json()
    assert data["former"] == [{"code": "02", "name": "Hà Giang", "successor": "08"}]
    (tuyen_quang,) = [u for u in data["units"] if u["code"] == "08"]
    assert tuyen_quang["former"] == data["former"]


def test_lesson_packs_list_only_listed_packs_and_visible_items(archive, client, openapi):
    listed = LessonPack.objects.create(title="Lễ hội mùa xuân", grade=5, subject="history")
    LessonItem.objects.create(pack=listed, record=archive["long_tong"], sort_order=0)
    LessonItem.objects.create(pack=listed, record=archive["secret_closed"], sort_order=1)
    LessonPack.objects.create(title="Chỉ chia sẻ bằng đường dẫn", grade=5, subject="history",
                              listed=False)  # fmt: skip
    data = valid(openapi, "/lesson-packs", client.get("/api/v1/lesson-packs")).json()
    assert [p["title"] for p in data["results"]] == ["Lễ hội mùa xuân"]
    assert data["results"][0]["count"] == 1
    assert SECRET_TITLE not in str(data)


def test_calendar_lists_visible_festivals(archive, client, openapi):
    data = valid(openapi, "/calendar", client.get("/api/v1/calendar")).json()
    titles = {f["title"] for f in data["results"]}
    assert titles == {"Lễ hội Lồng Tồng", "Lễ hội Gầu Tào"}


def test_visible_to_anonymous_means_the_gate(archive):
    from search.api.describe import visible_records

    assert SECRET_TITLE not in {r.title for r in visible_records(AnonymousUser())}
