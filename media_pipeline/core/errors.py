"""Typed errors raised by the media core.

Every failure the pipeline can report is a :class:`MediaError`. The Django
layer maps :attr:`MediaError.code` (a stable machine string) to a translated
sentence for heritage officers; :attr:`MediaError.detail` is English technical
text for logs and preservation events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .runner import RunRecord

# Stable codes. Never rename one: stored events and translations refer to them.
EMPTY_FILE = "empty_file"
UNSUPPORTED_TYPE = "unsupported_type"
CORRUPT = "corrupt"
TOO_LARGE = "too_large"
TOO_MANY_PIXELS = "too_many_pixels"
TIMEOUT = "timeout"
TOOL_FAILED = "tool_failed"
INVALID_CAPTIONS = "invalid_captions"
NO_SPACE = "no_space"

ALL_CODES = frozenset(
    {
        EMPTY_FILE,
        UNSUPPORTED_TYPE,
        CORRUPT,
        TOO_LARGE,
        TOO_MANY_PIXELS,
        TIMEOUT,
        TOOL_FAILED,
        INVALID_CAPTIONS,
        NO_SPACE,
    }
)


class MediaError(Exception):
    """A media operation failed.

    Attributes:
        code: stable machine string, one of ``ALL_CODES``.
        detail: English technical detail (safe to log; never shown raw to the public).
        permanent: ``True`` when retrying the same input cannot help (bad input);
            ``False`` for transient conditions (timeouts, full disk, killed tool)
            that a task queue may retry.
        record: the :class:`~media_pipeline.core.runner.RunRecord` of the tool run
            that failed, when a tool was involved, so it can be stored as a
            preservation event.
    """

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        permanent: bool = True,
        record: RunRecord | None = None,
    ) -> None:
        if code not in ALL_CODES:
            raise ValueError(f"unknown MediaError code {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.permanent = permanent
        self.record = record

    def __repr__(self) -> str:
        return f"MediaError(code={self.code!r}, permanent={self.permanent}, detail={self.detail!r})"
