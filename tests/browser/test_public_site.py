"""What a visitor and a teacher do on the public site, in both languages, in Chromium."""

import gzip
import re
import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from .data import SECRET, build_archive

pytestmark = [pytest.mark.browser]

LANGS = ["vi", "en"]


@pytest.fixture
def archive(page, tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("media"))


def wait_until(page, expression: str, timeout_s: float = 15.0):
    """Poll ``expression`` until it is true. Playwright's wait_for_function evaluates a
    string with eval() inside the page, which the site's Content Security Policy forbids;
    page.evaluate() goes through the DevTools protocol, outside the page's policy."""
    import time

    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def url_of(page_obj, lang):
    with translation.override(lang):
        return page_obj.get_url()


def pack_url(pack, lang, view=""):
    suffix = f"{view}/" if view else ""
    return f"/{lang}/teachers/packs/{pack.token}/{suffix}"


@pytest.mark.parametrize("lang", LANGS)
def test_search_without_tone_marks_with_two_facets_then_open_a_result(page, archive, lang):
    page.goto(f"/{lang}/search/")
    page.fill("#search-q", "long tong")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=long\+tong"))
    results = page.locator(".result-list .result")
    assert results.count() >= 2  # the festival and the fish share the folded spelling
    page.locator(".facets a[href*='group=tay']").first.click()
    page.wait_for_url(re.compile(r"group=tay"))
    page.locator(".facets a[href*='type=festival']").first.click()
    page.wait_for_url(re.compile(r"type=festival"))
    assert results.count() == 1
    results.first.locator("h3 a").click()
    expected = "Lễ hội Lồng Tồng" if lang == "vi" else "Long Tong festival"
    assert page.locator("h1").inner_text().startswith(expected)
    assert SECRET not in page.content()


def current_time(page):
    return page.evaluate("document.querySelector('[data-player]').currentTime")


@pytest.mark.parametrize("lang", LANGS)
def test_clicking_a_transcript_line_seeks_the_player(page, archive, lang):
    page.goto(url_of(archive["recording"], lang))
    line = page.locator("ol.transcript-lines button.seek").nth(1)
    assert line.get_attribute("data-start") == "2.00"
    line.focus()
    page.keyboard.press("Enter")  # buttons: the keyboard does what a click does
    wait_until(page, "document.querySelector('[data-player]').currentTime >= 2")
    assert 2 <= current_time(page) < 6
    wait_until(
        page, "document.querySelectorAll('ol.transcript-lines button[aria-current]').length === 1"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_switching_language_stays_on_the_record(page, archive, lang):
    other = "en" if lang == "vi" else "vi"
    page.goto(url_of(archive["festival"], lang))
    page.locator(f".lang-switch a[hreflang='{other}']").click()
    page.wait_for_url(re.compile(f"/{other}/festivals/long-tong/$"))
    expected = "Long Tong festival" if other == "en" else "Lễ hội Lồng Tồng"
    assert page.locator("h1").inner_text().startswith(expected)
    assert page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("lang", LANGS)
def test_data_saver_plays_the_low_bandwidth_tier(page, archive, lang):
    page.goto(url_of(archive["recording"], lang))
    player = page.locator("[data-player]")
    player.evaluate("m => m.load()")
    wait_until(page, "document.querySelector('[data-player]').currentSrc !== ''")
    assert "audio_aac" in player.evaluate("m => m.currentSrc")
    page.locator(".data-saver button").click()
    page.wait_for_selector(".data-saver button[aria-pressed='true']")
    assert page.url.endswith(url_of(archive["recording"], lang))
    player = page.locator("[data-player]")
    player.evaluate("m => m.load()")
    wait_until(page, "document.querySelector('[data-player]').currentSrc !== ''")
    assert "audio_opus" in player.evaluate("m => m.currentSrc")


@pytest.mark.parametrize("lang", LANGS)
def test_projector_view_moves_with_the_keyboard(page, archive, lang):
    page.goto(pack_url(archive["pack"], lang, "projector"))
    festival = "Lễ hội Lồng Tồng" if lang == "vi" else "Long Tong festival"
    lullaby = "Hát ru của người Tày" if lang == "vi" else "Tay lullaby"
    assert page.locator("h1").inner_text() == festival
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") > 40
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"item=2"))
    assert page.locator("h1").inner_text() == lullaby
    assert page.locator(".slide-nav a[rel='next']").count() == 0  # the closed item is left out
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"item=1"))
    assert SECRET not in page.content()


@pytest.mark.parametrize("lang", LANGS)
def test_offline_pack_plays_from_a_usb_stick_with_no_network(
    page, browser, archive, lang, tmp_path
):
    page.goto(pack_url(archive["pack"], lang))
    link = page.locator(".pack-actions a[download]")
    assert re.search(r"\d", page.locator(".pack-actions .count").inner_text())  # size shown
    with page.expect_download() as info:
        link.click()
    zip_path = tmp_path / "pack.zip"
    info.value.save_as(zip_path)
    with zipfile.ZipFile(zip_path) as archive_zip:
        archive_zip.extractall(tmp_path / "usb")
        assert not [n for n in archive_zip.namelist() if SECRET in n]
    (index,) = (tmp_path / "usb").glob("*/index.html")

    offline = browser.new_context(offline=True)
    blocked = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    offline.route("**/*", only_files)
    usb = offline.new_page()
    usb.goto(index.as_uri())
    assert SECRET not in usb.content()
    audio = usb.locator("audio").first
    audio.evaluate("a => a.play()")
    usb.wait_for_function("document.querySelector('audio').currentTime >= 2.2")
    assert usb.evaluate("document.querySelector('audio').error") is None
    usb.locator("ol.transcript button").nth(0).click()
    usb.wait_for_function("document.querySelector('audio').currentTime < 2")
    usb.locator("nav a").nth(1).click()  # contents links jump within the file
    assert usb.url.endswith("#item-2")
    offline.close()
    assert not blocked


def axe_pages(archive, lang):
    pack = archive["pack"]
    return [
        f"/{lang}/",
        f"/{lang}/search/?q=long+tong",
        f"/{lang}/groups/tay/",
        url_of(archive["festival"], lang),
        url_of(archive["custom"], lang),
        url_of(archive["recording"], lang),
        f"/{lang}/collections/",
        f"/{lang}/browse/provinces/",
        pack_url(pack, lang),
        pack_url(pack, lang, "projector"),
        pack_url(pack, lang, "handout"),
        f"/{lang}/teachers/",
        f"/{lang}/about/",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_has_no_axe_violations(page, archive, lang):
    axe = Axe()
    problems = {}
    for path in axe_pages(archive, lang):
        response = page.goto(path)
        assert response.ok, path
        result = axe.run(page)
        if result.violations_count:
            problems[path] = result.generate_report()
    assert not problems, "\n".join(f"{p}:\n{r}" for p, r in problems.items())


@pytest.mark.parametrize("lang", LANGS)
def test_record_page_weight_in_the_browser(page, archive, network, lang):
    page.goto(url_of(archive["recording"], lang), wait_until="networkidle")
    text_bytes = 0
    for response in network.responses:
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script"):
            text_bytes += len(gzip.compress(response.body()))
    assert 0 < text_bytes <= 100 * 1024
    # Media never autoplays and is not fetched before the visitor asks.
    assert page.evaluate("document.querySelector('[data-player]').paused")
    assert not [r for r in network.responses if r.request.resource_type == "media"]
