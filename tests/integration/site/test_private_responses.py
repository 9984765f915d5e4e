"""Pages served to a signed-in visitor, or behind a Wagtail restriction, are not kept by
the browser or any cache after sign-out (issue 10, found by reading)."""

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_signed_in_pages_and_answers_are_private_and_not_stored(client, catalogue):
    client.force_login(make_user())
    for url in (catalogue["registered"].url, "/vi/", "/api/v1/search?q=le"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_anonymous_public_pages_stay_cacheable(client, catalogue):
    response = client.get(catalogue["custom"].url)
    assert "no-store" not in response.get("Cache-Control", "")
