"""Still images: safe opening with Pillow and clean web copies.

Safety:

* ``Image.open(..., formats=[...])`` with the one format sniffing found, so a
  file can never be routed to an unexpected decoder (EPS/PS would run
  Ghostscript).
* Pixel budget checked from the header *before* any decoding, and Pillow's
  DecompressionBombWarning is turned into an error; a 30000×30000 PNG fails
  in milliseconds with almost no memory.

Privacy: derivatives carry no EXIF, XMP, GPS, maker notes, comments or owner
data — the pixels are copied into a fresh image before saving. EXIF orientation
is applied to the pixels first so the picture stays upright.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from PIL import Image, ImageOps

from . import errors, outputs, presets
from .errors import MediaError
from .outputs import Derivative

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF")


def open_safe(
    path: str | os.PathLike[str], pillow_format: str, max_pixels: int = presets.IMAGE.max_pixels
) -> Image.Image:
    """Open an image lazily after checking its declared size.

    Raises:
        MediaError: ``unsupported_type`` for a format outside the allow-list,
            ``too_many_pixels`` past ``max_pixels``, ``corrupt`` when Pillow
            cannot read the header.
    """
    if pillow_format not in ALLOWED_FORMATS:
        raise MediaError(errors.UNSUPPORTED_TYPE, f"image format {pillow_format} is not accepted")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path, formats=[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(
            errors.TOO_MANY_PIXELS, f"image is too large to decode safely: {exc}"
        ) from exc
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError…
        raise MediaError(errors.CORRUPT, f"cannot read {pillow_format} image: {exc}") from exc
    width, height = im.size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        im.close()
        raise MediaError(
            errors.TOO_MANY_PIXELS,
            f"image is {width}×{height} = {width * height} pixels; the limit is {max_pixels}",
        )
    return im


def load_upright(
    path: str | os.PathLike[str], pillow_format: str, max_pixels: int = presets.IMAGE.max_pixels
) -> Image.Image:
    """Decode the first frame, apply EXIF orientation, return RGB/RGBA pixels only."""
    im = open_safe(path, pillow_format, max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im.seek(0)
            im.load()
            upright = ImageOps.exif_transpose(im)
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(errors.CORRUPT, f"cannot decode {pillow_format} image: {exc}") from exc
    finally:
        im.close()
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    # A fresh image: nothing from info (exif, xmp, icc, comment, dpi…) survives.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def target_widths(source_width: int, widths: Sequence[int]) -> list[int]:
    """Widths to produce: each preset width below the source, or the source width
    alone when it is narrower than all of them (never upscale)."""
    chosen = [w for w in widths if w <= source_width]
    return chosen or [source_width]


def write_web_copies(
    image: Image.Image,
    out_dir: str,
    prefix: str,
    widths: Sequence[int],
    webp_quality: int,
    jpeg_quality: int,
    preset_key: str,
) -> list[Derivative]:
    """Save WebP and JPEG copies of ``image`` at each of ``widths`` (atomic writes)."""
    out_dir = os.path.realpath(out_dir)
    derivatives: list[Derivative] = []
    for width in target_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS)
        )
        resized.info = {}
        for fmt, ext, mime in (("WEBP", "webp", "image/webp"), ("JPEG", "jpg", "image/jpeg")):
            name = f"{prefix}_{'webp' if fmt == 'WEBP' else 'jpeg'}_{width}"
            tmp = outputs.temp_path(out_dir, name, ext)
            with outputs.temp_outputs([tmp]):
                if fmt == "WEBP":
                    resized.save(tmp, "WEBP", quality=webp_quality, method=4)
                else:
                    rgb = resized.convert("RGB") if resized.mode != "RGB" else resized
                    rgb.save(tmp, "JPEG", quality=jpeg_quality, optimize=True, progressive=True)
                final = outputs.publish(tmp, outputs.final_path(out_dir, name, ext))
            derivatives.append(
                Derivative(name, final, mime, width, height, 0, os.path.getsize(final), preset_key)
            )
    return derivatives


def make_image_derivatives(
    path: str | os.PathLike[str],
    pillow_format: str,
    out_dir: str,
    preset: presets.ImagePreset = presets.IMAGE,
) -> list[Derivative]:
    """WebP + JPEG web copies of an uploaded still at the preset's widths."""
    image = load_upright(path, pillow_format, preset.max_pixels)
    return write_web_copies(
        image,
        out_dir,
        preset.name,
        preset.widths,
        preset.webp_quality,
        preset.jpeg_quality,
        presets.preset_key(preset),
    )
