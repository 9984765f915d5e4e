"""Admin registration lives here so models.py stays about data."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

# Officers' rules in the admin (units, listings) and the bulk actions register themselves.
from . import admin_permissions, admin_roles, bulk_actions, views_import  # noqa: F401
from .exchange import admin as exchange_admin
from .exchange import reports_admin as exchange_reports_admin
from .models import (
    AccessRequest,
    AssetProtocols,
    ConsentRecord,
    EthnicGroup,
    FormerProvince,
    Person,
    Protocol,
    Province,
    RestrictedSegment,
    TKLabel,
)


class EthnicGroupViewSet(SnippetViewSet):
    model = EthnicGroup
    icon = "group"
    list_display = ["code", "name", "language_family", "population_2019"]
    search_fields = ["name_vi", "name_en", "other_names"]
    ordering = ["code"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    list_display = ["code", "name", "unit_type"]


class FormerProvinceViewSet(SnippetViewSet):
    model = FormerProvince
    icon = "history"
    list_display = ["code", "name", "successor"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "ethnic_group", "is_demo"]
    search_fields = ["name"]


class ConsentCreateView(CreateView):
    def save_instance(self):
        # Who wrote the statement down is part of it (and of the log entry its save writes).
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class ConsentRecordViewSet(SnippetViewSet):
    """Consent rows are added, never edited: the model refuses changes to a saved row."""

    model = ConsentRecord
    add_view_class = ConsentCreateView
    icon = "tick-inverse"
    list_display = ["person", "record", "kind", "given_on", "recorded_by"]
    list_filter = ["kind"]


class ProtocolViewSet(SnippetViewSet):
    model = Protocol
    icon = "lock"
    list_display = ["name", "kind", "group", "calendar"]
    list_filter = ["kind"]


class AssetProtocolsViewSet(SnippetViewSet):
    model = AssetProtocols
    icon = "media"
    list_display = ["asset", "mode"]


class RestrictedSegmentViewSet(SnippetViewSet):
    model = RestrictedSegment
    icon = "media"
    list_display = ["asset", "start_s", "end_s", "mode"]


class TKLabelViewSet(SnippetViewSet):
    model = TKLabel
    icon = "tag"
    list_display = ["name_en", "name_vi"]


class AccessRequestViewSet(SnippetViewSet):
    model = AccessRequest
    icon = "key"
    list_display = ["user", "record", "status", "created_at", "expires_on"]
    list_filter = ["status"]
    inspect_view_enabled = True


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    items = (EthnicGroupViewSet, ProvinceViewSet, FormerProvinceViewSet, PersonViewSet)


class AccessViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Access and consent")
    menu_icon = "lock"
    items = (
        ProtocolViewSet,
        AssetProtocolsViewSet,
        RestrictedSegmentViewSet,
        TKLabelViewSet,
        ConsentRecordViewSet,
        AccessRequestViewSet,
    )


register_snippet(AccessViewSetGroup)


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    actions.register_action("archive.consent_given", _("Consent given"), _("Consent given"))
    actions.register_action(
        "archive.consent_withdrawn", _("Consent withdrawn"), _("Consent withdrawn")
    )
    actions.register_action(
        "archive.access_request_decided",
        _("Access request decided"),
        _("Access request decided"),
    )


register_snippet(CatalogueViewSetGroup)


# Exchange with other archives (archive/exchange/admin.py): peers and the coverage page.
register_snippet(exchange_admin.PeerViewSet)
exchange_admin.install_view_only_policy()  # before its viewset reads it
register_snippet(exchange_admin.AppliedReferenceDataViewSet)
hooks.register("register_admin_urls", exchange_admin.admin_urls)
hooks.register("register_admin_menu_item", exchange_admin.coverage_menu_item)
# Reports received from provinces (archive/exchange/reports_admin.py).
hooks.register("register_admin_urls", exchange_reports_admin.admin_urls)
hooks.register("register_admin_menu_item", exchange_reports_admin.reports_menu_item)
