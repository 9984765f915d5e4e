import json

import pytest
from elasticsearch.dsl import Search

from search.es.mappings import record_mapping
from search.es.queries import (
    FACETS,
    access_clause,
    build_search_body,
    build_suggest_body,
)
from search.query_parser import parse_query

ACCESS = {"levels": ["public"], "groups": ["researchers"]}
HOSTILE = [
    "*:* OR 1",
    "title_vi:x AND (y OR z)",
    '"\\"',
    "{{!}}",
    "<script>alert(1)</script>",
    "a~2^5",
]


def body(q="lễ hội Gầu Tào", filters=None, **kw):
    return build_search_body(
        parse_query(q),
        filters or {},
        kw.pop("lang", "vi"),
        kw.pop("page", 1),
        kw.pop("page_size", 20),
        kw.pop("access_filter", ACCESS),
    )


def walk(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,), v
            yield from walk(v, path + (k,))
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, path)


def field_names(node):
    out = set()
    for path, v in walk(node):
        if path[-1] in ("fields",) and isinstance(v, list):
            out.update(f.split("^")[0] for f in v)
        if (
            path[-1] in ("match", "match_phrase", "term", "terms")
            and isinstance(v, dict)
            and "field" not in v
        ):
            out.update(v)
        if path[-1] == "field":
            out.add(v)
    return out


def mapped_fields():
    names = set()

    def add(props, prefix=""):
        for k, v in props.items():
            names.add(prefix + k)
            for sub in v.get("fields", {}):
                names.add(f"{prefix}{k}.{sub}")
            if "properties" in v:
                add(v["properties"], f"{prefix}{k}.")

    add(record_mapping()["properties"])
    return names


@pytest.mark.parametrize("q", ["lễ hội", "", "ចូលឆ្នាំថ្មី", '"Gầu Tào" H\'Mông', *HOSTILE])
def test_body_validates_with_the_official_dsl(q):
    Search.from_dict(body(q, {"group": ["08"], "decade": ["1990"]}))
    Search.from_dict(build_suggest_body(parse_query(q), "vi", ACCESS))


@pytest.mark.parametrize("q", ["lễ hội", "ចូលឆ្នាំថ្មី mèo", '"a b" c'])
def test_every_field_queried_exists_in_the_mapping(q):
    b = body(q, {f: ["x"] for f in FACETS} | {"decade": ["1990"]})
    used = field_names(b["query"]) | field_names(b["aggs"]) | field_names(b["post_filter"])
    used |= field_names(build_suggest_body(parse_query(q)))
    assert used <= mapped_fields(), used - mapped_fields()


def test_access_filter_is_in_the_main_query_filter():
    b = body(filters={"group": ["08"]})
    assert access_clause(ACCESS) in b["query"]["bool"]["filter"]
    assert "access_level" not in json.dumps(b["post_filter"])
    assert "access_level" not in json.dumps(b["aggs"])  # aggs inherit it from the query


def test_access_defaults_to_public_only_and_staff_is_explicit():
    assert access_clause(None) == {
        "bool": {"should": [{"terms": {"access_level": ["public"]}}], "minimum_should_match": 1}
    }
    assert access_clause({"levels": [], "groups": []}) == access_clause(None)
    assert access_clause({"all": "yes"}) == access_clause(None)  # only literal True
    assert access_clause({"all": True}) == {"match_all": {}}
    groups = access_clause(ACCESS)["bool"]["should"]
    shared = [{"term": {"access_level": "groups"}}, {"terms": {"allowed_groups": ["researchers"]}}]
    assert {"bool": {"filter": shared}} in groups


def _matches(clause, doc) -> bool:
    """Evaluate the filter subset access_clause uses against one document."""
    kind, arg = next(iter(clause.items()))
    if kind == "match_all":
        return True
    if kind in ("term", "terms"):
        field, wanted = next(iter(arg.items()))
        wanted = wanted if kind == "terms" else [wanted]
        have = doc.get(field)
        have = have if isinstance(have, list) else [have]
        return any(v in wanted for v in have)
    assert kind == "bool", clause
    if not all(_matches(c, doc) for c in arg.get("filter", [])):
        return False
    should = arg.get("should", [])
    return not should or sum(_matches(c, doc) for c in should) >= arg.get("minimum_should_match", 1)


def test_allowed_groups_count_only_while_the_record_is_shared_with_groups():
    member = {"levels": ["public", "registered"], "groups": ["7"]}
    shared = {"access_level": "groups", "allowed_groups": ["7"]}
    assert _matches(access_clause(member), shared)
    # moved from "groups" to "closed" (or to "registered" for anonymous visitors): the old
    # allowed_groups must not keep the record visible
    assert not _matches(access_clause(member), {**shared, "access_level": "closed"})
    assert not _matches(access_clause({"groups": ["7"]}), {**shared, "access_level": "registered"})
    assert not _matches(access_clause(member), {**shared, "allowed_groups": ["8"]})
    assert _matches(access_clause(member), {"access_level": "public", "allowed_groups": []})


def test_empty_query_browses_with_access_filter():
    b = body("🎉")
    assert b["query"]["bool"]["must"] == [{"match_all": {}}]
    assert b["query"]["bool"]["filter"] == [access_clause(ACCESS)]
    assert "highlight" not in b
    s = build_suggest_body(parse_query(""), "vi", ACCESS)
    assert s["size"] == 0 and s["query"]["bool"]["filter"] == [access_clause(ACCESS)]


