"""/open-data/ in Chromium: axe finds nothing, it fits a 360 px phone, the sizes are shown
before download, and the ZIP downloads."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from archive.models import FestivalPage
from search.open_data import publish
from tests.browser.data import ensure_wagtail_root
from tests.factories import make_group, make_record

pytestmark = pytest.mark.browser


def test_open_data_page_is_accessible_fits_a_phone_and_downloads(page, settings, tmp_path):
    settings.DSS_OPEN_DATA_DIR = tmp_path / "open-data"
    ensure_wagtail_root()
    tay = make_group("Tày", slug="tay")
    for n in range(3):
        make_record(FestivalPage, f"Lễ hội Lồng Tồng {n}", groups=[tay])
    info = publish.build_version()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/vi/open-data/")
    assert page.locator("h1").count() == 1
    sizes = page.locator("td.size").all_inner_texts()
    assert len(sizes) == len(info["files"]) and all(s.strip() for s in sizes)
    result = Axe().run(page)
    assert not result.violations_count, result.generate_report()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    with page.expect_download() as download:
        page.click("a.download")
    assert download.value.suggested_filename == info["zip"]["name"]
