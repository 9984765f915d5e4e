from .accession import AccessionCounter
from .collections import CollectionIndexPage, CollectionItem, CollectionPage
from .exchange import HarvestedRecord, Peer, PeerProtocol
from .exchange_reference import AppliedReferenceData
from .exchange_reports import ReceivedReport
from .groups import EthnicGroup
from .labels import TKLabel
from .lessons import Grade, LessonItem, LessonPack, Subject
from .people import CONSENTING_ROLES, ConsentKind, ConsentRecord, ConsentScope, Person
from .places import FormerProvince, Province
from .protocols import (
    AccessRequest,
    AccessRequestStatus,
    AssetProtocols,
    Protocol,
    ProtocolKind,
    ProtocolMode,
    RecordProtocol,
    SeasonCalendar,
)
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
from .roles import UnitAssignment
from .segments import RestrictedSegment, SegmentMode

__all__ = [
    "CONSENTING_ROLES",
    "AccessRequest",
    "AccessRequestStatus",
    "AccessionCounter",
    "AppliedReferenceData",
    "AssetProtocols",
    "CollectionIndexPage",
    "CollectionItem",
    "CollectionPage",
    "ConsentKind",
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
    "HarvestedRecord",
    "HeritageStatus",
    "LessonItem",
    "LessonPack",
    "Peer",
    "PeerProtocol",
    "Person",
    "Protocol",
    "ProtocolKind",
    "ProtocolMode",
    "Province",
    "ReceivedReport",
    "RecordContributor",
    "RecordIndexPage",
    "RecordPage",
    "RecordProtocol",
    "RecordTag",
    "RecordingGenre",
    "RecordingPage",
    "RestrictedSegment",
    "SeasonCalendar",
    "SegmentMode",
    "Subject",
    "TKLabel",
    "UnitAssignment",
    "VernacularTitle",
]
