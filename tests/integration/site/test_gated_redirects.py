"""A redirect to a record the visitor may not see is a 404, not a 301 that names the new
address (issue 10, leak 6)."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_redirects_to_hidden_records_are_not_followed(client, catalogue):
    closed = catalogue["closed"]
    Redirect.objects.create(old_path="/vi/customs/bai-cu", redirect_page=closed)
    Redirect.objects.create(old_path="/vi/customs/det-cu", redirect_page=catalogue["custom"])
    assert client.get("/vi/customs/bai-cu/").status_code == 404
    assert client.get("/vi/customs/det-cu/").status_code == 301
    client.force_login(make_user())
    assert client.get("/vi/customs/bai-cu/").status_code == 404
    client.force_login(make_user(perms=["archive.view_closed_records"]))
    assert client.get("/vi/customs/bai-cu/").status_code == 301
