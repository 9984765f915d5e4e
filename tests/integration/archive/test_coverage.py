"""The coverage dashboard on the demo archive: its figures, the CSV that repeats them, and
who may see them."""

from __future__ import annotations

import csv
import io
import shutil

import lxml.html
import pytest

from archive.models import EthnicGroup, Province, RecordingPage, RecordPage
from archive.services.coverage import MAJORITY_CODE, coverage_for
from archive.services.queries import records_in_province_q
from demo.loader import load_demo
from tests.factories import make_user
from tests.support.requirements import require

pytestmark = pytest.mark.django_db

READER = ["wagtailadmin.access_admin", "heritage.view_auditentry"]


@pytest.fixture
def demo():
    load_demo()


def page_figures(html: str) -> set[tuple[str, str, str, str]]:
    """(table, item, measure, value) for every cell of every figures table on the page."""
    tree = lxml.html.fromstring(html)
    figures = set()
    for table in tree.xpath("//table[@data-table]"):
        title = table.xpath(".//caption")[0].text_content().strip()
        columns = [th.text_content().strip() for th in table.xpath("./thead//th")]
        for row in table.xpath("./tbody/tr"):
            cells = [c.text_content().strip() for c in row.xpath("./th|./td")]
            if len(cells) != len(columns):
                continue  # the "None." row of an empty table
            for measure, value in zip(columns[1:], cells[1:], strict=True):
                figures.add((title, cells[0], measure, value))
    return figures


def csv_figures(response) -> set[tuple[str, str, str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == 4
    return {tuple(row) for row in rows[1:]}


def test_figures_are_those_of_the_demo_archive(demo):
    admin = make_user("board", is_superuser=True)
    figures = coverage_for(admin)
    assert figures.total_records == RecordPage.objects.count()
    by_group = {bar.label: bar.records for bar in figures.by_group}
    for group in EthnicGroup.objects.all():
        assert by_group[group.name] == RecordPage.objects.filter(ethnic_groups=group).count()
    assert sum(by_group.values()) > 0
    by_unit = {bar.label: bar.records for bar in figures.by_province}
    for unit in Province.objects.all():
        expected = RecordPage.objects.filter(records_in_province_q(unit)).distinct().count()
        assert by_unit[unit.name] == expected, unit.name
    # Records placed in a former province count under the unit that absorbed it (above,
    # ``records_in_province_q``); the demo has such records.
    assert RecordPage.objects.filter(former_provinces__isnull=False).exists()

    minorities = EthnicGroup.objects.exclude(code=MAJORITY_CODE)
    assert figures.minorities == minorities.count() == 53
    no_recording = [
        g.name for g in minorities if not RecordingPage.objects.filter(ethnic_groups=g).exists()
    ]
    assert figures.without_recording == no_recording
    assert 0 < len(no_recording) < 53
    assert "Kinh" not in figures.without_recording + figures.without_festival_or_custom
    english_less = RecordPage.objects.filter(title_en="", summary_en="").count()
    assert figures.translation["vietnamese_only"] == english_less
    assert sum(figures.translation.values()) == figures.total_records
    from archive.models import AccessRequest

    assert figures.pending_access_requests == AccessRequest.objects.filter(status="pending").count()


def test_hours_count_the_demo_recordings(demo):
    require("media", bool(shutil.which("ffmpeg")), "ffmpeg is not installed")
    from demo.media import load_demo_media
    from media_pipeline.models import RecordMedia

    load_demo_media(limit=1)
    link = RecordMedia.objects.filter(asset__type__in=("audio", "video")).first()
    assert link is not None and link.asset.duration > 0
    admin = make_user("board", is_superuser=True)
    figures = coverage_for(admin)
    group = link.record.ethnic_groups.first()
    hours = {bar.label: bar.hours for bar in figures.by_group}
    seconds = sum(
        a.duration
        for a in {
            m.asset
            for m in RecordMedia.objects.filter(
                record__ethnic_groups=group, asset__type__in=("audio", "video")
            ).select_related("asset")
        }
    )
    assert hours[group.name] == round(seconds / 3600, 2) > 0
    assert figures.total_hours >= hours[group.name]


def test_the_csv_repeats_the_page_and_only_officers_see_it(client, demo):
    client.force_login(make_user("board", is_superuser=True))
    page = client.get("/admin/coverage/")
    assert page.status_code == 200
    html = page.content.decode()
    on_page = page_figures(html)
    in_csv = csv_figures(client.get("/admin/coverage/coverage.csv"))
    assert on_page == in_csv
    assert len(in_csv) > 54 * 2  # every group, two measures each, and more
    # Every chart is named, described and followed by its table.
    tree = lxml.html.fromstring(html)
    charts = tree.xpath("//svg[@class='dss-chart']")
    assert len(charts) >= 5
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("viewbox").startswith("0 0 ")
        assert chart.xpath("./title")[0].text_content().strip()
        assert chart.xpath("./desc")[0].text_content().strip()
        assert chart.getparent().xpath(".//table[@data-table]")

    # Counts follow the gate; only officers see them.
    reader = make_user("hoi-dong", perms=READER)  # reads the log; sees no closed record
    figures = coverage_for(reader)
    assert figures.total_records == RecordPage.objects.visible_to(reader).count()
    assert figures.total_records < RecordPage.objects.count()
    client.force_login(reader)
    html = client.get("/admin/coverage/").content.decode()
    assert f'data-figure="records">{figures.total_records}<' in html

    client.force_login(make_user("admin-without-role", perms=["wagtailadmin.access_admin"]))
    for url in ("/admin/coverage/", "/admin/coverage/coverage.csv"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    client.force_login(make_user("site-visitor"))
    assert client.get("/admin/coverage/").status_code == 302
