"""OAI-PMH sets: by ethnic group, by provincial unit (a former province counts under the
unit that absorbed it, as in search facets) and by record type, each under a parent set.

Set specs: ``group``, ``group:<slug>``; ``province``, ``province:<slug>``; ``type``,
``type:festival|custom|recording``. Reference lists are public, so every set is listed;
what a set holds is decided by the gate like everything else."""

from __future__ import annotations

from django.utils.translation import gettext as _

RECORD_TYPES = ("festival", "custom", "recording")
PARENTS = ("group", "province", "type")


def record_set_specs(record) -> list[str]:
    """The sets one record is in (its groups, current units and type)."""
    provinces = {p.slug for p in record.provinces.all()}
    provinces |= {f.successor.slug for f in record.former_provinces.all()}
    specs = [f"group:{g.slug}" for g in record.ethnic_groups.all()]
    specs += [f"province:{slug}" for slug in sorted(provinces)]
    record_type = record.specific_class.record_type if record.specific_class else ""
    if record_type:
        specs.append(f"type:{record_type}")
    return sorted(set(specs))


def pack(specs) -> str:
    """Stored form: every spec between bars, so a LIKE finds a set and its children."""
    return "|" + "|".join(specs) + "|" if specs else ""


def like_pattern(set_spec: str) -> list[str]:
    """Substrings of the stored form that mean "in this set" (itself or a child set)."""
    return [f"|{set_spec}|", f"|{set_spec}:"]


def _type_names():
    return {
        "festival": _("Festivals"),
        "custom": _("Customs and practices"),
        "recording": _("Language recordings"),
    }


def all_sets() -> list[tuple[str, str]]:
    """(spec, name) of every set, parents first."""
    from archive.models import EthnicGroup, Province

    sets = [
        ("group", _("Ethnic groups")),
        ("province", _("Provincial units (current; former provinces counted in them)")),
        ("type", _("Record types")),
    ]
    sets += [(f"group:{g.slug}", g.name) for g in EthnicGroup.objects.order_by("code")]
    sets += [(f"province:{p.slug}", p.name) for p in Province.objects.order_by("name")]
    sets += [(f"type:{key}", name) for key, name in _type_names().items()]
    return sets


def set_exists(set_spec: str) -> bool:
    from archive.models import EthnicGroup, Province

    parent, _sep, child = set_spec.partition(":")
    if not child:
        return parent in PARENTS
    if parent == "group":
        return EthnicGroup.objects.filter(slug=child).exists()
    if parent == "province":
        return Province.objects.filter(slug=child).exists()
    return parent == "type" and child in RECORD_TYPES
