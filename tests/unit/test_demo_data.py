"""Checks of the reference data in archive/reference and the demo archive data in demo/data
(pure Python, no database).

Expected totals come from the shared data's SOURCES.md: 54 groups whose 2019
populations add up to 96,205,082; 63 provinces before and 34 units after the
1 July 2025 reorganisation (Resolution 202/2025/QH15).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "archive" / "reference"  # what every site loads (load_reference_data)
DEMO = ROOT / "demo" / "data"  # the demo archive only (load_demo)
REFERENCE_FILES = {"ethnic_groups.csv", "provinces.csv", "provinces_2025.csv"}


def data_path(name: str) -> Path:
    return (REFERENCE if name in REFERENCE_FILES else DEMO) / name


CSV_FILES = ["ethnic_groups.csv", "festivals.csv", "provinces.csv", "provinces_2025.csv"]
JSON_FILES = [
    "festivals_extra.json",
    "customs.json",
    "recordings.json",
    "collections.json",
    "people.json",
    "aliases.json",
]

HERITAGE = {"none", "provincial", "national", "unesco_representative", "unesco_urgent"}
CUSTOM_CATEGORIES = {
    "rite_of_passage",
    "belief",
    "music_dance",
    "craft",
    "cuisine",
    "attire",
    "farming",
    "other",
}
GENRES = {"song", "story", "prayer", "conversation", "word_list", "other"}
ROLES = {"speaker", "singer", "performer", "interpreter", "researcher", "recorder"}
ACCESS = {"public", "registered", "groups", "closed"}
PRECISIONS = {"year", "decade", "circa"}
RIGHTS = re.compile(r"^http://rightsstatements\.org/vocab/[A-Za-z-]+/1\.0/$")
ISO639_3 = re.compile(r"^[a-z]{3}$")
ISO15924 = re.compile(r"^[A-Z][a-z]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@cache
def rows(name: str) -> list[dict[str, str]]:
    with open(data_path(name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def load(name: str) -> Any:
    with open(data_path(name), encoding="utf-8") as f:
        return json.load(f)


def group_names() -> set[str]:
    return {r["name_vi"] for r in rows("ethnic_groups.csv")}


def provinces_2025() -> set[str]:
    return {r["name_vi"] for r in rows("provinces_2025.csv")}


def old_provinces() -> set[str]:
    return {r["old_name_vi"] for r in rows("provinces.csv")}


def strings(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*strings(k), *strings(v))]
    if isinstance(obj, list):
        return [s for v in obj for s in strings(v)]
    return []


# --------------------------------------------------------------------------
# Files


TEXT_FILES = [data_path(n) for n in CSV_FILES + JSON_FILES] + [
    DEMO / "SOURCES.md",
    REFERENCE / "SOURCES.md",
]


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_file_is_utf8_nfc(path: Path) -> None:
    name = path.name
    text = path.read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", text), name
    assert "\ufeff" not in text


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_format(name: str) -> None:
    text = data_path(name).read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n", f"{name}: not 2-space"
    for s in strings(data):
        assert unicodedata.is_normalized("NFC", s)


def test_csv_copies_are_byte_identical_to_shared_data_when_available() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not shared.is_dir():
        pytest.skip("shared data folder not present")
    for name in CSV_FILES:
        assert data_path(name).read_bytes() == (shared / name).read_bytes(), name


# --------------------------------------------------------------------------
# Ethnic groups


def test_54_groups_with_codes_01_to_54() -> None:
    eg = rows("ethnic_groups.csv")
    assert len(eg) == 54
    assert [r["code"] for r in eg] == [f"{i:02d}" for i in range(1, 55)]
    assert sorted(r["code_1979"] for r in eg) == [f"{i:02d}" for i in range(1, 55)]
    assert len(group_names()) == 54


def test_population_total() -> None:
    assert sum(int(r["population_2019"]) for r in rows("ethnic_groups.csv")) == 96_205_082


def test_iso_codes_are_well_formed() -> None:
    for r in rows("ethnic_groups.csv"):
        for code in split(r["iso639_3"]):
            assert ISO639_3.match(code.rstrip("?")), (r["name_vi"], code)


# --------------------------------------------------------------------------
# Provinces


def test_province_counts() -> None:
    assert len(rows("provinces.csv")) == 63
    assert len(old_provinces()) == 63
    assert len(rows("provinces_2025.csv")) == 34
    assert len(provinces_2025()) == 34


def test_every_old_province_maps_to_a_current_one() -> None:
    new = {r["name_vi"]: r for r in rows("provinces_2025.csv")}
    for r in rows("provinces.csv"):
        assert r["new_province"] in new, r["old_name_vi"]
        assert r["new_code_2025"] == new[r["new_province"]]["code_2025"], r["old_name_vi"]
        members = split(new[r["new_province"]]["merged_from_old_provinces"])
        assert r["old_name_vi"] in members, r["old_name_vi"]
        assert set(split(r["merged_with"])) == set(members) - {r["old_name_vi"]}


def test_current_units_cover_all_old_provinces_once() -> None:
    seen: list[str] = []
    for r in rows("provinces_2025.csv"):
        members = split(r["merged_from_old_provinces"])
        assert int(r["n_old"]) == len(members), r["name_vi"]
        seen += members
    assert sorted(seen) == sorted(old_provinces())


def test_admin_centres_name_a_member_province() -> None:
    aliases = load("aliases.json")["province_aliases"]
    for r in rows("provinces_2025.csv"):
        centre = r["admin_centre_in_old_province"].rstrip("?")
        centre = centre if centre in old_provinces() else aliases.get(centre, centre)
        assert centre in split(r["merged_from_old_provinces"]), r["name_vi"]


# --------------------------------------------------------------------------
# Festivals


def festival_groups(cell: str) -> list[str]:
    tokens = load("aliases.json")["festival_group_tokens"]
    aliases = load("aliases.json")["group_aliases"]
    out: list[str] = []
    for token in split(cell):
        if token in tokens:
            out += tokens[token]["groups"]
        else:
            out.append(aliases.get(token, token))
    return out


def test_festival_count_and_unique_names() -> None:
    fest = rows("festivals.csv")
    assert len(fest) == 27
    assert len({r["name_vi"] for r in fest}) == 27


def test_festival_groups_exist_after_aliases() -> None:
    names = group_names()
    for r in rows("festivals.csv"):
        groups = festival_groups(r["ethnic_group"])
        assert groups, r["name_vi"]
        for g in groups:
            assert g in names, (r["name_vi"], g)


def test_aliases_point_to_canonical_names() -> None:
    aliases = load("aliases.json")
    for variant, canonical in aliases["group_aliases"].items():
        assert canonical in group_names(), variant
    for variant, canonical in aliases["province_aliases"].items():
        assert canonical in old_provinces(), variant


def test_festival_provinces_exist_and_agree_with_the_mapping() -> None:
    old = {r["old_name_vi"]: r["new_province"] for r in rows("provinces.csv")}
    tokens = load("aliases.json")["province_tokens"]
    for r in rows("festivals.csv"):
        olds = [p for p in split(r["provinces"]) if p not in tokens]
        news = [p for p in split(r["provinces_2025"]) if p not in tokens]
        for p in olds:
            assert p in old, (r["name_vi"], p)
        for p in news:
            assert p in provinces_2025(), (r["name_vi"], p)
        assert {old[p] for p in olds} == set(news), r["name_vi"]


def test_every_festival_has_extra_content() -> None:
    extra = load("festivals_extra.json")
    assert set(extra) == {r["name_vi"] for r in rows("festivals.csv")}


def test_festival_extra_fields() -> None:
    extra = load("festivals_extra.json")
    for r in rows("festivals.csv"):
        e = extra[r["name_vi"]]
        for key in ("summary_vi", "body_vi", "body_en"):
            assert e[key].strip(), (r["name_vi"], key)
        assert len(e["body_vi"].split("\n\n")) == 2, r["name_vi"]
        assert len(e["body_en"].split("\n\n")) == 2, r["name_vi"]
        assert e["rituals_vi"] and len(e["rituals_vi"]) == len(e["rituals_en"])
        assert e["heritage_status"] in HERITAGE
        assert e["duration_days"] is None or e["duration_days"] >= 1
        assert e["calendar"] in {"lunar", "solar", "cham"}
        assert e["calendar"] in r["calendar"] or (
            e["calendar"] == "cham" and "Cham" in r["calendar"]
        )
        assert e["month"] is None or 1 <= e["month"] <= 12
        assert e["month_end"] is None or 1 <= e["month_end"] <= 12
        assert isinstance(e["recurrence_note_vi"], str) and isinstance(e["recurrence_note_en"], str)
        if e["day_start"] is None:
            assert e["day_end"] is None
            assert e["recurrence_note_vi"] and e["recurrence_note_en"], r["name_vi"]
        else:
            assert 1 <= e["day_start"] <= 31
            assert e["day_end"] is None or 1 <= e["day_end"] <= 31
        cells = (r["calendar"], r["month"], r["day"])
        assert e["unverified"] == any("?" in c for c in cells), r["name_vi"]
        assert e["heritage_unverified"] == ("?" in r["unesco_status"]), r["name_vi"]
        assert e["source_cells"]["day"] == r["day"]
        for slug in e["related_customs"]:
            assert slug in {c["slug"] for c in load("customs.json")}


def test_festival_heritage_status_is_consistent_with_the_csv() -> None:
    extra = load("festivals_extra.json")
    for r in rows("festivals.csv"):
        status, cell = extra[r["name_vi"]]["heritage_status"], r["unesco_status"]
        if status == "national":
            assert "national" in cell, r["name_vi"]
        elif status.startswith("unesco"):
            assert "UNESCO" in cell and not cell.startswith("related"), r["name_vi"]
        else:
            assert status == "none"
            assert "national" not in cell, r["name_vi"]


def test_structured_dates_work_with_the_calendar_module() -> None:
    from datetime import date

    from archive.lunar import next_occurrences

    extra = load("festivals_extra.json")
    for name, e in extra.items():
        if e["calendar"] in {"lunar", "solar"} and e["month"] and e["day_start"]:
            occ = next_occurrences(
                e["calendar"], e["month"], e["day_start"], e["day_end"], after=date(2026, 1, 1)
            )
            assert len(occ) == 1, name


# --------------------------------------------------------------------------
# Customs


def test_customs() -> None:
    customs = load("customs.json")
    assert len(customs) >= 12
    slugs = [c["slug"] for c in customs]
    assert len(set(slugs)) == len(slugs)
    for c in customs:
        assert SLUG.match(c["slug"]), c["slug"]
        for key in ("title_vi", "title_en", "summary_vi", "summary_en", "body_vi", "body_en"):
            assert c[key].strip(), (c["slug"], key)
        assert c["category"] in CUSTOM_CATEGORIES
        assert c["ethnic_groups"] and set(c["ethnic_groups"]) <= group_names(), c["slug"]
        assert c["provinces_2025"] and set(c["provinces_2025"]) <= provinces_2025(), c["slug"]
        assert set(c.get("former_provinces", [])) <= old_provinces(), c["slug"]
        assert c["subjects_vi"] and c["subjects_en"]
        assert c["date"]["precision"] in PRECISIONS and isinstance(c["date"]["year"], int)
        assert c["heritage_status"] in HERITAGE
        assert RIGHTS.match(c["rights"])
        assert c["licence"]
        for v in c.get("vernacular_titles", []):
            assert ISO639_3.match(v["lang"]) and ISO15924.match(v["script"]) and v["text"]


def test_customs_cover_many_categories() -> None:
    assert len({c["category"] for c in load("customs.json")}) >= 6


def test_former_provinces_map_to_listed_current_units() -> None:
    old = {r["old_name_vi"]: r["new_province"] for r in rows("provinces.csv")}
    for c in load("customs.json"):
        for p in c.get("former_provinces", []):
            assert old[p] in c["provinces_2025"], (c["slug"], p)


# --------------------------------------------------------------------------
# Recordings and people


def group_iso_codes() -> dict[str, set[str]]:
    return {
        r["name_vi"]: {c.rstrip("?") for c in split(r["iso639_3"])}
        for r in rows("ethnic_groups.csv")
    }


def test_recordings() -> None:
    recs = load("recordings.json")
    people = {p["slug"] for p in load("people.json")}
    assert len(recs) >= 12
    slugs = [r["slug"] for r in recs]
    assert len(set(slugs)) == len(slugs)
    iso = group_iso_codes()
    for r in recs:
        assert SLUG.match(r["slug"])
        assert r["demo"] is True
        assert r["summary_vi"].startswith("Bản ghi minh hoạ (demo)"), r["slug"]
        assert r["summary_en"].startswith("Demo recording"), r["slug"]
        assert "(demo)" in r["title_vi"] and "(demo)" in r["title_en"]
        assert set(r["ethnic_groups"]) <= group_names()
        assert r["language_iso"] in set().union(*(iso[g] for g in r["ethnic_groups"])), r["slug"]
        assert r["genre"] in GENRES
        rd = r["recording_date"]
        assert rd["precision"] in PRECISIONS | {"month", "day"}
        assert ("month" in rd) == (rd["precision"] in {"month", "day"}), r["slug"]
        assert ("day" in rd) == (rd["precision"] == "day"), r["slug"]
        assert r["recording_place"]["province_2025"] in provinces_2025()
        assert r["speakers"]
        for s in r["speakers"]:
            assert s["role"] in ROLES
            assert s["person"] in people
            assert "(demo)" in s["name"]
        segs = r["transcript_segments"]
        assert 4 <= len(segs) <= 10, r["slug"]
        previous_end = 0
        for seg in segs:
            assert previous_end <= seg["start_s"] < seg["end_s"]
            previous_end = seg["end_s"]
            assert seg["text_vi"] and seg["text_en"]
            assert seg.get("redacted") or seg["text_vi"].startswith("(Demo)"), seg
        assert r["duration_s"] >= previous_end
        assert r["access_level"] in ACCESS
        assert RIGHTS.match(r["rights"])


def test_access_levels() -> None:
    recs = load("recordings.json")
    levels = [r["access_level"] for r in recs]
    for level in ("closed", "groups", "registered"):
        assert levels.count(level) == 1, level
    assert levels.count("public") == len(recs) - 3
    for r in recs:
        if r["access_level"] == "groups":
            assert r["allowed_groups"]
        else:
            assert r["allowed_groups"] == []
        assert isinstance(r["access_note_vi"], str) and isinstance(r["access_note_en"], str)
        if r["access_level"] != "public" or r["consent"]:
            assert r["access_note_vi"] and r["access_note_en"], r["slug"]


def test_withdrawn_consent() -> None:
    withdrawn = [(r, c) for r in load("recordings.json") for c in r["consent"] if c["withdrawn_on"]]
    assert len(withdrawn) == 1
    rec, consent = withdrawn[0]
    assert {"person", "person_slug", "scope", "given_on", "withdrawn_on"} <= set(consent)
    assert consent["given_on"] < consent["withdrawn_on"]
    # `person` is the speaker's name (as in `speakers`), `person_slug` the people.json key.
    assert (consent["person_slug"], consent["person"]) in {
        (s["person"], s["name"]) for s in rec["speakers"]
    }
    # Every segment of that speaker is redacted.
    segments = [s for s in rec["transcript_segments"] if s.get("speaker") == consent["person_slug"]]
    assert segments and all(s.get("redacted") is True for s in segments)


def test_people_are_fictional() -> None:
    people = load("people.json")
    slugs = [p["slug"] for p in people]
    assert len(set(slugs)) == len(slugs)
    for p in people:
        assert p["fictional"] is True and "(demo)" in p["name"]
        assert set(p["roles"]) <= ROLES
        assert p["ethnic_group"] is None or p["ethnic_group"] in group_names()


# --------------------------------------------------------------------------
# Collections


def test_collections_resolve_to_public_items() -> None:
    festivals = set(load("festivals_extra.json"))
    customs = {c["slug"] for c in load("customs.json")}
    public = {r["slug"] for r in load("recordings.json") if r["access_level"] == "public"}
    collections = load("collections.json")
    assert len(collections) == 3
    for col in collections:
        assert SLUG.match(col["slug"])
        for key in ("title_vi", "title_en", "description_vi", "description_en"):
            assert col[key].strip()
        members = col["members"]
        assert members and len(set(members)) == len(members)
        for ref in members:
            kind, _, key = ref.partition(":")
            target = {"festival": festivals, "custom": customs, "recording": public}[kind]
            assert key in target, ref
