"""The archive's roles as Django groups, and what each may do.

Group names are stable English codenames (other code looks groups up by name: the liaisons'
queue, the teachers' lesson packs); people see them through :func:`role_label`. Migration
``archive.0007`` creates the groups; :func:`setup_roles` (``manage.py setup_roles``, also run
by ``load_demo``) gives them their rights and sets up the review workflow. Both are safe to
run again: rights are made exactly what this module says, nothing is duplicated.

Where a role applies (which provincial units) is a ``UnitAssignment``; the rules that read
both are in ``archive.permissions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ADMINISTRATORS = "Administrators"
PROVINCIAL_OFFICERS = "Provincial officers"
REVIEWERS = "Reviewers"
LIAISONS = "Community liaison"  # the name ``services.access_requests`` has always used
TEACHERS = "Teachers"  # the name ``services.lesson_packs`` has always used
REGISTERED_VISITORS = "Registered visitors"

ROLE_LABELS = {
    ADMINISTRATORS: _("Administrator"),
    PROVINCIAL_OFFICERS: _("Provincial officer"),
    REVIEWERS: _("Reviewer"),
    LIAISONS: _("Community liaison"),
    TEACHERS: _("Teacher"),
    REGISTERED_VISITORS: _("Registered visitor"),
}
ROLE_NAMES = tuple(ROLE_LABELS)

REVIEW_WORKFLOW = "Review"
REVIEW_TASK = "Reviewers approve"
# The sections whose records go through review (slugs of ``services.site_setup.SECTIONS``).
RECORD_SECTIONS = ("festivals", "customs", "recordings")
EDITORIAL_SECTIONS = (*RECORD_SECTIONS, "collections")

# Apps whose models officers work with every day.
_WORK_APPS = ("archive", "media_pipeline", "wagtailimages", "wagtaildocs", "wagtailmedia")
# Lesson packs are the teachers' (and administrators') business only.
_LESSON_MODELS = ("lessonpack", "lessonitem")
# Who works for which unit is the administrators' decision: an officer who could change it
# could give themselves another province.
_ROLE_MODELS = ("unitassignment",)
_MEDIA_COLLECTION_PERMS = {
    "media_pipeline": ("mediaasset", "heritageimage"),
    "wagtailimages": ("image",),
    "wagtaildocs": ("document",),
    # wagtailmedia checks its permissions against its own base model.
    "wagtailmedia": ("media",),
}


def role_label(name: str) -> str:
    """A group's name as people read it (the codename itself for groups that are not roles)."""
    return str(ROLE_LABELS.get(name, name))


@dataclass
class Role:
    name: str
    model_perms: list = field(default_factory=list)  # Permission rows
    page_perms: dict = field(default_factory=dict)  # section slug ("" = home) -> codenames
    collection_actions: tuple = ()  # e.g. ("add", "change", "choose")


@dataclass
class SetupReport:
    groups: int = 0
    changes: int = 0
    notes: list = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            gettext("Roles: %(groups)d groups, %(changes)d changes.")
            % {"groups": self.groups, "changes": self.changes},
            *self.notes,
        ]


def _perms(*, apps=(), codenames=(), exclude_prefixes=(), exclude_models=()):
    from django.contrib.auth.models import Permission

    found = Permission.objects.none()
    if apps:
        found |= Permission.objects.filter(content_type__app_label__in=apps)
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        found |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    for prefix in exclude_prefixes:
        found = found.exclude(codename__startswith=prefix)
    if exclude_models:
        found = found.exclude(content_type__model__in=exclude_models)
    return list(found)


