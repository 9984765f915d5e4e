"""Headless Debian Chromium against pytest-django's live server, one browser per session.

Every request that is not for the live server is blocked and recorded, so a test fails if a
page tries to reach a CDN, a font service or an analytics host. Tasks (indexing, media
processing) run inline, so data created in a fixture is searchable and playable at once.
"""

import os
import shutil

import pytest
from django.core.cache import cache

from tests.support.requirements import require

CHROMIUM = os.environ.get("DSS_CHROMIUM", "/usr/bin/chromium")

require("browser", os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}", module=True)
require("browser", bool(shutil.which("ffmpeg")), "ffmpeg is not installed", module=True)

# Playwright's sync API runs an event loop in this thread; the database calls made by the
# test itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Network:
    """What the page asked for: same-site requests pass, anything else is blocked."""

    def __init__(self, origin: str):
        self.origin = origin
        self.foreign: list[str] = []
        self.responses = []

    def route(self, route):
        url = route.request.url
        if url.startswith(self.origin) or url.startswith(("data:", "blob:", "file:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def network(live_server):
    return Network(live_server.url)


@pytest.fixture
def page(browser, live_server, network, transactional_db):
    cache.clear()
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.route("**/*", network.route)
    context.on("response", lambda response: network.responses.append(response))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not network.foreign, f"third-party requests: {network.foreign}"
