"""Search benchmark: N synthetic records in the real index, timed through the real service.

    python bench/search.py --db sqlite   --n 100000 --queries 300
    python bench/search.py --db postgres --n 100000 --queries 300
    python bench/search.py --db sqlite   --n 100000 --queries 300 --backend opensearch

``--backend opensearch`` also copies the same documents into an OpenSearch node
(``--opensearch-url``, default ``$OPENSEARCH_URL`` or http://127.0.0.1:9200; start one with
``scripts/opensearch.sh start``) with the zero-downtime rebuild (timed: documents per
second), then runs the same queries through the same service on both backends, side by
side, and reads the node's heap from ``_nodes/stats``.

Uses its own database (``/tmp/dss_bench.sqlite3`` or the ``dss_bench`` PostgreSQL database,
created if missing; ``--pg-url`` overrides). Records come from ``bench/search_corpus.py``
(Zipf vocabulary) and are bulk-inserted as real Wagtail pages (page, record and specific
rows, groups, provinces, former provinces, access levels, time-coded transcripts) without
going through publish, which would take hours at 100k. The index is then rebuilt with
``search.indexing.rebuild`` (the code behind ``manage.py update_index``) and timed.

Every query is drawn by frequency from ``sample_queries`` and run as an anonymous visitor,
so the access gate is part of every measurement. Each kind is compared with a raw
full-text SQL query on the same database in the same run (top 20 by the engine's rank,
no access gate, no facets, no snippets): the ratio is the service's overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Running "python bench/search.py" puts bench/ first on sys.path, where this file would
# shadow the ``search`` package: replace it with the project root.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

SQLITE_PATH = Path("/tmp/dss_bench.sqlite3")
PG_URL = "postgres://postgres@127.0.0.1:5432/dss_bench"
BATCH = 500


def configure(db: str, pg_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "heritage.settings.testing"
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        import psycopg

        admin = pg_url.rsplit("/", 1)[0] + "/postgres"
        name = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg_url
    import django

    django.setup()


# -- loading ----------------------------------------------------------------------------------


def _lookups():
    from archive.models import EthnicGroup, FormerProvince, Province
    from search.folding import fold

    groups = {g.code: g for g in EthnicGroup.objects.all()}
    provinces = {p.code: p for p in Province.objects.all()}
    former = {p.code: p for p in FormerProvince.objects.all()}
    by_name = {fold(g.name_vi): g for g in groups.values()}
    return groups, provinces, former, by_name


def _paths(parent, count: int) -> list[str]:
    from wagtail.models import Page

    start = parent.numchild
    return [Page._get_path(parent.path, parent.depth + 1, start + i + 1) for i in range(count)]


def load(n: int, seed: int) -> int:
    """Insert records until there are ``n``; returns how many were inserted."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from archive.models import CustomPage, FestivalPage, RecordingPage, RecordPage
    from archive.services.reference_data import load_reference_data
    from bench.search_corpus import generate
    from heritage.site_setup import ensure_site_tree, section

    existing = RecordPage.objects.count()
    if existing >= n:
        return 0
    load_reference_data()
    home = ensure_site_tree()
    models = {"festival": FestivalPage, "custom": CustomPage, "recording": RecordingPage}
    parents = {
        "festival": section(home, "festivals"),
        "custom": section(home, "customs"),
        "recording": section(home, "recordings"),
    }
    ctypes = {k: ContentType.objects.get_for_model(m) for k, m in models.items()}
    locale = Locale.get_default()
    groups, provinces, former, _ = _lookups()
    auth_groups = {}
    now = timezone.now()
    extra = {
        "festival": {"calendar": "lunar", "month": 1, "day_start": 15},
        "custom": {"category": "other"},
        "recording": {"genre": "song"},
    }
    records = list(generate(n, seed))[existing:]
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        with transaction.atomic():
            by_type: dict[str, list] = {}
            for rec in batch:
                by_type.setdefault(rec["type"], []).append(rec)
            for kind, recs in by_type.items():
                parent = Page.objects.get(pk=parents[kind].pk)
                paths = _paths(parent, len(recs))
                pages = []
                for rec, path in zip(recs, paths, strict=True):
                    slug = rec["accession"].lower()
                    pages.append(
                        Page(
                            title=rec["title_vi"],
                            title_vi=rec["title_vi"],
                            title_en=rec["title_en"],
                            draft_title=rec["title_vi"],
                            slug=slug,
                            content_type=ctypes[kind],
                            path=path,
                            depth=parent.depth + 1,
                            numchild=0,
                            url_path=f"{parent.url_path}{slug}/",
                            live=True,
                            locale=locale,
                            first_published_at=now,
                            last_published_at=now,
                        )
                    )
                Page.objects.bulk_create(pages)
                Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(recs))
                _insert_records(
                    kind,
                    models[kind],
                    recs,
                    pages,
                    groups,
                    provinces,
                    former,
                    auth_groups,
                    extra[kind],
                    Group,
                )
        print(f"  loaded {existing + start + len(batch)}/{n}", file=sys.stderr, flush=True)
    return len(records)


