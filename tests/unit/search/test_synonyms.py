import csv

import pytest

from search import synonyms
from search.folding import accent_key, fold, words


def q(text):
    return words(fold(text)), words(accent_key(text))


def canon(text):
    return [m.group.canonical for m in synonyms.find(*q(text))]


def test_csv_is_well_formed():
    with synonyms.DATA_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["role"] for r in rows} <= set(synonyms.ROLES)
    for group in synonyms.GROUPS.values():
        assert group.variants[0].role == "canonical", group.id
        assert sum(v.role == "canonical" for v in group.variants) == 1, group.id
    assert len([g for g in synonyms.GROUPS if g.startswith("eth:")]) == 54


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H'Mông", "H'Mông"),
        ("H’Mông", "H'Mông"),
        ("Hmông", "H'Mông"),
        ("Mông", "H'Mông"),
        ("hmong", "H'Mông"),
        ("Mèo", "H'Mông"),
        ("Ê Đê", "Ê Đê"),
        ("Ê-đê", "Ê Đê"),
        ("Rađê", "Ê Đê"),
        ("Gia-rai", "Gia Rai"),
        ("Jrai", "Gia Rai"),
        ("Jarai", "Gia Rai"),
        ("Bahnar", "Ba Na"),
        ("Ba-na", "Ba Na"),
        ("Raglai", "Ra Glai"),
        ("Raglay", "Ra Glai"),
        ("Ra-glai", "Ra Glai"),
        ("Stiêng", "Xtiêng"),
        ("X'Tiêng", "Xtiêng"),
        ("Cờ Lao", "Cơ Lao"),
        ("Co Lao", "Cơ Lao"),
        ("Gié Triêng", "Giẻ Triêng"),
        ("Khơ-me", "Khmer"),
        ("Khơ Me", "Khmer"),
        ("Bru Vân Kiều", "Bru-Vân Kiều"),
        ("Bru - Vân Kiều", "Bru-Vân Kiều"),
        ("Ok Om Bok", "Oóc Om Bóc"),
        ("Ooc Om Bok", "Oóc Om Bóc"),
        ("អកអំបុក", "Oóc Om Bóc"),
        ("Chol Chnam Thmay", "Chôl Chnăm Thmây"),
        ("Sen Dolta", "Sene Dolta"),
        ("Kate", "Katê"),
        ("Ka Tê", "Katê"),
        ("Po Nagar", "Po Inư Nưgar"),
        ("Chàm", "Chăm"),
    ],
)
def test_variants_find_their_group(text, expected):
    assert canon(text) == [expected]


@pytest.mark.parametrize(
    "text", ["móng tay", "sách", "đê điều", "cao nguyên", "việt nam", "tang lễ"]
)
def test_common_words_do_not_trigger_groups(text):
    assert canon(text) == []


def test_expansions_never_produce_inbound_terms():
    for group in synonyms.GROUPS.values():
        for v in group.variants:
            f, a = list(v.folded), list(v.accented)
            produced = synonyms.expand(f, a) + synonyms.expand_accented(f, a)
            for bad in (x for x in group.variants if x.role == "inbound"):
                assert " ".join(bad.accented) not in produced
                assert " ".join(bad.folded) not in synonyms.expand(f, a)


def test_meo_finds_hmong_but_is_never_suggested():
    f, a = q("mèo")
    assert "hmong" in synonyms.expand(f, a)
    assert "mông" in synonyms.expand_accented(f, a)
    assert synonyms.suggest_names("mèo") == ["H'Mông"]
    assert all("Mèo" not in s for s in synonyms.suggest_names("m", limit=500))


def test_expand_keeps_the_rest_of_the_query():
    f, a = q("lễ hội Gia Rai")
    assert "le hoi jrai" in synonyms.expand(f, a)
    assert "lễ hội jrai" in synonyms.expand_accented(f, a)


def test_single_syllable_variants_only_used_with_marks():
    f, a = q("người H'Mông")
    assert "nguoi mong" not in synonyms.expand(f, a)  # "mong" = hope/nail/... folded
    assert "người mông" in synonyms.expand_accented(f, a)


def test_marks_must_agree_for_one_word_spans():
    assert canon("người Tày") == ["Tày"]
    assert canon("bàn tay") == []  # marks typed elsewhere: "tay" is hand
    assert canon("tay") == ["Tày"]  # nothing typed with marks: ambiguous, allowed


def test_expand_accepts_a_string_and_limits():
    assert synonyms.expand("gia rai", limit=2) == ["jrai", "gio rai"]
    assert synonyms.expand([]) == []


@pytest.mark.parametrize(("a", "b"), [("lý", "lí"), ("kỹ", "kĩ"), ("quy", "qui")])
def test_iy_pairs_both_directions(a, b):
    assert synonyms.iy_alternatives(["họ", a]) == [f"họ {b}"]
    assert synonyms.iy_alternatives([b]) == [a]


def test_iy_is_not_normalisation():
    assert accent_key("Lý") != accent_key("Lí")


def test_group_for_and_suggest():
    assert synonyms.group_for("Ê-đê").id == "eth:11"
    assert synonyms.group_for("không có") is None
    assert "Gia Rai" in synonyms.suggest_names("gia")
    assert synonyms.suggest_names("") == []
