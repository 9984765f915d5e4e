"""A small archive with the real roles (``setup_roles``), shared by the roles, editorial
chain and bulk action tests: two provinces, an officer of each, a reviewer, and records of
each province (one public, one restricted to a community, one described under a former
province now part of Đắk Lắk). No tests here."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group

from archive.models import CustomPage, FormerProvince, Province, UnitAssignment
from archive.services import roles
from heritage.site_setup import ensure_site_tree
from tests.factories import admin_in_english, make_auth_group, make_record, make_user


@dataclass
class RolesWorld:
    provinces: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)


def staff(username, role, units=()):
    user = make_user(username, is_staff=True, groups=[Group.objects.get(name=role)])
    for province in units:
        UnitAssignment.objects.create(user=user, province=province)
    return user


def build_world() -> RolesWorld:
    ensure_site_tree()
    roles.setup_roles()
    world = RolesWorld()
    dak_lak = Province.objects.create(code="66", name="Đắk Lắk", slug="dak-lak")
    lao_cai = Province.objects.create(code="15", name="Lào Cai", slug="lao-cai")
    phu_yen = FormerProvince.objects.create(code="54", name="Phú Yên", successor=dak_lak)
    world.provinces = {"dak_lak": dak_lak, "lao_cai": lao_cai}
    world.users = {
        "officer": staff("officer-dl", roles.PROVINCIAL_OFFICERS, [dak_lak]),
        "officer2": staff("officer-lc", roles.PROVINCIAL_OFFICERS, [lao_cai]),
        "reviewer": staff("reviewer", roles.REVIEWERS),
        "teacher": make_user("teacher-x", groups=[Group.objects.get(name=roles.TEACHERS)]),
    }
    community = make_auth_group("Community: Hmông Lào Cai")

    def record(key, title, *, provinces=(), former=(), allowed_groups=(), **fields):
        page = make_record(CustomPage, title_vi=title, slug=key, **fields)
        page.provinces.set(provinces)
        page.former_provinces.set(former)
        page.allowed_groups.set(allowed_groups)
        page.save_revision().publish()
        world.records[key] = CustomPage.objects.get(pk=page.pk)
        return page

    record("ours", "Dệt thổ cẩm Zqours", provinces=[dak_lak])
    record("former", "Lễ cúng bến nước Zqformer", former=[phu_yen])
    record("theirs", "Chợ tình Zqtheirs", provinces=[lao_cai])
    record(
        "secret",
        "Lời khấn thiêng Zqsecret",
        provinces=[lao_cai],
        access_level="groups",
        allowed_groups=[community],
    )
    return world


@pytest.fixture(name="roles_world")
def roles_world_fixture(db):
    return build_world()


def login(client, user):
    admin_in_english(user)  # the tests read the admin's English sentences
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def edit_form_data(record, user) -> dict:
    """What the record's admin edit form posts when nothing is changed (inlines and
    StreamFields left as they are: empty in this world's records)."""
    page = type(record).objects.get(pk=record.pk)
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for formset in form.formsets.values():
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
    for name in ("body_vi", "body_en"):
        data[f"{name}-count"] = "0"
    return data
