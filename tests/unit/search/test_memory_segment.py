"""The in-memory segment on its own (numpy, no database): what a query can and cannot match."""

import numpy as np

from search.folding import index_text
from search.memory.plan import Plan, match, title_prefix_match
from search.memory.segment import DocRow, Segment


def row(pk, title, names="", body="", transcript="", facets=()):
    return DocRow(
        pk=pk,
        stamp=1,
        fields=(index_text(title), index_text(names), index_text(body), index_text(transcript)),
        sort_title=index_text(title),
        facets=tuple(facets),
    )


SEGMENT = Segment(
    [
        row(10, "Lễ hội Lồng Tồng", "Tày Cao Bằng", "Lễ xuống đồng", facets=[("group", "tay")]),
        row(20, "Hát ru", "Tày", "bài hát ru con", "ngủ trưa", facets=[("group", "tay")]),
        row(30, "Sử thi Đăm Săn", "Ê Đê", "khan kể trong nhà dài", facets=[("group", "e-de")]),
        row(40, "Lễ cúng", "", "", "", facets=[("group", "e-de"), ("group", "tay")]),
    ]
)


def pks(mask):
    return SEGMENT.pks[np.flatnonzero(mask)].tolist()


def test_words_are_anded_and_phrases_must_be_adjacent():
    assert pks(match(SEGMENT, Plan(((("le",), ("hoi",)),)))) == [10]
    assert pks(match(SEGMENT, Plan(((("hat", "ru"),),)))) == [20]
    assert pks(match(SEGMENT, Plan(((("ru", "hat"),),)))) == []


def test_a_phrase_never_runs_from_one_field_into_the_next():
    # "... Lồng Tồng" ends the title, "Tày ..." starts the names: not a phrase.
    assert pks(match(SEGMENT, Plan(((("tong", "tay"),),)))) == []
    assert pks(match(SEGMENT, Plan(((("tong",), ("tay",)),)))) == [10]


def test_alternatives_are_ored():
    plan = Plan(((("dam", "san"),), (("hat", "ru"),)))
    assert pks(match(SEGMENT, plan)) == [20, 30]


def test_title_prefix_matches_only_title_words():
    assert pks(title_prefix_match(SEGMENT, [("le", False), ("h", True)])) == [10]
    assert pks(title_prefix_match(SEGMENT, [("ta", True)])) == []  # Tày is only in names
    assert pks(title_prefix_match(SEGMENT, [("s", True)])) == [30]


def test_facet_counts_over_a_mask_and_title_weight_outranks_body():
    mask = np.array([True, True, False, True])
    assert SEGMENT.facet_counts(mask, ["group"]) == {"group": {"tay": 3, "e-de": 1}}
    docs, weights = SEGMENT.postings("hat")
    assert docs.tolist() == [1]
    assert weights[0] > 10  # once in the title (10) and once in the body (1.5)


def test_an_empty_segment_answers_nothing():
    empty = Segment([])
    assert empty.n == 0
    assert match(empty, Plan(((("le",),),))).tolist() == []
    assert empty.facet_counts(np.zeros(0, dtype=bool), ["group"]) == {"group": {}}
    assert empty.title_prefix_postings("a").tolist() == []
