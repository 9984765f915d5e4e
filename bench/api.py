"""JSON API benchmark: p95 of record list and record detail at N records, against the same
answers as HTML pages and as raw ORM reads, in the same run.

    python bench/api.py --n 100000 --requests 200

Uses its own SQLite database (``/tmp/dss_bench_api.sqlite3``; ``--db-path`` overrides); a
copy of ``bench/oai.py``'s database saves the load. Records are bulk-inserted by
``bench/search.py``'s loader (the same synthetic corpus: public, restricted and closed
records, groups, current and former provinces) when the database holds fewer than N.

Every request is anonymous, through Django's test client (middleware, gate, JSON), with
the rate limit off, and the caches emptied before each run (the API and the search page
share the search service's answer cache):

- list: ``/api/v1/records?page=k`` (20 a page, R distinct pages spread over the 500 a
  list may have, plain and with a group filter) against the same page of the HTML search
  page (``/vi/search/?page=k``), which asks the same search service;
- detail: ``/api/v1/records/<accession>`` for R public records drawn at random, against
  the record's HTML page and against a raw ORM read of the same record through the gate
  (the row, its groups and provinces: no media, no JSON).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

from bench.oai import _pct, configure  # noqa: E402  (after the path fix)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def get_ok(client, url, params=None):
    def call():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)

    return call


def raw_detail(accession: str):
    def call():
        from django.contrib.auth.models import AnonymousUser

        from archive.access import visible_records_q
        from archive.models import RecordPage

        record = RecordPage.objects.filter(
            visible_records_q(AnonymousUser()), accession_number=accession
        ).first()
        list(record.ethnic_groups.values_list("code", "name"))
        list(record.provinces.values_list("code", "name"))

    return call


def cold() -> None:
    from django.core.cache import cache

    from search.cache import clear

    clear()
    cache.clear()


def row(label: str, times: list[float]) -> str:
    p50, p95 = statistics.median(times) * 1000, _pct(times, 95) * 1000
    return f"{label:52} {len(times):>5} {p50:>8.1f} {p95:>8.1f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--db-path", type=Path, default=Path("/tmp/dss_bench_api.sqlite3"))
    args = ap.parse_args(argv)

    configure(args.db_path)
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    from archive.access import visible_records_q
    from archive.models import EthnicGroup, RecordPage
    from bench.search import load

    inserted = load(args.n, args.seed)
    settings.DSS_API_RATE_PER_MINUTE = 0
    settings.DSS_SEARCH_RATE_PER_MINUTE = 0
    public = RecordPage.objects.filter(visible_records_q(AnonymousUser()))
    total, shown = RecordPage.objects.count(), public.count()
    print(f"records: {total} (inserted now: {inserted}), {shown} visible to the public")
    group = (
        EthnicGroup.objects.filter(records__in=public.values("pk"))
        .values_list("slug", flat=True)
        .first()
    )
    rng = random.Random(args.seed)
    picks = rng.sample(list(public.values_list("accession_number", "url_path")), args.requests)
    pages = [1 + (i * 7) % 500 for i in range(args.requests)]  # distinct pages, spread out
    client = Client()
    client.get("/api/v1/records")  # warm-up: the search copy, caches, URL resolvers
    client.get("/vi/search/")

    runs = [
        ("API list /api/v1/records?page=k",
         [get_ok(client, "/api/v1/records", {"page": p}) for p in pages]),
        ("  HTML search page ?page=k (baseline)",
         [get_ok(client, "/vi/search/", {"page": p}) for p in pages]),
        (f"API list ?group={group}&page=k",
         [get_ok(client, "/api/v1/records", {"group": group, "page": p}) for p in pages]),
        (f"  HTML search page ?group={group}&page=k (baseline)",
         [get_ok(client, "/vi/search/", {"group": group, "page": p}) for p in pages]),
        ("API detail /api/v1/records/<accession>",
         [get_ok(client, f"/api/v1/records/{acc}") for acc, _ in picks]),
        ("  HTML record page (baseline)",
         [get_ok(client, RecordPage.objects.get(accession_number=acc).url) for acc, _ in picks]),
        ("  raw ORM read through the gate (baseline)", [raw_detail(acc) for acc, _ in picks]),
    ]  # fmt: skip
    print(f"\n{'request (anonymous)':52} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for label, calls in runs:
        cold()  # no run finds the answers of the one before in a cache
        print(row(label, [timed(call) for call in calls]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
