from .assets import AssetKind, AssetState, MediaAsset, RecordMedia
from .captions import CaptionTrack, TrackKind, TranscriptSegment
from .images import HeritageImage, HeritageRendition
from .jobs import DerivativeFile, EventType, PreservationEvent, ProcessingJob

__all__ = [
    "AssetKind",
    "AssetState",
    "CaptionTrack",
    "DerivativeFile",
    "EventType",
    "HeritageImage",
    "HeritageRendition",
    "MediaAsset",
    "PreservationEvent",
    "ProcessingJob",
    "RecordMedia",
    "TrackKind",
    "TranscriptSegment",
]
