"""Officers catalogue in the Wagtail admin, in both languages."""

import pytest

from archive.models import CustomPage, Province
from archive.services.reference_data import LoadReport
from demo.loader import ensure_demo_users
from heritage.site_setup import ensure_site_tree
from tests.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    ensure_site_tree()
    # The demo officer works for Đắk Lắk (demo/data/roles.json) and edits its records only.
    Province.objects.create(code="66", name="Đắk Lắk", slug="dak-lak")
    ensure_demo_users(LoadReport())
    from demo.loader import grant_officer_permissions

    grant_officer_permissions()
    assert client.login(username="officer", password="demo-2026")
    return client


def test_officer_edit_form_has_both_languages(officer_client):
    record = make_record(CustomPage, title_vi="Dệt lanh", title_en="Hemp weaving")
    record.provinces.set(Province.objects.filter(slug="dak-lak"))
    record.save()
    response = officer_client.get(f"/admin/pages/{record.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("title_vi", "title_en", "summary_vi", "summary_en"):
        assert f'name="{name}"' in html, name
    # StreamFields are drawn by JavaScript; their inputs are named in the page's data.
    assert "body_vi" in html and "body_en" in html
    assert "Hemp weaving" in html


def test_officer_can_add_records_under_archive_sections(officer_client):
    home = ensure_site_tree()
    customs = home.get_children().get(slug="customs")
    response = officer_client.get(f"/admin/pages/add/archive/custompage/{customs.pk}/")
    assert response.status_code == 200


def test_anonymous_visitor_cannot_open_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
