import sys
from pathlib import Path

from search.es.mappings import LANG_FIELDS, record_mapping


def test_text_fields_have_accent_and_folded_subfields():
    props = record_mapping()["properties"]
    for name in LANG_FIELDS:
        assert props[name]["type"] == "text"
        assert {"accent", "folded"} <= set(props[name]["fields"])
    for name in ("title_vi", "title_en"):
        assert {"accent", "folded", "suggest"} <= set(props[name]["fields"])
        assert props[name]["fields"]["suggest"]["search_analyzer"].endswith("folded")


def test_keyword_facets_and_access_fields():
    props = record_mapping()["properties"]
    for name in (
        "accession",
        "type",
        "ethnic_groups",
        "provinces",
        "media",
        "language",
        "has",
        "access_level",
        "allowed_groups",
    ):
        assert props[name]["type"] == "keyword", name
    assert props["decade"]["type"] == "integer"
    assert record_mapping()["dynamic"] == "strict"


def test_segments_are_nested_with_time_codes():
    seg = record_mapping()["properties"]["segments"]
    assert seg["type"] == "nested"
    assert seg["properties"]["start_s"]["type"] == "float"
    assert seg["properties"]["end_s"]["type"] == "float"
    assert {"accent", "folded"} <= set(seg["properties"]["text"]["fields"])


def test_bench_documents_fit_the_strict_mapping():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.search_corpus import generate, to_es_doc

    props = record_mapping()["properties"]
    seg_props = props["segments"]["properties"]
    for rec in generate(50, seed=3):
        doc = to_es_doc(rec)
        assert set(doc) <= set(props), set(doc) - set(props)
        for seg in doc["segments"]:
            assert set(seg) <= set(seg_props)
