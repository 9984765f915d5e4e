"""Admin registration lives here so models.py stays about data."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import EthnicGroup, FormerProvince, Person, Province


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


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    items = (EthnicGroupViewSet, ProvinceViewSet, FormerProvinceViewSet, PersonViewSet)


register_snippet(CatalogueViewSetGroup)
