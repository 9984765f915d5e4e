from .assets import AssetKind, AssetState, MediaAsset, RecordMedia
from .captions import CaptionTrack, TrackKind, TranscriptSegment
from .jobs import DerivativeFile, EventType, PreservationEvent, ProcessingJob

__all__ = [
    "AssetKind",
    "AssetState",
    "CaptionTrack",
    "DerivativeFile",
    "EventType",
    "MediaAsset",
    "PreservationEvent",
    "ProcessingJob",
    "RecordMedia",
    "TrackKind",
    "TranscriptSegment",
]
