"""Sentences an officer understands, in their language, for each media error code."""

from django.utils.translation import gettext_lazy as _

from .core import errors

_SENTENCES = {
    errors.EMPTY_FILE: _("The file is empty (0 bytes). Please upload it again."),
    errors.UNSUPPORTED_TYPE: _(
        "This kind of file is not accepted. Upload audio (WAV, MP3, M4A, Ogg, FLAC, AMR), "
        "video (MP4, MOV, 3GP, MKV, WebM, AVI), images (JPEG, PNG, WebP, TIFF) or PDF."
    ),
    errors.CORRUPT: _(
        "The file is damaged or incomplete and cannot be read. The original is kept; "
        "try exporting or copying it again from the recording device."
    ),
    errors.TOO_LARGE: _("The file is larger than the archive accepts."),
    errors.TOO_MANY_PIXELS: _("The image is too large (too many pixels) to process safely."),
    errors.TIMEOUT: _("Processing took too long and was stopped. It will be retried."),
    errors.TOOL_FAILED: _("The converter could not process this file. The original is kept."),
    errors.INVALID_CAPTIONS: _("The caption or transcript file is not valid."),
    errors.NO_SPACE: _("The server ran out of disk space. It will be retried."),
    # services/processing.GAVE_UP: a passing failure that came back at every attempt.
    "gave_up": _(
        "Processing failed at every attempt and was stopped. The original is kept; "
        "press “Process again” once the cause (disk space, time limit) is fixed."
    ),
}


def sentence_for(code: str) -> str:
    return str(_SENTENCES.get(code, _("Processing failed for an unknown reason.")))
