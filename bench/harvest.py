"""Harvest benchmark: one instance harvests another over OAI-PMH, as two processes with two
SQLite databases.

    python bench/harvest.py --n 10000
    python bench/harvest.py --n 2000 --db postgres   # the harvesting side on PostgreSQL

The source instance (``runserver`` on its own database, ``/tmp/dss_bench_harvest_src``) is
filled by ``bench/search.py``'s loader (public, restricted and closed records) and its OAI
log by ``bench/oai.py``'s ``fill_log``. The harvesting instance (this process, database
``/tmp/dss_bench_harvest_dst``, or with ``--db postgres`` the database
``dss_bench_harvest`` of the server at ``PG_TEST_URL``, dropped and made again; start it
with ``bash scripts/postgres.sh start``) runs ``archive.exchange.harvest.harvest`` — the code behind
``manage.py harvest`` — for a full harvest, then again after the source changed 100 records
(titles edited and published, in another process). Baseline in the same run: the same
ListRecords pages fetched and parsed (``fetch.get`` + ``parse_page``) without applying.
Then ``apply_records`` alone, on made-up items in pages of 100 from a second peer: creates,
updates, deletions, in milliseconds per record.

Settings are the test settings: tasks run inline, so the figures include the work a
production site leaves to its task worker (the search reindex, Wagtail's reference index
and admin search index of each page).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
SRC = Path("/tmp/dss_bench_harvest_src.sqlite3")
DST = Path("/tmp/dss_bench_harvest_dst.sqlite3")


PG_SERVER = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/dss")
PG_DST = PG_SERVER.rsplit("/", 1)[0] + "/dss_bench_harvest"


def configure(database: Path | str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "heritage.settings.testing"
    os.environ["DATABASE_URL"] = database if isinstance(database, str) else f"sqlite:///{database}"
    import django

    django.setup()


def prepare_source(n: int) -> None:
    configure(SRC)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bench.oai import fill_log
    from bench.search import load

    load(n, 1)
    fill_log()


def change_source(count: int) -> None:
    configure(SRC)
    from archive.models import RecordPage
    from search.models import OaiRecordLog

    ids = OaiRecordLog.objects.filter(public=True).values_list("record_id", flat=True)[:count]
    for page in RecordPage.objects.filter(pk__in=list(ids)).specific():
        page.title_vi = f"{page.title_vi} (sửa)"
        page.title = page.title_vi
        page.save_revision().publish()


def fresh_postgres_database() -> str:
    """An empty database for the harvesting side (the bench's own, never the tests')."""
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dss_bench_harvest")
        conn.execute("CREATE DATABASE dss_bench_harvest")
    return PG_DST


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_source(port: int):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings.testing",
           "DATABASE_URL": f"sqlite:///{SRC}"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the source instance did not start")


def raw_walk(url: str, since: str | None) -> tuple[int, float]:
    from archive.exchange import fetch
    from archive.exchange.oai import parse_page

    started = time.perf_counter()
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    if since:
        params["from"] = since
    items = 0
    while True:
        page = parse_page(fetch.get(url, params))
        items += len(page.items)
        if not page.token:
            return items, time.perf_counter() - started
        params = {"verb": "ListRecords", "resumptionToken": page.token}


def apply_alone(count: int, page: int = 100) -> list[tuple[str, int, float]]:
    """``apply_records`` on made-up items: ``count`` creates, updates, then deletions of a
    tenth, in pages of ``page`` like a harvest."""
    from datetime import UTC, datetime

    from archive.exchange.apply import apply_records
    from archive.exchange.oai import HarvestedItem
    from archive.models import Peer

    peer = Peer.objects.create(label="made-up", base_url="http://127.0.0.1:9/oai")

    def items(day, deleted=False, n=count):
        return [
            HarvestedItem(
                identifier=f"oai:made-up:DSS-2026-{i:06d}",
                datestamp=datetime(2026, 11, day, tzinfo=UTC),
                deleted=deleted,
                record_type=("festival", "custom", "recording")[i % 3],
                titles={"vi": f"Lễ cúng rừng {i} (lần {day})", "en": f"Forest rite {i}"},
                summaries={"vi": "Tóm tắt"},
                groups=["Tày"],
                places=["Tuyên Quang", "Bản Phùng"],
                subjects=["nghi lễ"],
                date="2024-03-15",
                accession=f"DSS-2026-{i:06d}",
                original_url=f"http://127.0.0.1:9/id/DSS-2026-{i:06d}",
            )
            for i in range(n)
        ]

    rows = []
    for name, batch, n in (
        ("apply alone: create", items(1), count),
        ("apply alone: update", items(2), count),
        ("apply alone: delete", items(3, deleted=True, n=count // 10), count // 10),
    ):
        started = time.perf_counter()
        for start in range(0, len(batch), page):
            apply_records(peer, batch[start : start + page])
        rows.append((name, n, time.perf_counter() - started))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--changes", type=int, default=100)
    ap.add_argument("--apply", type=int, default=1000, help="made-up records applied alone")
    ap.add_argument(
        "--db", choices=["sqlite", "postgres"], default="sqlite", help="the harvesting side's"
    )
    ap.add_argument("--role", choices=["source", "change"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.role == "source":
        prepare_source(args.n)
        return 0
    if args.role == "change":
        change_source(args.changes)
        return 0

    for path in (SRC, DST):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--role", "source", "--n", str(args.n)], check=True)
    print(f"source filled with {args.n} records in {time.perf_counter() - started:.0f} s")
    port = _free_port()
    server = _serve_source(port)
    try:
        configure(fresh_postgres_database() if args.db == "postgres" else DST)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from archive.exchange.harvest import harvest
        from archive.exchange.oai import format_datestamp
        from archive.models import Peer
        from archive.services.reference_data import load_reference_data
        from heritage.site_setup import ensure_site_tree

        load_reference_data()
        ensure_site_tree()
        url = f"http://127.0.0.1:{port}/oai"
        peer = Peer.objects.create(label="src", base_url=url)

        raw_items, raw_s = raw_walk(url, None)
        started = time.perf_counter()
        full = harvest(peer)
        full_s = time.perf_counter() - started
        assert full.complete, full.error

        peer.refresh_from_db()
        since = format_datestamp(peer.last_datestamp)
        subprocess.run(
            [sys.executable, __file__, "--role", "change", "--changes", str(args.changes)],
            check=True,
        )
        raw_inc_items, raw_inc_s = raw_walk(url, since)
        started = time.perf_counter()
        inc = harvest(peer)
        inc_s = time.perf_counter() - started
        assert inc.complete, inc.error
        alone = apply_alone(args.apply) if args.apply else []
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows = [
        ("full: raw ListRecords walk (baseline)", raw_items, raw_s),
        ("full: harvest (fetch + apply)", full.applied.created, full_s),
        (f"incremental after {args.changes} changes: raw walk", raw_inc_items, raw_inc_s),
        (f"incremental after {args.changes} changes: harvest", inc.applied.updated, inc_s),
    ]
    print(f"harvesting side on {args.db}")
    print(f"{'run':<48} {'records':>8} {'seconds':>8} {'records/s':>10} {'ms/record':>10}")
    for name, count, seconds in rows + alone:
        print(
            f"{name:<48} {count:>8} {seconds:>8.1f} {count / seconds:>10.1f}"
            f" {1000 * seconds / max(count, 1):>10.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
