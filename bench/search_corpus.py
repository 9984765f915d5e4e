"""Deterministic synthetic corpus and query log for search benchmarks.

    python bench/search_corpus.py --n 100000 --seed 1 --out /tmp/corpus.jsonl
    python bench/search_corpus.py --queries 1000 --seed 1

Text is drawn from a Zipf distribution over a fixed-rank syllable vocabulary:
very common Vietnamese syllables (lễ, hội, người, dân, tộc…) at the top,
ethnonyms and province names in the middle, then a long tail of generated
but pronounceable syllables.  Records are produced by a generator so 100 000
of them never sit in memory.  Data lists are read from ``bench/data`` (or a
directory passed in): the bench never reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `search` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.folding import fold

DATA_DIR = Path(__file__).with_name("data")
ZIPF_S = 1.07

# Rank order matters: index 0 is the most frequent syllable.
COMMON = (
    "lễ hội người dân tộc làng mùa của và là có các những trong được cho với một "
    "không đã này ở năm ngày tháng bản nhà thờ cúng tổ tiên lúa mới nước núi rừng "
    "sông suối đồng ruộng trâu gà lợn rượu cần cơm xôi bánh trống chiêng cồng khèn "
    "múa hát ca dao truyện cổ tích thầy mo thần linh trời đất mẹ cha con cháu già "
    "trẻ trai gái vợ chồng cưới hỏi tang ma sinh tên sàn rông bếp lửa dệt vải thổ "
    "cẩm áo váy khăn bạc vòng cầu mưa mùa xuân tết đầu xuống cày cấy gặt hái kho "
    "bà con vùng cao tây nguyên miền núi phía bắc nam đông trung du biển đảo chợ "
    "phiên ngôi đền chùa miếu đình tháp lời khấn bài ca nghi thức tục lệ truyền "
    "thống văn hóa di sản phi vật thể ghi âm kể chuyện hát ru then sli lượn"
).split()
ETHNONYM_RANK_START = 120  # ethnonym/province syllables are inserted here

_ONSETS = "b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x".split()
_RIMES = (
    "a ai am an ang anh ao au ay ă ăm ăn ăng â âm ân âng âu ây e em en eng eo ê êm "
    "ên ênh êu i ia im in inh iu iêm iên iêng iêu o oa oai oan oang oanh oe oi om on "
    "ong ô ôi ôm ôn ông ơ ơi ơm ơn u ua ui um un ung uôi uôm uôn uông uy uyên ư ưa "
    "ưi ưng ươi ươn ương ươu"
).split()
_TONE_MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


@dataclass(frozen=True, slots=True)
class Group:
    code: str
    name_vi: str
    name_en: str
    iso: str
    population: int


@dataclass(frozen=True, slots=True)
class Province:
    old_code: str
    old_name: str
    new_code: str
    new_name: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def load_groups(data_dir: Path = DATA_DIR) -> tuple[Group, ...]:
    return tuple(
        Group(r["code"], r["name_vi"], r["name_en"], r["iso639_3"], int(r["population_2019"]))
        for r in _read_csv(data_dir / "ethnic_groups.csv")
    )


@cache
def load_provinces(data_dir: Path = DATA_DIR) -> tuple[Province, ...]:
    return tuple(
        Province(r["old_code"], r["old_name_vi"], r["new_code_2025"], r["new_name_vi"])
        for r in _read_csv(data_dir / "provinces.csv")
    )


def _tone_position(rime: str) -> int:
    """Index of the vowel carrying the tone (new-style placement)."""
    vowels = [i for i, c in enumerate(rime) if c in "aăâeêioôơuưy"]
    hatted = [i for i in vowels if rime[i] in "ăâêôơư"]
    if hatted:
        return hatted[-1]  # ườ, iề, uô -> the marked vowel
    if vowels[-1] < len(rime) - 1 or rime in ("oa", "oe", "uy"):
        return vowels[-1]  # closed syllable (oan, anh) or new-style oa/oe/uy
    return vowels[0]  # open diphthong: ai, ao, ia, ua


def _tail_syllables(limit: int) -> list[str]:
    out = []
    for onset, rime, tone in itertools.product(_ONSETS, _RIMES, _TONE_MARKS):
        if onset == "gi" and rime.startswith("i"):
            continue  # "giinh" is not a spelling
        i = _tone_position(rime) + 1
        out.append(unicodedata.normalize("NFC", onset + rime[:i] + tone + rime[i:]))
    random.Random(20240601).shuffle(out)  # fixed: the rank order never varies
    return out[:limit]


@cache
def vocabulary(data_dir: Path = DATA_DIR, tail: int = 4000) -> tuple[str, ...]:
    """Syllables in rank order (most frequent first)."""
    names = [g.name_vi for g in load_groups(data_dir)]
    names += sorted({p.old_name for p in load_provinces(data_dir)})
    name_syllables = [s for n in names for s in n.replace("-", " ").split()]
    ordered = [
        *COMMON[:ETHNONYM_RANK_START],
        *name_syllables,
        *COMMON[ETHNONYM_RANK_START:],
        *_tail_syllables(tail),
    ]
    return tuple(dict.fromkeys(ordered))  # first occurrence fixes the rank


@cache
def _cum_weights(n: int, s: float = ZIPF_S) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / (r**s) for r in range(1, n + 1)))


class _Zipf:
    def __init__(self, vocab: tuple[str, ...], rng: random.Random) -> None:
        self.vocab = vocab
        self.cum = _cum_weights(len(vocab))
        self.total = self.cum[-1]
        self.rng = rng

    def words(self, k: int) -> list[str]:
        rnd, cum, total, vocab = self.rng.random, self.cum, self.total, self.vocab
        return [vocab[bisect.bisect(cum, rnd() * total)] for _ in range(k)]


def _sentences(z: _Zipf, rng: random.Random, n_words: int, inserts: list[str]) -> str:
    words = z.words(n_words)
    for name in inserts:  # the record's own group/province appear in its text
        words.insert(rng.randrange(len(words) + 1), name)
    out, i = [], 0
    while i < len(words):
        k = rng.randint(8, 16)
        chunk = words[i : i + k]
        out.append(chunk[0][:1].upper() + chunk[0][1:] + " " + " ".join(chunk[1:]) + ".")
        i += k
    return " ".join(s.replace(" .", ".") for s in out)


_TITLES = {
    "festival": ("Lễ hội {w} của người {g}", "Lễ {w} ở {p}", "Hội {w} {g} tại {p}"),
    "custom": ("Tục {w} của người {g}", "Nghi lễ {w} ở {p}", "Phong tục {w} {g}"),
    "recording": ("Ghi âm hát {w} {g}", "Bài khấn {w} - {p}", "Kể chuyện {w} người {g}"),
}
_EN = {"festival": "Festival", "custom": "Custom", "recording": "Recording"}
_MEDIA = {
    "festival": ("image", "video", "text"),
    "custom": ("text", "image"),
    "recording": ("audio", "video"),
}


def generate(n: int, seed: int = 0, data_dir: Path = DATA_DIR) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic records, identical for identical (n, seed)."""
    rng = random.Random(seed)
    z = _Zipf(vocabulary(data_dir), rng)
    groups = load_groups(data_dir)
    # bigger groups have more material, but flatten so small groups appear
    gweights = [g.population**0.35 for g in groups]
    provinces = load_provinces(data_dir)
    current = sorted({(p.new_code, p.new_name) for p in provinces})
    former = [p for p in provinces if p.old_code != p.new_code or p.old_name != p.new_name]
    decades = list(range(1950, 2030, 10))
    dweights = [1, 1, 2, 3, 4, 6, 8, 9]
    for i in range(n):
        rtype = rng.choices(("festival", "custom", "recording"), (35, 35, 30))[0]
        grp = rng.choices(groups, gweights, k=2 if rng.random() < 0.2 else 1)
        grp = list(dict.fromkeys(grp))
        former_p = rng.choice(former) if rng.random() < 0.25 else None
        code, pname = (former_p.new_code, former_p.old_name) if former_p else rng.choice(current)
        topic = " ".join(z.words(rng.randint(1, 2)))
        title = rng.choice(_TITLES[rtype]).format(w=topic, g=grp[0].name_vi, p=pname)
        body = _sentences(z, rng, rng.randint(80, 200), [grp[0].name_vi, pname])
        summary = _sentences(z, rng, rng.randint(15, 35), [grp[0].name_vi])
        media = rng.choice(_MEDIA[rtype])
        has: list[str] = []
        segments: list[dict[str, Any]] = []
        if rtype == "recording":
            segments = _segments(z, rng, grp[0].iso)
            if rng.random() < 0.7:
                has.append("transcript")
            if media == "video" and rng.random() < 0.5:
                has.append("captions")
        r = rng.random()
        access = "public" if r < 0.85 else "restricted" if r < 0.97 else "private"
        allowed = (
            [rng.choice(["researchers", f"community-{grp[0].code}"])]
            if access == "restricted"
            else []
        )
        yield {
            "accession": f"DS-{seed}-{i:07d}",
            "type": rtype,
            "title_vi": title,
            "title_en": f"{_EN[rtype]} of the {grp[0].name_en} ({fold(pname).title()})",
            "summary": summary,
            "body": body,
            "groups": [g.code for g in grp],
            "group_names": [g.name_vi for g in grp],
            "province": code,
            "former_province": former_p.old_code if former_p else None,
            "media": media,
            "language": grp[0].iso if rng.random() < 0.7 else "vie",
            "decade": rng.choices(decades, dweights)[0],
            "access_level": access,
            "allowed_groups": allowed,
            "has": has,
            "segments": segments,
        }