def _insert_records(kind, model, recs, pages, groups, provinces, former, auth_groups, extra, Group):
    from archive.models import RecordPage

    record_rows, specific_rows = [], []
    g_links, p_links, f_links, a_links = [], [], [], []
    for rec, page in zip(recs, pages, strict=True):
        access = {"restricted": "groups", "private": "closed"}.get(rec["access_level"], "public")
        body = json.dumps(
            [{"type": "paragraph", "value": f"<p>{rec['body']}</p>", "id": str(uuid.uuid4())}],
            ensure_ascii=False,
        )
        record = model(
            page_ptr_id=page.pk,
            summary_vi=rec["summary"],
            summary=rec["summary"],
            body_vi=body,
            body=body,
            body_en="[]",
            accession_number=rec["accession"],
            access_level=access,
            date_precision="year",
            date_year=rec["decade"] + random.Random(page.pk).randint(0, 9),
            is_demo=True,
            **extra,
        )
        if kind == "recording":
            record.language = rec["language"][:3]
            record.transcript = (
                "\n".join(
                    f"[{s['start_s']:.1f}-{s['end_s']:.1f}] {s['text']}" for s in rec["segments"]
                )
                if "transcript" in rec["has"]
                else ""
            )
        record.recordpage_ptr_id = page.pk
        record_rows.append(record)
        specific_rows.append(record)
        for code in rec["groups"]:
            if code in groups:
                g_links.append((page.pk, groups[code].pk))
        if rec["former_province"] and rec["former_province"] in former:
            f_links.append((page.pk, former[rec["former_province"]].pk))
        elif rec["province"] in provinces:
            p_links.append((page.pk, provinces[rec["province"]].pk))
        for name in rec["allowed_groups"]:
            if name not in auth_groups:
                auth_groups[name] = Group.objects.get_or_create(name=f"bench {name}")[0]
            a_links.append((page.pk, auth_groups[name].pk))
    _raw_insert(RecordPage, record_rows)
    _raw_insert(model, specific_rows)
    through = RecordPage.ethnic_groups.through
    through.objects.bulk_create([through(recordpage_id=r, ethnicgroup_id=g) for r, g in g_links])
    through = RecordPage.provinces.through
    through.objects.bulk_create([through(recordpage_id=r, province_id=p) for r, p in p_links])
    through = RecordPage.former_provinces.through
    through.objects.bulk_create([through(recordpage_id=r, formerprovince_id=p) for r, p in f_links])
    through = RecordPage.allowed_groups.through
    through.objects.bulk_create([through(recordpage_id=r, group_id=g) for r, g in a_links])


def _raw_insert(model, objs) -> None:
    """Insert only ``model``'s own table rows (bulk_create refuses multi-table models)."""
    fields = [f for f in model._meta.local_concrete_fields]
    model._base_manager._insert(objs, fields=fields, using="default")


# -- timing -----------------------------------------------------------------------------------


