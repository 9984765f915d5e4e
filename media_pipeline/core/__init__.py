"""Plain-Python media core of Di Sản Số (no Django, no Wagtail).

Typical flow for an upload::

    stored = copy_to_store(upload, STORE_DIR, max_bytes=MAX)
    runner = Runner()                      # runner.isolation: "bwrap" | "unshare-net" | "none"
    info = inspect_media(stored.path, runner)
    result = process_media(stored.path, info.sniffed, info.probe, out_dir, runner, on_progress)

Every failure is a :class:`MediaError` with a stable ``code``.
"""

from .captions import (
    Segment,
    TierInfo,
    list_eaf_tiers,
    parse_eaf,
    parse_transcript,
    parse_webvtt,
    to_webvtt,
)
from .checksum import StoredFile, copy_to_store, sha256_file, store_path_for
from .errors import MediaError
from .filenames import clean_filename
from .outputs import Derivative
from .plan import DerivativeSpec, plan_derivatives
from .presets import preset_key
from .probe import ProbeResult, StreamInfo, effective_kind, probe
from .process import Inspection, ProcessResult, inspect_media, process_media
from .runner import RunLimits, Runner, RunRecord, RunResult, tool_version
from .sniff import Sniffed, sniff

__all__ = [
    "Derivative",
    "DerivativeSpec",
    "Inspection",
    "MediaError",
    "ProbeResult",
    "ProcessResult",
    "RunLimits",
    "RunRecord",
    "RunResult",
    "Runner",
    "Segment",
    "Sniffed",
    "StoredFile",
    "StreamInfo",
    "TierInfo",
    "clean_filename",
    "copy_to_store",
    "effective_kind",
    "inspect_media",
    "list_eaf_tiers",
    "parse_eaf",
    "parse_transcript",
    "parse_webvtt",
    "plan_derivatives",
    "preset_key",
    "probe",
    "process_media",
    "sha256_file",
    "sniff",
    "store_path_for",
    "to_webvtt",
    "tool_version",
]
