"""Small builders for tests: real pages in a real page tree, no mocks."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from archive.models import CustomPage, EthnicGroup, FestivalPage, RecordingPage
from heritage.site_setup import ensure_site_tree, section

_seq = itertools.count(1)

SECTION_FOR = {FestivalPage: "festivals", CustomPage: "customs", RecordingPage: "recordings"}
DEFAULTS = {
    FestivalPage: {"calendar": "lunar", "month": 1, "day_start": 1},
    CustomPage: {"category": "craft"},
    RecordingPage: {"language": "tyz", "genre": "song"},
}


def make_group(name="Tày", **fields) -> EthnicGroup:
    n = next(_seq)
    defaults = {"code": f"{n:02d}"[-2:], "slug": f"group-{n}", "name_vi": name, "name_en": name}
    defaults.update(fields)
    return EthnicGroup.objects.create(**defaults)


def make_record(model=CustomPage, title_vi=None, *, publish=True, groups=(), **fields):
    home = ensure_site_tree()
    n = next(_seq)
    values = {**DEFAULTS[model], **fields}
    values.setdefault("title_vi", title_vi or f"Bản ghi {n}")
    values.setdefault("slug", f"record-{n}")
    # A draft is never live, not even for the moment between creating and unpublishing
    # it (that moment would make it a withdrawn record with a tombstone).
    values.setdefault("live", publish)
    page = model(**values)
    section(home, SECTION_FOR[model]).add_child(instance=page)
    if groups:
        page.ethnic_groups.set(groups)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.live = False
        page.save()
    page.refresh_from_db()
    return page


def admin_in_english(user):
    """Wagtail's admin speaks each user's preferred language (Vietnamese by default); tests
    that read the admin's English sentences set it, as an English-speaking officer would."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def make_user(username=None, *, groups=(), perms=(), **fields):
    User = get_user_model()
    user = User.objects.create_user(username or f"user{next(_seq)}", password="pw", **fields)
    for group in groups:
        user.groups.add(group)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)  # fresh: permission caches empty


def make_auth_group(name="Community: elders") -> Group:
    return Group.objects.get_or_create(name=name)[0]