def _segments(z: _Zipf, rng: random.Random, lang: str) -> list[dict[str, Any]]:
    out, t = [], 0.0
    for _ in range(rng.randint(5, 30)):
        dur = round(rng.uniform(3, 20), 1)
        out.append(
            {
                "start_s": round(t, 1),
                "end_s": round(t + dur, 1),
                "text": " ".join(z.words(rng.randint(5, 25))),
                "lang": lang if rng.random() < 0.6 else "vie",
            }
        )
        t += dur + round(rng.uniform(0, 2), 1)
    return out


def to_es_doc(rec: dict[str, Any]) -> dict[str, Any]:
    """Shape a record for the ``records`` index mapping (search.es.mappings)."""
    provinces_former = [rec["former_province"]] if rec["former_province"] else []
    return {
        "accession": rec["accession"],
        "type": rec["type"],
        "url": f"/records/{rec['accession']}/",
        "title_vi": rec["title_vi"],
        "title_en": rec["title_en"],
        "summary_vi": rec["summary"],
        "body_vi": rec["body"],
        "names": rec["group_names"],
        "ethnic_groups": rec["groups"],
        "provinces": [rec["province"]],
        "provinces_former": provinces_former,
        "media": rec["media"],
        "language": rec["language"],
        "decade": rec["decade"],
        "has": rec["has"],
        "access_level": rec["access_level"],
        "allowed_groups": rec["allowed_groups"],
        "transcript": " ".join(s["text"] for s in rec["segments"]),
        "segments": rec["segments"],
    }


