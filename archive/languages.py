"""ISO 639-3 codes as stored, and the BCP 47 tags browsers and screen readers expect."""

# BCP 47 uses the two-letter ISO 639-1 code where one exists (RFC 5646 §2.2.1).
_ISO639_3_TO_1 = {
    "vie": "vi",
    "eng": "en",
    "khm": "km",
    "tha": "th",
    "lao": "lo",
    "zho": "zh",
    "cmn": "zh",
    "yue": "yue",
    "fra": "fr",
}


def bcp47(iso639_3: str, script: str = "") -> str:
    """Tag for a ``lang`` attribute, e.g. ('khm', 'Khmr') -> 'km-Khmr', ('tyz', '') -> 'tyz'."""
    code = (iso639_3 or "").strip().lower()
    if not code:
        return ""
    tag = _ISO639_3_TO_1.get(code, code)
    script = (script or "").strip()
    if script:
        tag = f"{tag}-{script[:1].upper()}{script[1:4].lower()}"
    return tag
