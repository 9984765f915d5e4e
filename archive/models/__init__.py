from .accession import AccessionCounter
from .collections import CollectionIndexPage, CollectionItem, CollectionPage
from .groups import EthnicGroup
from .people import ConsentRecord, ConsentScope, Person
from .places import FormerProvince, Province
from .records import (
    ContributorRole,
    CustomCategory,
    CustomPage,
    FestivalCalendar,
    FestivalPage,
    HeritageStatus,
    RecordContributor,
    RecordIndexPage,
    RecordingGenre,
    RecordingPage,
    RecordPage,
    RecordTag,
    VernacularTitle,
)

__all__ = [
    "AccessionCounter",
    "CollectionIndexPage",
    "CollectionItem",
    "CollectionPage",
    "ConsentRecord",
    "ConsentScope",
    "ContributorRole",
    "CustomCategory",
    "CustomPage",
    "EthnicGroup",
    "FestivalCalendar",
    "FestivalPage",
    "FormerProvince",
    "HeritageStatus",
    "Person",
    "Province",
    "RecordContributor",
    "RecordIndexPage",
    "RecordPage",
    "RecordTag",
    "RecordingGenre",
    "RecordingPage",
    "VernacularTitle",
]
