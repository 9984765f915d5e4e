"""The public pages run under a Content Security Policy without 'unsafe-inline' and break
none of its rules: no inline script or style, no handler attribute, nothing foreign."""

import pytest

from .test_public_site import archive, pack_url, url_of  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def test_public_pages_raise_no_csp_violation(page, archive):  # noqa: F811
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    urls = [
        "/vi/",
        url_of(archive["festival"], "vi"),
        url_of(archive["recording"], "en"),
        "/vi/search/?q=long+tong",
        "/vi/teachers/",
        pack_url(archive["pack"], "vi"),
        pack_url(archive["pack"], "vi", "projector"),
        pack_url(archive["pack"], "vi", "handout"),
        "/vi/browse/provinces/",
        "/vi/browse/calendar/",
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy, url
        page.wait_for_load_state("load")
        page.fill("#search-q", "tay") if page.locator("#search-q").count() else None
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (url, violations)
    assert console == []
