import unicodedata
from pathlib import Path

import pytest

from search.es.mappings import record_mapping
from search.es.settings import index_settings, script_mark_chars, vi_nfc_mappings
from search.folding import accent_key, fold

BUILTIN_TOKENIZERS = {"standard"}
BUILTIN_FILTERS = {"lowercase"}
NAMES = [
    s
    for s in (Path(__file__).with_name("data") / "names.txt").read_text("utf-8").splitlines()
    if s and not s.startswith("#")
]


def walk(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key)


def unescape(rule_side: str) -> str:
    return rule_side.encode("ascii").decode("unicode_escape")


def rules(char_filter: dict) -> dict[str, str]:
    out = {}
    for rule in char_filter["mappings"]:
        src, dst = rule.split("=>")
        out[unescape(src)] = unescape(dst)
    return out


def apply_mapping(table: dict[str, str], text: str) -> str:
    """Greedy longest match, like Lucene's MappingCharFilter."""
    longest = max(map(len, table))
    out, i = [], 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            if text[i : i + n] in table:
                out.append(table[text[i : i + n]])
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@pytest.fixture(scope="module")
def analysis():
    return index_settings()["analysis"]


def test_d_stroke_and_lookalikes_fold_to_d(analysis):
    table = rules(analysis["char_filter"]["d_fold"])
    for ch in "ĐđÐðƉɖ":
        assert table[ch] == "d"
    look = rules(analysis["char_filter"]["d_lookalike"])
    assert look["Ð"] == "Đ" and look["ð"] == "đ" and "đ" not in look


def test_apostrophes_removed_and_hyphens_become_spaces(analysis):
    apo = rules(analysis["char_filter"]["apostrophes"])
    assert apo["'"] == "" and apo["’"] == "" and apo["ʼ"] == ""
    hy = rules(analysis["char_filter"]["hyphens"])
    assert hy["-"] == " " and hy["–"] == " "


def test_every_analyzer_in_the_mapping_is_defined(analysis):
    used = {v for k, v in walk(record_mapping()) if k in ("analyzer", "search_analyzer")}
    assert used, "mapping references no analyzers?"
    assert used <= set(analysis["analyzer"]), used - set(analysis["analyzer"])


def test_every_component_of_every_analyzer_is_defined(analysis):
    for name, an in analysis["analyzer"].items():
        assert an["type"] == "custom", name
        assert an["tokenizer"] in set(analysis["tokenizer"]) | BUILTIN_TOKENIZERS, name
        for cf in an.get("char_filter", []):
            assert cf in analysis["char_filter"], (name, cf)
        for f in an.get("filter", []):
            assert f in set(analysis["filter"]) | BUILTIN_FILTERS, (name, f)


def test_no_plugin_components(analysis):
    text = repr(analysis)
    for plugin in ("icu_", "kuromoji", "smartcn", "nori", "phonetic"):
        assert plugin not in text


def test_folded_analyzers_use_builtin_asciifolding(analysis):
    assert analysis["filter"]["ascii_fold"] == {"type": "asciifolding", "preserve_original": False}
    for name in ("vi_folded", "en_folded", "vi_suggest"):
        an = analysis["analyzer"][name]
        assert "d_fold" in an["char_filter"] and "ascii_fold" in an["filter"]
    assert "ascii_fold" not in analysis["analyzer"]["vi_accent"]["filter"]
    assert "d_fold" not in analysis["analyzer"]["vi_accent"]["char_filter"]


def test_nfc_char_filter_composes_nfd_names(analysis):
    table = rules(analysis["char_filter"]["vi_nfc"])
    assert table == vi_nfc_mappings()
    for name in NAMES:
        decomposed = unicodedata.normalize("NFD", name)
        if any(ord(c) > 0x1700 for c in name):
            continue  # not Latin: ES indexes those through the script field
        assert apply_mapping(table, decomposed) == unicodedata.normalize("NFC", name), name


@pytest.mark.parametrize("src", ["e\u0323\u0302", "ê\u0323", "ẹ\u0302", "a\u0340", "O\u031b\u0303"])
def test_nfc_char_filter_partial_and_deprecated_forms(analysis, src):
    table = rules(analysis["char_filter"]["vi_nfc"])
    assert apply_mapping(table, src) == unicodedata.normalize("NFC", src)


def test_tone_style_char_filter_matches_python(analysis):
    table = rules(analysis["char_filter"]["tone_new_style"])
    for old in ["Hòa Bình", "HÒA", "khỏe", "Thúy", "THỦY", "xòe", "hoàn"]:
        assert apply_mapping(table, old).lower() == accent_key(old)


def test_simulated_folded_analyzer_agrees_with_python_fold(analysis):
    """char_filters in order + lowercase + mark stripping == folding.fold."""
    chain = [
        rules(analysis["char_filter"][c]) for c in analysis["analyzer"]["vi_folded"]["char_filter"]
    ]
    for name in NAMES:
        if any(ord(c) > 0x1700 for c in name):
            continue
        text = unicodedata.normalize("NFD", name)
        for table in chain:
            text = apply_mapping(table, text)
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if not unicodedata.combining(c))
        assert " ".join(text.split()) == fold(name), name


def test_script_ngram_tokenizer_keeps_marks(analysis):
    tok = analysis["tokenizer"]["script_ngram"]
    marks = script_mark_chars()
    assert "\u17d2" in marks and "\u17b6" in marks and "\uaab0" in marks
    assert tok["custom_token_chars"] == marks and "custom" in tok["token_chars"]
    assert tok["max_gram"] - tok["min_gram"] <= index_settings()["max_ngram_diff"]
