"""Public-site benchmark: page weights, queries per page type, anonymous requests/second.
Results go in docs/benchmarks.md "## Public site".

    .venv/bin/python bench/site.py                 # 10 s wrk runs
    .venv/bin/python bench/site.py --duration 5    # shorter

Builds a throwaway data folder (SQLite, demo archive) under /tmp, measures weights and query
counts in-process, then serves the site with production settings on 127.0.0.1 only
(``runserver --noreload``, one process, threads; static files via ``--insecure``) and runs
``wrk`` (apt-get install wrk) against a cached record page and an uncached search.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = 8765


def environment(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="heritage.settings.production",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 40,
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver,localhost",
        DSS_DATA_DIR=str(data_dir),
        DJANGO_LOG_LEVEL="WARNING",
        DSS_DEMO_ALLOWED="1",  # a throwaway site: the demo and its accounts are wanted
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def measure_in_process(env) -> tuple[list, list]:
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from archive.models import CollectionPage, CustomPage, FestivalPage, LessonPack, RecordingPage

    def first_url(model):
        page = model.objects.live().public().filter(access_level="public").first()
        return page.url if page else None

    urls = {
        "home": "/vi/",
        "festival": first_url(FestivalPage),
        "custom": first_url(CustomPage),
        "recording": first_url(RecordingPage),
        "group": "/vi/groups/",
        "search": "/vi/search/?q=long+tong",
        "collection": (CollectionPage.objects.live().first() or None)
        and CollectionPage.objects.live().first().url,
        "teachers": "/vi/teachers/",
    }
    pack = LessonPack.objects.first()
    if pack:
        urls["lesson pack"] = pack.get_absolute_url()
    client = Client()
    weights, queries = [], []
    for name, url in urls.items():
        if not url:
            continue
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        html = response.content
        total = len(gzip.compress(html))
        for asset in set(re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)):
            path = finders.find(asset.decode())
            if path:
                total += len(gzip.compress(Path(path).read_bytes()))
        weights.append((name, url, len(html), total))
        with CaptureQueriesContext(connection) as cached:
            client.get(url)
        queries.append((name, len(captured), len(cached)))
    return weights, queries


def wrk(url: str, duration: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    data_dir = Path(tempfile.mkdtemp(prefix="dss-bench-site-"))
    env = environment(data_dir)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # hashed static names (production)
    manage(env, "load_demo")
    weights, queries = measure_in_process(env)

    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/vi/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        record = next(url for name, url, *_ in weights if name == "recording")
        urllib.request.urlopen(base + record, timeout=10)  # warm the cache
        cached_rps = wrk(base + record, args.duration)
        search_rps = wrk(base + "/vi/search/?q=long+tong", args.duration)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)

    print("| page | HTML bytes | HTML+CSS+JS gzipped |")
    print("|---|---:|---:|")
    for name, _url, raw, total in weights:
        print(f"| {name} | {raw:,} | {total / 1024:.1f} KB |")
    print()
    print("| page type | queries (uncached) | queries (cached, anonymous) |")
    print("|---|---:|---:|")
    for name, uncached, cached in queries:
        print(f"| {name} | {uncached} | {cached} |")
    print()
    print(f"wrk -t2 -c8 -d{args.duration}s, 127.0.0.1, runserver (one process):")
    print(f"- cached record page: {cached_rps:.0f} requests/s")
    print(f"- uncached search (q=long tong): {search_rps:.0f} requests/s")


if __name__ == "__main__":
    main()
