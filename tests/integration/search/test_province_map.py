"""The clickable map of the 34 provincial units on the province browse page."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from archive.access import AccessLevel
from archive.models import (
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    Province,
    RecordingPage,
)
from archive.services.reference_data import load_reference_data, read_csv
from search.map_shapes import MAP_FILE, shade_ranges, shade_step
from search.service import search
from tests.factories import make_record, make_user

PAGE = "/vi/browse/provinces/"


def _committed(make, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make(*args, **kwargs)


def _record(model, title, *, provinces=(), former=(), **fields):
    def make():
        page = make_record(model, title, groups=[fields.pop("group")], **fields)
        page.provinces.set(provinces)
        page.former_provinces.set(former)
        page.save_revision().publish()
        return page

    return _committed(make)


@pytest.fixture(scope="module")
def units_data(django_db_setup, django_db_blocker):
    """The real 34 units and 63 former provinces, plus a few records; rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        tay = EthnicGroup.objects.get(name_vi="Tày")
        cao_bang = Province.objects.get(code="04")
        dak_lak = Province.objects.get(code="66")
        ha_giang = FormerProvince.objects.get(code="02")  # now part of Tuyên Quang (08)
        _record(FestivalPage, "Lễ hội Lồng Tồng", provinces=[cao_bang], group=tay)
        _record(CustomPage, "Dệt thổ cẩm", provinces=[cao_bang], group=tay)
        _record(CustomPage, "Chợ tình Khâu Vai", former=[ha_giang], group=tay)
        _record(
            RecordingPage,
            "Bài khấn bí mật",
            provinces=[dak_lak],
            group=tay,
            access_level=AccessLevel.CLOSED,
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def units(units_data, db):
    return units_data


class MapLinks(HTMLParser):
    """The links inside the map's <svg>: href, unit code, title text, and whether a path."""

    def __init__(self):
        super().__init__()
        self.in_svg = False
        self.links: list[dict] = []
        self._link = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "unit-map" in (attrs.get("class") or ""):
            self.in_svg = True
        elif self.in_svg and tag == "a":
            self._link = {
                "href": attrs.get("href"),
                "code": attrs.get("data-code"),
                "title": "",
                "path": False,
            }
        elif self._link is not None and tag == "title":
            self._in_title = True
        elif self._link is not None and tag == "path":
            self._link["path"] = bool(attrs.get("d"))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg = False
        elif tag == "title":
            self._in_title = False
        elif tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None

    def handle_data(self, data):
        if self._in_title:
            self._link["title"] += data


def map_links(body: str) -> list[dict]:
    parser = MapLinks()
    parser.feed(body)
    return parser.links


def facet_counts(user) -> dict[str, int]:
    results = search("", {}, user, "vi", page=1, page_size=1)
    return {v.value: v.count for v in results.facets.get("province", [])}


def title_count(title: str) -> int:
    match = re.fullmatch(r"(.+): (\d+) \S.*", title)
    assert match, title
    return int(match.group(2))


def test_the_page_has_34_clickable_units_linking_to_the_filtered_search(units, client):
    response = client.get(PAGE)
    assert response.status_code == 200
    links = map_links(response.content.decode())
    assert len(links) == 34
    by_code = {p.code: p for p in Province.objects.all()}
    assert {link["code"] for link in links} == set(by_code)
    with translation.override("vi"):
        search_url = reverse("search:search")
    for link in links:
        unit = by_code[link["code"]]
        assert link["path"], unit
        assert link["href"] == f"{search_url}?province={unit.slug}"
        assert link["title"].startswith(f"{unit.name}: ")
    cao_bang = next(link for link in links if link["code"] == "04")
    results = client.get(cao_bang["href"]).context["results"]
    assert results.filters == {"province": ["cao-bang"]}
    assert results.count == 2


def test_each_title_gives_the_facet_count(units, client):
    links = map_links(client.get(PAGE).content.decode())
    counts = facet_counts(AnonymousUser())
    slugs = dict(Province.objects.values_list("code", "slug"))
    shown = {link["code"]: title_count(link["title"]) for link in links}
    assert shown == {code: counts.get(slugs[code], 0) for code in shown}
    assert shown["04"] == 2
    assert shown["08"] == 1  # described with the former province Hà Giang


def test_a_restricted_record_does_not_change_what_anonymous_visitors_see(units, client):
    anonymous = {link["code"]: link for link in map_links(client.get(PAGE).content.decode())}
    assert title_count(anonymous["66"]["title"]) == 0
    assert 'class="shade-0" data-code="66"' in client.get(PAGE).content.decode()

    client.force_login(make_user(is_superuser=True))
    officer = {link["code"]: link for link in map_links(client.get(PAGE).content.decode())}
    assert title_count(officer["66"]["title"]) == 1  # the closed record exists
    for code, link in anonymous.items():
        if code != "66":
            assert link["title"] == officer[code]["title"]


def test_shading_has_a_legend_and_data_saver_keeps_only_the_list(units, client):
    body = client.get(PAGE).content.decode()
    assert 'class="unit-map-legend"' in body
    assert 'role="group" aria-labelledby="unit-map-heading"' in body
    client.cookies["datasaver"] = "1"
    light = client.get(PAGE).content.decode()
    assert map_links(light) == []
    assert 'Cao Bằng <span class="count">(2 ' in light


def test_shade_classes_split_the_counts_into_at_most_four_ranges():
    ranges = shade_ranges(range(9))
    assert ranges == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert [shade_step(c, ranges) for c in (0, 1, 3, 5, 8)] == [0, 1, 2, 3, 4]
    skewed = shade_ranges([0, 1, 1, 1, 3, 5, 20])  # quartiles of the non-zero counts
    assert skewed == [(1, 1), (2, 5), (6, 20)]
    assert [shade_step(c, skewed) for c in (1, 3, 20)] == [2, 3, 4]
    assert shade_ranges([0, 0]) == []
    assert [shade_step(c, shade_ranges([4, 4])) for c in (0, 4)] == [0, 3]


def test_the_shipped_geometry_has_exactly_the_34_current_units():
    assert MAP_FILE.stat().st_size < 150_000
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    codes = {row["code_2025"] for row in read_csv("provinces_2025.csv")}
    assert len(codes) == 34
    assert set(data["units"]) == codes
    assert all(re.fullmatch(r"(M[-\d. ]+l[-\d. ]+z)+", u["d"]) for u in data["units"].values())
    assert "Natural Earth" in data["source"]["data"]
    assert "public domain" in data["source"]["data_licence"]
    assert {island["unit"] for island in data["islands"]} == {"48", "56"}