def test_facets_or_within_and_across_with_post_filter():
    b = body(filters={"group": ["08", "11"], "province": ["66"], "bogus": ["x"], "media": []})
    post = b["post_filter"]["bool"]["filter"]
    assert {"terms": {"ethnic_groups": ["08", "11"]}} in post  # OR within a facet
    assert {"terms": {"provinces": ["66"]}} in post  # AND across facets
    assert len(post) == 2  # unknown facet and empty list ignored
    assert set(b["aggs"]) == set(FACETS)
    group_filter = b["aggs"]["group"]["filter"]["bool"]["filter"]
    assert group_filter == [{"terms": {"provinces": ["66"]}}]  # own selection excluded
    province_filter = b["aggs"]["province"]["filter"]["bool"]["filter"]
    assert province_filter == [{"terms": {"ethnic_groups": ["08", "11"]}}]
    assert b["aggs"]["type"]["filter"]["bool"]["filter"] == post
    assert b["aggs"]["group"]["aggs"]["values"]["terms"]["field"] == "ethnic_groups"


def test_no_selection_means_no_post_filter_and_match_all_aggs():
    b = body()
    assert "post_filter" not in b
    assert all(a["filter"] == {"match_all": {}} for a in b["aggs"].values())


def test_decade_values_are_integers_and_junk_dropped():
    b = body(filters={"decade": ["1990", "19x0", "2000"]})
    assert {"terms": {"decade": [1990, 2000]}} in b["post_filter"]["bool"]["filter"]


def test_accent_fields_outrank_folded_and_phrase_boost():
    b = json.dumps(body('lễ hội "Gầu Tào"'), ensure_ascii=False)
    assert '"type": "phrase"' in b
    q = body('lễ hội "Gầu Tào"')["query"]["bool"]["must"][0]["bool"]
    scoring = q["should"]
    accent = [c for c in scoring if "title_vi.accent^5" in c["multi_match"]["fields"]]
    assert any(
        c["multi_match"].get("type") == "cross_fields" and c["multi_match"]["boost"] > 1
        for c in accent
    )
    phrases = [c["multi_match"] for c in scoring if c["multi_match"].get("type") == "phrase"]
    assert max(p["boost"] for p in phrases) >= 3
    required = [c["multi_match"] for c in q["must"][1:]]
    assert required == [
        {"query": "Gầu Tào", "type": "phrase", "fields": required[0]["fields"], "boost": 1.0}
    ]


def test_field_weights_title_names_summary_body():
    recall = body()["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]["should"][0]
    fields = dict(f.split("^") for f in recall["multi_match"]["fields"])
    assert (
        float(fields["title_vi.folded"])
        > float(fields["names.folded"])
        > float(fields["summary_vi.folded"])
        > float(fields["body_vi.folded"])
    )
    en = body(lang="en")["query"]["bool"]["must"][0]["bool"]["must"][0]["bool"]["should"][0]
    fields_en = dict(f.split("^") for f in en["multi_match"]["fields"])
    assert float(fields_en["title_en.folded"]) > float(fields_en["title_vi.folded"])


def test_nested_segments_and_ids_only():
    b = body("bài khấn")
    nested = [v for p, v in walk(b["query"]) if p[-1] == "nested"]
    assert len(nested) == 1
    n = nested[0]
    assert n["path"] == "segments"
    assert "inner_hits" not in n and "highlight" not in b  # moments come from the database
    assert b["_source"] is False


def test_synonym_and_script_clauses():
    b = json.dumps(body("Mèo ចូលឆ្នាំ"), ensure_ascii=False)
    assert "hmong" in b and "title_vi.script" in b
    assert "mèo" not in b.replace("Mèo", "")  # only the visitor's own text, not an expansion
    assert "title_vi.script" not in json.dumps(body("lễ hội"))


@pytest.mark.parametrize("q", HOSTILE + ["lễ hội", "ꪼꪕ"])
def test_user_text_only_in_analyzed_match_queries(q):
    b = body(q)
    dumped = json.dumps(b)
    for bad in ("query_string", "simple_query_string", "regexp", "wildcard", 'script":', "fuzzy"):
        assert bad not in dumped
    text = parse_query(q).text
    for path, v in walk(b):
        if v == text or (isinstance(v, str) and text and text in v and path[-1] == "query"):
            assert path[-1] == "query"
            assert set(path) & {"match", "multi_match", "match_phrase"}, path


def test_paging_is_clamped():
    assert (body(page=3, page_size=10)["from"], body(page=3, page_size=10)["size"]) == (20, 10)
    b = body(page=-5, page_size=10_000)
    assert b["from"] == 0 and b["size"] == 100
    assert body(page=10**9, page_size=50)["from"] + 50 <= 10_000


def test_suggest_body():
    s = build_suggest_body(parse_query("lễ hội gầ"), "vi", ACCESS)
    mm = s["query"]["bool"]["must"][0]["multi_match"]
    assert mm["operator"] == "and" and "title_vi.suggest^2" in mm["fields"]
    assert s["query"]["bool"]["filter"] == [access_clause(ACCESS)]
    assert 1 <= s["size"] <= 20
