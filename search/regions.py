"""The 34 provincial units of July 2025 grouped by the GSO's six socio-economic regions.

Keyed by the 2025 unit code (provinces_2025.csv). Used to lay out the list on the province
browse page, the text alternative to its map (``search/map_shapes.py``).
"""

from django.utils.translation import gettext_lazy as _

REGIONS = (
    (
        "north-mountains",
        _("Northern midlands and mountains"),
        ("04", "08", "11", "12", "14", "15", "19", "20", "25"),
    ),
    ("red-river", _("Red River Delta"), ("01", "22", "24", "31", "33", "37")),
    (
        "central-coast",
        _("North Central and Central Coast"),
        ("38", "40", "42", "44", "46", "48", "51", "56"),
    ),
    ("highlands", _("Central Highlands"), ("52", "66", "68")),
    ("south-east", _("South East"), ("75", "79", "80")),
    ("mekong", _("Mekong River Delta"), ("82", "86", "91", "92", "96")),
)
