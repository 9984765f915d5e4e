"""Draft → review → published in a real browser: the Đắk Lắk officer edits a record and
submits it for review; the reviewer opens the comparison, sees the change and approves;
the record then shows the change on the public site."""

import pytest

from tests.browser.data import ensure_wagtail_root
from tests.integration.archive.test_roles_world import build_world

pytestmark = [pytest.mark.browser]

NEW_TITLE = "Dệt thổ cẩm Zqours của người Ê Đê"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


def open_more_actions(page):
    """The footer's secondary actions sit in a dropdown."""
    toggle = page.locator("footer [data-w-dropdown-target='toggle']")
    if toggle.count():
        toggle.first.click()


def test_officer_submits_reviewer_approves_record_goes_public(page, live_server):
    ensure_wagtail_root()  # an earlier live-server test's flush took the migrations' rows
    world = build_world()
    record = world.records["ours"]

    sign_in(page, "officer-dl")
    page.goto(f"/admin/pages/{record.pk}/edit/")
    page.fill("input[name=title_vi]", NEW_TITLE)
    open_more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state("load")
    # Submitted, not published: the public page still has the old title.
    public = page.context.browser.new_context(base_url=live_server.url)
    visitor = public.new_page()
    assert visitor.goto(record.url).status == 200
    assert "của người Ê Đê" not in visitor.content()

    sign_in(page, "reviewer")
    page.goto(f"/admin/pages/{record.pk}/revisions/compare/live...latest/")
    comparison = page.locator("main").inner_text()
    assert "của người Ê Đê" in comparison and "Dệt thổ cẩm Zqours" in comparison

    page.goto(f"/admin/pages/{record.pk}/edit/")
    open_more_actions(page)
    approve = page.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    approve.first.click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)

    visitor.goto(record.url)
    assert NEW_TITLE in visitor.content()
    public.close()
