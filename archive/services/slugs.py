import unicodedata

from django.utils.text import slugify


def ascii_slug(text: str, max_length: int = 80) -> str:
    """'Lễ hội Lồng Tồng (Xuống đồng)' -> 'le-hoi-long-tong-xuong-dong'.

    đ/Đ have no Unicode decomposition, so they are mapped by hand before slugify strips marks.
    """
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    return slugify(text)[:max_length].strip("-")
