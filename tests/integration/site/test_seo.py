"""Every public page is findable and shareable: title, description, canonical, hreflang,
OpenGraph and schema.org JSON-LD; and it asks nothing from another site."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def head_facts(html):
    return {
        "title": re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip(),
        "description": re.search(r'<meta name="description" content="([^"]*)"', html).group(1),
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1),
        "hreflang": dict(
            (lang, href)
            for href, lang in re.findall(
                r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)"', html
            )
        ),
        "og": dict(re.findall(r'<meta property="(og:[^"]+)" content="([^"]*)"', html)),
    }


def public_urls(catalogue):
    urls = ["/vi/", "/en/", catalogue["festival"].url, catalogue["custom"].url]
    urls.append(catalogue["recording"].url)
    for lang in ("vi", "en"):
        with translation.override(lang):
            urls += [
                reverse("archive:group_list"),
                reverse("archive:group_detail", kwargs={"slug": "tay"}),
                reverse("archive:teachers"),
                reverse("site:about"),
                reverse("site:contact"),
            ]
    return urls


def test_every_page_has_title_description_canonical_hreflang_and_opengraph(client, catalogue):
    for url in public_urls(catalogue):
        html = client.get(url).content.decode()
        facts = head_facts(html)
        assert facts["title"].endswith("Di Sản Số"), url
        assert len(facts["description"]) > 5, url
        assert facts["canonical"] == ORIGIN + url.split("?")[0], url
        assert set(facts["hreflang"]) == {"vi", "en", "x-default"}, url
        assert facts["hreflang"]["x-default"] == facts["hreflang"]["vi"]
        assert facts["og"]["og:url"] == facts["canonical"]
        assert facts["og"]["og:title"] and facts["og"]["og:site_name"] == "Di Sản Số"


def test_hreflang_alternates_point_at_the_same_record_in_each_language(client, catalogue):
    record = catalogue["festival"]
    with translation.override("vi"):
        vi_url = record.get_url()
    with translation.override("en"):
        en_url = record.get_url()
    assert vi_url.startswith("/vi/") and en_url.startswith("/en/")
    facts = head_facts(client.get(en_url).content.decode())
    assert facts["hreflang"]["vi"] == ORIGIN + vi_url
    assert facts["hreflang"]["en"] == ORIGIN + en_url
    assert facts["og"]["og:locale"] == "en_GB"


def test_record_description_comes_from_its_summary(client, catalogue):
    html = client.get("/en" + catalogue["festival"].url[3:]).content.decode()
    facts = head_facts(html)
    assert facts["description"] == "The spring field festival."
    assert facts["title"] == "Long Tong festival – Di Sản Số"
    assert facts["og"]["og:type"] == "article"


def test_festival_with_a_next_date_is_an_event(client, catalogue):
    (data,) = json_ld(client.get(catalogue["festival"].url).content.decode())
    assert data["@type"] == "Event"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["startDate"])
    assert data["identifier"] == catalogue["festival"].accession_number
    assert data["about"][0]["name"] == "Tày"


def test_custom_is_a_creative_work_with_licence_and_stable_link(client, catalogue):
    record = catalogue["custom"]
    (data,) = json_ld(client.get(record.url).content.decode())
    assert data["@type"] == "CreativeWork"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["sameAs"] == f"{ORIGIN}/vi/id/{record.accession_number}/"


def test_json_ld_cannot_be_broken_out_of(client, catalogue):
    record = catalogue["custom"]
    record.summary_vi = "</script><script>alert(1)</script>"
    record.save_revision().publish()
    html = client.get(record.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["description"] == "</script><script>alert(1)</script>"


def test_pages_load_nothing_from_other_sites(client, catalogue):
    for url in public_urls(catalogue):
        html = client.get(url).content.decode()
        loaded = re.findall(
            r'<(?:script|img|link|source|track|iframe)[^>]+(?:src|href)="([^"]+)"', html
        )
        foreign = [
            u for u in loaded
            if u.startswith(("http:", "https:", "//")) and not u.startswith(ORIGIN)
        ]  # fmt: skip
        assert not foreign, (url, foreign)
