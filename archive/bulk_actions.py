"""Bulk actions on records in the page explorer and search: set protocols, set the access
level, add to a collection, send to review, publish, unpublish.

Each one asks ``archive.permissions`` (through the record's permission tester) for every
selected record and tells the audit trail (``record_event``) what it did. Changes of
records are made the editorial way: a new revision, published at once only for people who
may publish; for the others it waits as a draft, to be sent to review.

Records out of a unit-scoped officer's reach are dropped from the selection and only
counted, never named: a confirmation page must not reveal another province's titles.
Wagtail's own publish, unpublish, delete and move are replaced by versions that do the same.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction

from . import permissions
from .access import AccessLevel
from .admin_permissions import out_of_reach_ids
from .audit_events import record_event
from .models import (
    CollectionItem,
    CollectionPage,
    Protocol,
    ProtocolMode,
    RecordPage,
    RecordProtocol,
)

# Wagtail registers its own page actions with the default order (0); ours come later and
# take the same action types over.
AFTER_WAGTAIL = 100


class OutOfReachMixin:
    """Selected pages out of the person's reach are neither acted on nor named."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        hidden = out_of_reach_ids(self.request.user)
        self.hidden_count = 0
        if hidden is not None:
            hidden_ids = set(RecordPage.objects.filter(pk__in=hidden).values_list("pk", flat=True))
            kept = [o for o in objects if o.pk not in hidden_ids]
            refused = [o for o in extra["items_with_no_access"] if o.pk not in hidden_ids]
            self.hidden_count = len(objects) + len(extra["items_with_no_access"])
            self.hidden_count -= len(kept) + len(refused)
            objects, extra = kept, {"items_with_no_access": refused}
        return objects, extra

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hidden_count"] = self.hidden_count
        return context


class RecordBulkAction(OutOfReachMixin, PageBulkAction):
    """An action on records: other pages in the selection are refused."""

    template_name = "archive/bulk_actions/confirm_record_action.html"
    event = ""

    def check_perm(self, page):
        page = page.specific_deferred
        return isinstance(page, RecordPage) and permissions.can_edit_record(self.request.user, page)

    @classmethod
    def change(cls, record, **options) -> dict:
        """Change the record's latest version in place; return what the audit should say."""
        raise NotImplementedError

    @classmethod
    def execute_action(cls, objects, user=None, **options):
        published = drafted = 0
        for page in objects:
            live = page.specific
            latest = live.get_latest_revision_as_object()
            detail = cls.change(latest, **options)
            revision = latest.save_revision(user=user, log_action=True)
            publish = permissions.can_publish(user, live)
            if publish:
                revision.publish(user=user)
                published += 1
            else:
                drafted += 1
            record_event(cls.event, user=user, obj=live, published=publish, **detail)
        return published, drafted

    def get_execution_context(self):
        return {**super().get_execution_context(), **self.cleaned_form.cleaned_data}

    def get_success_message(self, published, drafted):
        done = ngettext(
            "%(count)d record changed and published.",
            "%(count)d records changed and published.",
            published,
        ) % {"count": published}
        waiting = ngettext(
            "%(count)d record changed as a draft: send it to review to publish it.",
            "%(count)d records changed as drafts: send them to review to publish them.",
            drafted,
        ) % {"count": drafted}
        return " ".join(m for n, m in ((published, done), (drafted, waiting)) if n)


class SetAccessLevelForm(forms.Form):
    access_level = forms.ChoiceField(label=_("Access level"), choices=AccessLevel.choices)


class SetAccessLevelBulkAction(RecordBulkAction):
    display_name = _("Set access level")
    aria_label = _("Set the access level of the selected records")
    action_type = "set_access_level"
    action_priority = 60
    form_class = SetAccessLevelForm
    event = "bulk-set-access-level"

    @classmethod
    def change(cls, record, access_level=None, **options):
        before = record.access_level
        record.access_level = access_level
        return {"access_level": access_level, "before": before}


class SetProtocolsForm(forms.Form):
    protocols = forms.ModelMultipleChoiceField(
        label=_("Cultural protocols"),
        queryset=Protocol.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The records will carry exactly these protocols (none: no protocol)."),
    )
    protocol_mode = forms.ChoiceField(
        label=_("The visitor must meet"), choices=ProtocolMode.choices
    )