_PHRASES = ("lễ hội", "dân tộc", "nhà sàn", "cồng chiêng", "tổ tiên", "lúa mới", "rượu cần")


def sample_queries(n: int, seed: int = 0, data_dir: Path = DATA_DIR) -> list[str]:
    """A query log drawn by frequency: common terms, two-word phrases,
    tone-less (folded) variants, ethnonyms/provinces, rare tail terms and
    some quoted phrases."""
    rng = random.Random(f"queries-{seed}")
    vocab = vocabulary(data_dir)
    z = _Zipf(vocab, rng)
    names = [g.name_vi for g in load_groups(data_dir)] + [
        p.old_name for p in load_provinces(data_dir)
    ]
    out = []
    for _ in range(n):
        kind = rng.choices(
            ("common", "two", "folded", "name", "rare", "quoted"), (30, 22, 18, 15, 10, 5)
        )[0]
        if kind == "common":
            q = z.words(1)[0]
        elif kind == "two":
            q = rng.choice(_PHRASES) if rng.random() < 0.4 else " ".join(z.words(2))
        elif kind == "folded":
            q = fold(rng.choice([" ".join(z.words(rng.randint(1, 3))), rng.choice(names)]))
        elif kind == "name":
            q = rng.choice(names)
        elif kind == "rare":
            q = vocab[rng.randrange(len(vocab) // 2, len(vocab))]
        else:
            q = f'"{rng.choice(_PHRASES)}" {z.words(1)[0]}'
        out.append(q)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--out", type=Path, help="JSON lines file (default stdout)")
    ap.add_argument("--es", action="store_true", help="emit documents shaped for the ES mapping")
    ap.add_argument("--queries", type=int, help="print N sample queries instead")
    args = ap.parse_args(argv)
    if args.queries:
        for q in sample_queries(args.queries, args.seed, args.data_dir):
            print(q)
        return 0
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        for rec in generate(args.n, args.seed, args.data_dir):
            out.write(json.dumps(to_es_doc(rec) if args.es else rec, ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
