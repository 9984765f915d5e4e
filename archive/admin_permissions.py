"""The Wagtail admin asks ``archive.permissions`` at every door to a record.

- :class:`RecordPermissionTester` is what ``RecordPage.permissions_for_user`` returns: every
  page view of Wagtail (edit, move, copy, delete, unpublish, history, revisions, compare,
  preview, workflow actions, locks, bulk actions) asks it, so a record outside a
  unit-scoped officer's units refuses every action, whatever the URL.
- :class:`ScopedPagePermissionPolicy` replaces Wagtail's page policy (its documented
  registry): the admin's page search, dashboard panels and workflow reports list only what
  the person may touch. The explorer and the page chooser are narrowed by hooks.

Registered from ``archive.wagtail_hooks``.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from . import permissions

# Every question the tester answers; out of a person's units, all of them are "no".
_ACTIONS = (
    "can_add_subpage",
    "can_edit",
    "can_delete",
    "can_unpublish",
    "can_publish",
    "can_submit_for_moderation",
    "can_set_view_restrictions",
    "can_unschedule",
    "can_lock",
    "can_unlock",
    "can_publish_subpage",
    "can_reorder_children",
    "can_move",
    "can_copy",
    "can_move_to",
    "can_copy_to",
    "can_view_revisions",
)


class RecordPermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        self.outside_units = not permissions.within_units(user, page)


def _refuse_outside_units(name):
    allowed = getattr(PagePermissionTester, name)

    def check(self, *args, **kwargs):
        if self.outside_units:
            return False
        return allowed(self, *args, **kwargs)

    check.__name__ = name
    return check


for _name in _ACTIONS:
    setattr(RecordPermissionTester, _name, _refuse_outside_units(_name))


def out_of_reach_ids(user):
    """Record ids ``user`` may not touch in the admin (a subquery; None when unscoped)."""
    if not permissions.is_unit_scoped(user):
        return None
    from .models import RecordPage

    return RecordPage.objects.exclude(permissions.in_units_q(permissions.unit_ids(user))).values(
        "pk"
    )


def hide_out_of_reach(queryset, user):
    hidden = out_of_reach_ids(user)
    return queryset if hidden is None else queryset.exclude(pk__in=hidden)


class ScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, minus the records out of a unit-scoped person's reach."""

    def instances_user_has_any_permission_for(self, user, actions):
        return hide_out_of_reach(super().instances_user_has_any_permission_for(user, actions), user)

    def explorable_instances(self, user):
        return hide_out_of_reach(super().explorable_instances(user), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not permissions.within_units(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


def install_page_policy() -> None:
    register_permission_policy(Page, ScopedPagePermissionPolicy(Page))


@hooks.register("construct_explorer_page_queryset")
def explorer_only_within_units(parent_page, pages, request):
    return hide_out_of_reach(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_only_within_units(pages, request):
    return hide_out_of_reach(pages, request.user)


install_page_policy()
