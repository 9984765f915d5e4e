"""Languages: prefixed URLs, the switcher, fallback marking and translated interface."""

import pytest

from archive.models import CustomPage
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_root_redirects_to_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/vi/"


def test_root_follows_browser_language_when_supported(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/vi/"


def test_record_shows_title_in_visitor_language(client):
    make_record(CustomPage, title_vi="Hát Then", title_en="Then singing", slug="hat-then")
    assert "Hát Then" in client.get("/vi/customs/hat-then/").content.decode()
    assert "Then singing" in client.get("/en/customs/hat-then/").content.decode()


def test_switcher_keeps_the_same_record(client):
    make_record(CustomPage, title_vi="Hát Then", title_en="Then singing", slug="hat-then")
    html = client.get("/vi/customs/hat-then/").content.decode()
    assert 'href="/en/customs/hat-then/" hreflang="en"' in html


def test_missing_english_falls_back_to_vietnamese_and_is_marked(client):
    make_record(
        CustomPage,
        title_vi="Khèn Mông",
        title_en="Hmong khen",
        summary_vi="Tiếng khèn gọi bạn.",
        slug="khen",
    )
    html = client.get("/en/customs/khen/").content.decode()
    assert "Tiếng khèn gọi bạn." in html
    assert "not yet translated" in html
    assert "not yet translated" not in client.get("/vi/customs/khen/").content.decode()


def test_interface_strings_are_translated(client):
    make_record()
    vi = client.get("/vi/groups/").content.decode()
    en = client.get("/en/groups/").content.decode()
    assert "Ethnic groups" in en
    assert "Các dân tộc" in vi and "Ethnic groups" not in vi


def test_vernacular_title_carries_lang_attribute(client):
    record = make_record(CustomPage, title_vi="Lễ cúng", slug="le-cung")
    record.vernacular_titles.create(text="ពិធីបុណ្យ", language="khm", script="Khmr")
    record.save()
    html = client.get("/vi/customs/le-cung/").content.decode()
    assert '<span lang="km-Khmr">ពិធីបុណ្យ</span>' in html
