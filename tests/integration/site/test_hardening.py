"""Hardening (issue 10): the deployment check, the Content Security Policy, login lockout,
rate limits, a visible sign-out, and offline ZIPs built once per pack version."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from archive.services.reference_data import LoadReport
from demo.loader import ensure_demo_users
from heritage.site_setup import ensure_site_tree
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSS_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="heritage.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48)[:50],
        DSS_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, catalogue):
    for url in ("/vi/", catalogue["custom"].url, "/vi/search/?q=le", "/vi/teachers/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


@pytest.mark.django_db
def test_the_admin_gets_a_looser_policy_that_still_forbids_framing(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy


@pytest.fixture
def lockout(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    ensure_site_tree()
    ensure_demo_users(LoadReport())
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("login_url", ["/vi/login/", "/admin/login/"])
def test_repeated_failed_sign_ins_lock_the_account_out(client, lockout, login_url):
    user = "officer" if login_url.startswith("/admin") else "teacher"
    for _attempt in range(3):
        client.post(login_url, {"username": user, "password": "wrong"})
    locked = client.post(login_url, {"username": user, "password": "demo-2026"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_password_still_signs_in_below_the_limit(client, lockout):
    client.post("/vi/login/", {"username": "teacher", "password": "wrong"})
    response = client.post("/vi/login/", {"username": "teacher", "password": "demo-2026"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_search_and_suggestions_are_rate_limited(client, settings):
    settings.DSS_SEARCH_RATE_PER_MINUTE = 2
    settings.DSS_SUGGEST_RATE_PER_MINUTE = 2
    cache.clear()
    for url in ("/api/v1/search?q=le", "/api/v1/suggest?q=le"):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        limited = client.get(url)
        assert limited.status_code == 429 and limited["Retry-After"] == "60"


@pytest.mark.django_db
def test_sign_out_is_visible_and_sessions_suit_shared_computers(client, catalogue, settings):
    client.force_login(make_user("co-giao"))
    html = client.get("/vi/").content.decode()
    assert "co-giao" in html and 'action="/vi/logout/"' in html
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
