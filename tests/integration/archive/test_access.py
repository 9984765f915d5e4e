"""The access gate: who sees which record, through every door built so far."""

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.access import AccessLevel, can_view
from archive.models import CollectionItem, CollectionPage, RecordPage
from heritage.site_setup import ensure_site_tree, section
from tests.factories import make_auth_group, make_group, make_record, make_user

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Bài khấn thiêng bí mật"


@pytest.fixture
def elders():
    return make_auth_group("Community: Ê Đê elders")


@pytest.fixture
def records(elders):
    group = make_group("Ê Đê", slug="e-de")
    made = {
        level: make_record(title_vi=f"{SECRET_TITLE} {level}", access_level=level, groups=[group])
        for level in AccessLevel.values
    }
    made["groups"].allowed_groups.set([elders])
    made["groups"].save_revision().publish()
    made["draft"] = make_record(title_vi=f"{SECRET_TITLE} draft", publish=False, groups=[group])
    return made


def visible_levels(user, records):
    visible = set(RecordPage.objects.visible_to(user).values_list("pk", flat=True))
    return {key for key, page in records.items() if page.pk in visible}


def test_anonymous_sees_only_public(records):
    assert visible_levels(AnonymousUser(), records) == {"public"}


def test_registered_user_sees_public_and_registered(records):
    assert visible_levels(make_user(), records) == {"public", "registered"}


def test_member_of_named_group_sees_group_records(records, elders):
    member = make_user(groups=[elders])
    assert visible_levels(member, records) == {"public", "registered", "groups"}


def test_member_of_two_allowed_groups_gets_each_record_once(records, elders):
    other = make_auth_group("Researchers")
    records["groups"].allowed_groups.add(other)
    member = make_user(groups=[elders, other])
    pks = list(RecordPage.objects.visible_to(member).values_list("pk", flat=True))
    assert len(pks) == len(set(pks))


def test_officer_with_restricted_perm_does_not_see_closed(records):
    officer = make_user(perms=["archive.view_restricted_records"])
    assert visible_levels(officer, records) == {"public", "registered", "groups"}


def test_closed_needs_the_closed_permission(records):
    curator = make_user(perms=["archive.view_closed_records"])
    assert visible_levels(curator, records) == set(AccessLevel.values)


def test_unpublished_records_are_never_public(records):
    superuser = make_user(is_superuser=True)
    assert "draft" not in visible_levels(superuser, records)


def test_per_object_check_agrees_with_list_filter(records, elders):
    users = [AnonymousUser(), make_user(), make_user(groups=[elders])]
    for user in users:
        listed = visible_levels(user, records)
        checked = {key for key, page in records.items() if can_view(page, user)}
        assert listed == checked


@pytest.mark.parametrize("level", ["registered", "groups", "closed"])
def test_anonymous_gets_404_for_restricted_record_url(client, records, level):
    response = client.get(records[level].url)
    assert response.status_code == 404
    assert SECRET_TITLE not in response.content.decode()


def test_member_can_open_group_record(client, records, elders):
    client.force_login(make_user(groups=[elders]))
    response = client.get(records["groups"].url)
    assert response.status_code == 200
    assert f"{SECRET_TITLE} groups" in response.content.decode()


def test_listing_pages_hide_restricted_titles_and_counts(client, records):
    public_title = f"{SECRET_TITLE} public"
    for url in ["/vi/customs/", "/en/customs/", "/vi/groups/e-de/", "/vi/", "/en/groups/"]:
        html = client.get(url).content.decode()
        for level in ("registered", "groups", "closed", "draft"):
            assert f"{SECRET_TITLE} {level}" not in html, (url, level)
    assert public_title in client.get("/vi/customs/").content.decode()
    # The group list counts only what an anonymous visitor may open: one public record.
    groups_html = client.get("/en/groups/").content.decode()
    assert "(1 record)" in groups_html


def test_collection_hides_items_the_visitor_may_not_see(client, records):
    home = ensure_site_tree()
    collection = CollectionPage(title_vi="Bộ sưu tập thử", slug="thu")
    section(home, "collections").add_child(instance=collection)
    for order, key in enumerate(["public", "closed"]):
        CollectionItem.objects.create(collection=collection, record=records[key], sort_order=order)
    collection.save_revision().publish()
    html = client.get(collection.url).content.decode()
    assert f"{SECRET_TITLE} public" in html
    assert f"{SECRET_TITLE} closed" not in html
