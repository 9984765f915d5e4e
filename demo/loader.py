"""Builds the demo archive: every festival from the product data, customs, recordings,
collections, people and demo users. Idempotent: a second run finds everything in place and
writes nothing (no new revisions, no new accession numbers).
"""

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from archive.access import AccessLevel
from archive.models import (
    CollectionItem,
    CollectionPage,
    ConsentKind,
    ConsentRecord,
    CustomPage,
    EthnicGroup,
    FestivalPage,
    FormerProvince,
    Person,
    Province,
    RecordContributor,
    RecordingPage,
    RecordPage,
    VernacularTitle,
)
from archive.rights import RightsStatement
from archive.services.reference_data import LoadReport, load_reference_data, read_csv, upsert
from archive.services.slugs import ascii_slug
from heritage.site_setup import ensure_site_tree, section

DATA_DIR = Path(__file__).resolve().parent / "data"

DEMO_PASSWORD = "demo-2026"
# The demo data's consent scopes, in the archive's terms.
DEMO_CONSENT_SCOPES = {
    "public_online": ("archive", "public_web", "education", "research"),
    "archive": ("archive",),
    "education": ("archive", "education"),
    "research": ("archive", "research"),
}
DEMO_WITHDRAWAL_SCOPES = {"public_online": ("public_web",)}


