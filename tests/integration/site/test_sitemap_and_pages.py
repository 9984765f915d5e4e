"""Sitemaps list only public pages; stable links, about/contact and error pages work in
both languages."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import make_user

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def locs(xml):
    return re.findall(r"<loc>([^<]+)</loc>", xml)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sitemap_lists_public_live_records_only(client, catalogue, lang):
    response = client.get(f"/{lang}/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    urls = locs(xml)
    for key in ("festival", "custom", "recording"):
        with translation.override(lang):
            assert "http://testserver" + catalogue[key].get_url() in urls
    for key in ("registered", "groups", "closed", "draft"):
        slug = catalogue[key].slug
        assert not [u for u in urls if slug in u], key
    assert SECRET not in xml
    assert all(u.startswith(f"http://testserver/{lang}/") for u in urls)
    assert f"http://testserver/{lang}/groups/tay/" in urls
    assert 'hreflang="vi"' in xml and 'hreflang="en"' in xml


def test_sitemap_is_the_same_for_a_signed_in_officer(client, catalogue):
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    xml = client.get("/vi/sitemap.xml").content.decode()
    assert catalogue["closed"].slug not in xml


def test_sitemap_index_and_robots_point_at_both_languages(client, catalogue):
    index = client.get("/sitemap.xml").content.decode()
    assert locs(index) == ["http://testserver/vi/sitemap.xml", "http://testserver/en/sitemap.xml"]
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_accession_link_leads_to_the_record(client, catalogue):
    record = catalogue["custom"]
    response = client.get(f"/en/id/{record.accession_number}/")
    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == record.get_url()
    assert client.get(f"/vi/id/{record.accession_number.lower()}/").status_code == 302


@pytest.mark.parametrize("key", ["registered", "groups", "closed", "draft"])
def test_accession_link_of_a_hidden_record_is_not_found(client, catalogue, key):
    response = client.get(f"/vi/id/{catalogue[key].accession_number}/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_record_page_offers_a_citation_with_the_stable_link(client, catalogue):
    record = catalogue["custom"]
    html = client.get(record.url).content.decode()
    stable = f"http://testserver/vi/id/{record.accession_number}/"
    citation = re.search(r'<p class="citation"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert record.title in citation and record.accession_number in citation
    assert stable in citation


@pytest.mark.parametrize(
    ("lang", "words"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")]
)
def test_not_found_page_speaks_the_visitors_language(client, catalogue, lang, words):
    response = client.get(f"/{lang}/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in html
    assert words in html


def test_server_error_page_is_bilingual_and_standalone():
    request = RequestFactory().get("/vi/")
    request.user = AnonymousUser()
    html = server_error(request).content.decode()
    assert 'lang="vi"' in html and 'lang="en"' in html
    assert "Something went wrong" in html


@pytest.mark.parametrize("name", ["about", "contact"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_about_and_contact_pages(client, db, name, lang):
    response = client.get(f"/{lang}/{name}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_fallback_text_is_marked_with_its_language(client, catalogue):
    """The custom has no English title: the Vietnamese one shows, marked lang="vi"."""
    record = catalogue["custom"]
    with translation.override("en"):
        url = record.get_url()
    html = client.get(url).content.decode()
    assert f'<span lang="vi">{record.title_vi}</span>' in html
