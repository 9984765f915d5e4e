"""Everything a sheet may name, loaded once per import: groups, units, protocols, people,
collections and the records already in the archive (by accession number and source
identifier), so validating a row costs no query for its names."""

from __future__ import annotations

from django.contrib.auth.models import Group

from ..access import AccessLevel
from ..models import (
    CollectionPage,
    ContributorRole,
    CustomCategory,
    EthnicGroup,
    FestivalCalendar,
    FormerProvince,
    HeritageStatus,
    Person,
    Protocol,
    ProtocolMode,
    Province,
    RecordingGenre,
    RecordPage,
    TKLabel,
)
from ..rights import Licence
from .matching import NameIndex, exact_key

RECORD_TYPES = {
    "festival": ("festival", "lễ hội", "le hoi", "festivals"),
    "custom": ("custom", "phong tục", "phong tuc", "tập quán", "customs", "practice"),
    "recording": ("recording", "ghi âm", "ghi am", "language recording", "bản ghi âm"),
}


def choice_index(choices, *extra_names) -> NameIndex:
    """Codes and labels (in both languages) of a TextChoices class."""
    from django.utils import translation

    index = NameIndex()
    for value, label in choices.choices:
        index.add(value, value, display=value)
        for lang in ("vi", "en"):
            with translation.override(lang):
                index.add(str(label), value, display=value)
    for name, value in extra_names:
        index.add(name, value, display=value)
    return index


class Catalogue:
    def __init__(self):
        self.groups = NameIndex()
        for group in EthnicGroup.objects.all():
            # Not the English name: it is the Vietnamese one without tone marks ("Tay"),
            # which must be offered as a suggestion, never taken for Tày (or Tây).
            for name in (group.name_vi, *group.other_names_list):
                self.groups.add(name, group, display=group.name_vi)
            self.groups.add(group.code, group, display=group.name_vi)
        self.provinces = NameIndex()
        for province in Province.objects.all():
            self.provinces.add(province.name, province)
            self.provinces.add(province.code, province, display=province.name)
        self.former = NameIndex()
        for former in FormerProvince.objects.select_related("successor"):
            self.former.add(former.name, former)
        self.auth_groups = NameIndex()
        for group in Group.objects.all():
            self.auth_groups.add(group.name, group)
        self.protocols = NameIndex()
        for protocol in Protocol.objects.all():
            for name in (protocol.name_vi, protocol.name_en, protocol.name):
                self.protocols.add(name, protocol, display=protocol.name_vi or protocol.name)
        self.tk_labels = NameIndex()
        for label in TKLabel.objects.all():
            for name in (label.slug, label.name_vi, label.name_en):
                self.tk_labels.add(name, label, display=label.slug)
        self.collections = NameIndex()
        for collection in CollectionPage.objects.all():
            for name in (collection.title_vi, collection.title_en, collection.title):
                self.collections.add(name, collection, display=collection.title_vi or "")
        self.people = {}
        for person in Person.objects.order_by("pk"):
            self.people.setdefault(exact_key(person.name), person)
        self.record_types = NameIndex()
        for code, names in RECORD_TYPES.items():
            for name in names:
                self.record_types.add(name, code, display=code)
        self.choices = {
            "licence": choice_index(Licence, ("none", ""), ("không", "")),
            "access_level": choice_index(AccessLevel),
            "protocol_mode": choice_index(ProtocolMode),
            "calendar": choice_index(FestivalCalendar),
            "heritage_status": choice_index(HeritageStatus),
            "category": choice_index(CustomCategory),
            "genre": choice_index(RecordingGenre),
        }
        self.roles = choice_index(ContributorRole)
        rows = RecordPage.objects.values_list("pk", "accession_number", "source_identifier")
        self.by_accession = {acc: pk for pk, acc, _ in rows if acc}
        self.by_source = {}
        for pk, _, source in rows:
            if source:
                self.by_source.setdefault(source, pk)