class SetProtocolsBulkAction(RecordBulkAction):
    display_name = _("Set protocols")
    aria_label = _("Set the cultural protocols of the selected records")
    action_type = "set_protocols"
    action_priority = 61
    form_class = SetProtocolsForm
    event = "bulk-set-protocols"

    @classmethod
    def change(cls, record, protocols=(), protocol_mode=None, **options):
        before = [link.protocol_id for link in record.protocol_links.all()]
        record.protocol_links = [
            RecordProtocol(protocol=protocol, sort_order=order)
            for order, protocol in enumerate(protocols)
        ]
        record.protocol_mode = protocol_mode
        return {
            "protocols": [p.pk for p in protocols],
            "protocol_mode": protocol_mode,
            "before": before,
        }


class AddToCollectionForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=CollectionPage.objects.order_by("title")
    )


class AddToCollectionBulkAction(RecordBulkAction):
    """Adds the records to a collection the person may edit (one new revision of it)."""

    display_name = _("Add to collection")
    aria_label = _("Add the selected records to a collection")
    action_type = "add_to_collection"
    action_priority = 62
    form_class = AddToCollectionForm

    def check_perm(self, page):
        # Adding a record to a collection does not change the record: seeing it in the
        # admin is enough (the collection itself is checked when the form is sent).
        return isinstance(page.specific_deferred, RecordPage)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        editable = [
            c.pk
            for c in CollectionPage.objects.all()
            if c.permissions_for_user(self.request.user).can_edit()
        ]
        form.fields["collection"].queryset = CollectionPage.objects.filter(pk__in=editable)
        return form

    @classmethod
    def execute_action(cls, objects, user=None, collection=None, **options):
        collection = collection.get_latest_revision_as_object()
        present = {item.record_id for item in collection.items.all()}
        added = [page.specific for page in objects if page.pk not in present]
        start = len(present)
        for order, record in enumerate(added, start=start):
            collection.items.add(CollectionItem(record=record, sort_order=order))
        if added:
            revision = collection.save_revision(user=user, log_action=True)
            if collection.permissions_for_user(user).can_publish():
                revision.publish(user=user)
        for record in added:
            record_event("bulk-add-to-collection", user=user, obj=record, collection=collection.pk)
        return len(added), len(objects) - len(added)

    def get_success_message(self, added, present):
        return ngettext(
            "%(count)d record added to the collection.",
            "%(count)d records added to the collection.",
            added,
        ) % {"count": added}


class SendToReviewBulkAction(RecordBulkAction):
    """Starts the records' workflow (the "Review" workflow on record sections)."""

    display_name = _("Send to review")
    aria_label = _("Send the selected records to review")
    action_type = "send_to_review"
    action_priority = 63
    form_class = forms.Form

    def check_perm(self, page):
        page = page.specific_deferred
        return (
            isinstance(page, RecordPage)
            and page.get_workflow() is not None
            and page.permissions_for_user(self.request.user).can_submit_for_moderation()
        )

    @classmethod
    def execute_action(cls, objects, user=None, **options):
        sent = 0
        for page in objects:
            record = page.specific
            if record.workflow_in_progress:
                continue
            if record.get_latest_revision() is None:
                record.save_revision(user=user)
            record.get_workflow().start(record, user)
            record_event("bulk-send-to-review", user=user, obj=record)
            sent += 1
        return sent, len(objects) - sent

    def get_success_message(self, sent, already):
        return ngettext(
            "%(count)d record sent to review.", "%(count)d records sent to review.", sent
        ) % {"count": sent}


def _audited(wagtail_action, event):
    """Wagtail's action, minus out-of-reach items, with an audit event per page."""

    class Audited(OutOfReachMixin, wagtail_action):
        template_name = "archive/bulk_actions/confirm_wagtail_action.html"
        wagtail_template = wagtail_action.template_name

        def get_context_data(self, **kwargs):
            return {**super().get_context_data(**kwargs), "wagtail_template": self.wagtail_template}

        def form_valid(self, form):
            objects, _extra = self.get_actionable_objects()
            response = super().form_valid(form)
            for page in objects:
                record_event(event, user=self.request.user, obj=page.specific_deferred)
            return response

    Audited.__name__ = f"Audited{wagtail_action.__name__}"
    return Audited


AuditedPublishBulkAction = _audited(PublishBulkAction, "bulk-publish")
AuditedUnpublishBulkAction = _audited(UnpublishBulkAction, "bulk-unpublish")
AuditedDeleteBulkAction = _audited(DeleteBulkAction, "bulk-delete")
AuditedMoveBulkAction = _audited(MoveBulkAction, "bulk-move")

for _action in (
    SetAccessLevelBulkAction,
    SetProtocolsBulkAction,
    AddToCollectionBulkAction,
    SendToReviewBulkAction,
    AuditedPublishBulkAction,
    AuditedUnpublishBulkAction,
    AuditedDeleteBulkAction,
    AuditedMoveBulkAction,
):
    hooks.register("register_bulk_action", _action, order=AFTER_WAGTAIL)