def role_definitions() -> list[Role]:
    all_pages = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page")
    admin_access = "wagtailadmin.access_admin"
    return [
        Role(
            ADMINISTRATORS,
            model_perms=_perms(
                apps=(*_WORK_APPS, "wagtailadmin", "wagtailcore", "wagtailusers", "auth"),
                codenames=("wagtailredirects.add_redirect", "wagtailredirects.change_redirect"),
            ),
            page_perms={"": (*all_pages, "unlock_page")},
            collection_actions=("add", "change", "choose", "delete"),
        ),
        Role(
            PROVINCIAL_OFFICERS,
            # Describe, upload, record consent; never delete, never decide access requests,
            # never publish (that is the reviewers'), no lesson packs.
            model_perms=_perms(
                apps=_WORK_APPS,
                codenames=(admin_access,),
                exclude_prefixes=("delete_", "decide_"),
                exclude_models=(*_LESSON_MODELS, *_ROLE_MODELS),
            ),
            page_perms={
                slug: ("add_page", "change_page", "lock_page") for slug in EDITORIAL_SECTIONS
            },
            collection_actions=("add", "change", "choose"),
        ),
        Role(
            REVIEWERS,
            model_perms=_perms(
                codenames=(
                    admin_access,
                    "archive.view_restricted_records",
                    "archive.view_closed_records",
                )
            ),
            page_perms={
                slug: ("change_page", "publish_page", "lock_page", "unlock_page")
                for slug in EDITORIAL_SECTIONS
            },
            collection_actions=("choose",),
        ),
        Role(
            LIAISONS,
            # Decisions on access requests follow membership of this group and of the
            # community's group (services.access_requests); consent statements are added,
            # never changed.
            model_perms=_perms(
                codenames=(
                    "archive.view_accessrequest",
                    "archive.add_consentrecord",
                    "archive.view_consentrecord",
                    "archive.view_protocol",
                )
            ),
        ),
        Role(
            TEACHERS,
            model_perms=_perms(
                codenames=(
                    "archive.add_lessonpack",
                    "archive.view_lessonpack",
                    "archive.add_lessonitem",
                    "archive.view_lessonitem",
                )
            ),
        ),
        Role(REGISTERED_VISITORS),
    ]


def ensure_groups() -> dict:
    from django.contrib.auth.models import Group

    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}


def _sync_page_perms(group, wanted: dict, home, report: SetupReport) -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    pages = {"": home} if home else {}
    if home is not None:
        pages.update({p.slug: p for p in Page.objects.child_of(home)})
    wanted_rows = set()
    for slug, codenames in wanted.items():
        page = pages.get(slug)
        if page is None:
            report.notes.append(
                gettext("No section “%(slug)s” yet: run setup_roles again once it exists.")
                % {"slug": slug}
            )
            continue
        for codename in codenames:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            wanted_rows.add((page.pk, perm.pk))
    current = {
        (row.page_id, row.permission_id): row
        for row in GroupPagePermission.objects.filter(group=group)
    }
    for key, row in current.items():
        if key not in wanted_rows:
            row.delete()
            report.changes += 1
    for page_id, perm_id in wanted_rows - set(current):
        GroupPagePermission.objects.create(group=group, page_id=page_id, permission_id=perm_id)
        report.changes += 1


def _sync_collection_perms(group, actions: tuple, report: SetupReport) -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    wanted = set()
    for app_label, models in _MEDIA_COLLECTION_PERMS.items():
        codenames = [f"{action}_{model}" for action in actions for model in models]
        wanted |= set(
            Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            ).values_list("pk", flat=True)
        )
    current = {
        row.permission_id: row
        for row in GroupCollectionPermission.objects.filter(group=group, collection=root)
    }
    for perm_id, row in current.items():
        if perm_id not in wanted:
            row.delete()
            report.changes += 1
    for perm_id in wanted - set(current):
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission_id=perm_id
        )
        report.changes += 1


def ensure_review_workflow(groups: dict, home, report: SetupReport):
    """The "Review" workflow (one group approval task for the reviewers) on every records
    section, so that submitting a record sends it to the reviewers."""
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        report.changes += 1
    if set(task.groups.all()) != {groups[REVIEWERS]}:
        task.groups.set([groups[REVIEWERS]])
        report.changes += 1
    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    report.changes += created
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.changes += 1
    if home is None:
        return workflow
    for page in Page.objects.child_of(home).filter(slug__in=EDITORIAL_SECTIONS):
        link = WorkflowPage.objects.filter(page=page).first()
        if link is None:
            WorkflowPage.objects.create(page=page, workflow=workflow)
            report.changes += 1
        elif link.workflow_id != workflow.pk:
            link.workflow = workflow
            link.save()
            report.changes += 1
    return workflow


def _home():
    """The default site's home page (the shell creates it; the catalogue only reads it)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


def setup_roles() -> SetupReport:
    """Create the role groups and give each exactly its rights (idempotent)."""
    from django.db import transaction

    report = SetupReport()
    with transaction.atomic():
        groups = ensure_groups()
        home = _home()
        if home is None:
            report.notes.append(
                gettext("No site yet: page rights and the review workflow wait for it.")
            )
        for role in role_definitions():
            group = groups[role.name]
            if set(group.permissions.all()) != set(role.model_perms):
                group.permissions.set(role.model_perms)
                report.changes += 1
            if home is not None:
                _sync_page_perms(group, role.page_perms, home, report)
            _sync_collection_perms(group, role.collection_actions, report)
        ensure_review_workflow(groups, home, report)
    report.groups = len(groups)
    return report
