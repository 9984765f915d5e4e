import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench.search_corpus import COMMON, generate, sample_queries, vocabulary
from search.folding import fold


def test_deterministic_for_a_seed():
    assert list(generate(30, seed=7)) == list(generate(30, seed=7))
    assert list(generate(30, seed=7)) != list(generate(30, seed=8))
    assert sample_queries(50, 1) == sample_queries(50, 1)


def test_generate_is_a_lazy_stream():
    gen = generate(10**9, seed=1)  # would never fit in memory as a list
    assert next(gen)["accession"] == "DS-1-0000000"


def test_record_shape():
    recs = list(generate(300, seed=2))
    assert len({r["accession"] for r in recs}) == 300
    for r in recs:
        assert r["type"] in {"festival", "custom", "recording"}
        assert 1 <= len(r["groups"]) <= 2
        assert 80 <= len(r["body"].split()) <= 215
        assert r["decade"] % 10 == 0
        assert r["access_level"] in {"public", "restricted", "private"}
        if r["type"] == "recording":
            assert 5 <= len(r["segments"]) <= 30
            assert all(s["end_s"] > s["start_s"] for s in r["segments"])
            starts = [s["start_s"] for s in r["segments"]]
            assert starts == sorted(starts)
        else:
            assert r["segments"] == []
    access = Counter(r["access_level"] for r in recs)
    assert access["public"] > 0.75 * len(recs) and access["restricted"] > 0
    assert any(r["former_province"] for r in recs)
    assert any(len(r["groups"]) == 2 for r in recs)


def test_zipf_top_terms_are_the_common_syllables():
    counts = Counter()
    for r in generate(200, seed=4):
        counts.update(w.strip(".").lower() for w in r["body"].split())
    top = [w for w, _ in counts.most_common(5)]
    assert top[:3] == ["lễ", "hội", "người"]
    assert set(top) <= set(COMMON[:10])
    # the tail exists: many syllables seen only once or twice
    assert sum(1 for c in counts.values() if c <= 2) > 300


def test_vocabulary_includes_real_names():
    v = vocabulary()
    assert v[:3] == ("lễ", "hội", "người")
    assert {"H'Mông", "Mường", "Khmer", "Đắk", "Lắk"} <= set(v)


def test_sample_queries_mix():
    qs = sample_queries(1000, seed=5)
    assert len(qs) == 1000 and all(q.strip() for q in qs)
    assert sum(q == fold(q) for q in qs) > 100  # tone-less (folded) queries
    assert any(q.startswith('"') for q in qs)
    assert any(len(q.split()) == 2 for q in qs)
    assert Counter(qs).most_common(1)[0][0] in {"lễ", "hội", "lễ hội", "người"}