def read_json(name: str):
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def split_names(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


@dataclass
class Lookups:
    """Name -> object maps, built once, so each record costs no extra queries to resolve."""

    groups: dict[str, EthnicGroup] = field(default_factory=dict)
    provinces: dict[str, Province] = field(default_factory=dict)
    former: dict[str, FormerProvince] = field(default_factory=dict)
    tokens: dict[str, list] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    @classmethod
    def build(cls) -> "Lookups":
        from search.folding import fold

        lookups = cls()
        aliases = read_json("aliases.json")
        for group in EthnicGroup.objects.all():
            for name in [group.name_vi, *group.other_names_list]:
                lookups.groups.setdefault(fold(name), group)
        for alias, target in aliases.get("group_aliases", {}).items():
            if fold(target) in lookups.groups:
                lookups.groups[fold(alias)] = lookups.groups[fold(target)]
        lookups.provinces = {fold(p.name): p for p in Province.objects.all()}
        lookups.former = {fold(p.name): p for p in FormerProvince.objects.all()}
        for alias, target in aliases.get("province_aliases", {}).items():
            for table in (lookups.provinces, lookups.former):
                if fold(target) in table:
                    table[fold(alias)] = table[fold(target)]
        # Cells such as "most ethnic groups" or "nationwide" name no single group or place.
        lookups.tokens = {
            fold(token): [lookups.groups[fold(g)] for g in spec.get("groups", [])]
            for token, spec in aliases.get("festival_group_tokens", {}).items()
        }
        lookups.tokens.update({fold(t): [] for t in aliases.get("province_tokens", {})})
        return lookups

    def _get(self, table: dict, name: str):
        from search.folding import fold

        found = table.get(fold(name))
        if found is None:
            self.missing.add(name)
        return found

    def group_list(self, names) -> list[EthnicGroup]:
        from search.folding import fold

        found = []
        for name in names:
            if fold(name) in self.tokens:
                found.extend(self.tokens[fold(name)])
            elif group := self._get(self.groups, name):
                found.append(group)
        return list(dict.fromkeys(found))

    def province_list(self, names) -> list[Province]:
        return self._places(self.provinces, names)

    def former_list(self, names) -> list[FormerProvince]:
        return self._places(self.former, names)

    def _places(self, table, names):
        from search.folding import fold

        names = [n for n in names if fold(n) not in self.tokens]
        return list(dict.fromkeys(p for p in (self._get(table, n) for n in names) if p))


def same_value(obj, name: str, wanted) -> bool:
    """Compare as the database would store it, so a rerun sees no spurious change."""
    from wagtail.fields import StreamField

    field = obj._meta.get_field(name)
    current = getattr(obj, name)
    if isinstance(field, StreamField):
        return _stream_signature(current) == [(t, v) for t, v in wanted]
    # modeltranslation stores an empty translation as NULL; both mean "no text".
    if current in (None, "") and wanted in (None, ""):
        return True
    return current == field.to_python(wanted)


def _stream_signature(value) -> list[tuple[str, str]]:
    return [(child.block_type, getattr(child.value, "source", str(child.value))) for child in value]


def _row_key(values) -> tuple:
    # Compare related objects by primary key: a FestivalPage and its RecordPage row are equal
    # for our purpose but not under Django's model equality.
    return tuple(getattr(v, "pk", v) for v in values)


def _inline_rows(page, relation: str, fields: tuple[str, ...]) -> list[tuple]:
    return [_row_key(getattr(row, f) for f in fields) for row in getattr(page, relation).all()]


def upsert_page(parent, model, slug: str, values: dict, m2m: dict, inlines: dict, report):
    """Create or update a demo page, publishing a revision only when something differs."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        page = model(slug=slug, **values)
    changed = created
    for key, value in values.items():
        if not same_value(page, key, value):
            setattr(page, key, value)
            changed = True
    for key, objs in m2m.items():
        wanted = sorted(o.pk for o in objs)
        current = [] if created else sorted(getattr(page, key).values_list("pk", flat=True))
        if wanted != current:
            getattr(page, key).set(objs)
            changed = True
    for relation, (row_model, fields, rows) in inlines.items():
        current = [] if created else _inline_rows(page, relation, fields)
        if [_row_key(r) for r in rows] != current:
            # Rows carry their position: with ``sort_order`` left empty PostgreSQL returns
            # them in whatever order its heap holds, and the next load sees a change.
            setattr(
                page,
                relation,
                [
                    row_model(sort_order=order, **dict(zip(fields, r, strict=True)))
                    for order, r in enumerate(rows)
                ],
            )
            changed = True
    if created:
        parent.add_child(instance=page)
    if changed:
        page.save_revision().publish()
    report.count(None if created else changed)
    return page


def _common(entry: dict, lookups: Lookups, *, default_access=AccessLevel.PUBLIC):
    values = {
        "title_vi": nfc(entry["title_vi"]),
        "title_en": nfc(entry.get("title_en", "")),
        "summary_vi": nfc(entry.get("summary_vi", "")),
        "summary_en": nfc(entry.get("summary_en", "")),
        "rights_statement": entry.get("rights") or RightsStatement.NOT_EVALUATED,
        "licence": entry.get("licence") or "",
        "access_level": entry.get("access_level", default_access),
        "access_note_vi": nfc(entry.get("access_note_vi", "")),
        "access_note_en": nfc(entry.get("access_note_en", "")),
        "is_demo": True,
    }
    date = entry.get("date") or entry.get("recording_date") or {}
    values.update(
        date_precision=date.get("precision", ""),
        date_year=date.get("year"),
        date_month=date.get("month"),
        date_day=date.get("day"),
    )
    body_vi, body_en = entry.get("body_vi", ""), entry.get("body_en", "")
    values["body_vi"] = _paragraphs(body_vi)
    values["body_en"] = _paragraphs(body_en)
    m2m = {
        "ethnic_groups": lookups.group_list(entry.get("ethnic_groups", [])),
        "provinces": lookups.province_list(entry.get("provinces_2025", [])),
        "former_provinces": lookups.former_list(entry.get("former_provinces", [])),
    }
    vernacular = [
        (nfc(v["text"]), v["lang"], v.get("script", "")) for v in entry.get("vernacular_titles", [])
    ]
    inlines = {"vernacular_titles": (VernacularTitle, ("text", "language", "script"), vernacular)}
    return values, m2m, inlines


def _paragraphs(text) -> list:
    """Plain demo prose -> StreamField paragraphs, in a stable shape for comparison."""
    if isinstance(text, list):
        text = "\n\n".join(text)
    from django.utils.html import escape

    parts = [p.strip() for p in nfc(text or "").split("\n\n") if p.strip()]
    return [("paragraph", f"<p>{escape(p)}</p>") for p in parts]


def load_festivals(home, lookups, report):
    extra = {nfc(k): v for k, v in read_json("festivals_extra.json").items()}
    parent = section(home, "festivals")
    for row in read_csv("festivals.csv", DATA_DIR):
        info = extra.get(row["name_vi"], {})
        entry = {
            "title_vi": row["name_vi"],
            "title_en": row["name_en"],
            "summary_vi": info.get("summary_vi", ""),
            "summary_en": row["short_description_en"],
            "body_vi": info.get("body_vi", ""),
            "body_en": info.get("body_en", ""),
            "ethnic_groups": split_names(row["ethnic_group"]),
            "provinces_2025": split_names(row["provinces_2025"]),
            "former_provinces": split_names(row["provinces"]),
            "rights": RightsStatement.NOT_EVALUATED,
            "licence": "CC-BY-SA-4.0",
        }
        values, m2m, inlines = _common(entry, lookups)
        values["is_demo"] = False  # festival facts come from cited sources, not placeholders
        values.update(
            calendar=info.get("calendar")
            or ("lunar" if row["calendar"].startswith("lunar") else "solar"),
            month=info.get("month"),
            day_start=info.get("day_start"),
            day_end=info.get("day_end"),
            recurrence_note_vi=nfc(info.get("recurrence_note_vi", "")),
            recurrence_note_en=nfc(info.get("recurrence_note_en", "") or row["day"]),
            duration_days=info.get("duration_days"),
            rituals_vi="\n".join(info.get("rituals_vi", [])),
            rituals_en="\n".join(info.get("rituals_en", [])),
            heritage_status=info.get("heritage_status", "none"),
            heritage_note=row["unesco_status"][:255],
            source=row["source"],
            unverified=bool(info.get("unverified")),
        )
        upsert_page(parent, FestivalPage, ascii_slug(row["name_vi"]), values, m2m, inlines, report)


def load_customs(home, lookups, report):
    parent = section(home, "customs")
    for entry in read_json("customs.json"):
        values, m2m, inlines = _common(entry, lookups)
        values["category"] = entry["category"]
        page = upsert_page(parent, CustomPage, entry["slug"], values, m2m, inlines, report)
        _set_tags(page, entry.get("subjects_vi", []))


def _set_tags(page, tags):
    wanted = sorted(nfc(t) for t in tags)
    if sorted(page.subjects.names()) != wanted:
        page.subjects.set(wanted)
        page.save_revision().publish()


def _person(name: str, group, report) -> Person:
    """Demo people are shared across recordings; their group is set when first met."""
    person, created = Person.objects.get_or_create(
        name=nfc(name), defaults={"is_demo": True, "ethnic_group": group}
    )
    report.count(None if created else False)
    return person


def _place_text(place) -> str:
    if isinstance(place, dict):
        parts = [place.get("commune_text", ""), place.get("province_2025", "")]
        return nfc(", ".join(p for p in parts if p))
    return nfc(place or "")


def load_recordings(home, lookups, report):
    parent = section(home, "recordings")
    for entry in read_json("recordings.json"):
        place = entry.get("recording_place")
        if isinstance(place, dict) and place.get("province_2025"):
            entry = {**entry, "provinces_2025": [place["province_2025"]]}
        values, m2m, inlines = _common(entry, lookups)
        segments = entry.get("transcript_segments", [])
        values.update(
            language=entry["language_iso"][:3],
            dialect=entry.get("dialect", ""),
            genre=entry["genre"],
            recording_place=_place_text(entry.get("recording_place")),
            transcript="\n".join(nfc(s.get("text_vi", "")) for s in segments),
            translation_vi="\n".join(nfc(s.get("text_vi", "")) for s in segments),
            translation_en="\n".join(nfc(s.get("text_en", "")) for s in segments),
        )
        groups = m2m["ethnic_groups"]
        speakers = [
            (_person(s["name"], groups[0] if groups else None, report), s["role"])
            for s in entry.get("speakers", [])
        ]
        inlines["contributors"] = (RecordContributor, ("person", "role"), speakers)
        page = upsert_page(parent, RecordingPage, entry["slug"], values, m2m, inlines, report)
        if entry.get("access_level") == AccessLevel.GROUPS:
            wanted = [
                Group.objects.get_or_create(name=n)[0] for n in entry.get("allowed_groups", [])
            ]
            if sorted(g.pk for g in wanted) != sorted(
                page.allowed_groups.values_list("pk", flat=True)
            ):
                page.allowed_groups.set(wanted)
                page.save_revision().publish()
        for consent in entry.get("consent", []):
            person = _person(consent["person"], groups[0] if groups else None, report)
            scopes = DEMO_CONSENT_SCOPES.get(consent["scope"], ("archive",))
            statements = [(ConsentKind.CONSENT, consent["given_on"], scopes)]
            if consent.get("withdrawn_on"):
                # A withdrawal is a statement of its own, never an edit of the consent; the
                # demo speaker withdrew from publication online, not from the archive.
                withdrawn = DEMO_WITHDRAWAL_SCOPES.get(consent["scope"], scopes)
                statements.append((ConsentKind.WITHDRAWAL, consent["withdrawn_on"], withdrawn))
            for kind, on, scopes in statements:
                _, changed = upsert(
                    ConsentRecord,
                    {"person": person, "record": page, "kind": kind},
                    {
                        "given_on": on,
                        "evidence": nfc(consent.get("evidence", "Demo consent record.")),
                        **{f"scope_{scope}": True for scope in scopes},
                    },
                )
                report.count(changed)


def _resolve_member(ref: str, home) -> RecordPage | None:
    kind, _, key = ref.partition(":")
    if kind == "festival":
        return FestivalPage.objects.filter(slug=ascii_slug(key)).first()
    model = {"custom": CustomPage, "recording": RecordingPage}.get(kind)
    return model.objects.filter(slug=key).first() if model else None


def load_collections(home, report):
    parent = section(home, "collections")
    for entry in read_json("collections.json"):
        members = [m for m in (_resolve_member(r, home) for r in entry.get("members", [])) if m]
        values = {
            "title_vi": nfc(entry["title_vi"]),
            "title_en": nfc(entry.get("title_en", "")),
            "description_vi": nfc(entry.get("description_vi", "")),
            "description_en": nfc(entry.get("description_en", "")),
        }
        rows = [(m, "") for m in members]
        inlines = {"items": (CollectionItem, ("record", "note"), rows)}
        upsert_page(parent, CollectionPage, entry["slug"], values, {}, inlines, report)


def ensure_demo_users(report) -> list[tuple[str, str, str]]:
    """Demo accounts, printed by the command so a newcomer can sign in. Roles are the
    archive's groups (``archive.services.roles``); officers work for the units named in
    ``data/roles.json``."""
    from archive.models import UnitAssignment
    from archive.services import roles

    User = get_user_model()
    groups = roles.ensure_groups()
    staff = [
        (e["username"], e["role"], False, [groups[e["group"]]], e["units"])
        for e in read_json("roles.json")["accounts"]
    ]
    accounts = [
        ("admin", "Superuser", True, [groups[roles.ADMINISTRATORS]], []),
        *staff,
        ("elder", "Community member (Ê Đê elders)", False, [], []),
        ("teacher", "Teacher (builds lesson packs)", False, [groups[roles.TEACHERS]], []),
    ]
    created = []
    for username, role, superuser, user_groups, units in accounts:
        user = User.objects.filter(username=username).first()
        if user is None:
            # Only staff use the admin; teachers and community members sign in on the site.
            is_staff = superuser or username in {e[0] for e in staff}
            user = User(username=username, is_staff=is_staff, is_superuser=superuser)
            user.set_password(DEMO_PASSWORD)
            user.save()
            report.count(None)
        if user_groups:
            user.groups.add(*user_groups)
        for name in units:
            province = Province.objects.filter(name=nfc(name)).first()
            if province is None:
                report.notes.append(f"unknown unit for {username}: {name}")
                continue
            _, made = UnitAssignment.objects.get_or_create(user=user, province=province)
            report.count(None if made else False)
        created.append((username, DEMO_PASSWORD, role))
    elders = Group.objects.filter(name__icontains="Ê Đê").first()
    if elders:
        User.objects.get(username="elder").groups.add(elders)
    return created


def grant_officer_permissions():
    """The roles' rights and the review workflow (``manage.py setup_roles``): officers add
    and change records of their units, reviewers publish."""
    from archive.services.roles import setup_roles

    return setup_roles()


def _access_data() -> dict:
    return read_json("access.json")


def _access_groups(data) -> dict:
    return {key: Group.objects.get_or_create(name=name)[0] for key, name in data["groups"].items()}


def load_access(home, report) -> list[tuple[str, str, str]]:
    """Cultural protocols on a few records, general consents of the demo speakers, the demo
    community's users and a pending access request (``demo/data/access.json``)."""
    from archive.models import AccessRequest, Protocol, RecordProtocol

    User = get_user_model()
    data = _access_data()
    groups = _access_groups(data)
    protocols = {}
    for entry in data["protocols"]:
        fields = {
            k: entry[k]
            for k in ("kind", "calendar", "start_month", "start_day", "end_month", "end_day")
            if k in entry
        }
        fields["group"] = groups[entry["group"]] if entry.get("group") else None
        for key in ("name_en", "description_vi", "description_en"):
            fields[key] = nfc(entry.get(key, ""))
        lookup = {"name_vi": nfc(entry["name_vi"])}
        protocols[entry["key"]], changed = upsert(Protocol, lookup, fields)
        report.count(changed)
    for entry in data["record_protocols"]:
        record = _resolve_member(entry["record"], home)
        if record is None:
            report.notes.append(f"unknown record: {entry['record']}")
            continue
        wanted = [protocols[key].pk for key in entry["protocols"]]
        current = list(
            record.protocol_links.order_by("sort_order").values_list("protocol_id", flat=True)
        )
        if current != wanted or record.protocol_mode != entry["mode"]:
            record.protocol_links.all().delete()
            for order, pk in enumerate(wanted):
                RecordProtocol.objects.create(record=record, protocol_id=pk, sort_order=order)
            RecordPage.objects.filter(pk=record.pk).update(protocol_mode=entry["mode"])
            record.refresh_from_db()
            record.save_revision().publish()
            report.count(True)
    for entry in data["consents"]:
        person = Person.objects.filter(name=nfc(entry["person"])).first()
        if person is None:
            report.notes.append(f"unknown person: {entry['person']}")
            continue
        _, changed = upsert(
            ConsentRecord,
            {"person": person, "record": None, "kind": ConsentKind.CONSENT},
            {
                "given_on": entry["given_on"],
                "evidence": nfc(entry.get("evidence", "")),
                **{f"scope_{scope}": True for scope in entry["scopes"]},
            },
        )
        report.count(changed)
    accounts = []
    for entry in data["users"]:
        user = User.objects.filter(username=entry["username"]).first()
        if user is None:
            user = User(username=entry["username"])
            user.set_password(DEMO_PASSWORD)
            user.save()
            report.count(None)
        user.groups.add(*(groups[key] for key in entry["groups"]))
        accounts.append((entry["username"], DEMO_PASSWORD, entry["role"]))
    for entry in data["access_requests"]:
        record = _resolve_member(entry["record"], home)
        user = User.objects.get(username=entry["user"])
        if record is None:
            continue
        _, changed = upsert(
            AccessRequest,
            {"user": user, "record": record},
            {"reason": nfc(entry["reason_vi"]), "status": entry["status"]},
        )
        report.count(changed)
    apply_tk_labels(home, data)
    apply_asset_protocols(home)
    return accounts


def apply_tk_labels(home, data) -> None:
    """Traditional Knowledge labels on demo records (the labels are seeded by a migration)."""
    from archive.models import TKLabel

    for entry in data.get("tk_labels", []):
        record = _resolve_member(entry["record"], home)
        if record is None:
            continue
        labels = list(TKLabel.objects.filter(slug__in=entry["labels"]))
        if set(record.tk_labels.all()) != set(labels):
            record.tk_labels.set(labels)
            record.save_revision().publish()


def apply_asset_protocols(home=None) -> int:
    """Protocols on the demo media of some records (run again after the media are made)."""
    from archive.models import AssetProtocols, Protocol
    from media_pipeline.models import RecordMedia

    data = _access_data()
    applied = 0
    for entry in data["asset_protocols"]:
        record = _resolve_member(entry["record"], home)
        if record is None:
            continue
        wanted = list(
            Protocol.objects.filter(
                name_vi__in=[
                    nfc(p["name_vi"]) for p in data["protocols"] if p["key"] in entry["protocols"]
                ]
            )
        )
        for link in RecordMedia.objects.filter(record=record):
            rules, _created = AssetProtocols.objects.get_or_create(
                asset_id=link.asset_id, defaults={"mode": entry["mode"]}
            )
            if set(rules.protocols.all()) != set(wanted):
                rules.protocols.set(wanted)
                rules.save()
                applied += 1
    return applied + apply_restricted_segments(home, data)


def apply_restricted_segments(home, data) -> int:
    """Restricted ranges of demo recordings (once their media exist): the media are processed
    again with a restricted variant of each audio tier."""
    from archive.models import Protocol, RestrictedSegment
    from media_pipeline.models import RecordMedia

    applied = 0
    for entry in data.get("restricted_segments", []):
        record = _resolve_member(entry["record"], home)
        if record is None:
            continue
        names = [nfc(p["name_vi"]) for p in data["protocols"] if p["key"] in entry["protocols"]]
        wanted = list(Protocol.objects.filter(name_vi__in=names))
        for link in RecordMedia.objects.filter(record=record):
            segment, created = RestrictedSegment.objects.get_or_create(
                asset_id=link.asset_id,
                start_s=entry["start_s"],
                end_s=entry["end_s"],
                defaults={
                    "mode": entry["mode"],
                    "protocol_mode": entry.get("protocol_mode", "all"),
                    "note": nfc(entry.get("note", "")),
                },
            )
            if created or set(segment.protocols.all()) != set(wanted):
                segment.protocols.set(wanted)
                applied += 1
    return applied


@transaction.atomic
def load_demo() -> tuple[LoadReport, list[tuple[str, str, str]]]:
    # Untranslated fields (``title``) are the active language's columns: loading in
    # whatever language a caller left active would write or compare the wrong column.
    with translation.override(settings.LANGUAGE_CODE):
        return _load_demo()


def _load_demo() -> tuple[LoadReport, list[tuple[str, str, str]]]:
    report = load_reference_data()
    home = ensure_site_tree()
    lookups = Lookups.build()
    load_festivals(home, lookups, report)
    load_customs(home, lookups, report)
    load_recordings(home, lookups, report)
    load_collections(home, report)
    accounts = ensure_demo_users(report)
    accounts += load_access(home, report)
    grant_officer_permissions()
    report.notes.extend(sorted(f"unknown name: {n}" for n in lookups.missing))
    return report, accounts
