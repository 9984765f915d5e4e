"""PDF first-page thumbnail: pdftoppm (sandboxed, time-limited) then :mod:`.images`."""

from __future__ import annotations

import os
import tempfile

from . import errors, presets
from .errors import MediaError
from .images import load_upright, write_web_copies
from .outputs import Derivative
from .runner import RunLimits, Runner, RunRecord

PDF_LIMITS = RunLimits(
    timeout_s=120, cpu_s=120, address_space_bytes=2 * 1024**3, max_file_bytes=512 * 1024**2
)


def pdftoppm_args(src: str, out_prefix: str, size: int) -> list[str]:
    """Render page 1 only, longest side ``size`` px, to ``<out_prefix>.png``."""
    return [
        "pdftoppm",
        "-f",
        "1",
        "-l",
        "1",
        "-scale-to",
        str(size),
        "-png",
        "-singlefile",
        src,
        out_prefix,
    ]


def make_pdf_thumbs(
    src: str, out_dir: str, runner: Runner, preset: presets.PdfThumbPreset = presets.PDF_THUMB
) -> tuple[list[Derivative], list[RunRecord]]:
    """WebP + JPEG thumbnails of page 1 named ``pdf_thumb_webp_<w>`` / ``pdf_thumb_jpeg_<w>``."""
    src = os.path.realpath(src)
    out_dir = os.path.realpath(out_dir)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".tmp-pdf-") as work:
        prefix = os.path.join(work, "page")
        try:
            result = runner.run(
                pdftoppm_args(src, prefix, preset.render_size),
                read_paths=[src],
                write_dirs=[work],
                limits=PDF_LIMITS,
            )
        except MediaError as exc:
            if exc.code == errors.TOOL_FAILED and exc.permanent:
                raise MediaError(
                    errors.CORRUPT, f"the PDF cannot be rendered: {exc.detail}", record=exc.record
                ) from exc
            raise
        png = prefix + ".png"
        if not os.path.exists(png):
            raise MediaError(
                errors.CORRUPT, "the PDF has no renderable first page", record=result.record
            )
        image = load_upright(png, "PNG")
    derivatives = write_web_copies(
        image,
        out_dir,
        preset.name,
        preset.widths,
        preset.webp_quality,
        preset.jpeg_quality,
        presets.preset_key(preset),
    )
    return derivatives, [result.record]
