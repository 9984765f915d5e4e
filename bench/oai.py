"""OAI-PMH benchmark: ListRecords / ListIdentifiers pages at N records, through the real
endpoint, against a raw SQL select of the same pages in the same run.

    python bench/oai.py --n 100000 --pages 200

Uses its own SQLite database (``/tmp/dss_bench_oai.sqlite3``; ``--db-path`` overrides).
Records are bulk-inserted as real Wagtail pages by ``bench/search.py``'s loader (the same
synthetic corpus: public, restricted and closed records, groups, current and former
provinces), then the OAI log is filled by ``search.oai.log.refresh_all`` (the code behind
``manage.py oai_log_refresh``, timed) and its datestamps spread over two years, as an
archive that grew over time would have them.

Each page is one request through Django's test client, anonymous, following resumption
tokens from the start of the list: the endpoint re-checks the access gate for the records
of each page, loads them and writes oai_dc XML. The baseline is the same page as one raw
SQL select (log rows joined to the record and page tables, same (datestamp, id) cursor, the
columns the description needs, no gate, no XML).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

SPREAD_SECONDS = 2 * 365 * 24 * 3600


def configure(path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "heritage.settings.testing"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()


def _pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fill_log() -> tuple[int, float]:
    from django.db import connection

    from search.models import OaiRecordLog
    from search.oai.log import refresh_all

    started = time.perf_counter()
    if not OaiRecordLog.objects.exists():
        refresh_all()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:  # spread datestamps (deterministic) over two years
        cursor.execute(
            "UPDATE search_oairecordlog SET datestamp = strftime('%%Y-%%m-%%d %%H:%%M:%%S', "
            "'2024-01-01', '+' || ((record_id * 7919) %% %s) || ' seconds')",
            [SPREAD_SECONDS],
        )
    return OaiRecordLog.objects.count(), seconds


def rarest_group() -> tuple[str, int]:
    """The ethnic group with the fewest public records (at least one): a set whose pages
    the (datestamp, id) walk has to search far for."""
    from archive.models import EthnicGroup
    from search.models import OaiRecordLog

    counts = []
    for slug in EthnicGroup.objects.values_list("slug", flat=True):
        found = OaiRecordLog.objects.filter(set_specs__contains=f"|group:{slug}|").count()
        if found:
            counts.append((found, slug))
    found, slug = min(counts)
    return slug, found


def walk(client, params: dict, pages: int) -> tuple[list[float], list[tuple]]:
    """Time ``pages`` pages of one list; returns the times and each page's cursor."""
    from lxml import etree

    ns = {"oai": "http://www.openarchives.org/OAI/2.0/"}
    times, cursors, query = [], [], dict(params)
    from search.oai.protocol import ListRequest

    for _ in range(pages):
        started = time.perf_counter()
        response = client.get("/oai", query)
        times.append(time.perf_counter() - started)
        tree = etree.fromstring(response.content)
        assert not tree.findall("oai:error", ns), response.content[:300]
        cursors.append(query.get("resumptionToken"))
        token = tree.findtext(".//oai:resumptionToken", namespaces=ns)
        if not token:
            break
        query = {"verb": params["verb"], "resumptionToken": token}
    decoded = []
    for token in cursors:
        after = ListRequest.from_token(token, params["verb"]).after if token else None
        decoded.append(after)
    return times, decoded


def baseline(params: dict, cursors, page_size: int) -> list[float]:
    """The same pages as one select each: same filters, same cursor, no gate, no XML."""
    from django.db import connection

    where, args = [], []
    if params.get("set"):
        where.append("(l.set_specs LIKE %s OR l.set_specs LIKE %s)")
        args += [f"%|{params['set']}|%", f"%|{params['set']}:%"]
    if params.get("from"):
        where.append("l.datestamp >= %s")
        args.append(params["from"])
    sql = (
        "SELECT l.id, l.accession, l.datestamp, l.set_specs, p.title_vi, p.title_en, "
        "r.summary_vi, r.summary_en, r.date_year, r.rights_statement, r.licence "
        "FROM search_oairecordlog l JOIN archive_recordpage r ON r.page_ptr_id = l.record_id "
        "JOIN wagtailcore_page p ON p.id = l.record_id "
        "WHERE (l.datestamp > %s OR (l.datestamp = %s AND l.id > %s)) "
        + "".join(f"AND {clause} " for clause in where)
        + "ORDER BY l.datestamp, l.id LIMIT %s"
    )
    times = []
    with connection.cursor() as cursor:
        for after in cursors:
            moment, last = (after[0].replace("T", " ")[:19], after[1]) if after else ("", 0)
            started = time.perf_counter()
            cursor.execute(sql, [moment, moment, last, *args, page_size + 1])
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--page-size", type=int, default=100)
    ap.add_argument("--db-path", type=Path, default=Path("/tmp/dss_bench_oai.sqlite3"))
    args = ap.parse_args(argv)

    configure(args.db_path)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    from bench.search import load

    started = time.perf_counter()
    inserted = load(args.n, args.seed)
    load_s = time.perf_counter() - started
    rows, fill_s = fill_log()
    settings.DSS_OAI_PAGE_SIZE = args.page_size
    client = Client()
    from search.models import OaiRecordLog
    from search.oai.protocol import datestamp

    public = OaiRecordLog.objects.filter(public=True).count()
    print(f"records: {args.n} (inserted now: {inserted}, {load_s:.0f} s); "
          f"log rows: {rows} ({public} public), filled in {fill_s:.1f} s")  # fmt: skip

    middle = datestamp(
        OaiRecordLog.objects.order_by("datestamp").values_list("datestamp", flat=True)[rows // 2]
    )[:10]
    rare = rarest_group()
    runs = [
        ("ListRecords oai_dc", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
        ("ListIdentifiers", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}),
        ("ListRecords set=type:festival",
         {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:festival"}),
        (f"ListIdentifiers set=group:{rare[0]} ({rare[1]})",
         {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": f"group:{rare[0]}"}),
        (f"ListRecords from={middle} (half)",
         {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": middle}),
    ]  # fmt: skip
    print()
    head = f"list (page of {args.page_size})"
    print(f"{head:44} {'pages':>5} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'SQL p95':>8} "
          f"{'p50 ratio':>9} {'p95 ratio':>9}")  # fmt: skip
    for label, params in runs:
        client.get("/oai", params)  # warm-up
        times, cursors = walk(client, params, args.pages)
        raw = baseline(params, cursors, args.page_size)
        p50, raw50 = statistics.median(times) * 1000, statistics.median(raw) * 1000
        p95, raw95 = _pct(times, 95) * 1000, _pct(raw, 95) * 1000
        print(
            f"{label:44} {len(times):>5} {p50:>8.1f} {p95:>8.1f} {raw50:>8.2f} {raw95:>8.2f} "
            f"{p50 / raw50:>8.0f}x {p95 / raw95:>8.0f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
