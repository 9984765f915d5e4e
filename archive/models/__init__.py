from .accession import AccessionCounter
from .collections import CollectionIndexPage, CollectionItem, CollectionPage
from .groups import EthnicGroup
from .lessons import Grade, LessonItem, LessonPack, Subject
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
    "Grade",
    "HeritageStatus",
    "LessonItem",
    "LessonPack",
    "Person",
    "Province",
    "RecordContributor",
    "RecordIndexPage",
    "RecordPage",
    "RecordTag",
    "RecordingGenre",
    "RecordingPage",
    "Subject",
    "VernacularTitle",
]
