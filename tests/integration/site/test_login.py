"""Teachers sign in on the public site (not the admin) and can start a lesson pack."""

import pytest

from archive.services.reference_data import LoadReport
from demo.loader import ensure_demo_users
from heritage.site_setup import ensure_site_tree

pytestmark = pytest.mark.django_db


def test_teacher_signs_in_on_the_site_and_reaches_the_pack_builder(client):
    ensure_site_tree()
    ensure_demo_users(LoadReport())
    target = "/vi/teachers/new/"
    redirect = client.get(target)
    assert redirect.status_code == 302 and redirect["Location"].startswith("/vi/login/")
    response = client.post(
        "/vi/login/", {"username": "teacher", "password": "demo-2026", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_wrong_password_says_so(client):
    ensure_site_tree()
    ensure_demo_users(LoadReport())
    response = client.post("/en/login/", {"username": "teacher", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
