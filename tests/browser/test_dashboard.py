"""The coverage dashboard and the audit log in Chromium: axe finds nothing on them, and
the charts stay readable on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.loader import load_demo
from tests.browser.data import ensure_wagtail_root
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def board(transactional_db):
    ensure_wagtail_root()
    load_demo()
    return make_user("board", is_superuser=True, is_staff=True)


def sign_in(page, username, then: str):
    # Straight to ``then``: the admin's front page would ask wagtail.org for news.
    page.goto(f"/admin/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_dashboard_and_audit_log_have_no_axe_violations_and_fit_a_phone(page, board):
    sign_in(page, board.username, "/admin/coverage/")
    assert page.locator("svg.dss-chart").count() >= 5
    # The charts' tables open like any disclosure; axe checks them open too.
    for summary in page.locator("details > summary").all():
        summary.click()
    result = Axe().run(page)
    assert not result.violations_count, result.generate_report()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/admin/coverage/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.dss-chart')].map(svg => {
            const label = svg.querySelector('text');
            return {
                width: svg.getBoundingClientRect().width,
                text: label ? label.getBoundingClientRect().height : 0,
            };
        })"""
    )
    for size in sizes:
        assert 0 < size["width"] <= 360
        assert size["text"] >= 9  # CSS pixels: the labels are not shrunk to a smudge
    # The CSV the page offers is the page's figures (compared in the integration tests).
    with page.expect_download() as download:
        page.click("text=CSV")
    assert download.value.suggested_filename.startswith("coverage-")

    # The audit log, searched for a demo record.
    page.goto("/admin/audit-log/")
    page.fill("input[name=record]", "long tong")
    with page.expect_navigation():
        page.click("form.audit-search button[type=submit]")
    assert page.locator("td[data-action]").count() >= 1  # the demo's publications
    result = Axe().run(page)
    assert not result.violations_count, result.generate_report()