def _time(fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def raw_fts(parsed, limit=20, prefix=False, column=None):
    """The naive floor: the engine's own top-N by rank, nothing else."""
    from django.db import connection

    from search.query_parser import fts5_match_expression, pg_tsquery

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            expr = fts5_match_expression(parsed, prefix=prefix, columns=(column,) if column else ())
            if not expr:
                return []
            cursor.execute(
                "SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s "
                "ORDER BY bm25(search_document_fts) LIMIT %s",
                [expr, limit],
            )
        else:
            q = pg_tsquery(parsed, prefix=prefix)
            if not q:
                return []
            cursor.execute(
                "SELECT record_id FROM search_searchdocument, to_tsquery('simple', %s) q "
                "WHERE search_fts @@ q ORDER BY ts_rank(search_fts, q) DESC LIMIT %s",
                [q, limit],
            )
        return cursor.fetchall()


def run_queries(
    count: int, seed: int, *, raw_floor: bool = True, warmup: int = 5
) -> dict[str, dict[str, float]]:
    from django.contrib.auth.models import AnonymousUser

    from bench.search_corpus import sample_queries
    from search.query_parser import parse_query
    from search.service import search
    from search.suggest import suggest

    anon = AnonymousUser()
    rng = random.Random(seed)
    queries = sample_queries(count, seed)
    facet_values = _facet_values()
    kinds = ("plain", "3 facets", "suggestions", "transcript")
    timings: dict[str, list[float]] = {k: [] for k in kinds}
    raw: dict[str, list[float]] = {k: [] for k in kinds}
    # Warm caches, connections and (for an engine) the JVM's compiled code with other
    # queries than the timed ones.
    for q in sample_queries(warmup, seed + 1000) if warmup > 5 else queries[:warmup]:
        search(q, {}, anon, "vi")
        search(q, {"has": ["transcript"]}, anon, "vi")
        suggest(q[:3], anon, "vi")
    for q in queries:
        parsed = parse_query(q)
        filters = {
            "group": [rng.choice(facet_values["group"])],
            "type": [rng.choice(["festival", "custom", "recording"])],
            "decade": [rng.choice(facet_values["decade"])],
        }
        prefix = q[: max(2, min(len(q), rng.randint(2, 6)))]
        transcript_filters = {"has": ["transcript"]}
        timings["plain"].append(_time(search, q, {}, anon, "vi"))
        timings["3 facets"].append(_time(search, q, filters, anon, "vi"))
        timings["suggestions"].append(_time(suggest, prefix, anon, "vi"))
        timings["transcript"].append(_time(search, q, transcript_filters, anon, "vi"))
        if raw_floor:  # the database engine's own top N, for the overhead ratio
            raw["plain"].append(_time(raw_fts, parsed))
            raw["3 facets"].append(_time(raw_fts, parsed))
            pp = parse_query(prefix)
            raw["suggestions"].append(
                _time(raw_fts, pp, limit=8, prefix=True, column="title_folded")
            )
            raw["transcript"].append(_time(raw_fts, parsed))
    out = {}
    for kind in kinds:
        p50, p95 = _pct(timings[kind], 50), _pct(timings[kind], 95)
        if not raw_floor:
            out[kind] = {"p50": p50, "p95": p95, "mean": statistics.fmean(timings[kind])}
            continue
        r50, r95 = _pct(raw[kind], 50), _pct(raw[kind], 95)
        out[kind] = {
            "p50": p50,
            "p95": p95,
            "raw_p50": r50,
            "raw_p95": r95,
            "ratio_p50": p50 / r50 if r50 else 0,
            "ratio_p95": p95 / r95 if r95 else 0,
            "mean": statistics.fmean(timings[kind]),
        }
    return out


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_build() -> dict:
    """Build the in-memory copy of the index now: its time, its arrays, and the process's
    resident memory before, at the peak of the build (peak reset first) and after."""
    import gc

    from search.memory.index import warm

    gc.collect()
    before = _status_mb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # restart the VmHWM peak here
    except OSError:
        pass
    started = time.perf_counter()
    snap = warm()
    seconds = time.perf_counter() - started
    gc.collect()
    return {
        "memory_build_s": seconds,
        "memory_arrays_mb": snap.nbytes / 2**20,
        "rss_before_build_mb": before,
        "rss_peak_during_build_mb": _status_mb("VmHWM"),
        "rss_after_build_mb": _status_mb("VmRSS"),
    }


def after_edit() -> dict[str, float]:
    """The first search after an edit: one document changes, the next query catches up."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from search.cache import bump
    from search.models import SearchDocument
    from search.service import search

    timings = []
    pks = list(SearchDocument.objects.order_by("?").values_list("pk", flat=True)[:5])
    for pk in pks:
        SearchDocument.objects.filter(pk=pk).update(updated_at=timezone.now())
        bump()
        timings.append(_time(search, "lễ hội", {"group": ["tay"]}, AnonymousUser(), "vi"))
    return {"p50": _pct(timings, 50), "max": max(timings)}


def opensearch_run(url: str, queries: int, seed: int, warmup: int) -> dict:
    """Copy the documents into the node (the zero-downtime rebuild), then the same queries
    through the same service with SEARCH_BACKEND=opensearch."""
    from django.conf import settings

    from search.es.client import engine

    settings.SEARCH_BACKEND = "opensearch"
    settings.OPENSEARCH_URL = url
    settings.SEARCH_INDEX_ALIAS = "dss-bench"
    settings.SEARCH_ENGINE_TIMEOUT = 60
    try:
        from search.es.sync import rebuild_index

        eng = engine()
        heap_before = eng.heap()
        index = rebuild_index(
            progress=lambda d, t: d % 20000 == 0 and print(f"  opensearch {d}/{t}", file=sys.stderr)
        )
        stats = eng.client.indices.stats(index=index["index"], metric="store")
        report = {
            "index": index["index"],
            "indexed": index["count"],
            "index_s": index["seconds"],
            "docs_per_s": index["docs_per_s"],
            "store_mb": stats["_all"]["primaries"]["store"]["size_in_bytes"] / 2**20,
            "heap_before_mb": heap_before["heap_used_bytes"] / 2**20,
            "heap_after_index_mb": eng.heap()["heap_used_bytes"] / 2**20,
        }
        report["warmup_queries"] = warmup
        report["queries"] = run_queries(queries, seed, raw_floor=False, warmup=warmup)
        heap = eng.heap()
        report["heap_after_queries_mb"] = heap["heap_used_bytes"] / 2**20
        report["heap_max_mb"] = heap["heap_max_bytes"] / 2**20
        return report
    finally:
        settings.SEARCH_BACKEND = "database"


def _facet_values():
    from search.models import SearchFacetValue

    values = {}
    for name in ("group", "decade"):
        values[name] = list(
            SearchFacetValue.objects.filter(facet=name).values_list("value", flat=True).distinct()
        )
    return values


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--fresh", action="store_true", help="start from an empty database")
    ap.add_argument("--skip-rebuild", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--backend",
        choices=("database", "opensearch"),
        default="database",
        help="opensearch: also run every query on an OpenSearch node, beside the database",
    )
    ap.add_argument(
        "--engine-warmup",
        type=int,
        default=200,
        help="untimed queries (other than the timed ones) before timing the engine",
    )
    ap.add_argument(
        "--opensearch-url", default=os.environ.get("OPENSEARCH_URL") or "http://127.0.0.1:9200"
    )
    ap.add_argument(
        "--no-cache", action="store_true", help="time every query cold (SEARCH_CACHE_SECONDS=0)"
    )
    ap.add_argument(
        "--no-memory",
        action="store_true",
        help="SQL only: no in-memory copy of the index (SEARCH_MEMORY_INDEX=False)",
    )
    args = ap.parse_args(argv)
    if args.fresh and args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    configure(args.db, args.pg_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    if args.no_cache:
        settings.SEARCH_CACHE_SECONDS = 0
    settings.SEARCH_MEMORY_INDEX = not args.no_memory
    settings.SEARCH_BACKEND = "database"  # the engine run below switches it itself
    started = time.perf_counter()
    inserted = load(args.n, args.seed)
    load_s = time.perf_counter() - started
    report = {
        "db": connection.vendor,
        "n": args.n,
        "inserted": inserted,
        "load_s": load_s,
        "cache": not args.no_cache,
    }
    if not args.skip_rebuild:
        from search.indexing import rebuild

        count, seconds = rebuild(
            progress=lambda d, t: d % 10000 == 0 and print(f"  indexed {d}/{t}", file=sys.stderr)
        )
        report.update(indexed=count, rebuild_s=seconds)
    if not args.no_memory:
        report.update(memory_build())
    report["queries"] = run_queries(args.queries, args.seed)
    if not args.no_memory:
        report["after_edit_ms"] = after_edit()
    if args.backend == "opensearch":
        report["opensearch"] = opensearch_run(
            args.opensearch_url, args.queries, args.seed, args.engine_warmup
        )
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
