"""The downloadable template: headers in Vietnamese or English and one filled example row
(CSV or XLSX; the XLSX has a second sheet saying what each column holds)."""

from __future__ import annotations

import tablib
from django.utils import translation
from django.utils.translation import gettext

from .columns import COLUMNS, headers


def template_bytes(lang: str = "vi", fmt: str = "xlsx") -> bytes:
    sheet = tablib.Dataset(headers=headers(lang), title="Mẫu" if lang == "vi" else "Template")
    sheet.append([column.example for column in COLUMNS])
    if fmt == "csv":
        return ("\ufeff" + sheet.export("csv")).encode("utf-8")
    with translation.override(lang):
        guide = tablib.Dataset(
            headers=[gettext("Column"), gettext("What to write")],
            title=gettext("Help"),
        )
        for column, header in zip(COLUMNS, headers(lang), strict=True):
            guide.append([header, str(column.help)])
    return tablib.Databook([sheet, guide]).export("xlsx")
