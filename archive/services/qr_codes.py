"""QR codes as inline SVG, made in pure Python (qrcode): no network, no image files."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, label: str = "") -> str:
    """An ``<svg>`` element encoding ``data``; ``label`` becomes its accessible name."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration so the markup can sit inside HTML.
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    if label:
        from django.utils.html import escape

        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return svg.strip()
